package io.drover.cli.serve;

import io.drover.server.DroverServer;
import io.drover.server.ServerOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code drover server}: runs the API server, its controllers and store until SIGTERM or Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Drover API server with its controllers.",
                "Stops gracefully on SIGTERM or Ctrl-C: in-flight requests finish, acknowledged writes are durable."})
public final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--store", defaultValue = "embedded", paramLabel = "KIND",
            description = "Where state lives: embedded (a durable SQLite file in --data). Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--data", defaultValue = ".drover/data", paramLabel = "DIR",
            description = "Directory of the embedded store. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--listen", defaultValue = ServerOptions.DEFAULT_HOST + ":" + ServerOptions.DEFAULT_PORT, paramLabel = "HOST:PORT",
            description = "Address and port of the REST API. Default: ${DEFAULT-VALUE}.")
    String listen;

    @Override
    public Integer call() throws Exception {
        HostPort address = HostPort.parse(listen, spec);
        DroverServer server;
        try {
            server = DroverServer.start(new ServerOptions(store, data, address.host(), address.port()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Thread hook = new Thread(server::close, "drover-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().printf("Drover server listening on http://%s:%d (store: %s in %s). Stop with Ctrl-C.%n",
                address.host(), server.port(), store, data.toAbsolutePath());
        spec.commandLine().getOut().flush();
        server.awaitStop();
        return 0;
    }

    record HostPort(String host, int port) {
        static HostPort parse(String text, CommandSpec spec) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--listen must be HOST:PORT, e.g. 127.0.0.1:7443 (got \"" + text + "\")");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--listen port must be a number from 0 to 65535 (got \"" + text.substring(colon + 1) + "\")");
            }
        }
    }
}
