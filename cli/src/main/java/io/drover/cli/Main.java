package io.drover.cli;

import io.drover.cli.agent.AgentCommand;
import io.drover.cli.commands.ApplyCommand;
import io.drover.cli.commands.DeleteCommand;
import io.drover.cli.commands.DescribeCommand;
import io.drover.cli.commands.GetCommand;
import io.drover.cli.conformance.ConformanceCommand;
import io.drover.cli.demo.DemoCommand;
import io.drover.cli.dns.DnsCommand;
import io.drover.cli.lab.LabCommand;
import io.drover.cli.policy.PolicyCommand;
import io.drover.cli.probe.ProbeCommand;
import io.drover.cli.serve.ServerCommand;
import picocli.CommandLine;

/** The {@code drover} command line. Verbs are registered here, in the order {@code drover --help} lists them. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(CliContext.system());
    }

    /**
     * The command tree. More verbs can be added to the result with {@code addSubcommand}: the error handling set
     * here applies to them too, as picocli uses the top command's handlers.
     */
    public static CommandLine commandLine(CliContext context) {
        DroverCommand drover = new DroverCommand(context);
        CommandLine commandLine = new CommandLine(drover)
                .addSubcommand(new ApplyCommand(drover))
                .addSubcommand(new GetCommand(drover))
                .addSubcommand(new DescribeCommand(drover))
                .addSubcommand(new DeleteCommand(drover))
                .addSubcommand(new ProbeCommand(drover))
                .addSubcommand("policy", PolicyCommand.commandLine(drover))
                .addSubcommand("conformance", ConformanceCommand.commandLine(drover))
                .addSubcommand("lab", LabCommand.commandLine(drover))
                .addSubcommand(new DemoCommand(drover))
                .addSubcommand(new ServerCommand())
                .addSubcommand(new AgentCommand(drover))
                .addSubcommand(new DnsCommand(drover))
                .addSubcommand(new CommandLine.HelpCommand());
        ErrorHandler errors = new ErrorHandler();
        return commandLine.setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setUsageHelpAutoWidth(true);
    }
}
