package io.drover.cli.lab;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.DroverCommand;
import io.drover.cli.output.Table;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover lab status}: the labs on this machine and whether their processes run. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List the labs on this machine: nodes, server, running processes, namespaces.")
public final class LabStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final DroverCommand drover;

    public LabStatusCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LabStateStore store = LabDirectory.store(drover.context());
        try (LinuxKernel kernel = new LinuxKernel()) {
            List<String> labs = new LabTeardown(kernel, store).labsPresent();
            if (labs.isEmpty()) {
                out.println("No lab on this machine. Start one with: drover lab up");
                return 0;
            }
            List<String> namespaces = kernel.namespaces();
            List<List<String>> rows = labs.stream().map(lab -> row(lab, store.load(lab), namespaces)).toList();
            out.print(new Table(List.of("NAME", "NODES", "SERVER", "PROCESSES", "NAMESPACES", "STATE"), rows).render());
            return 0;
        } finally {
            out.flush();
        }
    }

    static List<String> row(String lab, Optional<LabState> state, List<String> namespaces) {
        LabNames names = LabNames.of(lab);
        long owned = namespaces.stream().filter(names::owns).count();
        if (state.isEmpty()) {
            return List.of(lab, "?", "-", "0", Long.toString(owned), "leftovers (run: drover lab down --name " + lab + ")");
        }
        LabState s = state.get();
        long running = s.processes().stream().filter(p -> p.identity().isRunning()).count();
        boolean serverUp = s.process(LabLauncher.SERVER_ROLE).map(p -> p.identity().isRunning()).orElse(false);
        String condition = serverUp && running == s.processes().size() ? "up"
                : running == 0 ? "stopped (run: drover lab down --name " + lab + ")" : "degraded (see its logs in "
                        + "the lab directory)";
        return List.of(lab, Integer.toString(s.nodes()), s.serverUrl() == null ? "-" : s.serverUrl(),
                running + "/" + s.processes().size(), Long.toString(owned), condition);
    }
}
