package io.drover.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.codec.ResourceCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real {@code drover server} process is killed with SIGKILL in the middle of 1,000 pod creations. After a
 * restart on the same data directory, every pod whose creation was acknowledged is there, every address seen
 * before the crash is unchanged, and no address is held by two pods.
 */
class ServerCrashTest {

    private static final int PODS = 1_000;
    private static final int KILL_AFTER_ACKS = 300;
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^ ]+) ");

    @TempDir
    Path data;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void killServers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void acknowledgedPodsAndTheirAddressesSurviveKillNine() throws Exception {
        Server first = startServer();
        post(first.url + "/apis/drover.io/v1/networks", """
                {"kind":"Network","apiVersion":"drover.io/v1","metadata":{"name":"crash"},"spec":{"subnets":["10.50.0.0/16","fd00:50::/64"]}}""");

        Map<String, List<String>> seenBeforeCrash = new ConcurrentHashMap<>();
        Thread watcher = Thread.ofVirtual().start(() -> recordAddresses(first.url, seenBeforeCrash));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (int c = 0; c < 8; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < PODS) {
                        String name = "pod-" + i;
                        try {
                            post(first.url + "/apis/drover.io/v1/namespaces/default/pods", """
                                    {"kind":"Pod","apiVersion":"drover.io/v1","metadata":{"name":"%s"},
                                     "spec":{"node":"node-%d","networks":["crash"]}}""".formatted(name, 1 + i % 3));
                            acknowledged.add(name);
                        } catch (IOException | RuntimeException e) {
                            return null; // the server is gone
                        }
                        if (acknowledged.size() >= KILL_AFTER_ACKS) {
                            first.process.destroyForcibly(); // SIGKILL, while the other clients are mid-request
                        }
                    }
                    return null;
                });
            }
        }
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        watcher.join(Duration.ofSeconds(10).toMillis());
        assertThat(acknowledged.size()).isBetween(KILL_AFTER_ACKS, PODS - 1);

        Server second = startServer();
        Map<String, List<String>> after = awaitAllAddressed(second.url, Duration.ofSeconds(60));

        assertThat(after.keySet()).containsAll(acknowledged);
        for (var seen : seenBeforeCrash.entrySet()) {
            assertThat(after.get(seen.getKey())).as("addresses of %s after the restart", seen.getKey())
                    .isEqualTo(seen.getValue());
        }
        Map<String, String> holder = new HashMap<>();
        for (var pod : after.entrySet()) {
            for (String ip : pod.getValue()) {
                String other = holder.put(ip, pod.getKey());
                assertThat(other).as("%s is held by %s and %s", ip, other, pod.getKey()).isNull();
            }
        }
        assertThat(seenBeforeCrash).as("the watch saw addresses before the crash").isNotEmpty();
        System.out.printf("crash test: %d creations acknowledged before SIGKILL, %d pods addressed before it, %d pods after the restart%n",
                acknowledged.size(), seenBeforeCrash.size(), after.size());
    }

    @Test
    void sigtermStopsTheServerGracefullyAndItsDataOpensAgain() throws Exception {
        Server first = startServer();
        post(first.url + "/apis/drover.io/v1/networks", """
                {"kind":"Network","apiVersion":"drover.io/v1","metadata":{"name":"term"},"spec":{"subnets":["10.60.0.0/24"]}}""");

        first.process.destroy(); // SIGTERM
        assertThat(first.process.waitFor(15, TimeUnit.SECONDS)).as("the server exits after SIGTERM").isTrue();
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (the graceful close) and exited on the signal.
        assertThat(first.process.exitValue()).isEqualTo(143);

        Server second = startServer();
        HttpResponse<String> network = http.send(HttpRequest.newBuilder(URI.create(second.url + "/apis/drover.io/v1/networks/term")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(network.statusCode()).isEqualTo(200);
        assertThat(network.body()).contains("10.60.0.0/24");
    }

    private record Server(Process process, String url) {}

    private Server startServer() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-DDROVER_LOG_LEVEL=WARN", "io.drover.cli.Main", "server",
                "--data", data.toString(), "--listen", "127.0.0.1:0")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        started.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return new Server(process, m.group(1));
            }
        }
        throw new IllegalStateException("the server did not start; exit code " + (process.isAlive() ? "(running)" : process.exitValue()));
    }

    /** Follows the pod watch and remembers each pod's addresses; ends when the server dies. */
    private void recordAddresses(String url, Map<String, List<String>> seen) {
        try {
            HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(url + "/apis/drover.io/v1/pods?watch=true&timeoutSeconds=120")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    JsonNode event = ResourceCodec.json().readTree(line);
                    List<String> ips = ips(event.path("object"));
                    if (!ips.isEmpty()) {
                        seen.put(event.path("object").path("metadata").path("name").asString(), ips);
                    }
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The server was killed: the watch ends here.
        }
    }

    private Map<String, List<String>> awaitAllAddressed(String url, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(url + "/apis/drover.io/v1/pods")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> result = new HashMap<>();
            boolean all = true;
            for (JsonNode pod : ResourceCodec.json().readTree(res.body()).path("items")) {
                List<String> ips = ips(pod);
                all &= ips.size() == 2;
                result.put(pod.path("metadata").path("name").asString(), ips);
            }
            if (all || System.nanoTime() > deadline) {
                assertThat(all).as("every pod addressed within %s", limit).isTrue();
                return result;
            }
            Thread.sleep(100);
        }
    }

    private static List<String> ips(JsonNode pod) {
        List<String> ips = new ArrayList<>();
        for (JsonNode a : pod.path("status").path("addresses")) {
            ips.add(a.path("ip").asString());
        }
        return ips;
    }

    private void post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new IllegalStateException("POST " + url + " answered " + res.statusCode() + ": " + res.body());
        }
    }
}
