package io.drover.agent.cni;

import io.drover.cni.CniDispatcher;
import io.drover.cni.CniHandler;
import io.drover.cni.CniSocketServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The agent's CNI socket: where the drover-cni executable that runtimes run sends each call, checked by the
 * {@link CniDispatcher} as the reference plugins check theirs and answered by the {@link CniService}. Closing it
 * removes the socket; the data plane stays as it is.
 */
public final class CniEndpoint implements AutoCloseable {

    /** Where drover-cni looks when neither the configuration nor $DROVER_AGENT_SOCKET names a socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/drover/agent.sock");

    private final CniSocketServer server;

    private CniEndpoint(CniSocketServer server) {
        this.server = server;
    }

    /** Serves {@code handler} on {@code socket} (its directory is made); namespace paths are checked on this host. */
    public static CniEndpoint start(Path socket, CniHandler handler) throws IOException {
        return new CniEndpoint(CniSocketServer.start(socket, new CniDispatcher(handler)));
    }

    /** As {@link #start(Path, CniHandler)}, with its own notion of which namespace paths exist. */
    public static CniEndpoint start(Path socket, CniHandler handler, Predicate<String> netnsExists) throws IOException {
        return new CniEndpoint(CniSocketServer.start(socket, new CniDispatcher(handler, netnsExists)));
    }

    public Path socket() {
        return server.socket();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
