package io.drover.lab.runtime;

import io.drover.agent.kernel.Kernel;
import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.IpAddresses;
import io.drover.model.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code drover lab up}: builds a lab and starts it. In order: the fabric and node namespaces ({@link LabFabric});
 * one {@code drover server} (in this process's namespace, on 127.0.0.1 and a free port, its data in the lab's
 * directory, placing pods that name no node); the lab's nodes registered as Nodes with their underlay addresses;
 * one {@code drover agent --lab} per node (also in this namespace: it programs its node's namespace through the
 * kernel and reaches the server over loopback). It returns once every agent has synced and reported its node
 * ready, and records everything in the lab state as it goes, so that {@code lab down} undoes a lab even when this
 * was interrupted. All or nothing: when a step fails, what was made is torn down before the error is thrown.
 *
 * <p>The server and agents are the same program as the command that starts the lab: {@link Launch} says how to
 * run it (the same java, class path and main class).
 */
public final class LabLauncher {

    /** The environment variable (and its use in children) that points at a lab state directory other than the default. */
    public static final String LAB_DIR_ENV = "DROVER_LAB_DIR";

    /**
     * How to run {@code drover VERB ...} as a process.
     *
     * @param command the java executable, its options, the class path and the main class; the verb follows
     */
    public record Launch(List<String> command) {
        public Launch {
            command = List.copyOf(command);
        }

        /** The java of this process, with this class path and main class. */
        public static Launch thisJvm(String mainClass) {
            String java = ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Native access for the kernel calls (FFM); the launcher's small-footprint flags, as labs run several JVMs.
            return new Launch(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), mainClass));
        }

        List<String> verb(String... args) {
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of(args));
            return full;
        }
    }

    /**
     * @param name    the lab's name
     * @param nodes   how many nodes
     * @param timeout how long the server and the agents may take to come up
     */
    /**
     * @param mode how pods reach pods of other nodes: {@code routed} (host-gw over the fabric's one segment) or
     *             {@code vxlan}
     */
    public record Options(String name, int nodes, Duration timeout, String mode) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        public static final String ROUTED = "routed";
        public static final String VXLAN = "vxlan";

        public Options(String name, int nodes, Duration timeout) {
            this(name, nodes, timeout, ROUTED);
        }

        public Options {
            mode = mode == null ? ROUTED : mode;
            if (!mode.equals(ROUTED) && !mode.equals(VXLAN)) {
                throw new IllegalArgumentException("--mode " + mode + ": a lab routes between its nodes in routed"
                        + " (host-gw) or vxlan mode");
            }
            String problem = LabNames.validate(name);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (nodes < 1 || nodes > LabNames.MAX_NODES) {
                throw new IllegalArgumentException("a lab has 1 to " + LabNames.MAX_NODES + " nodes, not " + nodes);
            }
        }
    }

    public static final String SERVER_ROLE = "server";
    private static final Duration POLL = Duration.ofMillis(50);

    private final Kernel kernel;
    private final LabStateStore store;
    private final Launch launch;
    private final Consumer<String> progress;

    /** @param progress told one line per step, e.g. to print while the lab comes up */
    public LabLauncher(Kernel kernel, LabStateStore store, Launch launch, Consumer<String> progress) {
        this.kernel = kernel;
        this.store = store;
        this.launch = launch;
        this.progress = progress;
    }

    public static String agentRole(String node) {
        return "agent-" + node;
    }

    /** Builds and starts the lab; returns its state (with the server's URL). */
    public LabState up(Options options) {
        LabNames names = LabNames.of(options.name());
        refuseExisting(names);
        LabState initial = LabState.create(options.name(), options.nodes());
        store.save(initial);
        try {
            return start(names, initial, options);
        } catch (RuntimeException e) {
            try {
                new LabTeardown(kernel, store, Duration.ofSeconds(5)).tearDown(options.name());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    private void refuseExisting(LabNames names) {
        boolean leftovers = kernel.namespaces().stream().anyMatch(names::owns);
        if (store.load(names.lab()).isPresent() || leftovers) {
            throw new LabException("lab " + names.lab() + " already exists" + (leftovers ? " (its namespaces are there)" : "")
                    + "; run 'drover lab down --name " + names.lab() + "' first, or choose another --name");
        }
    }

    private LabState start(LabNames names, LabState initial, Options options) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        FabricLayout layout = FabricLayout.plan(options.name(), options.nodes());
        new LabFabric(kernel).create(layout, ns -> store.update(options.name(), initial, s -> s.withNamespace(ns)));
        progress.accept("fabric: namespace " + layout.fabric().name() + " with bridge " + layout.bridge() + " ("
                + layout.fabricAddress() + "); nodes: " + String.join(", ", layout.nodes().stream()
                        .map(n -> n.name() + " " + n.namespace().name() + " " + n.address()).toList()));

        LabProcesses processes = new LabProcesses(store, initial);
        Map<String, String> env = Map.of(LAB_DIR_ENV, store.dir().toString());
        Path labDir = store.labDir(options.name());
        Path data = labDir.resolve("data");
        Path urlFile = labDir.resolve("server.url");
        LabState.ProcessRecord server = processes.start(SERVER_ROLE, null, launch.verb("server", "--data", data.toString(),
                "--listen", "127.0.0.1:0", "--lab-placement", "--url-file", urlFile.toString()), env);
        URI url = awaitServerUrl(server, urlFile, deadline);
        store.update(options.name(), initial, s -> s.withServer(url.toString(), data.toString()));
        progress.accept("server: " + ServerUrls.display(url) + " (pid " + server.pid() + ", data in " + data + ")");

        try (DroverClient client = new DroverClient(url)) {
            awaitHealthy(client, server, deadline);
            for (FabricLayout.Node node : layout.nodes()) {
                register(client, node);
            }
            List<LabState.ProcessRecord> agents = new ArrayList<>();
            for (FabricLayout.Node node : layout.nodes()) {
                agents.add(processes.start(agentRole(node.name()), null, launch.verb("agent", "--lab", options.name(),
                        "--node", node.name(), "--server", url.toString(), "--cross-node", options.mode()), env));
            }
            for (int i = 0; i < agents.size(); i++) {
                awaitReady(client, layout.nodes().get(i).name(), agents.get(i), deadline);
            }
            progress.accept("agents: " + String.join(", ", layout.nodes().stream().map(FabricLayout.Node::name).toList())
                    + " ready (pids " + String.join(", ", agents.stream().map(a -> Long.toString(a.pid())).toList()) + ")");
        }
        return store.load(options.name()).orElseThrow(() -> new LabException("the state of lab " + options.name()
                + " disappeared while it started; was 'drover lab down' run at the same time?"));
    }

    private static void register(DroverClient client, FabricLayout.Node node) {
        Node wanted = Node.of(ObjectMeta.named(node.name()), new Node.NodeSpec(IpAddresses.format(node.address().ip())));
        try {
            client.create(wanted);
        } catch (ApiError e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    /** The server writes its URL to a file once it listens (it picks a free port, so nothing else could tell). */
    private static URI awaitServerUrl(LabState.ProcessRecord server, Path urlFile, long deadline) {
        while (true) {
            Optional<String> url = readIfPresent(urlFile);
            if (url.isPresent()) {
                return ServerUrls.parse(url.get());
            }
            checkRunning(server, "the lab's server");
            checkDeadline(deadline, "the lab's server did not start listening", server);
            sleep();
        }
    }

    private static void awaitHealthy(DroverClient client, LabState.ProcessRecord server, long deadline) {
        while (!client.healthy()) {
            checkRunning(server, "the lab's server");
            checkDeadline(deadline, "the lab's server does not answer on " + client.server(), server);
            sleep();
        }
    }

    /** A node is ready when its agent has synced it once and said so in the Node's status. */
    private static void awaitReady(DroverClient client, String node, LabState.ProcessRecord agent, long deadline) {
        while (true) {
            Optional<Node> current = client.find(ResourceKind.NODE, null, node).map(Node.class::cast);
            if (current.map(n -> n.status() != null && Boolean.TRUE.equals(n.status().ready())).orElse(false)) {
                return;
            }
            checkRunning(agent, "the agent of " + node);
            checkDeadline(deadline, "the agent of " + node + " did not report its node ready", agent);
            sleep();
        }
    }

    private static void checkRunning(LabState.ProcessRecord process, String what) {
        if (!process.identity().isRunning()) {
            throw new LabException(what + " exited" + LabProcesses.tail(Path.of(process.log())));
        }
    }

    private static void checkDeadline(long deadline, String what, LabState.ProcessRecord process) {
        if (System.nanoTime() - deadline > 0) {
            throw new LabException(what + " in time" + LabProcesses.tail(Path.of(process.log())));
        }
    }

    private static Optional<String> readIfPresent(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while the lab was starting");
        }
    }
}
