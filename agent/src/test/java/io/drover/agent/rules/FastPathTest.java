package io.drover.agent.rules;

import static io.drover.agent.rules.ServiceFixtures.endpoint;
import static io.drover.agent.rules.ServiceFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.NftElementChange;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FastPathTest {

    private static final FastPath.Network BLUE = new FastPath.Network("dr-blue",
            List.of(Cidr.parse("10.10.0.0/16"), Cidr.parse("fd00:10::/64")),
            List.of(IpAddresses.parse("10.10.0.1"), IpAddresses.parse("fd00:10::1")));
    private static final FastPath.NextHop NODE_2 = new FastPath.NextHop(Cidr.parse("10.10.0.64/26"),
            IpAddresses.parse("172.31.0.2"));

    private static FastPath.Port port(String veth, String ip, boolean eligible) {
        return new FastPath.Port(veth, "0A:00:00:00:00:" + ip.substring(ip.lastIndexOf('.') + 1), IpAddresses.parse(ip),
                "dr-blue", eligible, "default/" + veth);
    }

    private static FastPath path(FastPath.Port... ports) {
        return new FastPath("drover-vxlan", List.of(ports), List.of(BLUE), List.of(NODE_2));
    }

    @Test
    void thePodsOfANodeAreHookedAndOnlyEligibleOnesForwarded() {
        String script = path(port("dvb", "10.10.0.3", false), port("dva", "10.10.0.2", true))
                .script(Set.of(IpAddresses.parse("10.10.0.70"), IpAddresses.parse("fd00:10::7")));

        assertThat(script).startsWith("table netdev drover\ndelete table netdev drover\n")
                .contains("type filter hook ingress devices = { \"dva\", \"dvb\" } priority filter; policy accept;")
                .contains("type filter hook ingress device \"drover-vxlan\" priority filter; policy accept;")
                .contains("fwd ip to ip daddr map @fastpath_nexthops4 device \"drover-vxlan\"")
                .contains("ip saddr != { 10.10.0.0/16 } return")
                .contains("fwd to \"dr-blue\"")
                .contains("add element netdev drover fastpath_sources4 { \"dva\" . 0a:00:00:00:00:2 . 10.10.0.2")
                .contains("add element netdev drover fastpath_pods4 { 10.10.0.2 comment \"pod default/dva\" : goto to_dr-blue }")
                .contains("add element netdev drover fastpath_nexthops4 { 10.10.0.64/26 : 172.31.0.2 }")
                .contains("add element netdev drover fastpath_exempt4 { 10.10.0.70 }")
                .contains("ip daddr != @fastpath_local4")
                .contains("add element netdev drover fastpath_local4 { 10.10.0.1 comment \"dr-blue\" }")
                .doesNotContain("10.10.0.3 ")
                .doesNotContain("fd00:10::7");
    }

    @Test
    void aNodeWithoutPeersHasNoTableAndOneWithoutPodsNoSendingHook() {
        assertThat(FastPath.NONE.script(Set.of())).isEqualTo("table netdev drover\ndelete table netdev drover\n");
        assertThat(path().script(Set.of())).contains("chain from_peers").doesNotContain("chain from_pods");
    }

    @Test
    void aNewPodJoinsTheSendingHookByNameWithoutRewritingTheTable() {
        FastPath before = path(port("dva", "10.10.0.2", true));
        FastPath after = path(port("dva", "10.10.0.2", true), port("dvc", "10.10.0.4", true));

        String update = after.updateScript(before, Set::of, FastPath.ExemptChanges.NONE, a -> false);

        assertThat(update).doesNotContain("delete table")
                .startsWith("add chain netdev drover from_pods { type filter hook ingress devices = { \"dvc\" }")
                .contains("add element netdev drover fastpath_pods4 { 10.10.0.4 comment \"pod default/dvc\" : goto to_dr-blue }");
        assertThat(after.elementChanges(before, FastPath.ExemptChanges.NONE, a -> false))
                .as("a hook change is no element change").isNull();
    }

    @Test
    void aPodThatBecomesIsolatedLeavesTheFastPathAsElementChangesOnly() {
        FastPath before = path(port("dva", "10.10.0.2", true));
        FastPath after = path(port("dva", "10.10.0.2", false));

        List<NftElementChange> changes = after.elementChanges(before, FastPath.ExemptChanges.NONE, a -> false);

        assertThat(changes).isNotNull().allMatch(c -> !c.add())
                .extracting(NftElementChange::set)
                .containsExactlyInAnyOrder("fastpath_sources4", "fastpath_pods4", "fastpath_macs4");
    }

    @Test
    void goneComeAndAnotherDeviceRewriteTheTable() {
        FastPath one = path(port("dva", "10.10.0.2", true));
        assertThat(new FastPath("eth0", one.ports(), one.networks(), one.nextHops()).rewritesSince(one)).isTrue();
        assertThat(path().rewritesSince(one)).as("the sending chain goes").isTrue();
        List<FastPath.Port> many = new ArrayList<>();
        for (int i = 0; i <= FastPath.STALE_PORTS + 1; i++) {
            many.add(port("dv" + i, "10.10.1." + i, true));
        }
        FastPath crowded = new FastPath("drover-vxlan", many, List.of(BLUE), List.of(NODE_2));
        assertThat(one.rewritesSince(crowded)).as("too many gone ports left in the hook").isTrue();
        assertThat(path(port("dv0", "10.10.1.0", true)).rewritesSince(path(port("dv0", "10.10.1.0", true),
                port("dv1", "10.10.1.1", true)))).as("one gone port stays in the hook").isFalse();
    }

    @Test
    void serviceEndpointsComeAndGoFromTheExemptSetByCount() {
        ServiceRules none = ServiceRules.of(ServiceFixtures.NODE, List.of());
        ServiceRules web = none.with(ServiceFixtures.NODE, Map.of("default/web", List.of(service("default", "web", "172.30.0.10")
                .endpoints(endpoint("10.10.0.70", 8080, false), endpoint("10.10.0.2", 8080, true)).build())));
        ServiceRules both = web.with(ServiceFixtures.NODE, Map.of("default/api", List.of(service("default", "api", "172.30.0.11")
                .endpoints(endpoint("10.10.0.70", 9090, false)).build())));
        ServiceRules apiOnly = both.with(ServiceFixtures.NODE, Map.of("default/web", List.of()));

        FastPath fast = path(port("dva", "10.10.0.2", true));
        assertThat(fast.elementChanges(fast, web.endpointAddressChangesSince(none), web::isEndpointAddress))
                .extracting(c -> (c.add() ? "+" : "-") + c.key())
                .containsExactlyInAnyOrder("+10.10.0.70", "+10.10.0.2");
        assertThat(fast.elementChanges(fast, both.endpointAddressChangesSince(web), both::isEndpointAddress))
                .as("an address already an endpoint of another service").isEmpty();
        assertThat(fast.elementChanges(fast, apiOnly.endpointAddressChangesSince(both), apiOnly::isEndpointAddress))
                .extracting(c -> (c.add() ? "+" : "-") + c.key())
                .as("10.10.0.70 still serves api").containsExactly("-10.10.0.2");
        assertThat(apiOnly.endpointAddresses()).containsExactly(IpAddresses.parse("10.10.0.70"));
    }

    @Test
    void aFormerEndpointStaysExemptWhileItDrainsAndLeavesWhenItStops() {
        ServiceRules none = ServiceRules.of(ServiceFixtures.NODE, List.of());
        ServiceRules web = none.with(ServiceFixtures.NODE, Map.of("default/web", List.of(service("default", "web", "172.30.0.10")
                .endpoints(endpoint("10.10.0.70", 8080, false)).build())));
        var seventy = IpAddresses.parse("10.10.0.70");
        FastPath fast = path(port("dva", "10.10.0.2", true));
        FastPath draining = fast.withDraining(Set.of(seventy));

        assertThat(draining.elementChanges(fast, none.endpointAddressChangesSince(web), none::isEndpointAddress))
                .as("the service went, its endpoint drains: still exempt").isEmpty();
        assertThat(draining.script(none.endpointAddresses())).contains("add element netdev drover fastpath_exempt4 { 10.10.0.70 }");
        assertThat(fast.elementChanges(draining, FastPath.ExemptChanges.NONE, none::isEndpointAddress))
                .extracting(c -> (c.add() ? "+" : "-") + c.key()).as("no connection left").containsExactly("-10.10.0.70");
        assertThat(fast.elementChanges(draining, web.endpointAddressChangesSince(none), web::isEndpointAddress))
                .extracting(c -> (c.add() ? "+" : "-") + c.key()).as("an endpoint again: it never leaves the set")
                .containsExactly("+10.10.0.70");
        assertThat(fast.elementChanges(fast, none.endpointAddressChangesSince(web), none::isEndpointAddress))
                .extracting(c -> (c.add() ? "+" : "-") + c.key()).as("not draining: it leaves at once")
                .containsExactly("-10.10.0.70");
    }

    @Test
    void thePathIsIpv4Only() {
        assertThatThrownBy(() -> new FastPath.Port("dva", "0a:00:00:00:00:01", IpAddresses.parse("fd00::1"), "dr-blue",
                true, "default/a")).hasMessageContaining("IPv4 only");
    }
}
