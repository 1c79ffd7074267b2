package io.drover.server;

import java.nio.file.Path;

/**
 * How to run a server.
 *
 * @param store   the store implementation: {@code embedded} (SQLite in {@code dataDir})
 * @param dataDir where the embedded store keeps its file
 * @param host    the address to listen on (127.0.0.1 keeps the API on this machine)
 * @param port    the TCP port; 0 picks a free one (see {@link DroverServer#port()})
 */
public record ServerOptions(String store, Path dataDir, String host, int port) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7443;

    public static ServerOptions embedded(Path dataDir, String host, int port) {
        return new ServerOptions("embedded", dataDir, host, port);
    }
}
