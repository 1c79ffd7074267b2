package io.drover.agent.desired;

import static io.drover.agent.TestObjects.addressed;
import static io.drover.agent.TestObjects.mode;
import static io.drover.agent.TestObjects.network;
import static io.drover.agent.TestObjects.pod;
import static io.drover.agent.TestObjects.withCreation;
import static io.drover.agent.TestObjects.withPorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.rules.BridgeNetwork;
import io.drover.agent.rules.PublishedPort;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeCalculatorTest {

    private static final String NODE = "node-1";
    private static final ManagedPodNamespaces NAMESPACES = ManagedPodNamespaces.withPrefix("drover-n1-");
    private static final Network BLUE = network("blue", true, 1450, "10.10.0.0/16", "fd00:10::/64");
    private static final Network RED = network("red", "10.20.0.0/16");

    private static DesiredNode compute(List<Network> networks, Pod... pods) {
        return NodeCalculator.compute(NODE, networks, List.of(pods), NAMESPACES);
    }

    private static Route defaultVia(String gateway, String device) {
        String dst = gateway.contains(":") ? "::/0" : "0.0.0.0/0";
        return new Route(Cidr.parse(dst), IpAddresses.parse(gateway), device, false);
    }

    @Test
    void aBridgePodGetsAVethOnTheNetworksBridgeWithItsAddressesAndDefaultRoutes() {
        Pod web = addressed(pod("shop", "web-1", NODE, "blue"), "blue=10.10.0.7/16", "blue=fd00:10::7/64");
        DesiredNode node = compute(List.of(BLUE, RED), web);

        assertThat(node.bridges()).containsExactly(new DesiredBridge("blue", "dr-blue", 1450,
                List.of(Address.parse("10.10.0.1/16"), Address.parse("fd00:10::1/64")), "drover:bridge/blue",
                InterfaceNames.bridgeMac("blue")));
        assertThat(node.namespaces()).containsExactly(new DesiredNamespace("shop/web-1", NAMESPACES.nameOf(web)));
        DesiredInterface eth0 = node.interfaces().getFirst();
        assertThat(node.interfaces()).hasSize(1);
        assertThat(eth0.pod()).isEqualTo("shop/web-1");
        assertThat(eth0.netns()).isEqualTo(NetNs.named(NAMESPACES.nameOf(web)));
        assertThat(eth0.podNamespaceOwned()).isTrue();
        assertThat(eth0.name()).isEqualTo("eth0");
        assertThat(eth0.bridge()).isEqualTo("dr-blue");
        assertThat(eth0.mtu()).isEqualTo(1450);
        assertThat(eth0.addresses()).containsExactly(Address.parse("10.10.0.7/16"), Address.parse("fd00:10::7/64"));
        assertThat(eth0.routes()).containsExactly(defaultVia("10.10.0.1", "eth0"), defaultVia("fd00:10::1", "eth0"));
        assertThat(eth0.alias()).isEqualTo("drover:shop/web-1/eth0");
        assertThat(node.sysctls()).containsOnlyKeys(NodeCalculator.IPV4_FORWARDING, NodeCalculator.IPV6_FORWARDING)
                .containsValue("1");
        assertThat(node.ruleNetworks()).containsExactly(new BridgeNetwork("blue", "dr-blue",
                List.of(Cidr.parse("10.10.0.0/16"), Cidr.parse("fd00:10::/64")), true));
        assertThat(node.ownedPrefix()).contains("drover-n1-p-");
        assertThat(node.waiting()).isEmpty();
        assertThat(node.nftScript()).contains("table inet drover");
    }

    @Test
    void aPodOnSeveralNetworksGetsOneInterfaceEachAndLeavesOnlyThroughEth0() {
        Pod pod = addressed(pod("shop", "multi", NODE, "red", "blue"),
                "red=10.20.0.5/16", "blue=10.10.0.5/16", "blue=fd00:10::5/64");
        DesiredNode node = compute(List.of(BLUE, RED), pod);

        assertThat(node.interfacesOf("shop/multi")).extracting(DesiredInterface::name, DesiredInterface::bridge)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eth0", "dr-red"),
                        org.assertj.core.groups.Tuple.tuple("eth1", "dr-blue"));
        DesiredInterface eth0 = node.interfaces().get(0);
        DesiredInterface eth1 = node.interfaces().get(1);
        assertThat(eth0.routes()).as("IPv4 only: eth0's network has no IPv6").containsExactly(defaultVia("10.20.0.1", "eth0"));
        assertThat(eth1.routes()).isEmpty();
        assertThat(eth1.addresses()).containsExactly(Address.parse("10.10.0.5/16"), Address.parse("fd00:10::5/64"));
        assertThat(eth0.mtu()).isEqualTo(1500);
        assertThat(eth1.mtu()).isEqualTo(1450);
        assertThat(eth0.hostName()).isNotEqualTo(eth1.hostName());
        assertThat(node.bridges()).extracting(DesiredBridge::name).containsExactly("dr-blue", "dr-red");
    }

    @Test
    void hostAndContainerModesGetNothingAndNoneModeOnlyItsNamespace() {
        Pod host = pod("shop", "h", mode(NODE, "host"));
        Pod none = pod("shop", "n", mode(NODE, "none"));
        Pod web = addressed(pod("shop", "web", NODE, "blue"), "blue=10.10.0.9/16");
        Pod sidecar = pod("shop", "side", mode(NODE, "container:web"));
        DesiredNode node = compute(List.of(BLUE), host, none, web, sidecar);

        assertThat(node.namespaces()).extracting(DesiredNamespace::pod).containsExactly("shop/n", "shop/web");
        assertThat(node.interfaces()).extracting(DesiredInterface::pod).containsExactly("shop/web");
        assertThat(node.waiting()).isEmpty();
    }

    @Test
    void aPodWithoutAddressesWaitsWithItsNamespaceMadeAndPodsOfOtherNodesAreIgnored() {
        Pod pending = pod("shop", "pending", NODE, "blue");
        Pod elsewhere = addressed(pod("shop", "far", "node-2", "blue"), "blue=10.10.0.8/16");
        Pod unknownNetwork = addressed(pod("shop", "lost", NODE, "green"), "green=10.30.0.2/16");
        DesiredNode node = compute(List.of(BLUE), pending, elsewhere, unknownNetwork);

        assertThat(node.interfaces()).isEmpty();
        assertThat(node.bridges()).isEmpty();
        assertThat(node.sysctls()).isEmpty();
        assertThat(node.namespaces()).extracting(DesiredNamespace::pod).containsExactly("shop/lost", "shop/pending");
        assertThat(node.waiting()).extracting(Waiting::pod).containsExactly("shop/lost", "shop/pending");
        assertThat(node.waiting().get(0).reason()).contains("network green");
        assertThat(node.waiting().get(1).reason()).contains("IPAM");
    }

    @Test
    void vethNamesAreShortStableAndDistinct() {
        Pod a = addressed(pod("shop", "a-pod-with-a-rather-long-name-indeed", NODE, "blue", "red"),
                "blue=10.10.0.2/16", "red=10.20.0.2/16");
        Pod b = addressed(pod("shop", "b", NODE, "blue"), "blue=10.10.0.3/16");
        DesiredNode first = compute(List.of(BLUE, RED), a, b);
        DesiredNode again = compute(List.of(RED, BLUE), b, a);

        assertThat(first.interfaces()).extracting(DesiredInterface::hostName)
                .allMatch(n -> n.length() <= InterfaceNames.MAX_LENGTH && n.matches("dv[0-9a-f]{10}"))
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(again.interfaces().stream().map(DesiredInterface::hostName).toList());
        assertThat(first).isEqualTo(again);

        // The same pod created again (new uid) gets new names, so they never collide with the old pair.
        Pod recreated = a.withMetadata(a.metadata().withServerFields("another-uid", null, null));
        assertThat(compute(List.of(BLUE, RED), recreated, b).interfaces().getFirst().hostName())
                .isNotEqualTo(first.interfaces().getFirst().hostName());
    }

    @Test
    void publishedPortsGoToEth0PerFamilyAndTheOlderPodKeepsAClashingPort() {
        Pod web = withCreation(withPorts(addressed(pod("shop", "web", NODE, "blue"), "blue=10.10.0.7/16", "blue=fd00:10::7/64"),
                new PodPort("http", 80, null, 8080, null)), "2026-01-01T00:00:00Z");
        Pod late = withCreation(withPorts(addressed(pod("shop", "a-late", NODE, "blue"), "blue=10.10.0.8/16"),
                new PodPort("http", 80, "TCP", 8080, null), new PodPort("dns", 53, "UDP", 5353, "192.168.1.5")),
                "2026-01-02T00:00:00Z");
        Pod side = withPorts(pod("shop", "side", mode(NODE, "container:web")), new PodPort("m", 9090, null, 9090, null));
        DesiredNode node = compute(List.of(BLUE), late, web, side);

        assertThat(node.publishedPorts()).containsExactlyInAnyOrder(
                new PublishedPort(null, 8080, "TCP", IpAddresses.parse("10.10.0.7"), 80, "shop/web"),
                new PublishedPort(null, 8080, "TCP", IpAddresses.parse("fd00:10::7"), 80, "shop/web"),
                new PublishedPort("192.168.1.5", 5353, "UDP", IpAddresses.parse("10.10.0.8"), 53, "shop/a-late"),
                new PublishedPort(null, 9090, "TCP", IpAddresses.parse("10.10.0.7"), 9090, "shop/side"),
                new PublishedPort(null, 9090, "TCP", IpAddresses.parse("fd00:10::7"), 9090, "shop/side"));
        assertThat(node.refusedPorts()).singleElement()
                .satisfies(c -> assertThat(c.refused().pod()).isEqualTo("shop/a-late"));
    }

    @Test
    void automaticHostPortsArePublishedLikeDeclaredOnesAndClashesGoToTheOlderPod() {
        Pod auto = withCreation(addressed(pod("shop", "auto", new io.drover.model.pod.PodSpec(NODE, null, List.of("blue"),
                List.of(new PodPort("http", 80, null, null, null), new PodPort("dns", 53, "UDP", null, "192.168.1.5")),
                true, null)), "blue=10.10.0.7/16", "blue=fd00:10::7/64"), "2026-01-01T00:00:00Z");
        auto = auto.withStatus(new io.drover.model.pod.PodStatus(io.drover.model.pod.PodStatus.ALLOCATED,
                auto.status().addresses(), List.of(new io.drover.model.pod.PodStatus.PublishedPort(80, "TCP", 32768, null),
                        new io.drover.model.pod.PodStatus.PublishedPort(53, "UDP", 32768, "192.168.1.5")), null));
        // A younger pod that declares the same host port does not get it.
        Pod late = withCreation(withPorts(addressed(pod("shop", "late", NODE, "blue"), "blue=10.10.0.8/16"),
                new PodPort("http", 80, null, 32768, null)), "2026-01-02T00:00:00Z");

        DesiredNode node = compute(List.of(BLUE), late, auto);

        assertThat(node.publishedPorts()).containsExactlyInAnyOrder(
                new PublishedPort(null, 32768, "TCP", IpAddresses.parse("10.10.0.7"), 80, "shop/auto"),
                new PublishedPort(null, 32768, "TCP", IpAddresses.parse("fd00:10::7"), 80, "shop/auto"),
                new PublishedPort("192.168.1.5", 32768, "UDP", IpAddresses.parse("10.10.0.7"), 53, "shop/auto"));
        assertThat(node.refusedPorts()).singleElement().satisfies(c -> {
            assertThat(c.refused().pod()).isEqualTo("shop/late");
            assertThat(c.kept().pod()).isEqualTo("shop/auto");
        });
        // The pod gone (or its ports no longer published): nothing of it is left in the node's rules.
        assertThat(compute(List.of(BLUE), late).publishedPorts()).extracting(PublishedPort::pod).containsOnly("shop/late");
    }

    @Test
    void aPodWithABadStatusIsLeftOutAloneWithTheReason() {
        Pod bad = pod("shop", "bad", NODE, "blue").withStatus(new io.drover.model.pod.PodStatus("Allocated",
                List.of(new io.drover.model.pod.PodStatus.PodAddress("blue", "eth0", "10.10.0.x", 16, null)), null));
        Pod badPort = withPorts(addressed(pod("shop", "port", NODE, "blue"), "blue=10.10.0.5/16"),
                new PodPort("p", 80, "TCP", 8080, "not-an-ip"));
        Pod good = addressed(pod("shop", "good", NODE, "blue"), "blue=10.10.0.6/16");
        DesiredNode node = compute(List.of(BLUE), bad, badPort, good);
        assertThat(node.interfaces()).extracting(DesiredInterface::pod).containsExactly("shop/good", "shop/port");
        assertThat(node.waiting()).extracting(Waiting::pod).containsExactly("shop/bad", "shop/port");
        assertThat(node.waiting().get(1).reason()).contains("port 8080");
    }

    @Test
    void explicitGatewaysAndPrefixesFromIpamAreUsed() {
        Network custom = Network.of(BLUE.metadata(), new io.drover.model.network.NetworkSpec(
                List.of("10.40.0.0/24"), List.of("10.40.0.254"), null, null, null, null));
        Pod pod = pod("shop", "gw", NODE, "blue").withStatus(new io.drover.model.pod.PodStatus("Allocated",
                List.of(new io.drover.model.pod.PodStatus.PodAddress("blue", "eth0", "10.40.0.9", null, "10.40.0.254")), null));
        DesiredNode node = compute(List.of(custom), pod);
        assertThat(node.bridges().getFirst().addresses()).containsExactly(Address.parse("10.40.0.254/24"));
        assertThat(node.interfaces().getFirst().addresses()).containsExactly(Address.parse("10.40.0.9/24"));
        assertThat(node.interfaces().getFirst().routes()).containsExactly(defaultVia("10.40.0.254", "eth0"));
    }

    @Test
    void namespacesFromARuntimeAreUsedAsGivenAndNeverCreated() {
        NetNs cni = new NetNs(java.nio.file.Path.of("/var/run/netns/cni-1234"));
        PodNamespaces runtime = new PodNamespaces() {
            @Override
            public NetNs namespaceOf(Pod pod) {
                return cni;
            }

            @Override
            public boolean createdByAgent(Pod pod) {
                return false;
            }

            @Override
            public Optional<String> ownedPrefix() {
                return Optional.empty();
            }
        };
        Pod pod = addressed(pod("shop", "c", NODE, "blue"), "blue=10.10.0.4/16");
        DesiredNode node = NodeCalculator.compute(NODE, List.of(BLUE), List.of(pod), runtime);
        assertThat(node.namespaces()).isEmpty();
        assertThat(node.ownedPrefix()).isEmpty();
        assertThat(node.interfaces().getFirst().netns()).isEqualTo(cni);
        assertThat(node.interfaces().getFirst().podNamespaceOwned()).isFalse();
    }

    @Test
    void aManagedNamespaceMustBeNamedWithTheOwnedPrefix() {
        PodNamespaces wrong = new PodNamespaces() {
            @Override
            public NetNs namespaceOf(Pod pod) {
                return NetNs.named("somebody-elses");
            }

            @Override
            public boolean createdByAgent(Pod pod) {
                return true;
            }

            @Override
            public Optional<String> ownedPrefix() {
                return Optional.of("drover-");
            }
        };
        assertThatThrownBy(() -> NodeCalculator.compute(NODE, List.of(), List.of(pod("shop", "x", mode(NODE, "none"))), wrong))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/run/netns/drover-");
    }

    /**
     * The agent keeps one memo across syncs: at every step of a node's life its result must be what a computation
     * from nothing gives, whatever changed (a pod's addresses, a network's MTU, a pod deleted and made again).
     */
    @Test
    void aMemoKeptAcrossComputationsGivesWhatAFreshComputationGives() {
        NodeCalculator.InterfaceMemo memo = new NodeCalculator.InterfaceMemo();
        Network blue = BLUE;
        Pod web = pod("shop", "web", NODE, "blue");
        Pod db = addressed(pod("shop", "db", NODE, "red", "blue"), "red=10.20.0.4/16", "blue=10.10.0.4/16");
        List<List<Object>> steps = List.of(
                List.of(blue, web),
                List.of(blue, web, db),
                List.of(blue, addressed(web, "blue=10.10.0.7/16"), db),
                List.of(network("blue", true, 1400, "10.10.0.0/16"), addressed(web, "blue=10.10.0.7/16"), db),
                List.of(network("blue", true, 1400, "10.10.0.0/16"), db),
                List.of(blue, addressed(pod("shop", "web", NODE, "blue"), "blue=10.10.0.8/16"), db),
                List.of(blue));
        for (List<Object> step : steps) {
            List<Network> networks = new java.util.ArrayList<>(List.of(RED));
            List<Pod> pods = new java.util.ArrayList<>();
            step.forEach(o -> {
                if (o instanceof Network n) {
                    networks.add(n);
                } else {
                    pods.add((Pod) o);
                }
            });
            DesiredNode remembered = NodeCalculator.compute(NODE, networks, pods, NAMESPACES,
                    CrossNodeConfig.SINGLE_HOST, List.of(), List.of(), memo);
            DesiredNode fresh = NodeCalculator.compute(NODE, networks, pods, NAMESPACES);
            assertThat(remembered).as("after %s", step).isEqualTo(fresh);
            assertThat(memo.size()).isLessThanOrEqualTo(pods.size());
        }
        List<Pod> pods = List.of(db);
        DesiredInterface first = NodeCalculator.compute(NODE, List.of(BLUE, RED), pods, NAMESPACES,
                CrossNodeConfig.SINGLE_HOST, List.of(), List.of(), memo).interfaces().getFirst();
        DesiredInterface again = NodeCalculator.compute(NODE, List.of(BLUE, RED), pods, NAMESPACES,
                CrossNodeConfig.SINGLE_HOST, List.of(), List.of(), memo).interfaces().getFirst();
        assertThat(again).as("an unchanged pod's interfaces are reused, not computed again").isSameAs(first);
    }
}
