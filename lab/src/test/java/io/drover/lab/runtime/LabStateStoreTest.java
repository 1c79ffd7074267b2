package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabStateStoreTest {

    @TempDir
    Path dir;

    private static LabState sample() {
        return LabState.create("demo", 2)
                .withNamespace("drl-demo-fabric")
                .withNamespace("drl-demo-node-1")
                .withServer("http://172.31.0.254:7443", "/run/drover/labs/demo/data")
                .withProcess(new LabState.ProcessRecord("agent-node-1", 1234, 5678, "drl-demo-node-1",
                        List.of("drover", "agent", "--node", "node-1"), "/run/drover/labs/demo/logs/agent-node-1.log"));
    }

    @Test
    void stateRoundTripsThroughItsFile() throws Exception {
        LabStateStore store = new LabStateStore(dir);
        assertThat(store.load("demo")).isEmpty();
        store.save(sample());
        assertThat(store.stateFile("demo")).isEqualTo(dir.resolve("demo.json"));
        assertThat(store.load("demo")).contains(sample());
        String json = Files.readString(store.stateFile("demo"));
        assertThat(json).contains("\"pid\" : 1234", "\"startTime\" : 5678", "\"serverUrl\" : \"http://172.31.0.254:7443\"");
        assertThat(store.labs()).containsExactly("demo");
        assertThat(store.delete("demo")).isTrue();
        assertThat(store.delete("demo")).isFalse();
        assertThat(store.load("demo")).isEmpty();
        assertThat(store.labs()).isEmpty();
    }

    @Test
    void topologyStoppedProcessesAndCutsRoundTrip() {
        LabStateStore store = new LabStateStore(dir);
        LabState.ProcessRecord agent = new LabState.ProcessRecord("agent-node-2", 1, 2, null, List.of("drover", "agent"), "log");
        LabState state = LabState.create("many", 3)
                .withTopology(new LabState.Topology("vxlan", "routed", "etcd",
                        List.of(new LabState.EtcdMember("etcd-1", "http://172.31.1.201:2379", "http://172.31.1.201:2380",
                                "http://127.0.0.1:40001", "/x/etcd/etcd-1")),
                        List.of(new LabState.Server("server-1", "server", "http://127.0.0.1:40002"),
                                new LabState.Server("server-2", "server-2", "http://127.0.0.1:40003")),
                        "http://127.0.0.1:40004"))
                .withProcess(agent)
                .withProcessReplaced(agent.asStopped())
                .withCut("node-3", true);
        store.save(state);
        LabState loaded = store.load("many").orElseThrow();
        assertThat(loaded).isEqualTo(state);
        assertThat(loaded.process("agent-node-2").orElseThrow().stopped()).isTrue();
        assertThat(loaded.processes()).hasSize(1);
        assertThat(loaded.cut()).containsExactly("node-3");
        assertThat(loaded.withCut("node-3", false).cut()).isEmpty();
        assertThat(loaded.servers()).extracting(LabState.Server::role).containsExactly("server", "server-2");
        assertThat(loaded.effectiveTopology().underlayKind()).isEqualTo(FabricLayout.Kind.ROUTED);
    }

    @Test
    void aStateWrittenBeforeTopologiesReadsAsAFlatEmbeddedLab() throws Exception {
        LabStateStore store = new LabStateStore(dir);
        Files.createDirectories(dir);
        Files.writeString(store.stateFile("old"), """
                {"name": "old", "nodes": 1, "serverUrl": "http://127.0.0.1:4000", "dataDir": null,
                 "namespaces": ["drl-old-fabric"],
                 "processes": [{"role": "server", "pid": 5, "startTime": 6, "namespace": null, "command": [], "log": "l"}]}
                """);
        LabState old = store.load("old").orElseThrow();
        assertThat(old.topology()).isNull();
        assertThat(old.effectiveTopology()).isEqualTo(LabState.Topology.DEFAULT);
        assertThat(old.cut()).isEmpty();
        assertThat(old.process("server").orElseThrow().stopped()).isFalse();
        assertThat(old.servers()).containsExactly(new LabState.Server("server-1", "server", "http://127.0.0.1:4000"));
    }

    @Test
    void updatesFromManyThreadsKeepEveryEntry() {
        LabStateStore store = new LabStateStore(dir);
        LabState initial = LabState.create("busy", 1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                String ns = "drl-busy-p-" + String.format("%010x", i);
                pool.submit(() -> store.update("busy", initial, s -> s.withNamespace(ns)));
            }
        }
        assertThat(store.load("busy").orElseThrow().namespaces()).hasSize(40);
    }

    @Test
    void aDamagedFileSaysHowToRecover() throws Exception {
        LabStateStore store = new LabStateStore(dir);
        Files.writeString(dir.resolve("demo.json"), "{\"name\": \"demo\", \"nodes\": ");
        assertThatThrownBy(() -> store.load("demo")).isInstanceOf(LabException.class)
                .hasMessageContaining("damaged").hasMessageContaining("drover lab down --name demo");
    }

    @Test
    void labDirectoryHoldsLogsAndGoesAway() throws Exception {
        LabStateStore store = new LabStateStore(dir);
        Files.createDirectories(store.logDir("demo"));
        Files.writeString(store.logDir("demo").resolve("server.log"), "hello");
        assertThat(store.logDir("demo")).isEqualTo(dir.resolve("demo/logs"));
        store.deleteLabDir("demo");
        assertThat(store.labDir("demo")).doesNotExist();
        store.deleteLabDir("demo");
    }

    @Test
    void defaultDirectoryDependsOnWhoRuns() {
        assertThat(LabStateStore.defaultDir(true, Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .isEqualTo(Path.of("/run/drover/labs"));
        assertThat(LabStateStore.defaultDir(false, Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .isEqualTo(Path.of("/run/user/1000/drover/labs"));
        assertThat(LabStateStore.defaultDir(false, Map.of()).toString()).endsWith("/labs");
    }

    @Test
    void invalidLabNamesAreRefused() {
        LabStateStore store = new LabStateStore(dir);
        assertThatThrownBy(() -> store.stateFile("../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}
