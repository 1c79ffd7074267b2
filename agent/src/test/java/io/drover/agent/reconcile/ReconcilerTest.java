package io.drover.agent.reconcile;

import io.drover.agent.desired.Ownership;
import io.drover.agent.desired.LoadBalancerAnnouncements;
import static io.drover.agent.TestObjects.addressed;
import static io.drover.agent.TestObjects.mode;
import static io.drover.agent.TestObjects.network;
import static io.drover.agent.TestObjects.pod;
import static io.drover.agent.TestObjects.withPorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.desired.NodeCalculator;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FakeKernel;
import io.drover.agent.kernel.FakeKernel.Call;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.ServiceEndpoint;
import io.drover.agent.rules.ServiceNodeConfig;
import io.drover.agent.rules.ServiceRuleInput;
import io.drover.agent.rules.ServiceRules;
import io.drover.agent.rules.ProgrammedTable;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final String NODE = "node-1";
    private static final NetNs SELF = NetNs.SELF;
    private static final ManagedPodNamespaces NAMESPACES = ManagedPodNamespaces.withPrefix("drover-n1-");
    private static final Network BLUE = network("blue", true, 1450, "10.10.0.0/16", "fd00:10::/64");
    private static final Network RED = network("red", "10.20.0.0/16");
    private static final Pod WEB = addressed(pod("shop", "web", NODE, "blue"), "blue=10.10.0.7/16", "blue=fd00:10::7/64");
    private static final Pod API = addressed(pod("shop", "api", NODE, "blue", "red"),
            "blue=10.10.0.8/16", "blue=fd00:10::8/64", "red=10.20.0.8/16");
    private static final Pod DB = addressed(pod("shop", "db", NODE, "red"), "red=10.20.0.9/16");

    private final FakeKernel kernel = new FakeKernel();
    private Reconciler reconciler = new Reconciler(kernel);

    private static DesiredNode desired(Pod... pods) {
        return desired(NAMESPACES, pods);
    }

    private static DesiredNode desired(PodNamespaces namespaces, Pod... pods) {
        return NodeCalculator.compute(NODE, List.of(BLUE, RED), List.of(pods), namespaces);
    }

    private SyncResult syncOk(DesiredNode desired) {
        SyncResult result = reconciler.sync(desired);
        assertThat(result.errors()).as("errors of the sync").isEmpty();
        return result;
    }

    private static NetNs netns(Pod pod) {
        return NAMESPACES.namespaceOf(pod);
    }

    private static DesiredInterface iface(DesiredNode node, Pod pod, int index) {
        return node.interfacesOf(pod.metadata().namespace() + "/" + pod.name()).get(index);
    }

    private static Route defaultVia(String gateway) {
        return new Route(Cidr.parse(gateway.contains(":") ? "::/0" : "0.0.0.0/0"), IpAddresses.parse(gateway), "eth0", false);
    }

    /** The node as the desired state says, read through the fake's inspection methods. */
    private void assertPlumbed(DesiredNode node) {
        for (var b : node.bridges()) {
            Link link = kernel.link(SELF, b.name()).orElseThrow();
            assertThat(link.kind()).isEqualTo("bridge");
            assertThat(link.up()).isTrue();
            assertThat(link.mtu()).isEqualTo(b.mtu());
            assertThat(link.alias()).isEqualTo(b.alias());
            assertThat(kernel.addressesOf(SELF, b.name())).containsAll(b.addresses());
        }
        for (var n : node.namespaces()) {
            assertThat(kernel.link(n.netns(), "lo")).get().extracting(Link::up).isEqualTo(true);
        }
        for (DesiredInterface i : node.interfaces()) {
            Link host = kernel.link(SELF, i.hostName()).orElseThrow();
            assertThat(host.master()).isEqualTo(i.bridge());
            assertThat(host.up()).isTrue();
            assertThat(host.mtu()).isEqualTo(i.mtu());
            assertThat(host.alias()).isEqualTo(i.alias());
            assertThat(kernel.hairpin(SELF, i.hostName())).isTrue();
            assertThat(kernel.peer(SELF, i.hostName())).contains(new FakeKernel.LinkRef(i.netns(), i.name()));
            Link pod = kernel.link(i.netns(), i.name()).orElseThrow();
            assertThat(pod.up()).isTrue();
            assertThat(pod.mtu()).isEqualTo(i.mtu());
            assertThat(kernel.addressesOf(i.netns(), i.name())).containsAll(i.addresses());
            assertThat(kernel.staticRoutes(i.netns()).stream().filter(r -> i.name().equals(r.device())).toList())
                    .containsExactlyInAnyOrderElementsOf(i.routes());
        }
        node.sysctls().forEach((k, v) -> assertThat(kernel.sysctlValue(SELF, k)).isEqualTo(v));
        assertThat(node.rules().isProgrammed(ProgrammedTable.parse(kernel.listNftTable(SELF, "inet", "drover")))).isTrue();
    }

    @Test
    void anEndpointLeavingAUdpServiceHasItsConntrackEntriesDeletedAfterTheRulesChanged() {
        ServiceNodeConfig config = new ServiceNodeConfig(List.of(Cidr.parse("10.96.0.0/16")), List.of(), List.of());
        ServiceEndpoint web = new ServiceEndpoint(IpAddresses.parse("10.10.0.7"), 53, true, true, 1);
        ServiceEndpoint api = new ServiceEndpoint(IpAddresses.parse("10.10.0.8"), 53, true, true, 1);
        syncOk(desired(WEB, API).withServices(ServiceRules.of(config, List.of(dns(web, api)))));
        assertThat(kernel.writes()).noneMatch(c -> c.is("deleteUdpConntrack"));

        syncOk(desired(WEB, API).withServices(ServiceRules.of(config, List.of(dns(api)))));

        List<Call> writes = kernel.writes();
        int rules = indexOf(writes, c -> c.is("applyNftables") && c.ns().equals(SELF) && writes.indexOf(c) > 0
                && c.mentions("10.10.0.7"));
        int flush = indexOf(writes, c -> c.is("deleteUdpConntrack") && c.mentions("10.10.0.7"));
        assertThat(flush).as("the gone endpoint's entries are deleted, after the rules changed").isGreaterThan(rules);
        assertThat(writes).filteredOn(c -> c.is("deleteUdpConntrack")).hasSize(1)
                .allMatch(c -> c.mentions("10.96.0.53") && !c.mentions("10.10.0.8"));
    }

    private static ServiceRuleInput dns(ServiceEndpoint... endpoints) {
        return new ServiceRuleInput("infra", "dns", "", "UDP", 53, List.of(IpAddresses.parse("10.96.0.53")), 0, List.of(),
                List.of(), List.of(), ServiceRuleInput.TrafficPolicy.CLUSTER, ServiceRuleInput.TrafficPolicy.CLUSTER, null,
                ServiceRuleInput.Algorithm.RANDOM, List.of(endpoints));
    }

    @Test
    void fromAnEmptyKernelEverythingIsMadeInOrder() {
        DesiredNode node = desired(WEB, API, DB);
        SyncResult result = syncOk(node);

        assertPlumbed(node);
        assertThat(result.changed()).isTrue();
        assertThat(iface(node, WEB, 0).routes()).containsExactly(defaultVia("10.10.0.1"), defaultVia("fd00:10::1"));
        assertThat(kernel.nftScripts(SELF)).hasSize(1);

        // Bridge before veth, veth before addresses, addresses before routes.
        List<Call> writes = kernel.writes();
        String hostEnd = iface(node, WEB, 0).hostName();
        int bridge = indexOf(writes, c -> c.is("createBridge") && c.mentions("dr-blue"));
        int veth = indexOf(writes, c -> c.is("createVethPair") && c.mentions(hostEnd));
        int address = indexOf(writes, c -> c.is("addAddress") && c.mentions("10.10.0.7"));
        int route = indexOf(writes, c -> c.is("addRoute") && c.mentions("10.10.0.1") && c.ns().equals(netns(WEB)));
        int namespace = indexOf(writes, c -> c.is("createNamespace") && c.mentions(NAMESPACES.nameOf(WEB)));
        assertThat(List.of(namespace, bridge, veth, address, route)).isSorted().doesNotContain(-1);
    }

    @Test
    void aSecondSyncWithTheSameDesiredStateWritesNothing() {
        DesiredNode node = desired(WEB, API, DB);
        syncOk(node);
        kernel.clearCalls();

        SyncResult again = syncOk(node);
        assertThat(again.applied()).isEmpty();
        assertThat(kernel.writes()).isEmpty();
        assertThat(kernel.calls()).noneMatch(c -> c.is("listNftTable")).as("known rules are not read back");
    }

    @Test
    void driftIsRepaired() {
        DesiredNode node = desired(WEB, API);
        syncOk(node);
        DesiredInterface web = iface(node, WEB, 0);
        DesiredInterface api1 = iface(node, API, 1);
        kernel.deleteAddress(web.netns(), "eth0", Address.parse("10.10.0.7/16"));
        kernel.deleteRoute(web.netns(), defaultVia("fd00:10::1"));
        kernel.setMtu(SELF, web.hostName(), 9000);
        kernel.setMtu(api1.netns(), "eth1", 1280);
        kernel.setMaster(SELF, api1.hostName(), null);
        kernel.setUp(SELF, "dr-blue", false);
        kernel.setUp(iface(node, API, 0).netns(), "eth0", false);
        kernel.setUp(web.netns(), "lo", false);
        kernel.addAddress(web.netns(), "eth0", Address.parse("10.10.99.99/16"));
        kernel.setSysctl(SELF, NodeCalculator.IPV4_FORWARDING, "0");
        kernel.clearCalls();

        // The periodic resync compares everything with the kernel.
        reconciler.forgetVerifiedState();
        SyncResult repair = syncOk(node);
        assertThat(repair.changed()).isTrue();
        assertPlumbed(node);
        assertThat(kernel.addressesOf(web.netns(), "eth0")).doesNotContain(Address.parse("10.10.99.99/16"));
        assertThat(kernel.writes()).noneMatch(c -> c.is("createVethPair") || c.is("createBridge") || c.is("deleteLink"))
                .as("drift is repaired in place, nothing is made again");

        kernel.clearCalls();
        syncOk(node);
        assertThat(kernel.writes()).isEmpty();
    }

    @Test
    void driftOnTheNodeIsRepairedByTheNextSyncAndInsidePodsByTheResync() {
        DesiredNode node = desired(WEB, API);
        syncOk(node);
        syncOk(node);
        DesiredInterface web = iface(node, WEB, 0);
        DesiredInterface api1 = iface(node, API, 1);
        kernel.setMtu(SELF, web.hostName(), 9000);
        kernel.setMaster(SELF, api1.hostName(), null);
        kernel.setUp(SELF, "dr-blue", false);
        kernel.deleteAddress(web.netns(), "eth0", Address.parse("10.10.0.7/16"));

        syncOk(node);
        assertThat(kernel.link(SELF, web.hostName()).orElseThrow().mtu()).isEqualTo(web.mtu());
        assertThat(kernel.link(SELF, api1.hostName()).orElseThrow().master()).isEqualTo(api1.bridge());
        assertThat(kernel.link(SELF, "dr-blue").orElseThrow().up()).isTrue();

        reconciler.forgetVerifiedState();
        syncOk(node);
        assertPlumbed(node);
    }

    @Test
    void aSyncReadsOnlyThePodNamespacesThatChanged() {
        DesiredNode before = desired(WEB, API);
        syncOk(before);
        syncOk(before); // the first sync changed every namespace, so this one reads them once more and verifies them
        assertThat(reconciler.verifiedNamespaces()).isEqualTo(2);

        kernel.clearCalls();
        DesiredNode after = desired(WEB, API, DB);
        syncOk(after);
        NetNs db = netns(DB);
        assertThat(kernel.calls()).filteredOn(c -> c.ns() != null && !c.ns().equals(SELF) && !c.write())
                .as("reads of pod namespaces").allMatch(c -> c.ns().equals(db));
        assertPlumbed(after);

        kernel.clearCalls();
        syncOk(after);
        assertThat(kernel.writes()).isEmpty();
        assertThat(kernel.calls()).filteredOn(c -> c.ns() != null && !c.ns().equals(SELF) && !c.write())
                .as("reads of pod namespaces after the new pod was confirmed").allMatch(c -> c.ns().equals(db));
        kernel.clearCalls();
        syncOk(after);
        assertThat(kernel.calls()).filteredOn(c -> c.ns() != null && !c.ns().equals(SELF)).isEmpty();
    }

    @Test
    void aWrongDefaultRouteIsReplaced() {
        DesiredNode node = desired(WEB);
        syncOk(node);
        NetNs ns = netns(WEB);
        kernel.deleteRoute(ns, defaultVia("10.10.0.1"));
        kernel.addRoute(ns, defaultVia("10.10.0.254"));
        syncOk(node);
        assertThat(kernel.staticRoutes(ns)).contains(defaultVia("10.10.0.1")).doesNotContain(defaultVia("10.10.0.254"));
    }

    @Test
    void aRestartedReconcilerAdoptsAMatchingKernelWithoutWriting() {
        DesiredNode node = desired(WEB, API, DB);
        syncOk(node);
        kernel.clearCalls();

        reconciler = new Reconciler(kernel);
        SyncResult adopted = syncOk(node);
        assertThat(adopted.applied()).isEmpty();
        assertThat(kernel.writes()).isEmpty();
        assertThat(kernel.calls()).anyMatch(c -> c.is("listNftTable")).as("the rules in the kernel were compared");
    }

    @Test
    void aRestartedReconcilerChangesOnlyWhatChangedMeanwhile() {
        syncOk(desired(WEB, API, DB));
        kernel.clearCalls();

        reconciler = new Reconciler(kernel);
        DesiredNode onlyWeb = desired(WEB);
        syncOk(onlyWeb);
        assertPlumbed(onlyWeb);
        assertThat(kernel.writes()).extracting(Call::method).containsOnly("deleteLink", "deleteNamespace", "applyNftables");
        String script = kernel.nftScripts(SELF).getLast();
        assertThat(script).contains("delete element").doesNotContain("delete table")
                .as("the rules are changed element by element, not rewritten");
    }

    @Test
    void whatIsNoLongerWantedIsRemoved() {
        DesiredNode all = desired(WEB, API, DB);
        syncOk(all);
        String dbHost = iface(all, DB, 0).hostName();
        String apiRedHost = iface(all, API, 1).hostName();

        DesiredNode withoutDb = desired(WEB, API);
        syncOk(withoutDb);
        assertThat(kernel.link(SELF, dbHost)).isEmpty();
        assertThat(kernel.hasNamespace(netns(DB))).isFalse();
        assertThat(kernel.link(SELF, "dr-red")).as("api still uses red").isPresent();

        DesiredNode onlyWeb = desired(WEB);
        syncOk(onlyWeb);
        assertThat(kernel.link(SELF, apiRedHost)).isEmpty();
        assertThat(kernel.link(SELF, "dr-red")).as("no pod on red any more").isEmpty();
        assertThat(kernel.nftElements(SELF, "inet", "drover", "bridges")).containsExactly("\"dr-blue\"");
        assertPlumbed(onlyWeb);

        syncOk(desired());
        assertThat(kernel.linkNames(SELF)).containsExactly("lo");
        assertThat(kernel.namespaces()).isEmpty();
        assertThat(kernel.nftElements(SELF, "inet", "drover", "bridges")).isEmpty();
    }

    @Test
    void foreignLinksAreLeftAloneAndAForeignLinkHoldingABridgeNameIsReported() {
        kernel.addLink(SELF, "eth0", "veth", 1500, null);
        kernel.addLink(SELF, "vx-blue", "vxlan", 1450, "drover:vxlan/blue");
        kernel.addLink(SELF, "dr-red", "bridge", 1500, null);
        kernel.addLink(SELF, "docker0", "bridge", 1500, "drover:bridge/docker");
        kernel.clearCalls();

        SyncResult result = reconciler.sync(desired(WEB, DB));

        assertThat(result.errors()).extracting(SyncError::object)
                .containsExactlyInAnyOrder("bridge dr-red", "pod shop/db eth0");
        assertThat(result.errors().getFirst().message()).contains("not made by Drover");
        assertThat(kernel.link(SELF, iface(desired(WEB, DB), WEB, 0).hostName())).as("web is plumbed").isPresent();
        // (The rules name dr-red: the network is wanted, only its bridge is blocked.)
        assertThat(kernel.writes()).filteredOn(c -> !c.is("applyNftables"))
                .noneMatch(c -> c.ns() == SELF && c.mentions("eth0") && !c.is("createVethPair"))
                .noneMatch(c -> c.mentions("vx-blue") || c.mentions("docker0") || c.mentions("dr-red"));
        assertThat(kernel.linkNames(SELF)).contains("eth0", "vx-blue", "dr-red", "docker0");
    }

    @Test
    void oneFailingPodDoesNotStopTheOthersAndIsRetried() {
        DesiredNode node = desired(WEB, DB);
        String webHost = iface(node, WEB, 0).hostName();
        kernel.failWhen(c -> c.is("createVethPair") && c.mentions(webHost), KernelException.ENODEV);

        SyncResult failed = reconciler.sync(node);
        assertThat(failed.errors()).singleElement().satisfies(e -> {
            assertThat(e.object()).isEqualTo("pod shop/web eth0");
            assertThat(e.change()).isInstanceOf(KernelChange.CreateVethPair.class);
            assertThat(e.message()).contains("injected");
        });
        assertThat(kernel.link(SELF, iface(node, DB, 0).hostName())).isPresent();
        assertThat(kernel.link(SELF, webHost)).isEmpty();

        kernel.clearFailures();
        syncOk(node);
        assertPlumbed(node);
        kernel.clearCalls();
        syncOk(node);
        assertThat(kernel.writes()).isEmpty();
    }

    @Test
    void podsOfAFailedBridgeWaitForItAndNewPodsWaitForTheRulesWhichAreRetried() {
        DesiredNode node = desired(WEB, DB);
        kernel.failOnce(c -> c.is("createBridge") && c.mentions("dr-red"), KernelException.EEXIST);
        kernel.failOnce(c -> c.is("applyNftables"), 1);

        SyncResult result = reconciler.sync(node);
        assertThat(result.errors()).extracting(SyncError::object)
                .containsExactly("bridge dr-red", "nftables table inet drover", "pod shop/db eth0", "pod shop/web eth0");
        // No pod is plumbed before its rules are in the kernel: it would be unprotected until they are.
        assertThat(result.errors().get(2).message()).contains("bridge dr-red failed");
        assertThat(result.errors().get(3).message()).contains("nftables table inet drover failed");
        assertThat(kernel.writes()).noneMatch(c -> c.is("createVethPair"));

        syncOk(node);
        assertPlumbed(node);
    }

    @Test
    void rulesChangeByElementsAndAFlushedTableIsRewritten() {
        syncOk(desired(WEB));
        Pod published = withPorts(DB, new PodPort("pg", 5432, null, 15432, null));
        kernel.clearCalls();

        syncOk(desired(WEB, published));
        String update = kernel.nftScripts(SELF).getLast();
        assertThat(update).contains("add element inet drover published4").doesNotContain("delete table");
        assertThat(kernel.nftElements(SELF, "inet", "drover", "published4"))
                .containsExactly("tcp . 15432 : 10.20.0.9 . 5432");

        // Someone flushes the ruleset; the next change finds the table gone and writes it whole.
        kernel.applyNftables(SELF, "flush ruleset");
        DesiredNode node = desired(WEB, published, withPorts(API, new PodPort("http", 80, null, 8080, null)));
        SyncResult result = syncOk(node);
        assertThat(result.applied()).filteredOn(c -> c instanceof KernelChange.ApplyNftables).hasSize(1);
        assertPlumbed(node);

        // Flushed with nothing changing: the periodic resync (forgetVerifiedState) finds and repairs it.
        kernel.applyNftables(SELF, "flush ruleset");
        kernel.clearCalls();
        syncOk(node);
        assertThat(kernel.writes()).isEmpty();
        reconciler.forgetVerifiedState();
        syncOk(node);
        assertPlumbed(node);
    }

    @Test
    void anInterfaceLeftInAnOwnedNamespaceIsReplacedAndARecreatedNamespaceReplumbed() {
        NetNs ns = kernel.createNamespace(NAMESPACES.nameOf(WEB));
        kernel.addLink(ns, "eth0", "dummy", 1500, null);
        DesiredNode node = desired(WEB);
        syncOk(node);
        assertPlumbed(node);
        assertThat(kernel.link(ns, "eth0")).get().extracting(Link::kind).isEqualTo("veth");

        kernel.deleteNamespace(NAMESPACES.nameOf(WEB));
        assertThat(kernel.link(SELF, iface(node, WEB, 0).hostName())).isEmpty();
        syncOk(node);
        assertPlumbed(node);
    }

    @Test
    void inARuntimesNamespaceTheAgentCreatesNoNamespaceAndTouchesNoForeignInterface() {
        NetNs cniA = new NetNs(Path.of("/var/run/netns/cni-a"));
        NetNs cniB = new NetNs(Path.of("/var/run/netns/cni-b"));
        NetNs gone = new NetNs(Path.of("/var/run/netns/cni-gone"));
        kernel.addNamespace(cniA).addNamespace(cniB);
        kernel.addLink(cniB, "eth0", "veth", 1500, null);
        PodNamespaces runtime = new PodNamespaces() {
            @Override
            public NetNs namespaceOf(Pod pod) {
                return switch (pod.name()) {
                    case "web" -> cniA;
                    case "db" -> cniB;
                    default -> gone;
                };
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
        kernel.clearCalls();
        SyncResult result = reconciler.sync(desired(runtime, WEB, DB, API));

        assertThat(result.errors()).extracting(SyncError::object)
                .containsExactlyInAnyOrder("pod shop/db eth0", "pod shop/api eth0", "pod shop/api eth1");
        assertThat(kernel.link(cniA, "eth0")).get().extracting(Link::kind).isEqualTo("veth");
        assertThat(kernel.link(cniA, "lo")).get().extracting(Link::up).as("the runtime's loopback").isEqualTo(false);
        assertThat(kernel.writes()).noneMatch(c -> c.is("createNamespace") || (cniB.equals(c.ns()) && c.mentions("eth0")));
        assertThat(kernel.link(cniB, "eth0")).get().extracting(Link::kind).isEqualTo("veth");
    }

    @Test
    void aNoneModePodGetsANamespaceWithLoopbackOnly() {
        Pod none = pod("shop", "quiet", mode(NODE, "none"));
        DesiredNode node = desired(none);
        syncOk(node);
        NetNs ns = netns(none);
        assertThat(kernel.linkNames(ns)).containsExactly("lo");
        assertThat(kernel.link(ns, "lo")).get().extracting(Link::up).isEqualTo(true);
        assertThat(kernel.linkNames(SELF)).containsExactly("lo");
    }

    @Test
    void rulesThatCannotBeRenderedAreReportedWhileTheRestIsPlumbed() {
        DesiredNode ok = desired(WEB);
        DesiredNode broken = new DesiredNode(ok.node(), ok.nodeNamespace(), ok.bridges(), ok.namespaces(), ok.interfaces(),
                ok.sysctls(), ok.ruleNetworks(), List.of(
                        new io.drover.agent.rules.PublishedPort(null, 80, "TCP", IpAddresses.parse("10.10.0.7"), 80, "a"),
                        new io.drover.agent.rules.PublishedPort(null, 80, "TCP", IpAddresses.parse("10.10.0.8"), 80, "b")),
                List.of(), ok.ownedNamespacePrefix(), ok.waiting(), ok.crossNode());
        SyncResult result = reconciler.sync(broken);
        assertThat(result.errors()).singleElement().extracting(SyncError::object).isEqualTo("nftables table inet drover");
        assertThat(kernel.link(SELF, iface(ok, WEB, 0).hostName())).isPresent();
        assertThat(new NodeRules(ok.ruleNetworks(), ok.publishedPorts())).isNotNull();
    }

    private static int indexOf(List<Call> calls, java.util.function.Predicate<Call> p) {
        for (int i = 0; i < calls.size(); i++) {
            if (p.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aNodeHoldsItsLoadBalancerAddressesOnItsOwnDeviceWhileItHasSomeAndRemovesItAfter() {
        List<Address> two = List.of(Address.parse("172.31.0.200/32"), Address.parse("172.31.0.201/32"));
        syncOk(desired(WEB).withAnnounced(two));

        Link device = kernel.link(SELF, LoadBalancerAnnouncements.DEVICE).orElseThrow();
        assertThat(device.alias()).isEqualTo(Ownership.ANNOUNCE_ALIAS);
        assertThat(device.up()).isTrue();
        assertThat(ipv4Of(LoadBalancerAnnouncements.DEVICE)).containsExactlyInAnyOrderElementsOf(two);

        syncOk(desired(WEB).withAnnounced(List.of(Address.parse("172.31.0.201/32"))));
        assertThat(ipv4Of(LoadBalancerAnnouncements.DEVICE)).containsExactly(Address.parse("172.31.0.201/32"));

        syncOk(desired(WEB));
        assertThat(kernel.link(SELF, LoadBalancerAnnouncements.DEVICE)).isEmpty();
        assertThat(kernel.link(SELF, "dr-blue")).isPresent();
    }

    private List<Address> ipv4Of(String link) {
        return kernel.addresses(SELF, link).stream().filter(a -> a.ip() instanceof java.net.Inet4Address).toList();
    }
}
