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
            {"set": {"family": "inet", "name": "bridges", "table": "drover", "type": "ifname", "handle": 16, "comment": "the bridge of every Drover network on this node; ruleset {RULESET}", "elem": [{"elem": {"val": "dr-blue", "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "bridge_pairs", "table": "drover", "type": ["ifname", "ifname"], "handle": 17, "comment": "bridge . same bridge: traffic that stays within one network", "elem": [{"elem": {"val": {"concat": ["dr-blue", "dr-blue"]}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "subnets4", "table": "drover", "type": "ipv4_addr", "handle": 18, "comment": "the IPv4 subnets of every Drover network", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "10.10.0.0", "len": 16}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "subnets6", "table": "drover", "type": "ipv6_addr", "handle": 19, "comment": "the IPv6 subnets of every Drover network", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "fd00:10::", "len": 64}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "nat_subnets4", "table": "drover", "type": "ipv4_addr", "handle": 20, "comment": "IPv4 subnets of networks with natOutgoing", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "10.10.0.0", "len": 16}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "nat_subnets6", "table": "drover", "type": "ipv6_addr", "handle": 21, "comment": "IPv6 subnets of networks with natOutgoing", "flags": ["interval"], "elem": [{"elem": {"val": {"prefix": {"addr": "fd00:10::", "len": 64}}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "bridge_nets4", "table": "drover", "type": ["ifname", "ipv4_addr"], "handle": 22, "comment": "each bridge with its network's IPv4 subnets", "flags": ["interval"], "elem": [{"elem": {"val": {"concat": ["dr-blue", {"prefix": {"addr": "10.10.0.0", "len": 16}}]}, "comment": "network blue"}}]}},
            {"set": {"family": "inet", "name": "peer_nodes4", "table": "drover", "type": "ipv4_addr", "handle": 122, "comment": "the underlay addresses of the other nodes"}},
            {"set": {"family": "inet", "name": "bridge_nets6", "table": "drover", "type": ["ifname", "ipv6_addr"], "handle": 23, "comment": "each bridge with its network's IPv6 subnets", "flags": ["interval"], "elem": [{"elem": {"val": {"concat": ["dr-blue", {"prefix": {"addr": "fd00:10::", "len": 64}}]}, "comment": "network blue"}}]}},
            {"map": {"family": "inet", "name": "published4", "table": "drover", "type": ["inet_proto", "inet_service"], "handle": 24, "comment": "IPv4 ports published on every node address: proto . port : pod . port", "map": "ipv4_addr . inet_service", "elem": [[{"elem": {"val": {"concat": ["tcp", 8080]}, "comment": "pod shop/web-1"}}, {"concat": ["10.10.0.7", 80]}]]}},
            {"map": {"family": "inet", "name": "published4_addr", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 25, "comment": "IPv4 ports published on one node address: address . proto . port : pod . port", "map": "ipv4_addr . inet_service", "elem": [[{"elem": {"val": {"concat": ["192.168.1.5", "udp", 53]}, "comment": "pod infra/dns"}}, {"concat": ["10.10.0.9", 53]}]]}},
            {"map": {"family": "inet", "name": "published6", "table": "drover", "type": ["inet_proto", "inet_service"], "handle": 26, "comment": "IPv6 ports published on every node address: proto . port : pod . port", "map": "ipv6_addr . inet_service"}},
            {"map": {"family": "inet", "name": "published6_addr", "table": "drover", "type": ["ipv6_addr", "inet_proto", "inet_service"], "handle": 27, "comment": "IPv6 ports published on one node address: address . proto . port : pod . port", "map": "ipv6_addr . inet_service"}},
            {"map": {"family": "inet", "name": "pod_ingress4", "table": "drover", "type": "ipv4_addr", "handle": 28, "comment": "network policy: a local pod's IPv4 address : jump to its ingress chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "pod_ingress6", "table": "drover", "type": "ipv6_addr", "handle": 29, "comment": "network policy: a local pod's IPv6 address : jump to its ingress chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "pod_egress4", "table": "drover", "type": "ipv4_addr", "handle": 30, "comment": "network policy: a local pod's IPv4 address : jump to its egress chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "pod_egress6", "table": "drover", "type": "ipv6_addr", "handle": 31, "comment": "network policy: a local pod's IPv6 address : jump to its egress chain", "map": "verdict"}},
            {"set": {"family": "inet", "name": "service_cidrs4", "table": "drover", "type": "ipv4_addr", "handle": 32, "comment": "services: the ranges cluster IPs come from; unallocated ones are dropped", "flags": ["interval"]}},
            {"set": {"family": "inet", "name": "nodeport_ips4", "table": "drover", "type": "ipv4_addr", "handle": 33, "comment": "services: the node addresses NodePorts answer on (0.0.0.0/0: every local address)", "flags": ["interval"]}},
            {"set": {"family": "inet", "name": "cluster_ips4", "table": "drover", "type": "ipv4_addr", "handle": 34, "comment": "services: every allocated cluster IP; its ports no service serves are rejected"}},
            {"map": {"family": "inet", "name": "service_ips4", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 35, "comment": "services: cluster, external and load-balancer IP . proto . port : goto the service port's chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "service_nodeports", "table": "drover", "type": ["inet_proto", "inet_service"], "handle": 36, "comment": "services: proto . NodePort : goto the service port's external chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "firewall_ips4", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 37, "comment": "services: load-balancer IP . proto . port : goto its loadBalancerSourceRanges chain", "map": "verdict"}},
            {"map": {"family": "inet", "name": "no_endpoint_ips4", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 38, "comment": "services: IP . proto . port of a service without endpoints : reject, or drop under a Local policy", "map": "verdict"}},
            {"map": {"family": "inet", "name": "no_endpoint_nodeports", "table": "drover", "type": ["inet_proto", "inet_service"], "handle": 39, "comment": "services: proto . NodePort of a service without endpoints : reject, or drop under Local", "map": "verdict"}},
            {"map": {"family": "inet", "name": "service_endpoints4", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service", "integer"], "handle": 90, "comment": "services: IP . proto . port . index : endpoint . port", "map": "ipv4_addr . inet_service"}},
            {"map": {"family": "inet", "name": "service_nodeport_endpoints", "table": "drover", "type": ["inet_proto", "inet_service", "integer"], "handle": 91, "comment": "services: proto . NodePort . index : endpoint . port", "map": "ipv4_addr . inet_service"}},
            {"set": {"family": "inet", "name": "service_hairpin4", "table": "drover", "type": ["ipv4_addr", "ipv4_addr"], "handle": 92, "comment": "services: local endpoint . itself: an endpoint reaching its own service is masqueraded"}},
            {"set": {"family": "inet", "name": "service_masquerade4", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 93, "comment": "services: external IP . proto . port balanced by a pick chain under Cluster: masquerade"}},
            {"set": {"family": "inet", "name": "service_offnet4", "table": "drover", "type": ["ipv4_addr", "inet_proto", "inet_service"], "handle": 94, "comment": "services: cluster IP . proto . port balanced by a pick chain: masquerade clients outside the pods"}},
            {"chain": {"family": "inet", "table": "drover", "name": "forward", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "from_pod", "handle": 2}},
            {"chain": {"family": "inet", "table": "drover", "name": "to_pod", "handle": 3}},
            {"chain": {"family": "inet", "table": "drover", "name": "input", "handle": 4, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "filter_output", "handle": 5, "type": "filter", "hook": "output", "prio": 0, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "service_checks", "handle": 6}},
            {"chain": {"family": "inet", "table": "drover", "name": "service_reject", "handle": 7}},
            {"chain": {"family": "inet", "table": "drover", "name": "tunnel_untracked", "handle": 108, "type": "filter", "hook": "prerouting", "prio": -300, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "tunnel_untracked_output", "handle": 109, "type": "filter", "hook": "output", "prio": -300, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "service_firewall", "handle": 8, "type": "filter", "hook": "prerouting", "prio": -110, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "service_firewall_output", "handle": 9, "type": "filter", "hook": "output", "prio": -110, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "services", "handle": 10}},
            {"chain": {"family": "inet", "table": "drover", "name": "mark_for_masquerade", "handle": 11}},
            {"chain": {"family": "inet", "table": "drover", "name": "prerouting", "handle": 12, "type": "nat", "hook": "prerouting", "prio": -100, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "output", "handle": 13, "type": "nat", "hook": "output", "prio": -100, "policy": "accept"}},
            {"chain": {"family": "inet", "table": "drover", "name": "published", "handle": 14}},
            {"chain": {"family": "inet", "table": "drover", "name": "postrouting", "handle": 15, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 40, "comment": "replies and established connections, which keep flowing across rule rewrites"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 41, "comment": "services: what no service chain took"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 42, "comment": "network policy: egress of an isolated local pod"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 43, "comment": "network policy: egress of an isolated local pod, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 44, "comment": "network policy: ingress of an isolated local pod"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 45, "comment": "network policy: ingress of an isolated local pod, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 46, "comment": "traffic leaving a pod"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "forward", "handle": 47, "comment": "traffic entering a network from outside it"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "from_pod", "handle": 48, "comment": "isolation: no traffic from one network to another"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "from_pod", "handle": 49, "comment": "within the network, and out of the node"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 50, "comment": "the same network, from a pod on another node"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 51, "comment": "the same network, from a pod on another node, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 52, "comment": "published ports"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 152, "comment": "another node: a service it balanced here, or itself"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "to_pod", "handle": 53, "comment": "nothing else enters a network from outside it"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "input", "handle": 54, "comment": "services: NodePorts without endpoints"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "input", "handle": 55, "comment": "isolation through the node: no pod reaches another network's gateway"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "input", "handle": 56, "comment": "isolation through the node, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "filter_output", "handle": 57, "comment": "services: what no service chain took, from the node"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_checks", "handle": 58, "comment": "services without endpoints: reject, or drop under a Local policy"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_checks", "handle": 59, "comment": "NodePorts without endpoints"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_checks", "handle": 60, "comment": "a cluster IP on a port its services do not serve"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_checks", "handle": 61, "comment": "an unallocated address of the service CIDRs"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_reject", "handle": 62, "comment": "a service without endpoints refuses at once"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "tunnel_untracked", "handle": 163, "comment": "VXLAN from another node: tracked inside, not again outside"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "tunnel_untracked_output", "handle": 164, "comment": "VXLAN to another node: tracked inside, not again outside"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_firewall", "handle": 63, "comment": "loadBalancerSourceRanges, before DNAT"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "service_firewall_output", "handle": 64, "comment": "loadBalancerSourceRanges, from the node, before DNAT"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "services", "handle": 95, "comment": "external addresses under externalTrafficPolicy Cluster: the endpoint may be on another node"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "services", "handle": 96, "comment": "clients outside the pod networks to a cluster IP"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "services", "handle": 65, "comment": "cluster, external and load-balancer IPs"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "services", "handle": 66, "comment": "NodePorts on the node's addresses"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "mark_for_masquerade", "handle": 67, "comment": "masqueraded in postrouting"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 68, "comment": "another network's gateway is no way in"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 69, "comment": "another network's gateway is no way in, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 70, "comment": "services, before published ports"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "prerouting", "handle": 71, "comment": "published ports, from outside the node and from pods"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 72, "comment": "loopback is not published"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 73, "comment": "loopback is not published, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 74, "comment": "services, from the node itself"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "output", "handle": 75, "comment": "published ports, from the node itself"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 76, "comment": "IPv4 ports published on one address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 77, "comment": "IPv4 ports published on every address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 78, "comment": "IPv6 ports published on one address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "published", "handle": 79, "comment": "IPv6 ports published on every address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 80, "comment": "services: what the service chains marked (hairpin, external)"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 97, "comment": "services: hairpin, an endpoint reaching its own service"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 81, "comment": "services: the rest of service traffic keeps its source"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 82, "comment": "hairpin: a pod reaching a published port of its own network"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 83, "comment": "hairpin, IPv6"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 84, "comment": "natOutgoing: pods leave the node with its address"}},
            {"rule": {"family": "inet", "table": "drover", "chain": "postrouting", "handle": 85, "comment": "natOutgoing, IPv6"}},
            {PICKS}
            ]}
            """.replace("{RULESET}", NodeRules.ruleset()).replace("{PICKS}", pickChains());

    /** The services' shared pick chains as nft lists them: 256 of them, too many to write out. */
    private static String pickChains() {
        java.util.List<String> out = new java.util.ArrayList<>();
        int handle = 1000;
        for (DroverTable.Chain chain : ServicePicks.chains()) {
            out.add("{\"chain\": {\"family\": \"inet\", \"table\": \"drover\", \"name\": \"" + chain.name()
                    + "\", \"handle\": " + handle++ + "}}");
            for (DroverTable.Rule rule : chain.rules()) {
                out.add("{\"rule\": {\"family\": \"inet\", \"table\": \"drover\", \"chain\": \"" + chain.name()
                        + "\", \"handle\": " + handle++ + ", \"comment\": \"" + rule.comment() + "\"}}");
            }
        }
        return String.join(",\n", out);
    }

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
                "another node: a service it balanced here, or itself", "nothing else enters a network from outside it");
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
