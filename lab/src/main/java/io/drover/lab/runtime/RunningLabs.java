package io.drover.lab.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The labs that are up on this machine: those whose state names a server URL and one of whose recorded servers
 * still runs. The CLI uses it to talk to the lab's server, and to find the lab's namespaces, without flags.
 *
 * <p>A lab with several servers is handed out with {@link LabState#serverUrl()} set to the first of them that
 * accepts a connection (server-1 first), so that every verb reaches the lab while any of its servers is up.
 */
public final class RunningLabs {

    private static final int CONNECT_TIMEOUT_MS = 300;

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
            state.filter(RunningLabs::serverRuns).map(RunningLabs::withReachableServer).ifPresent(up::add);
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
                            + "; start it with 'drover lab up --name " + name + "', or if it has servers stopped"
                            + " on purpose, 'drover lab server start 1 --lab " + name + "'")));
        }
        if (up.size() > 1) {
            throw new LabException("several labs are up (" + String.join(", ", up.stream().map(LabState::name).toList())
                    + "); say which one: --lab NAME for the lab verbs and the probe, --server URL (see 'drover lab"
                    + " status') for the others");
        }
        return up.stream().findFirst();
    }

    /** The URLs of the lab's servers whose process runs, in order. */
    public static List<String> runningServerUrls(LabState state) {
        List<String> urls = new ArrayList<>();
        for (LabState.Server server : state.servers()) {
            boolean runs = state.process(server.role()).map(p -> !p.stopped() && p.identity().isRunning()).orElse(false);
            if (runs && server.url() != null) {
                urls.add(server.url());
            }
        }
        return urls;
    }

    private static boolean serverRuns(LabState state) {
        return state.serverUrl() != null && !runningServerUrls(state).isEmpty();
    }

    /** The state with {@code serverUrl} the first running server that accepts a connection (else the first running). */
    private static LabState withReachableServer(LabState state) {
        List<String> urls = runningServerUrls(state);
        if (urls.size() == 1 && urls.getFirst().equals(state.serverUrl())) {
            return state; // the common case: one server, no need to knock
        }
        for (String url : urls) {
            if (accepts(url)) {
                return state.withServer(url, state.dataDir());
            }
        }
        return state.withServer(urls.getFirst(), state.dataDir());
    }

    /** Whether something listens at the URL's host and port. */
    static boolean accepts(String url) {
        try {
            URI uri = URI.create(url);
            int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
                return true;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
