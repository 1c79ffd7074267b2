package io.drover.cli.conformance;

import io.drover.cli.DroverCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover conformance}: conformance cases run against a real lab. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Run conformance cases against a real lab: real connections between lab pods, compared with what"
                + " the cases expect.")
public final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The {@code conformance} verb with its subcommands, for {@code Main} to register. */
    public static CommandLine commandLine(DroverCommand drover) {
        return new CommandLine(new ConformanceCommand()).addSubcommand(new NetpolConformanceCommand(drover));
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: say which cases to run: netpol");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }
}
