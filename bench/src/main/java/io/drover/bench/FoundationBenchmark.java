package io.drover.bench;

import io.drover.model.codec.ResourceCodec;
import io.drover.server.DroverServer;
import io.drover.server.ServerOptions;
import io.drover.store.Compare;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.Txn;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Pod creations per second through the REST API, counted until every pod has its address, beside an anchor
 * measured in the same run on the same disk: the rate of durable single-key compare-and-swap writes the
 * store itself sustains at the same concurrency. A pod costs at least three such writes (the pod, its
 * address block and its status), so the ratio shows how much of the store's capacity the API path uses.
 */
public final class FoundationBenchmark {

    private static final int CLIENTS = Integer.getInteger("clients", 16);

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Path work = Files.createTempDirectory("drover-bench-foundation-");
        try {
            double anchor = storeCasPerSecond(work.resolve("anchor"), pods * 3);
            double podsPerSecond = podsPerSecond(work.resolve("server"), pods);
            System.out.printf("foundation.anchor.store_cas_per_second = %.0f%n", anchor);
            System.out.printf("foundation.pods_per_second = %.0f%n", podsPerSecond);
            System.out.printf("foundation.ratio.pod_writes_to_store_cas = %.2f  (3 writes per pod / anchor)%n", podsPerSecond * 3 / anchor);
            System.out.printf("foundation.target_met = %s  (target: >= 1000 pods/s)%n", podsPerSecond >= 1000);
        } finally {
            deleteTree(work);
        }
    }

    static double storeCasPerSecond(Path dir, int writes) throws Exception {
        try (KeyValueStore store = SqliteKeyValueStore.open(dir);
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            AtomicInteger next = new AtomicInteger();
            byte[] value = new byte[600];
            long start = System.nanoTime();
            Future<?>[] futures = new Future<?>[CLIENTS];
            for (int c = 0; c < CLIENTS; c++) {
                futures[c] = pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < writes) {
                        String key = "/bench/" + i;
                        store.txn(Txn.when(Compare.absent(key)).then(Op.put(key, value)));
                    }
                    return null;
                });
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return writes / seconds(start);
        }
    }

    static double podsPerSecond(Path dir, int pods) throws Exception {
        try (DroverServer server = DroverServer.start(ServerOptions.embedded(dir, "127.0.0.1", 0));
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            String base = "http://127.0.0.1:" + server.port() + "/apis/drover.io/v1";
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            post(http, base + "/networks", """
                    {"apiVersion":"drover.io/v1","kind":"Network","metadata":{"name":"bench"},"spec":{"subnets":["10.200.0.0/16"]}}""");
            for (int n = 1; n <= 4; n++) {
                post(http, base + "/nodes", """
                        {"apiVersion":"drover.io/v1","kind":"Node","metadata":{"name":"node-%d"}}""".formatted(n));
            }
            // Warm the JIT and connection pools so the measurement is of the steady state.
            long version = currentVersion(http, base);
            createPods(http, pool, base, "warm", 500);
            awaitAllocated(http, base, version, 500, Duration.ofSeconds(60));

            version = currentVersion(http, base);
            long start = System.nanoTime();
            createPods(http, pool, base, "pod", pods);
            awaitAllocated(http, base, version, pods, Duration.ofSeconds(120));
            return pods / seconds(start);
        }
    }

    private static void createPods(HttpClient http, ExecutorService pool, String base, String prefix, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Future<?>[] futures = new Future<?>[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            futures[c] = pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    post(http, base + "/namespaces/default/pods", """
                            {"apiVersion":"drover.io/v1","kind":"Pod","metadata":{"name":"%s-%d","labels":{"app":"bench"}},
                             "spec":{"node":"node-%d","networks":["bench"]}}""".formatted(prefix, i, 1 + i % 4));
                }
                return null;
            });
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /**
     * Follows a pod watch (started before the pods are created) until {@code expected} pods carry an address.
     * A watch rather than polling the list, so that the measurement does not pay for re-reading every pod.
     */
    private static void awaitAllocated(HttpClient http, String base, long fromVersion, int expected, Duration limit) throws Exception {
        HttpResponse<java.io.InputStream> res = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/pods?watch=true&resourceVersion=" + fromVersion + "&timeoutSeconds=" + limit.toSeconds())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        java.util.Set<String> allocated = new java.util.HashSet<>();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String line;
            while (allocated.size() < expected && (line = lines.readLine()) != null) {
                JsonNode pod = ResourceCodec.json().readTree(line).path("object");
                if (!pod.path("status").path("addresses").isEmpty()) {
                    allocated.add(pod.path("metadata").path("name").asString());
                }
            }
        }
        if (allocated.size() < expected) {
            throw new IllegalStateException("only " + allocated.size() + " of " + expected + " pods were allocated within " + limit);
        }
    }

    private static long currentVersion(HttpClient http, String base) throws Exception {
        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base + "/nodes")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return Long.parseLong(ResourceCodec.json().readTree(res.body()).path("metadata").path("resourceVersion").asString());
    }

    private static void post(HttpClient http, String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new IllegalStateException("POST " + url + " answered " + res.statusCode() + ": " + res.body());
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
