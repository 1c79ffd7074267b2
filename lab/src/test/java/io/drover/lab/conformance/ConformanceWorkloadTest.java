package io.drover.lab.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ManifestReader;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.ConformanceModel;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model made real through the API (the store-backed registry the server runs), its reset and its removal. */
class ConformanceWorkloadTest {

    @TempDir
    Path dir;

    SqliteKeyValueStore store;
    StoreResourceRegistry registry;
    ConformanceWorkload workload;

    @BeforeEach
    void setUp() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        workload = new ConformanceWorkload(registry);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void makesTheModelsNamespacesAndPodsSpreadOverTheNodesOnANetworkOfItsOwn() {
        workload.create(List.of("node-1", "node-2"));

        Network network = registry.get(Network.class, null, ConformanceWorkload.NETWORK).orElseThrow();
        assertThat(network.spec().subnets()).containsExactly("10.240.0.0/22");
        for (String ns : ConformanceModel.NAMESPACES) {
            assertThat(registry.get(Namespace.class, null, ns).orElseThrow().metadata().labels())
                    .isEqualTo(Map.of("ns", ns, Namespace.NAME_LABEL, ns));
        }
        List<Pod> pods = workload.pods();
        assertThat(pods).extracting(p -> NamespacedName.of(p)).containsExactlyElementsOf(ConformanceModel.podNames());
        assertThat(pods).extracting(p -> p.spec().node()).containsExactly("node-1", "node-2", "node-1", "node-2",
                "node-1", "node-2", "node-1", "node-2", "node-1");
        Pod xb = pods.get(1);
        assertThat(xb.metadata().labels()).isEqualTo(Map.of("pod", "b"));
        assertThat(xb.spec().networks()).containsExactly(ConformanceWorkload.NETWORK);
        assertThat(xb.spec().ports()).extracting(PodPort::name).containsExactly("serve-80-tcp", "serve-80-udp",
                "serve-80-sctp", "serve-81-tcp", "serve-81-udp", "serve-81-sctp");
        assertThat(xb.spec().ports()).extracting(PodPort::effectiveProtocol)
                .containsExactly("TCP", "UDP", "SCTP", "TCP", "UDP", "SCTP");
    }

    @Test
    void refusesToTakeOverNamespacesThatExist() {
        registry.create(Namespace.of(ObjectMeta.named("y"), null));
        registry.create(policy("y", "theirs", "{}"));

        assertThatThrownBy(() -> workload.create(List.of("node-1")))
                .isInstanceOf(ConformanceSetupException.class)
                .hasMessageContaining("namespace y exists already")
                .hasMessageContaining("without --lab");
        assertThat(registry.get(ResourceKind.NETWORK, null, ConformanceWorkload.NETWORK)).isEmpty();
        assertThat(workload.madeSomething()).isFalse();
        assertThat(workload.remove()).isEmpty();
        assertThat(registry.get(ResourceKind.NETWORK_POLICY, "y", "theirs")).as("not the run's to delete").isPresent();
    }

    @Test
    void aNetworkOfThatNameIsUsedAndLeftAndANewOneAvoidsTheSubnetsOfOthers() {
        registry.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.240.0.0/16")));
        assertThat(ConformanceWorkload.freeSubnet(List.of(registry.get(Network.class, null, "blue").orElseThrow())))
                .isNull();
        assertThat(ConformanceWorkload.freeSubnet(List.of(Network.of(ObjectMeta.named("red"),
                NetworkSpec.of("10.240.0.0/23"))))).isEqualTo("10.240.4.0/22");

        registry.create(Network.of(ObjectMeta.named(ConformanceWorkload.NETWORK), NetworkSpec.of("10.50.0.0/24")));
        workload.create(List.of("node-1"));
        assertThat(workload.remove()).isEmpty();
        assertThat(registry.get(ResourceKind.NETWORK, null, ConformanceWorkload.NETWORK)).isPresent();
    }

    @Test
    void theResetDeletesEveryPolicyOfTheRunAndRestoresTheLabels() {
        workload.create(List.of("node-1"));
        registry.create(policy("default", "theirs", "{}"));
        workload.createPolicy(policy("x", "deny", "{}"));
        workload.createPolicy(policy("default", "elsewhere", "{}"));
        workload.replacePolicy(policy("x", "deny", "{matchLabels: {pod: a}}"));
        assertThat(registry.get(NetworkPolicy.class, "x", "deny").orElseThrow().spec().podSelector().matchLabels())
                .isEqualTo(Map.of("pod", "a"));
        workload.addNamespaceLabels("y", Map.of("team", "blue", "ns", "changed"));
        workload.addPodLabels(NamespacedName.parse("x/b"), Map.of("role", "db"));
        assertThat(labels(ResourceKind.NAMESPACE, null, "y")).isEqualTo(Map.of("ns", "changed", "team", "blue",
                Namespace.NAME_LABEL, "y"));
        assertThat(labels(ResourceKind.POD, "x", "b")).isEqualTo(Map.of("pod", "b", "role", "db"));
        long revision = Long.parseLong(registry.get(ResourceKind.POD, "x", "a").orElseThrow().metadata().resourceVersion());

        workload.reset();

        assertThat(registry.list(ResourceKind.NETWORK_POLICY, null, null).items()).extracting(Resource::name)
                .as("only a policy the run did not write is left").containsExactly("theirs");
        assertThat(labels(ResourceKind.NAMESPACE, null, "y")).isEqualTo(Map.of("ns", "y", Namespace.NAME_LABEL, "y"));
        assertThat(labels(ResourceKind.POD, "x", "b")).isEqualTo(Map.of("pod", "b"));
        // What needs no change is not written (each write would make every agent look again).
        assertThat(Long.parseLong(registry.get(ResourceKind.POD, "x", "a").orElseThrow().metadata().resourceVersion()))
                .isEqualTo(revision);
    }

    @Test
    void removeDeletesEverythingTheRunMade() {
        workload.create(List.of("node-1", "node-2", "node-3"));
        workload.createPolicy(policy("z", "deny", "{}"));
        assertThat(workload.madeSomething()).isTrue();

        assertThat(workload.remove()).isEmpty();
        assertThat(workload.madeSomething()).isFalse();

        for (ResourceKind kind : List.of(ResourceKind.POD, ResourceKind.NETWORK_POLICY)) {
            assertThat(registry.list(kind, null, null).items()).isEmpty();
        }
        assertThat(registry.list(ResourceKind.NAMESPACE, null, null).items()).extracting(Resource::name)
                .containsExactly("default");
        assertThat(registry.get(ResourceKind.NETWORK, null, ConformanceWorkload.NETWORK)).isEmpty();
        assertThat(workload.remove()).as("a second removal finds nothing to do").isEmpty();
    }

    @Test
    void waitingForAddressesNamesThePodsWithoutOne() {
        workload.create(List.of("node-1"));
        FakeTicker ticker = new FakeTicker();

        assertThatThrownBy(() -> workload.awaitAddresses(Duration.ofSeconds(2), ticker))
                .isInstanceOf(ConformanceSetupException.class)
                .hasMessageStartingWith("pods without an address after 2 s: x/a, x/b, x/c, y/a");
    }

    private Map<String, String> labels(ResourceKind kind, String namespace, String name) {
        return registry.get(kind, namespace, name).orElseThrow().metadata().labels();
    }

    private static NetworkPolicy policy(String namespace, String name, String podSelector) {
        return (NetworkPolicy) ManifestReader.readSingle("test", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec: {podSelector: %s, policyTypes: [Ingress]}
                """.formatted(name, namespace, podSelector)).resource();
    }
}
