package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault verbs' names and lab choice (their effects are in the CLI's end-to-end tests). */
class LabFaultsTest {

    @TempDir
    Path dir;

    private static final LabState ETCD_LAB = LabState.create("f", 3).withServer("http://127.0.0.1:1", null)
            .withTopology(new LabState.Topology("vxlan", "flat", "etcd",
                    List.of(new LabState.EtcdMember("etcd-1", "c", "p", "r", "d"),
                            new LabState.EtcdMember("etcd-2", "c", "p", "r", "d"),
                            new LabState.EtcdMember("etcd-3", "c", "p", "r", "d")),
                    List.of(new LabState.Server("server-1", "server", "http://127.0.0.1:1"),
                            new LabState.Server("server-2", "server-2", "http://127.0.0.1:2")), null));

    @Test
    void namesAreTakenWithOrWithoutTheirKind() {
        assertThat(LabFaults.node(ETCD_LAB, "node-2")).isEqualTo("node-2");
        assertThat(LabFaults.node(ETCD_LAB, "3")).isEqualTo("node-3");
        assertThat(LabFaults.member(ETCD_LAB, "etcd-2").name()).isEqualTo("etcd-2");
        assertThat(LabFaults.member(ETCD_LAB, "1").name()).isEqualTo("etcd-1");
        assertThat(LabFaults.server(ETCD_LAB, "2").role()).isEqualTo("server-2");
        assertThat(LabFaults.server(ETCD_LAB, "server-1").role()).isEqualTo("server");
    }

    @Test
    void unknownNamesListWhatTheLabHas() {
        assertThatThrownBy(() -> LabFaults.node(ETCD_LAB, "node-4")).isInstanceOf(LabException.class)
                .hasMessage("lab f has no node node-4: its nodes are node-1 to node-3");
        assertThatThrownBy(() -> LabFaults.node(ETCD_LAB, "etcd-1")).hasMessageContaining("is not a node: write node-N");
        assertThatThrownBy(() -> LabFaults.node(ETCD_LAB, "web")).hasMessageContaining("is not a node");
        assertThatThrownBy(() -> LabFaults.member(ETCD_LAB, "etcd-4"))
                .hasMessage("lab f has no etcd member etcd-4: its members are etcd-1, etcd-2, etcd-3");
        assertThatThrownBy(() -> LabFaults.server(ETCD_LAB, "3"))
                .hasMessageContaining("lab f has no server 3: its servers are server-1, server-2");
        LabState embedded = LabState.create("e", 1).withServer("http://127.0.0.1:1", "d");
        assertThatThrownBy(() -> LabFaults.member(embedded, "etcd-1"))
                .hasMessageContaining("lab e has no etcd members: it keeps its state in the embedded store");
        assertThat(LabFaults.server(embedded, "1").role()).isEqualTo(LabLauncher.SERVER_ROLE);
    }

    @Test
    void theLabIsTheNamedOneOrTheOnlyOne() {
        LabStateStore store = new LabStateStore(dir);
        assertThatThrownBy(() -> LabFaults.choose(store, null)).hasMessageContaining("no lab is on this machine");
        store.save(ETCD_LAB);
        assertThat(LabFaults.choose(store, null).name()).isEqualTo("f");
        store.save(LabState.create("g", 1));
        assertThatThrownBy(() -> LabFaults.choose(store, null)).hasMessageContaining("several labs are on this machine (f, g)");
        assertThat(LabFaults.choose(store, "g").name()).isEqualTo("g");
        assertThatThrownBy(() -> LabFaults.choose(store, "h")).hasMessageContaining("there is no lab h on this machine");
    }

    @Test
    void aProcessNeverStartedCannotBeStopped() {
        LabStateStore store = new LabStateStore(dir);
        store.save(ETCD_LAB);
        LabFaults faults = new LabFaults(null, store, Duration.ofSeconds(1));
        assertThatThrownBy(() -> faults.nodeStop(ETCD_LAB, "node-1")).isInstanceOf(LabException.class)
                .hasMessageContaining("the agent of node-1 of lab f has no recorded process");
    }

    @Test
    void teardownStopsAgentsThenServersThenTheStore() {
        assertThat(LabTeardown.tier("agent-node-1")).isZero();
        assertThat(LabTeardown.tier("pod-x")).isZero();
        assertThat(LabTeardown.tier("server")).isEqualTo(1);
        assertThat(LabTeardown.tier("server-2")).isEqualTo(1);
        assertThat(LabTeardown.tier("etcd-3")).isEqualTo(2);
        assertThat(LabTeardown.tier("relay")).isEqualTo(2);
    }
}
