package io.drover.cli.lab;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import io.drover.lab.runtime.TeardownReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover lab down}: removes a lab, also the leftovers of one whose processes were killed. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Remove a lab: stop its server, agents and pod commands, delete its namespaces, logs and data.",
                "Also removes what a killed lab left behind, with or without its state file."})
public final class LabDownCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "The lab. Default: the only lab on this machine.")
    String name;

    private final DroverCommand drover;

    public LabDownCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() {
        RootCheck.require("lab down");
        PrintWriter out = spec.commandLine().getOut();
        LabStateStore store = LabDirectory.store(drover.context());
        try (LinuxKernel kernel = new LinuxKernel()) {
            LabTeardown teardown = new LabTeardown(kernel, store);
            String lab = name != null ? checked(name) : onlyLab(teardown.labsPresent());
            TeardownReport report = teardown.tearDown(lab);
            report.lines().forEach(out::println);
            return 0;
        } catch (LabException e) {
            throw new CliException(e.getMessage());
        } finally {
            out.flush();
        }
    }

    private static String checked(String lab) {
        String problem = LabNames.validate(lab);
        if (problem != null) {
            throw new CliException(problem);
        }
        return lab;
    }

    static String onlyLab(List<String> present) {
        if (present.isEmpty()) {
            return LabNames.DEFAULT_LAB; // nothing there: the teardown says so
        }
        if (present.size() > 1) {
            throw new CliException("several labs are on this machine (" + String.join(", ", present)
                    + "); say which one to remove with --name NAME");
        }
        return present.getFirst();
    }
}
