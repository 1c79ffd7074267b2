package io.drover.agent.reconcile;

import static io.drover.agent.TestObjects.addressed;
import static io.drover.agent.TestObjects.network;
import static io.drover.agent.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.desired.NodeCalculator;
import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.reconcile.KernelChange.AddAddress;
import io.drover.agent.reconcile.KernelChange.AddRoute;
import io.drover.agent.reconcile.KernelChange.CreateBridge;
import io.drover.agent.reconcile.KernelChange.CreateNamespace;
import io.drover.agent.reconcile.KernelChange.CreateVethPair;
import io.drover.agent.reconcile.KernelChange.DeleteLink;
import io.drover.agent.reconcile.KernelChange.DeleteNamespace;
import io.drover.agent.desired.InterfaceNames;
import io.drover.agent.reconcile.KernelChange.SetHairpin;
import io.drover.agent.reconcile.KernelChange.SetMaster;
import io.drover.agent.reconcile.KernelChange.SetSysctl;
import io.drover.agent.reconcile.KernelChange.SetUp;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plans as values: what the reconciler would do for a given kernel, without a kernel. */
class PlannerTest {

    private static final NetNs SELF = NetNs.SELF;
    private static final ManagedPodNamespaces NAMESPACES = ManagedPodNamespaces.withPrefix("drover-n1-");
    private static final Network BLUE = network("blue", "10.10.0.0/16");
    private static final Pod WEB = addressed(pod("shop", "web", "node-1", "blue"), "blue=10.10.0.7/16");

    private static DesiredNode desired(Pod... pods) {
        return NodeCalculator.compute("node-1", List.of(BLUE), List.of(pods), NAMESPACES);
    }

    private static NamespaceView view(Map<String, Link> links, Map<String, List<Address>> addresses) {
        return new NamespaceView(true, links, addresses, List.of());
    }

    private static Observed observed(NamespaceView node, Set<String> namespaces, Map<NetNs, NamespaceView> pods,
            Map<String, String> sysctls) {
        return new Observed(node, namespaces, pods, Map.of(), sysctls, Map.of(), CrossNodeView.EMPTY);
    }

    @Test
    void fromNothingThePlanMakesEachObjectInDependencyOrder() {
        DesiredNode node = desired(WEB);
        DesiredInterface eth0 = node.interfaces().getFirst();
        NetNs pod = eth0.netns();
        String ns = pod.path().getFileName().toString();
        Observed empty = observed(view(Map.of(), Map.of()), Set.of(), Map.of(pod, NamespaceView.ABSENT), Map.of(
                NodeCalculator.IPV4_FORWARDING, "0"));

        Plan plan = Planner.plan(node, empty, Planner.Rules.CURRENT);

        assertThat(plan.tasks()).extracting(Task::object).containsExactly(
                "sysctl net.ipv4.ip_forward", "netns " + ns, "bridge dr-blue", "pod shop/web eth0");
        assertThat(plan.tasks().get(3).needs()).containsExactly("bridge dr-blue", "netns " + ns);
        assertThat(plan.changes()).containsExactly(
                new SetSysctl(SELF, NodeCalculator.IPV4_FORWARDING, "1"),
                new CreateNamespace(ns),
                new SetUp(pod, "lo", true),
                new CreateBridge(SELF, "dr-blue", 1500, "drover:bridge/blue"),
                new KernelChange.SetMac(SELF, "dr-blue", InterfaceNames.bridgeMac("blue")),
                new SetUp(SELF, "dr-blue", true),
                new AddAddress(SELF, "dr-blue", Address.parse("10.10.0.1/16")),
                new CreateVethPair(SELF, eth0.hostName(), "drover:shop/web/eth0", pod, "eth0", 1500),
                new SetMaster(SELF, eth0.hostName(), "dr-blue"),
                new SetHairpin(SELF, eth0.hostName(), true),
                new KernelChange.PinMac(SELF, eth0.hostName(), eth0.mac()),
                new SetUp(SELF, eth0.hostName(), true),
                new KernelChange.SetMac(pod, "eth0", eth0.mac()),
                new SetUp(pod, "eth0", true),
                new KernelChange.AwaitRunning(SELF, eth0.hostName()),
                new KernelChange.AwaitRunning(pod, "eth0"),
                new AddAddress(pod, "eth0", Address.parse("10.10.0.7/16")),
                new AddRoute(pod, eth0.routes().getFirst()));
    }

    @Test
    void linkLocalAddressesAreNotDriftAndANodeEndWithoutItsPodEndIsMadeAgain() {
        DesiredNode node = desired(WEB);
        DesiredInterface eth0 = node.interfaces().getFirst();
        NetNs pod = eth0.netns();
        String ns = pod.path().getFileName().toString();
        Link bridge = new Link(2, "dr-blue", "bridge", 1500, true, InterfaceNames.bridgeMac("blue"), null,
                "drover:bridge/blue");
        Link hostEnd = new Link(3, eth0.hostName(), "veth", 1500, true, "m", "dr-blue", eth0.alias());
        Link lo = new Link(1, "lo", "", 65536, true, "m", null, null);
        NamespaceView nodeView = view(Map.of("dr-blue", bridge, eth0.hostName(), hostEnd),
                Map.of("dr-blue", List.of(Address.parse("10.10.0.1/16"), Address.parse("fe80::2/64"))));
        NamespaceView podView = view(Map.of("lo", lo), Map.of());

        Plan plan = Planner.plan(node, observed(nodeView, Set.of(ns), Map.of(pod, podView),
                Map.of(NodeCalculator.IPV4_FORWARDING, "1")), Planner.Rules.CURRENT);

        assertThat(plan.tasks()).extracting(Task::object).containsExactly("pod shop/web eth0");
        assertThat(plan.changes().subList(0, 2)).containsExactly(
                new DeleteLink(SELF, eth0.hostName()),
                new CreateVethPair(SELF, eth0.hostName(), eth0.alias(), pod, "eth0", 1500));
    }

    @Test
    void removalsComeLastPodEndsThenNamespacesThenBridges() {
        DesiredNode nothing = desired();
        Link bridge = new Link(2, "dr-old", "bridge", 1500, true, "m", null, "drover:bridge/old");
        Link hostEnd = new Link(3, "dv0123456789", "veth", 1500, true, "m", "dr-old", "drover:shop/gone/eth0");
        Link foreignLookalike = new Link(4, "dvnothex!!!!", "veth", 1500, true, "m", null, "drover:a/b/c");
        Link otherDrover = new Link(5, "vx-blue", "vxlan", 1450, true, "m", null, "drover:vxlan/blue");
        NamespaceView nodeView = view(Map.of("dr-old", bridge, "dv0123456789", hostEnd, "dvnothex!!!!", foreignLookalike,
                "vx-blue", otherDrover), Map.of());

        Plan plan = Planner.plan(nothing, observed(nodeView, Set.of("drover-n1-p-abc", "someone-else"), Map.of(), Map.of()),
                Planner.Rules.CURRENT);

        assertThat(plan.changes()).containsExactly(
                new DeleteLink(SELF, "dv0123456789"),
                new DeleteNamespace("drover-n1-p-abc"),
                new DeleteLink(SELF, "dr-old"));
    }
}
