package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.network;
import static io.drover.agent.rules.RulesFixtures.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgrammedTableTest {

    /** What SMALL programs, as nft 1.0.6 lists it ({@code nft -j list table inet drover}), rule expressions cut. */
    private static final String LISTING = """
            {"nftables": [
            {"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
            {"table": {"family": "inet", "name": "drover", "handle": 2}},
            {"set": {"family": "inet", "name": "bridges", "table": "drover", "type": "ifname", "handle": 9, "comment": "the bridge of every Drover network on this node; ruleset {RULESET}", "elem": [{"elem": {"val": "dr-blue", "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "bridge_pairs", "table": "drover", "type": ["ifname", "ifname"], "handle": 10, "comment": "bridge . same bridge: traffic that stays within one network", "elem": [{"elem": {"val": {"concat": ["dr-blue", "dr-blue"]}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "subnets4", "table": "drover", "type": "ipv4_addr", "handle": 11, "comment": "the IPv4 subnets of every Drover network", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "10.10.0.0", "len": 16}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "subnets6", "table": "drover", "type": "ipv6_addr", "handle": 12, "comment": "the IPv6 subnets of every Drover network", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "fd00:10::", "len": 64}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "nat_subnets4", "table": "drover", "type": "ipv4_addr", "handle": 13, "comment": "IPv4 subnets of networks with natOutgoing", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "10.10.0.0", "len": 16}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "nat_subnets6", "table": "drover", "type": "ipv6_addr", "handle": 14, "comment": "IPv6 subnets of networks with natOutgoing", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "fd00:10::", "len": 64}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "bridge_nets4", "table": "drover", "type": ["ifname", "ipv4_addr"], "handle": 15, "comment": "each bridge with its network's IPv4 subnets", "flags": ["interval"], "elem": [{"elem": {"val": {"concat": ["dr-blue", {"prefix": {"addr": "10.10.0.0", "len": 16}}]}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "bridge_nets6", "table": "drover", "type": ["ifname", "ipv6_addr"], "handle": 16, "comment": "each bridge with its network's IPv6 subnets", "flags": ["interval"], "elem": [{"elem": {"val": {"concat": ["dr-blue", {"prefix": {"addr": "fd00:10::", "len": 64}}]}, "comment": "network blue"}}]}},
            {"map": {"family": "inet", "name": "published4", "table": "drover", "type": ["inet_proto", "inet_service"], "handle": 17, "comment": "IPv4 ports published on every node address: proto . port : pod . port", "map": "ipv4_addr . inet_service", "elem": [[{"elem": {"val": {"concat": ["tcp", 8080]}, "comment": "pod shop/web-1"}}, {"concat": ["10.10.0.7", 80]}]]}},
            {"map": {"family": "inet", "name": "published4_addr", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 18, "comment": "IPv4 ports published on one node address: address . proto . port : pod . port", "map": "ipv4_addr . inet_service", "elem": [[{"elem": {"val": {"concat": ["192.168.1.5", "udp", 53]}, "comment": "pod infra/dns"}}, {"concat": ["10.10.0.9", 53]}]]}},
            {"map": {"family": "inet", "name": "published6", "table": "drover", "type": ["inet_proto", "inet_service"], "handle": 19, "comment": "IPv6 ports published on every node address: proto . port : pod . port", "map": "ipv6_addr . inet_service"}},
            {"map": {"family": "inet", "name": "published6_addr", "table": "drover", "type": ["ipv6_addr", "inet_proto", "inet_service"], "handle": 20, "comment": "IPv6 ports published on one node address: address . proto . port : pod . port", "map": "ipv6_addr . inet_service"}},
            {"map": {"family": "inet", "name": "pod_ingress4", "table": "drover", "type": "ipv4_addr", "handle": 90, "comment": "network policy: a local pod's IPv4 address : jump to its ingress chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "pod_ingress6", "table": "drover", "type": "ipv6_addr", "handle": 90, "comment": "network policy: a local pod's IPv6 address : jump to its ingress chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "pod_egress4", "table": "drover", "type": "ipv4_addr", "handle": 90, "comment": "network policy: a local pod's IPv4 address : jump to its egress chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "pod_egress6", "table": "drover", "type": "ipv6_addr", "handle": 90, "comment": "network policy: a local pod's IPv6 address : jump to its egress chain", "map": "verdict"}},
            {"chain": {"family": "inet", "table": "drover", "name": "forward", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "from_pod", "handle": 2}},
            {"chain": {"family": "inet", "table": "drover", "name": "to_pod", "handle": 3}},
            {"chain": {"family": "inet", "table": "drover", "name": "input", "handle": 4, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "prerouting", "handle": 5, "type": "nat", "hook": "prerouting", "prio": -100, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "output", "handle": 6, "type": "nat", "hook": "output", "prio": -100, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "published", "handle": 7}},
            {"chain": {"family": "inet", "table": "drover", "name": "postrouting", "handle": 8, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 21, "comment": "replies and established connections, which keep flowing across rule rewrites"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 91, "comment": "network policy: egress of an isolated local pod"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 91, "comment": "network policy: egress of an isolated local pod, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 91, "comment": "network policy: ingress of an isolated local pod"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 91, "comment": "network policy: ingress of an isolated local pod, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 22, "comment": "traffic leaving a pod"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 23, "comment": "traffic entering a network from outside it"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "from_pod", "handle": 24, "comment": "isolation: no traffic from one network to another"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "from_pod", "handle": 25, "comment": "within the network, and out of the node"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 46, "comment": "the same network, from a pod on another node"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 47, "comment": "the same network, from a pod on another node, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 26, "comment": "published ports"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 27, "comment": "nothing else enters a network from outside it"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "input", "handle": 28, "comment": "isolation through the node: no pod reaches another network's gateway"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "input", "handle": 29, "comment": "isolation through the node, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 30, "comment": "another network's gateway is no way in"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 31, "comment": "another network's gateway is no way in, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 32, "comment": "published ports, from outside the node and from pods"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 33, "comment": "loopback is not published"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 34, "comment": "loopback is not published, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 35, "comment": "published ports, from the node itself"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 36, "comment": "IPv4 ports published on one address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 37, "comment": "IPv4 ports published on every address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 38, "comment": "IPv6 ports published on one address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 39, "comment": "IPv6 ports published on every address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 40, "comment": "hairpin: a pod reaching a published port of its own network"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 41, "comment": "hairpin, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 42, "comment": "natOutgoing: pods leave the node with its address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 43, "comment": "natOutgoing, IPv6"}}
            ]}
            """.replace("{RULESET}", NodeRules.ruleset());

    private static final NodeRules SMALL = new NodeRules(
            List.of(network("blue", true, "10.10.0.0/16", "fd00:10::/64")),
            List.of(port(null, 8080, "TCP", "10.10.0.7", 80, "shop/web-1"), port("192.168.1.5", 53, "UDP", "10.10.0.9", 53, "infra/dns")));

    @Test
    void readsWhatTheKernelHoldsAsTheRulesWouldRenderIt() {
        ProgrammedTable table = ProgrammedTable.parse(LISTING);

        assertThat(table.exists()).isTrue();
        assertThat(table.ruleset()).isEqualTo(NodeRules.ruleset());
        assertThat(table.elements()).isEqualTo(SMALL.elements());
        assertThat(table.sets()).containsEntry("bridges", "ifname")
                .containsEntry("bridge_nets6", "ifname . ipv6_addr interval")
                .containsEntry("published4_addr", "ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service");
        assertThat(table.chains()).containsEntry("forward", "filter forward 0 accept")
                .containsEntry("output", "nat output -100 accept")
                .containsEntry("from_pod", "");
        assertThat(table.ruleComments().get("to_pod")).containsExactly("the same network, from a pod on another node",
                "the same network, from a pod on another node, IPv6", "published ports",
                "nothing else enters a network from outside it");
        assertThat(SMALL.isProgrammed(table)).isTrue();
        assertThat(SMALL.syncScript(table)).isEmpty();
    }

    @Test
    void anAbsentTableIsAbsent() {
        assertThat(ProgrammedTable.parse("{\"nftables\": []}")).isEqualTo(ProgrammedTable.ABSENT);
        assertThat(ProgrammedTable.parse("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}]}").exists()).isFalse();
    }

    @Test
    void ignoresOtherTables() {
        String listing = """
                {"nftables": [
                {"table": {"family": "ip", "name": "drover"}},
                {"set": {"family": "ip", "name": "bridges", "table": "drover", "type": "ifname", "elem": ["dr-x"]}},
                {"table": {"family": "inet", "name": "firewalld"}},
                {"chain": {"family": "inet", "table": "firewalld", "name": "forward"}}
                ]}""";

        assertThat(ProgrammedTable.parse(listing).exists()).isFalse();
        assertThat(ProgrammedTable.parse(listing, "ip", "drover").elements().of("bridges"))
                .containsExactly(SetElement.of("\"dr-x\"", null));
    }

    @Test
    void readsElementsInEveryFormNftWrites() {
        String listing = """
                {"nftables": [
                {"table": {"family": "inet", "name": "drover"}},
                {"set": {"family": "inet", "name": "a", "table": "drover", "type": "ipv6_addr", "flags": ["interval"],
                  "elem": ["FD00:0:0::1", {"prefix": {"addr": "fd00:10::", "len": 64}}, {"prefix": {"addr": "fd00:99::1", "len": 128}},
                           {"range": ["10.0.0.1", "10.0.0.9"]}]}},
                {"map": {"family": "inet", "name": "m", "table": "drover", "type": ["inet_proto", "inet_service"],
                  "map": ["ipv4_addr", "inet_service"],
                  "elem": [[{"concat": [17, 53]}, {"concat": ["10.0.0.1", 53]}],
                           [{"elem": {"val": {"concat": ["tcp", 80]}, "comment": "pod a/b", "counter": {"packets": 1}}}, {"concat": ["10.0.0.2", 8080]}]]}},
                {"set": {"family": "inet", "name": "odd", "table": "drover", "type": "mark", "elem": [{"unknown": 1}]}}
                ]}""";

        ProgrammedTable table = ProgrammedTable.parse(listing);

        assertThat(table.elements().of("a")).extracting(SetElement::key)
                .containsExactly("fd00::1", "fd00:10::/64", "fd00:99::1", "10.0.0.1-10.0.0.9");
        assertThat(table.elements().of("m")).containsExactly(
                SetElement.mapping("17 . 53", "10.0.0.1 . 53", null),
                SetElement.mapping("tcp . 80", "10.0.0.2 . 8080", "pod a/b"));
        assertThat(table.elements().of("odd")).extracting(SetElement::key).containsExactly("{\"unknown\":1}");
        assertThat(table.sets()).containsEntry("a", "ipv6_addr interval").containsEntry("m", "inet_proto . inet_service : ipv4_addr . inet_service");
        assertThat(table.ruleset()).isNull();
    }

    @Test
    void refusesWhatIsNoListing() {
        assertThatThrownBy(() -> ProgrammedTable.parse("Error: No such file or directory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("nft listing is not JSON");
        assertThatThrownBy(() -> ProgrammedTable.parse("{\"tables\": []}"))
                .hasMessage("nft listing has no \"nftables\" array: {\"tables\": []}");
    }
}
