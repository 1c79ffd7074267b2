package io.drover.cli.serve;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.agent.AgentRun;
import io.drover.cli.agent.AgentSetup;
import io.drover.controllers.Controllers;
import io.drover.controllers.hostports.HostPortRange;
import io.drover.controllers.placement.PodPlacer;
import io.drover.server.DroverServer;
import io.drover.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code drover server}: runs the API server, its controllers and store until SIGTERM or Ctrl-C; with
 * {@code --with-agent} also the node agent of the machine (the all-in-one deployment), with {@code --lab-placement}
 * the placement of pods that name no node (a lab's server).
 */
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

    @Option(names = "--with-agent",
            description = "Also run the node agent in this process, programming the network namespace the server runs in.")
    boolean withAgent;

    @Option(names = "--node", paramLabel = "NAME",
            description = "The node name of --with-agent's agent. Default: this machine's host name.")
    String node;

    @Option(names = "--lab-placement",
            description = "Place pods that name no node on the least-loaded Ready node (what a lab's server does).")
    boolean labPlacement;

    @Option(names = "--host-port-range", paramLabel = "FROM-TO",
            description = "The node ports that pods with publishAllPorts get their automatic host ports from "
                    + "(Docker's -P). Default: 32768-60999.")
    String hostPortRange;

    @Option(names = "--url-file", paramLabel = "PATH",
            description = "Write the server's URL to PATH once it listens (useful with --listen HOST:0, a free port).")
    Path urlFile;

    @Override
    public Integer call() throws Exception {
        HostPort address = HostPort.parse(listen, spec);
        Controllers.Options controllerOptions = Controllers.Options.DEFAULTS;
        if (hostPortRange != null) {
            try {
                controllerOptions = controllerOptions.withHostPorts(HostPortRange.parse(hostPortRange));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--host-port-range: " + e.getMessage());
            }
        }
        AgentSetup agentSetup = null;
        if (withAgent) {
            try {
                agentSetup = AgentSetup.of(node == null ? HostName.current() : node, null, null, AgentSetup.NO_CNI, null);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        } else if (node != null) {
            throw new ParameterException(spec.commandLine(), "--node only goes with --with-agent");
        }
        DroverServer server;
        try {
            server = DroverServer.start(new ServerOptions(store, data, address.host(), address.port()), controllerOptions);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // Stopped in reverse order by the shutdown hook: the agent and the placer before the server they use.
        List<AutoCloseable> running = new ArrayList<>();
        running.add(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(running), "drover-shutdown"));
        try {
            if (labPlacement) {
                PodPlacer placer = new PodPlacer(server.registry());
                running.add(placer);
                placer.start();
            }
            if (agentSetup != null) {
                LinuxKernel kernel = new LinuxKernel();
                running.add(kernel);
                running.add(AgentRun.start(agentSetup, server.registry(), kernel, null));
            }
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
        String url = "http://" + (address.host().contains(":") ? "[" + address.host() + "]" : address.host()) + ":" + server.port();
        if (urlFile != null) {
            writeAtomically(urlFile, url + "\n");
        }
        spec.commandLine().getOut().printf("Drover server listening on %s (store: %s in %s%s). Stop with Ctrl-C.%n",
                url, store, data.toAbsolutePath(), agentSetup == null ? "" : "; agent of node " + agentSetup.node());
        spec.commandLine().getOut().flush();
        server.awaitStop();
        return 0;
    }

    private static synchronized void closeAll(List<AutoCloseable> running) {
        for (AutoCloseable c : running.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("stopping " + c.getClass().getSimpleName() + ": " + e);
            }
        }
        running.clear();
    }

    /** Readers (lab up) poll for the file: it appears whole or not at all. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".url-", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
