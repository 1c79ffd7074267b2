package io.drover.cli.demo;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.cli.lab.RootCheck;
import io.drover.cli.Main;
import io.drover.cli.lab.LabDirectory;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.FabricLayout;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code drover demo}: Drover's data plane at work in a throw-away lab. It starts a one-node lab, applies two
 * networks and five pods (placed by the lab, as none names a node), then shows with real connections that pods on
 * one network reach each other and pods on different networks do not, that a published port answers from outside
 * the node, and that a container-mode pod shares another pod's address. Every step is the verb a user would type,
 * printed first, so the output doubles as a tutorial. The lab is torn down at the end, on failure and on Ctrl-C,
 * unless {@code --keep}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show Drover at work in a throw-away lab: networks, isolation, a published port, a container-mode pod.",
                "Needs root (the lab is made of network namespaces); removes everything it made unless --keep."})
public final class DemoCommand implements Callable<Integer> {

    /** What the demo's own checks wait for at most: pods serving after apply. */
    private static final Duration READY_LIMIT = Duration.ofSeconds(20);
    private static final String NAMESPACE = "demo";
    private static final int PUBLISHED_PORT = 8080;

    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the lab at the end, to explore it; remove it later with 'drover lab down --name NAME'.")
    boolean keep;

    @Option(names = "--name", defaultValue = "demo", paramLabel = "NAME", description = "The demo lab's name. Default: ${DEFAULT-VALUE}.")
    String name;

    private final DroverCommand drover;

    public DemoCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() throws Exception {
        RootCheck.require("demo");
        PrintWriter out = spec.commandLine().getOut();
        quietLog();
        LabStateStore store = LabDirectory.store(drover.context());
        try (LinuxKernel kernel = new LinuxKernel()) {
            String problem = LabNames.validate(name);
            if (problem != null) {
                throw new CliException(problem);
            }
            if (new LabTeardown(kernel, store).labsPresent().contains(name)) {
                throw new CliException("a lab named " + name + " is already on this machine (from an earlier 'demo --keep'?);"
                        + " remove it with 'drover lab down --name " + name + "' or give the demo another --name");
            }
            Cleanup cleanup = new Cleanup(kernel, store, name);
            Thread onCtrlC = new Thread(cleanup::quietly, "drover-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            boolean kept = false;
            try {
                kept = tour(out, kernel, store);
                return 0;
            } finally {
                if (!kept && cleanup.claim()) {
                    step(out, "# The end: remove the lab (its processes, namespaces, logs and data).",
                            "lab", "down", "--name", name);
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and tears the lab down
                }
                out.flush();
            }
        }
    }

    /** Runs the tour; true when the lab is kept. */
    private boolean tour(PrintWriter out, LinuxKernel kernel, LabStateStore store) throws Exception {
        LabNames names = LabNames.of(name);
        out.printf("== Drover demo: a lab named %s on this machine, made of network namespaces %s*%n%n", name, names.prefix());
        step(out, "# Start the lab: a fabric (the underlay), one node with its agent, an API server on 127.0.0.1.",
                "lab", "up", "--name", name, "--nodes", "1");
        String url = store.load(name).map(LabState::serverUrl).orElseThrow(
                () -> new CliException("lab " + name + " did not start; see the messages above"));

        // Kept in the lab's directory, so that it goes with the lab whichever way the demo ends.
        Path manifest = store.labDir(name).resolve("demo-lab.yaml");
        String text = resource("demo-lab.yaml");
        Files.writeString(manifest, text);
        out.println("# The manifest: two networks, and five pods that name no node (the lab places them).");
        out.println(text);
        step(out, "# Apply it. Each pod runs Drover's echo server on its ports, answering '<namespace>/<pod>'.",
                "apply", "-f", manifest.toString(), "--server", url);
        Map<String, Pod> pods = awaitServing(kernel, names, url);
        step(out, "# Every pod has an address on its network; web-sidecar shares web's network namespace.",
                "get", "pods", "-n", NAMESPACE, "-o", "wide", "--server", url);

        step(out, "# Probe: a real TCP connection from every pod to every other on port 80. Same network: '.' (connected);\n"
                + "# blue and red are isolated from each other: 'X' (blocked).",
                "probe", "--namespaces", NAMESPACE, "--ports", "80", "--timeout-ms", "500", "--lab", name);

        FabricLayout layout = FabricLayout.plan(name, 1);
        InetAddress node1 = layout.nodes().getFirst().address().ip();
        out.printf("# web publishes port 80 as %d on its node. From outside the node (the lab's fabric, where the%n"
                + "# underlay's other hosts would be), connect to node-1's underlay address:%n", PUBLISHED_PORT);
        out.printf("$ (in %s) connect %s:%d%n", layout.fabric().name(), node1.getHostAddress(), PUBLISHED_PORT);
        ServingCheck.Exchange published = new ServingCheck(kernel)
                .connectFrom(layout.fabric().netns(), node1, PUBLISHED_PORT, Duration.ofSeconds(2));
        out.println(published.connected() ? published.text() : "no answer: " + published.text());
        out.println();

        step(out, "# Container mode: web-sidecar lives in web's network namespace, so it has web's address.",
                "lab", "exec", "--lab", name, NAMESPACE + "/web", "--", "ip", "-4", "-brief", "address", "show", "dev", "eth0");
        step(out, null, "lab", "exec", "--lab", name, NAMESPACE + "/web-sidecar", "--", "ip", "-4", "-brief", "address", "show", "dev", "eth0");
        String webIp = firstAddress(pods.get("web"));
        out.printf("# ... and its own port 81 answers on web's address (from blue-1):%n$ (in pod %s/blue-1) connect %s:81%n",
                NAMESPACE, webIp);
        ServingCheck.Exchange sidecar = new ServingCheck(kernel).connectFrom(
                NetNs.named(names.podNamespace(NAMESPACE, "blue-1")), InetAddress.ofLiteral(webIp), 81, Duration.ofSeconds(2));
        out.println(sidecar.connected() ? sidecar.text() : "no answer: " + sidecar.text());
        out.println();

        microSegmentation(out, kernel, store, names, url, webIp);

        if (keep) {
            out.printf("== The lab stays up (--keep). Try: drover get pods -A, drover probe, drover lab exec %s/blue-1 -- ip route.%n"
                    + "   Remove it with: drover lab down --name %s%n", NAMESPACE, name);
            return true;
        }
        return false;
    }

    /**
     * A NetworkPolicy isolates web but for clients (blue-1): the agent enforces it in its nftables table, the probe
     * shows blue-2 blocked, and {@code policy explain} says why without sending a packet.
     */
    private void microSegmentation(PrintWriter out, LinuxKernel kernel, LabStateStore store, LabNames names, String url,
            String webIp) throws IOException, InterruptedException {
        Path manifest = store.labDir(name).resolve("demo-policy.yaml");
        String text = resource("demo-policy.yaml");
        Files.writeString(manifest, text);
        out.println("# Micro-segmentation: a NetworkPolicy (Kubernetes' YAML) lets only pods labelled role=client reach web.");
        out.println(text);
        step(out, null, "apply", "-f", manifest.toString(), "--server", url);
        // Enforced within milliseconds; wait (bounded) for it so the probe below shows the new state, not a race.
        NetNs blue2 = NetNs.named(names.podNamespace(NAMESPACE, "blue-2"));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && new ServingCheck(kernel)
                .connectFrom(blue2, InetAddress.ofLiteral(webIp), 80, Duration.ofMillis(200)).connected()) {
            Thread.sleep(50);
        }
        step(out, "# blue-1 (role=client) still reaches web; blue-2 does not. Other pods are not selected: unchanged.",
                "probe", "--namespaces", NAMESPACE, "--ports", "80", "--timeout-ms", "500", "--lab", name);
        step(out, "# Why, computed from the policies without sending packets:",
                "policy", "explain", "--from", NAMESPACE + "/blue-2", "--to", NAMESPACE + "/web", "--port", "80/tcp",
                "--server", url);
    }

    /** Waits (bounded) until the bridge-mode pods and the sidecar answer on their ports from inside their namespaces. */
    private Map<String, Pod> awaitServing(LinuxKernel kernel, LabNames names, String url) {
        try (DroverClient client = new DroverClient(ServerUrls.parse(url))) {
            long deadline = System.nanoTime() + READY_LIMIT.toNanos();
            Map<String, Pod> pods = Map.of();
            boolean addressed = false;
            while (!addressed && System.nanoTime() < deadline) {
                pods = client.list(ResourceKind.POD, NAMESPACE, null).items().stream().map(Pod.class::cast)
                        .collect(Collectors.toMap(p -> p.metadata().name(), Function.identity()));
                addressed = pods.size() == 5 && pods.values().stream().allMatch(p -> p.spec().node() != null)
                        && pods.values().stream().filter(p -> p.spec().joinsNetworks())
                                .allMatch(p -> p.status() != null && !p.status().addresses().isEmpty());
                if (!addressed) {
                    sleep(Duration.ofMillis(100));
                }
            }
            if (!addressed) {
                throw new CliException("the demo's pods were not all placed and addressed within "
                        + READY_LIMIT.toSeconds() + " s; 'drover get pods -n demo -o wide --server " + url + "' shows"
                        + " where they stand (run the demo with --keep to look)");
            }
            List<ProbeTarget> targets = new ArrayList<>();
            for (Pod p : pods.values()) {
                if (p.spec().joinsNetworks()) {
                    targets.add(ProbeTarget.of(p, NetNs.named(LabPodNamespaces.namespaceName(names, p))));
                }
            }
            ServingCheck check = new ServingCheck(kernel);
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            check.await(targets, 80, left);
            // ... and from their node: attached to their networks, so the first probe shows the rules, not plumbing.
            check.awaitFrom(NetNs.named(names.nodeNamespace(1)), targets, 80,
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            // The sidecar's echo server listens in web's namespace, on web's address.
            Pod web = pods.get("web");
            check.await(List.of(new ProbeTarget(NAMESPACE + "/web-sidecar", NetNs.named(LabPodNamespaces.namespaceName(names, web)),
                    ProbeTarget.of(web, NetNs.SELF).ips())), 81, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return pods;
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CliException("the demo's pods did not come up: " + e.getMessage());
        }
    }

    private static String firstAddress(Pod pod) {
        return pod.status().addresses().getFirst().ip();
    }

    /** Tears the lab down once, whichever comes first: the end of the tour or Ctrl-C. */
    private static final class Cleanup {
        private final LinuxKernel kernel;
        private final LabStateStore store;
        private final String lab;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Cleanup(LinuxKernel kernel, LabStateStore store, String lab) {
            this.kernel = kernel;
            this.store = store;
            this.lab = lab;
        }

        /** True for the one caller that is to tear down. */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        void quietly() {
            if (claim()) {
                new LabTeardown(kernel, store, Duration.ofSeconds(2)).tearDown(lab);
            }
        }
    }

    /** The tour is the CLI's output; log lines (warnings aside) would only interleave with it. */
    private static void quietLog() {
        if (System.getenv("DROVER_LOG_LEVEL") == null && System.getProperty("DROVER_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /**
     * Prints the comment and the command, then runs it. The command is shown as a user would type it after
     * {@code lab up}, less {@code --server} and {@code --lab}: the demo names its lab's server and lab explicitly, in
     * case another lab is up or DROVER_SERVER is set, where a user's CLI would find the only lab by itself.
     */
    private void step(PrintWriter out, String comment, String... args) {
        if (comment != null) {
            out.println(comment);
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--server") || args[i].equals("--lab")) {
                i++;
                continue;
            }
            shown.add(args[i]);
        }
        out.println("$ drover " + String.join(" ", quoted(shown)));
        out.flush();
        int code = cli(out, args);
        out.println();
        out.flush();
        if (code != 0 && args[0].equals("lab") && args[1].equals("up")) {
            throw new CliException("the lab did not start (above); nothing is left behind");
        }
    }

    private int cli(PrintWriter out, String... args) {
        CommandLine cli = Main.commandLine(drover.context());
        cli.setOut(out);
        cli.setErr(out);
        int code = cli.execute(args);
        out.flush();
        return code;
    }

    private static List<String> quoted(List<String> args) {
        return args.stream().map(a -> a.contains(" ") || a.contains("(") ? "'" + a + "'" : a).toList();
    }

    private static String resource(String file) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the demo's " + file + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
