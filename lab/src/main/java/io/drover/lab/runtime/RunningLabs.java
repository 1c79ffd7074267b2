package io.drover.lab.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The labs that are up on this machine: those whose state names a server URL and whose recorded server process
 * still runs. The CLI uses it to talk to the lab's server, and to find the lab's namespaces, without flags.
 */
public final class RunningLabs {

    private RunningLabs() {}

    public static List<LabState> list(LabStateStore store) {
        List<LabState> up = new ArrayList<>();
        for (String lab : store.labs()) {
            Optional<LabState> state;
            try {
                state = store.load(lab);
            } catch (RuntimeException damaged) {
                continue; // 'lab down' deals with a damaged state file; it runs no server anyone can talk to
            }
            state.filter(RunningLabs::serverRuns).ifPresent(up::add);
        }
        return up;
    }

    /**
     * The one running lab, or the named one; empty when none runs.
     *
     * @throws LabException when several run and none is named, or the named one is not up
     */
    public static Optional<LabState> choose(LabStateStore store, String name) {
        List<LabState> up = list(store);
        if (name != null) {
            return Optional.of(up.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new LabException("lab " + name + " is not up" + (up.isEmpty() ? ""
                            : " (up: " + String.join(", ", up.stream().map(LabState::name).toList()) + ")")
                            + "; start it with 'drover lab up --name " + name + "'")));
        }
        if (up.size() > 1) {
            throw new LabException("several labs are up (" + String.join(", ", up.stream().map(LabState::name).toList())
                    + "); say which one: --lab NAME for the lab verbs and the probe, --server URL (see 'drover lab"
                    + " status') for the others");
        }
        return up.stream().findFirst();
    }

    private static boolean serverRuns(LabState state) {
        return state.serverUrl() != null
                && state.process(LabLauncher.SERVER_ROLE).map(p -> p.identity().isRunning()).orElse(false);
    }
}
