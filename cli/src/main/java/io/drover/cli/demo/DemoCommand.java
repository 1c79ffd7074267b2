package io.drover.cli.demo;

import io.drover.cli.Main;
import io.drover.server.DroverServer;
import io.drover.server.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code drover demo}: a guided tour of the API on a throw-away all-in-one server. Every step runs the same
 * verb a user would type, and prints it first, so the output doubles as a tutorial.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show Drover at work: start a throw-away server, create networks and pods, show their addresses.",
                "Leaves nothing behind (the server and its data directory are removed at the end)."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the server running at the end (Ctrl-C stops it and removes its data).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        quietServerLog();
        Path work = Files.createTempDirectory("drover-demo-");
        try (DroverServer server = DroverServer.start(ServerOptions.embedded(work.resolve("data"), "127.0.0.1", 0))) {
            String url = "http://127.0.0.1:" + server.port();
            Path manifests = writeManifests(work);
            out.printf("== Drover demo: an all-in-one server on %s, its store in %s%n%n", url, work.resolve("data"));
            out.println("# The manifests: two networks (one dual-stack), a namespace, two nodes, four pods.");
            out.println(Files.readString(manifests.resolve("cluster.yaml")));
            step(out, url, "# Apply them. Networks and the namespace are created before the pods that use them.",
                    "apply", "-f", manifests.resolve("cluster.yaml").toString());
            awaitAddresses(out, url, 4);
            step(out, url, "# Every pod has one address per network it joined, from its node's block (a /26 or /122 per node).",
                    "get", "pods", "-n", "shop", "-o", "wide");
            step(out, url, "# Networks and nodes.", "get", "networks");
            step(out, url, null, "get", "nodes");
            step(out, url, "# A pod on two networks has an interface on each, with the network's gateway.",
                    "describe", "pod", "db-1", "-n", "shop");
            step(out, url, "# Label selectors, as in Kubernetes.", "get", "pods", "-n", "shop", "-l", "tier in (frontend)");
            step(out, url, "# Bad input is refused with the file, line and field, and changes nothing.",
                    "apply", "-f", manifests.resolve("overlapping.yaml").toString());
            step(out, url, null, "apply", "-f", manifests.resolve("bad-pod.yaml").toString());
            step(out, url, "# Deleting a pod releases its addresses; the next pod may get them again.",
                    "delete", "pod", "web-2", "-n", "shop");
            step(out, url, null, "get", "pods", "-A");
            if (keep) {
                out.printf("%nThe server keeps running at %s. Try: ./drover --server %s get pods -A   (Ctrl-C to stop)%n", url, url);
                out.flush();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                server.awaitStop();
            }
            out.println("== Done. The server stops and its data directory is removed.");
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    /** The tour is the CLI's output; the server's own progress lines would only interleave with it. */
    private static void quietServerLog() {
        if (System.getenv("DROVER_LOG_LEVEL") == null && System.getProperty("DROVER_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private void step(PrintWriter out, String url, String comment, String... args) {
        if (comment != null) {
            out.println(comment);
        }
        out.println("$ drover " + String.join(" ", quoted(args)));
        out.flush();
        List<String> full = new ArrayList<>(List.of("--server", url));
        full.addAll(List.of(args));
        CommandLine cli = Main.commandLine();
        cli.setOut(out);
        cli.setErr(out);
        cli.execute(full.toArray(String[]::new));
        out.println();
        out.flush();
    }

    private static List<String> quoted(String[] args) {
        return Stream.of(args).map(a -> a.contains(" ") || a.contains("(") ? "'" + a + "'" : a).toList();
    }

    /** The IPAM controller works asynchronously; wait (bounded) until the pods carry their addresses. */
    private static void awaitAddresses(PrintWriter out, String url, int pods) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        var stdout = new java.io.StringWriter();
        while (System.nanoTime() < deadline) {
            stdout.getBuffer().setLength(0);
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(stdout));
            cli.setErr(new PrintWriter(new java.io.StringWriter()));
            cli.execute("--server", url, "get", "pods", "-A", "-o", "json");
            String json = stdout.toString();
            int allocated = json.split("\"Allocated\"", -1).length - 1;
            if (allocated >= pods) {
                return;
            }
            Thread.sleep(50);
        }
        out.println("(the pods did not all get addresses within 15 s; the listing shows where they stand)");
    }

    private static Path writeManifests(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("manifests"));
        write(dir.resolve("cluster.yaml"), """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec:
                  subnets: ["10.10.0.0/16", "fd00:10::/64"]
                  natOutgoing: true
                ---
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: red}
                spec:
                  subnets: ["10.20.0.0/24"]
                  mtu: 1450
                ---
                apiVersion: drover.io/v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: drover.io/v1
                kind: Node
                metadata: {name: node-1}
                spec: {address: 192.168.50.11}
                ---
                apiVersion: drover.io/v1
                kind: Node
                metadata: {name: node-2}
                spec: {address: 192.168.50.12}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-1, namespace: shop, labels: {app: web, tier: frontend}}
                spec:
                  node: node-1
                  networks: [blue]
                  ports: [{name: http, port: 80, protocol: TCP}]
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-2, namespace: shop, labels: {app: web, tier: frontend}}
                spec:
                  node: node-2
                  networks: [blue]
                  ports: [{name: http, port: 80, protocol: TCP}]
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: db-1, namespace: shop, labels: {app: db, tier: backend}}
                spec:
                  node: node-1
                  networks: [blue, red]
                  ports: [{name: pg, port: 5432, protocol: TCP}]
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: cache-1, namespace: shop, labels: {app: cache, tier: backend}}
                spec:
                  node: node-2
                  networks: [red]
                """);
        write(dir.resolve("overlapping.yaml"), """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: green}
                spec:
                  subnets: ["10.10.128.0/17"]
                """);
        write(dir.resolve("bad-pod.yaml"), """
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: broken, namespace: shop}
                spec:
                  node: node-1
                  networks: [blue]
                  ports:
                  - {name: http, port: 80}
                  - {name: http, port: 70000}
                """);
        return dir;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
