package io.drover.cli.policy;

import io.drover.cli.DroverCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover policy}: questions about network policies, answered from the model without sending packets. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Ask what the cluster's network policies make of traffic, computed from the API's objects.")
public final class PolicyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The {@code policy} verb with its subcommands, for {@code Main} to register. */
    public static CommandLine commandLine(DroverCommand drover) {
        return new CommandLine(new PolicyCommand()).addSubcommand(new PolicyExplainCommand(drover));
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: say what to ask: explain");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }
}
