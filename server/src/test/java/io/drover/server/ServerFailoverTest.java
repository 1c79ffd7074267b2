package io.drover.server;

import static io.drover.server.EtcdServers.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.store.etcd.testing.EtcdCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two servers on one etcd; the leader, a process of its own, is killed with SIGKILL while pods are being created
 * through both. The other server leads within 5 s, its controllers address the pods (also those created after the
 * failover), and every pod whose creation was acknowledged exists, with no address handed out twice.
 */
class ServerFailoverTest {

    private static final int PODS = 120;
    private static final int KILL_AFTER_ACKS = 30;
    private static final Duration HANDOVER = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private EtcdCluster etcd;
    private EtcdServers servers;
    private Process leaderProcess;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (leaderProcess != null) {
            leaderProcess.destroyForcibly();
            leaderProcess.waitFor(10, TimeUnit.SECONDS);
        }
        if (servers != null) {
            servers.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    /** A server in a JVM of its own (this test's class path), killed by its own PID only. */
    private int startServerProcess(String namespace) throws Exception {
        Path log = dir.resolve("leader.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), EtcdServerMain.class.getName(), etcd.endpoints(), namespace);
        leaderProcess = new ProcessBuilder(command).redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(leaderProcess.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("LISTENING ")) {
            throw new AssertionError("the server process did not start: " + line + "; its log: "
                    + java.nio.file.Files.readString(log));
        }
        String[] parts = line.split(" ");
        assertThat(parts[2]).as("the first server leads").isEqualTo("leader");
        return Integer.parseInt(parts[1]);
    }

    @Test
    void whenTheLeaderIsKilledAnotherLeadsWithin5sAndNoAcknowledgedWriteIsLost() throws Exception {
        etcd = EtcdCluster.start(1);
        servers = new EtcdServers(etcd);
        RestClient doomed = new RestClient(startServerProcess(servers.namespace));
        DroverServer survivor = servers.start();
        RestClient rest = new RestClient(survivor.port());
        assertThat(survivor.isLeader()).isFalse();
        assertThat(EtcdServers.readyz(rest).path("currentLeader").path("pid").asLong()).isEqualTo(leaderProcess.pid());
        assertThat(doomed.post(API + "/networks", ServerFixture.network("blue", "10.70.0.0/16")).status()).isEqualTo(201);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger acks = new AtomicInteger();
        long[] killedAt = new long[1];
        try (ExecutorService clients = Executors.newFixedThreadPool(6)) {
            for (int c = 0; c < 6; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < PODS) {
                        String name = "pod-" + i;
                        RestClient target = i % 2 == 0 ? doomed : rest;
                        try {
                            if (target.post(API + "/namespaces/default/pods",
                                    ServerFixture.pod(null, name, "", EtcdServers.podSpec("blue"))).status() == 201) {
                                acknowledged.add(name);
                                if (acks.incrementAndGet() == KILL_AFTER_ACKS) {
                                    synchronized (killedAt) {
                                        leaderProcess.destroyForcibly(); // SIGKILL to its own PID
                                        killedAt[0] = System.nanoTime();
                                    }
                                }
                            }
                        } catch (RuntimeException e) {
                            // The killed server does not answer: not acknowledged.
                        }
                    }
                    return null;
                });
            }
        }
        assertThat(leaderProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(HANDOVER).pollInterval(Duration.ofMillis(20)).until(survivor::isLeader);
        Duration handover;
        synchronized (killedAt) {
            handover = Duration.ofNanos(System.nanoTime() - killedAt[0]);
        }
        assertThat(handover).as("a new leader within %s of the kill", HANDOVER).isLessThan(HANDOVER);

        // The new leader's controllers work: a pod created now gets its address.
        assertThat(rest.post(API + "/namespaces/default/pods",
                ServerFixture.pod(null, "after-failover", "", EtcdServers.podSpec("blue"))).status()).isEqualTo(201);
        EtcdServers.awaitAddress(rest, "default", "after-failover", Duration.ofSeconds(10));

        // Every acknowledged pod is there, and all of them get one address each, none twice.
        assertThat(acknowledged.size()).isGreaterThanOrEqualTo(KILL_AFTER_ACKS);
        Set<String> existing = new HashSet<>();
        for (JsonNode item : rest.get(API + "/namespaces/default/pods").json().path("items")) {
            existing.add(item.path("metadata").path("name").asString());
        }
        assertThat(existing).containsAll(acknowledged);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode item : rest.get(API + "/namespaces/default/pods").json().path("items")) {
                if (item.path("status").path("addresses").size() != 1) {
                    return false;
                }
            }
            return true;
        });
        List<String> ips = new ArrayList<>();
        for (JsonNode item : rest.get(API + "/namespaces/default/pods").json().path("items")) {
            ips.add(item.path("status").path("addresses").get(0).path("ip").asString());
        }
        assertThat(ips).hasSize(existing.size()).doesNotHaveDuplicates();
    }
}
