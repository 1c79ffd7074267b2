package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeRulesTest {

    /** The script with tabs shown as four spaces, as the golden texts below are written. */
    private static String spaced(String script) {
        return script.replace("\t", "    ");
    }

    /**
     * The script without the services' shared pick chains, which the golden text would otherwise list by the hundred;
     * {@link #theSharedPickChainsAreWrittenWithTheTable} checks them.
     */
    private static String withoutPickChains(String script) {
        return script.replaceAll("\n\n\tchain pick\\.[^\n]*\\{\n(?:\t\t[^\n]*\n)*\t\\}", "");
    }

    @Test
    void theSharedPickChainsAreWrittenWithTheTable() {
        String script = TWO_NETWORKS.inetScript();
        assertThat(script.lines().filter(l -> l.startsWith("\tchain pick.")))
                .hasSize(2 * 2 * ServicePicks.MAX_SLOTS)
                .contains("\tchain pick.ip.random.1 {", "\tchain pick.ip.hash.64 {", "\tchain pick.nodeport.random.7 {");
        assertThat(script).contains("\t\tmeta mark set meta mark or 0x00008000 dnat ip to ip daddr . meta l4proto . th dport"
                + " . jhash ip saddr mod 3 map @service_endpoints4 comment \"source-hash over 3 slots\"");
        assertThat(script.indexOf("map service_endpoints4 {")).as("the maps the pick chains name come first")
                .isLessThan(script.indexOf("chain pick.ip.random.1 {"));
    }

    private static String golden(String text) {
        return text.replace("{RULESET}", NodeRules.ruleset());
    }

    @Test
    void rendersTwoNetworksAndOnePublishedPort() {
        assertThat(spaced(withoutPickChains(TWO_NETWORKS.inetScript()))).isEqualTo(golden("""
            # Drover node rules, ruleset {RULESET}: one transaction replaces the whole table.
            table inet drover
            delete table inet drover
            table inet drover {
                comment "owned by the Drover agent, which rewrites it: do not edit; ruleset {RULESET}"

                set bridges {
                    type ifname
                    comment "the bridge of every Drover network on this node; ruleset {RULESET}"
                    elements = {
                        "dr-blue" comment "network blue",
                        "dr-red" comment "network red"
                    }
                }

                set bridge_pairs {
                    type ifname . ifname
                    comment "bridge . same bridge: traffic that stays within one network"
                    elements = {
                        "dr-blue" . "dr-blue" comment "network blue",
                        "dr-red" . "dr-red" comment "network red"
                    }
                }

                set subnets4 {
                    type ipv4_addr
                    flags interval
                    comment "the IPv4 subnets of every Drover network"
                    elements = {
                        10.10.0.0/16 comment "network blue",
                        10.20.0.0/16 comment "network red"
                    }
                }

                set subnets6 {
                    type ipv6_addr
                    flags interval
                    comment "the IPv6 subnets of every Drover network"
                }

                set nat_subnets4 {
                    type ipv4_addr
                    flags interval
                    comment "IPv4 subnets of networks with natOutgoing"
                    elements = {
                        10.10.0.0/16 comment "network blue"
                    }
                }

                set nat_subnets6 {
                    type ipv6_addr
                    flags interval
                    comment "IPv6 subnets of networks with natOutgoing"
                }

                set bridge_nets4 {
                    type ifname . ipv4_addr
                    flags interval
                    comment "each bridge with its network's IPv4 subnets"
                    elements = {
                        "dr-blue" . 10.10.0.0/16 comment "network blue",
                        "dr-red" . 10.20.0.0/16 comment "network red"
                    }
                }

                set peer_nodes4 {
                    type ipv4_addr
                    comment "the underlay addresses of the other nodes"
                }

                set bridge_nets6 {
                    type ifname . ipv6_addr
                    flags interval
                    comment "each bridge with its network's IPv6 subnets"
                }

                map published4 {
                    type inet_proto . inet_service : ipv4_addr . inet_service
                    comment "IPv4 ports published on every node address: proto . port : pod . port"
                    elements = {
                        tcp . 8080 comment "pod shop/web-1" : 10.10.0.7 . 80
                    }
                }

                map published4_addr {
                    type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service
                    comment "IPv4 ports published on one node address: address . proto . port : pod . port"
                }

                map published6 {
                    type inet_proto . inet_service : ipv6_addr . inet_service
                    comment "IPv6 ports published on every node address: proto . port : pod . port"
                }

                map published6_addr {
                    type ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service
                    comment "IPv6 ports published on one node address: address . proto . port : pod . port"
                }

                map pod_ingress4 {
                    type ipv4_addr : verdict
                    comment "network policy: a local pod's IPv4 address : jump to its ingress chain"
                }

                map pod_ingress6 {
                    type ipv6_addr : verdict
                    comment "network policy: a local pod's IPv6 address : jump to its ingress chain"
                }

                map pod_egress4 {
                    type ipv4_addr : verdict
                    comment "network policy: a local pod's IPv4 address : jump to its egress chain"
                }

                map pod_egress6 {
                    type ipv6_addr : verdict
                    comment "network policy: a local pod's IPv6 address : jump to its egress chain"
                }

                set service_cidrs4 {
                    type ipv4_addr
                    flags interval
                    comment "services: the ranges cluster IPs come from; unallocated ones are dropped"
                }

                set nodeport_ips4 {
                    type ipv4_addr
                    flags interval
                    comment "services: the node addresses NodePorts answer on (0.0.0.0/0: every local address)"
                }

                set cluster_ips4 {
                    type ipv4_addr
                    comment "services: every allocated cluster IP; its ports no service serves are rejected"
                }

                map service_ips4 {
                    type ipv4_addr . inet_proto . inet_service : verdict
                    comment "services: cluster, external and load-balancer IP . proto . port : goto the service port's chain"
                }

                map service_nodeports {
                    type inet_proto . inet_service : verdict
                    comment "services: proto . NodePort : goto the service port's external chain"
                }

                map firewall_ips4 {
                    type ipv4_addr . inet_proto . inet_service : verdict
                    comment "services: load-balancer IP . proto . port : goto its loadBalancerSourceRanges chain"
                }

                map no_endpoint_ips4 {
                    type ipv4_addr . inet_proto . inet_service : verdict
                    comment "services: IP . proto . port of a service without endpoints : reject, or drop under a Local policy"
                }

                map no_endpoint_nodeports {
                    type inet_proto . inet_service : verdict
                    comment "services: proto . NodePort of a service without endpoints : reject, or drop under Local"
                }

                map service_endpoints4 {
                    typeof ip daddr . meta l4proto . th dport . numgen random mod 1 : ip daddr . th dport
                    comment "services: IP . proto . port . index : endpoint . port"
                }

                map service_nodeport_endpoints {
                    typeof meta l4proto . th dport . numgen random mod 1 : ip daddr . th dport
                    comment "services: proto . NodePort . index : endpoint . port"
                }

                set service_hairpin4 {
                    type ipv4_addr . ipv4_addr
                    comment "services: local endpoint . itself: an endpoint reaching its own service is masqueraded"
                }

                set service_masquerade4 {
                    type ipv4_addr . inet_proto . inet_service
                    comment "services: external IP . proto . port balanced by a pick chain under Cluster: masquerade"
                }

                set service_offnet4 {
                    type ipv4_addr . inet_proto . inet_service
                    comment "services: cluster IP . proto . port balanced by a pick chain: masquerade clients outside the pods"
                }

                chain forward {
                    type filter hook forward priority filter; policy accept;
                    ct state established,related accept comment "replies and established connections, which keep flowing across rule rewrites"
                    ct state new jump service_checks comment "services: what no service chain took"
                    ip saddr vmap @pod_egress4 comment "network policy: egress of an isolated local pod"
                    ip6 saddr vmap @pod_egress6 comment "network policy: egress of an isolated local pod, IPv6"
                    ip daddr vmap @pod_ingress4 comment "network policy: ingress of an isolated local pod"
                    ip6 daddr vmap @pod_ingress6 comment "network policy: ingress of an isolated local pod, IPv6"
                    iifname @bridges jump from_pod comment "traffic leaving a pod"
                    oifname @bridges jump to_pod comment "traffic entering a network from outside it"
                }

                chain from_pod {
                    oifname @bridges iifname . oifname != @bridge_pairs drop comment "isolation: no traffic from one network to another"
                    accept comment "within the network, and out of the node"
                }

                chain to_pod {
                    oifname . ip saddr @bridge_nets4 accept comment "the same network, from a pod on another node"
                    oifname . ip6 saddr @bridge_nets6 accept comment "the same network, from a pod on another node, IPv6"
                    ct status dnat accept comment "published ports"
                    ip saddr @peer_nodes4 accept comment "another node: a service it balanced here, or itself"
                    drop comment "nothing else enters a network from outside it"
                }

                chain input {
                    type filter hook input priority filter; policy accept;
                    ct state new jump service_checks comment "services: NodePorts without endpoints"
                    iifname @bridges ip daddr @subnets4 iifname . ip daddr != @bridge_nets4 drop comment "isolation through the node: no pod reaches another network's gateway"
                    iifname @bridges ip6 daddr @subnets6 iifname . ip6 daddr != @bridge_nets6 drop comment "isolation through the node, IPv6"
                }

                chain filter_output {
                    type filter hook output priority filter; policy accept;
                    ct state new jump service_checks comment "services: what no service chain took, from the node"
                }

                chain service_checks {
                    ip daddr . meta l4proto . th dport vmap @no_endpoint_ips4 comment "services without endpoints: reject, or drop under a Local policy"
                    fib daddr type local ip daddr @nodeport_ips4 meta l4proto . th dport vmap @no_endpoint_nodeports comment "NodePorts without endpoints"
                    ip daddr @cluster_ips4 reject comment "a cluster IP on a port its services do not serve"
                    ip daddr @service_cidrs4 drop comment "an unallocated address of the service CIDRs"
                }

                chain service_reject {
                    reject comment "a service without endpoints refuses at once"
                }

                chain tunnel_untracked {
                    type filter hook prerouting priority raw; policy accept;
                    ip saddr @peer_nodes4 udp dport 4789 notrack comment "VXLAN from another node: tracked inside, not again outside"
                }

                chain tunnel_untracked_output {
                    type filter hook output priority raw; policy accept;
                    ip daddr @peer_nodes4 udp dport 4789 notrack comment "VXLAN to another node: tracked inside, not again outside"
                }

                chain service_firewall {
                    type filter hook prerouting priority -110; policy accept;
                    ct state new ip daddr . meta l4proto . th dport vmap @firewall_ips4 comment "loadBalancerSourceRanges, before DNAT"
                }

                chain service_firewall_output {
                    type filter hook output priority -110; policy accept;
                    ct state new ip daddr . meta l4proto . th dport vmap @firewall_ips4 comment "loadBalancerSourceRanges, from the node, before DNAT"
                }

                chain services {
                    ip daddr . meta l4proto . th dport @service_masquerade4 jump mark_for_masquerade comment "external addresses under externalTrafficPolicy Cluster: the endpoint may be on another node"
                    ip daddr . meta l4proto . th dport @service_offnet4 ip saddr != @subnets4 jump mark_for_masquerade comment "clients outside the pod networks to a cluster IP"
                    ip daddr . meta l4proto . th dport vmap @service_ips4 comment "cluster, external and load-balancer IPs"
                    fib daddr type local ip daddr @nodeport_ips4 meta l4proto . th dport vmap @service_nodeports comment "NodePorts on the node's addresses"
                }

                chain mark_for_masquerade {
                    meta mark set meta mark or 0x00004000 comment "masqueraded in postrouting"
                }

                chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname @bridges ip daddr @subnets4 iifname . ip daddr != @bridge_nets4 return comment "another network's gateway is no way in"
                    iifname @bridges ip6 daddr @subnets6 iifname . ip6 daddr != @bridge_nets6 return comment "another network's gateway is no way in, IPv6"
                    jump services comment "services, before published ports"
                    fib daddr type local jump published comment "published ports, from outside the node and from pods"
                }

                chain output {
                    type nat hook output priority -100; policy accept;
                    ip daddr 127.0.0.0/8 return comment "loopback is not published"
                    ip6 daddr ::1 return comment "loopback is not published, IPv6"
                    jump services comment "services, from the node itself"
                    fib daddr type local jump published comment "published ports, from the node itself"
                }

                chain published {
                    meta nfproto ipv4 dnat ip to ip daddr . meta l4proto . th dport map @published4_addr comment "IPv4 ports published on one address"
                    meta nfproto ipv4 dnat ip to meta l4proto . th dport map @published4 comment "IPv4 ports published on every address"
                    meta nfproto ipv6 dnat ip6 to ip6 daddr . meta l4proto . th dport map @published6_addr comment "IPv6 ports published on one address"
                    meta nfproto ipv6 dnat ip6 to meta l4proto . th dport map @published6 comment "IPv6 ports published on every address"
                }

                chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    meta mark & 0x00004000 == 0x00004000 meta mark set meta mark & 0xffff3fff masquerade comment "services: what the service chains marked (hairpin, external)"
                    meta mark & 0x00008000 == 0x00008000 ip saddr . ip daddr @service_hairpin4 meta mark set meta mark & 0xffff3fff masquerade comment "services: hairpin, an endpoint reaching its own service"
                    meta mark & 0x00008000 == 0x00008000 meta mark set meta mark & 0xffff3fff return comment "services: the rest of service traffic keeps its source"
                    ct status dnat oifname . ip saddr @bridge_nets4 masquerade comment "hairpin: a pod reaching a published port of its own network"
                    ct status dnat oifname . ip6 saddr @bridge_nets6 masquerade comment "hairpin, IPv6"
                    oifname != @bridges ip saddr @nat_subnets4 ip daddr != @subnets4 masquerade comment "natOutgoing: pods leave the node with its address"
                    oifname != @bridges ip6 saddr @nat_subnets6 ip6 daddr != @subnets6 masquerade comment "natOutgoing, IPv6"
                }
            }
            """));
    }

    @Test
    void indentsWithTabsAsNftListDoes() {
        assertThat(TWO_NETWORKS.nftScript()).contains("\n\tset bridges {\n\t\ttype ifname\n").doesNotContain("    ");
    }

    @Test
    void anEmptyNodeStillGetsTheWholeTableWithEmptySets() {
        String script = NodeRules.EMPTY.nftScript();

        assertThat(script).startsWith("# Drover node rules, ruleset " + NodeRules.ruleset()
                        + ": one transaction replaces the whole table.\ntable inet drover\ndelete table inet drover\n")
                .contains("\tset bridges {\n\t\ttype ifname\n\t\tcomment \"the bridge of every Drover network on this node; ruleset "
                        + NodeRules.ruleset() + "\"\n\t}\n")
                .doesNotContain("elements")
                .contains("chain forward", "chain input", "chain prerouting", "chain output", "chain postrouting");
    }

    @Test
    void rendersDualStackIpv6OnlyAndPortsOnOneAddress() {
        TableElements e = EVERYTHING.elements();

        assertThat(rendered(e, "bridges")).containsExactly(
                "\"dr-blue\" comment \"network blue\"", "\"dr-green\" comment \"network green\"", "\"dr-red\" comment \"network red\"");
        assertThat(rendered(e, "subnets4")).containsExactly(
                "10.10.0.0/16 comment \"network blue\"", "10.20.0.0/16 comment \"network red\"");
        assertThat(rendered(e, "subnets6")).containsExactly(
                "fd00:10::/64 comment \"network blue\"", "fd00:30::/64 comment \"network green\"");
        assertThat(rendered(e, "nat_subnets4")).containsExactly("10.10.0.0/16 comment \"network blue\"");
        assertThat(rendered(e, "nat_subnets6")).containsExactly("fd00:10::/64 comment \"network blue\"");
        assertThat(rendered(e, "bridge_nets6")).containsExactly(
                "\"dr-blue\" . fd00:10::/64 comment \"network blue\"", "\"dr-green\" . fd00:30::/64 comment \"network green\"");
        assertThat(rendered(e, "published4")).containsExactly("tcp . 8080 comment \"pod shop/web-1\" : 10.10.0.7 . 80");
        assertThat(rendered(e, "published4_addr")).containsExactly(
                "192.168.1.5 . udp . 5353 comment \"pod infra/dns\" : 10.20.0.9 . 53");
        assertThat(rendered(e, "published6")).containsExactly("tcp . 8080 comment \"pod shop/web-1\" : fd00:10::7 . 80");
        assertThat(rendered(e, "published6_addr")).containsExactly(
                "2001:db8::5 . sctp . 3868 comment \"pod telco/diameter\" : fd00:30::9 . 3868");
    }

    @Test
    void aNetworkWithoutNatOutgoingIsIsolatedButNotMasqueraded() {
        TableElements e = new NodeRules(List.of(RED), List.of()).elements();

        assertThat(rendered(e, "bridges")).containsExactly("\"dr-red\" comment \"network red\"");
        assertThat(rendered(e, "bridge_pairs")).containsExactly("\"dr-red\" . \"dr-red\" comment \"network red\"");
        assertThat(e.of("nat_subnets4")).isEmpty();
        assertThat(e.sets().keySet()).containsExactly("bridges", "bridge_pairs", "subnets4", "bridge_nets4");
    }

    @Test
    void aSingleAddressSubnetIsWrittenAsNftListsIt() {
        TableElements e = new NodeRules(List.of(network("one", false, "10.99.0.1/32", "fd00:99::1/128")), List.of()).elements();

        assertThat(rendered(e, "subnets4")).containsExactly("10.99.0.1 comment \"network one\"");
        assertThat(rendered(e, "bridge_nets6")).containsExactly("\"dr-one\" . fd00:99::1 comment \"network one\"");
    }

    @Test
    void theSameInputInAnyOrderGivesTheSameScriptByteForByte() {
        List<BridgeNetwork> networks = new ArrayList<>(EVERYTHING.networks());
        List<PublishedPort> ports = new ArrayList<>(EVERYTHING.ports());
        ports.add(port(null, 80, "UDP", "10.10.0.9", 80, "a/b"));
        ports.add(port("10.0.0.1", 80, "TCP", "10.10.0.9", 80, "a/b"));
        ports.add(port("9.0.0.1", 80, "TCP", "10.10.0.9", 80, "a/b"));
        String reference = new NodeRules(networks, ports).nftScript();
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(networks, random);
            Collections.shuffle(ports, random);
            NodeRules shuffled = new NodeRules(networks, ports);
            assertThat(shuffled.nftScript()).isEqualTo(reference);
            assertThat(shuffled).isEqualTo(new NodeRules(EVERYTHING.networks(), shuffled.ports()));
        }
        // Numeric, not textual, order of host addresses: 9.0.0.1 before 10.0.0.1.
        assertThat(reference.indexOf("9.0.0.1 . tcp . 80")).isLessThan(reference.indexOf("10.0.0.1 . tcp . 80"));
    }

    @Test
    void anUnchangedInputNeedsNoUpdate() {
        assertThat(EVERYTHING.updateScript(new NodeRules(EVERYTHING.networks(), EVERYTHING.ports()))).isEmpty();
    }

    @Test
    void anUpdateAddsOnlyWhatIsNew() {
        NodeRules more = new NodeRules(List.of(BLUE, RED), List.of(WEB, port(null, 9090, "UDP", "10.20.0.4", 9000, "shop/udp")));

        assertThat(more.updateScript(TWO_NETWORKS)).isEqualTo("# Drover node rules, ruleset " + NodeRules.ruleset()
                + ": element changes only.\n"
                + "add element inet drover published4 { udp . 9090 comment \"pod shop/udp\" : 10.20.0.4 . 9000 }\n");
    }

    @Test
    void anUpdateDeletesByKeyFirstThenAdds() {
        NodeRules moved = new NodeRules(List.of(BLUE), List.of(port(null, 8080, "TCP", "10.10.0.8", 80, "shop/web-2")));

        assertThat(moved.updateScript(TWO_NETWORKS)).isEqualTo("# Drover node rules, ruleset " + NodeRules.ruleset()
                + ": element changes only.\n"
                + "delete element inet drover bridges { \"dr-red\" }\n"
                + "delete element inet drover bridge_pairs { \"dr-red\" . \"dr-red\" }\n"
                + "delete element inet drover subnets4 { 10.20.0.0/16 }\n"
                + "delete element inet drover bridge_nets4 { \"dr-red\" . 10.20.0.0/16 }\n"
                + "delete element inet drover published4 { tcp . 8080 }\n"
                + "add element inet drover published4 { tcp . 8080 comment \"pod shop/web-2\" : 10.10.0.8 . 80 }\n");
    }

    @Test
    void removingEverythingDeletesEveryElement() {
        String script = NodeRules.EMPTY.updateScript(EVERYTHING);

        assertThat(script).doesNotContain("add element");
        assertThat(script.lines().filter(l -> l.startsWith("delete element"))).hasSize(EVERYTHING.elements().sets().size());
    }

    @Test
    void syncRewritesAMissingOrForeignTableAndPatchesOneOfThisShape() {
        assertThat(TWO_NETWORKS.syncScript(ProgrammedTable.ABSENT)).isEqualTo(TWO_NETWORKS.inetScript());

        ProgrammedTable current = programmed(NodeRules.ruleset(), TWO_NETWORKS.elements());
        assertThat(TWO_NETWORKS.isProgrammed(current)).isTrue();
        assertThat(TWO_NETWORKS.syncScript(current)).isEmpty();

        assertThat(EVERYTHING.isProgrammed(current)).isFalse();
        assertThat(EVERYTHING.syncScript(current)).isEqualTo(EVERYTHING.updateScript(TWO_NETWORKS));

        ProgrammedTable older = programmed("0123456789ab", TWO_NETWORKS.elements());
        assertThat(TWO_NETWORKS.isProgrammed(older)).isFalse();
        assertThat(TWO_NETWORKS.syncScript(older)).isEqualTo(TWO_NETWORKS.inetScript());
    }

    @Test
    void aMissingRuleOrChainMeansTheShapeDiffers() {
        ProgrammedTable current = programmed(NodeRules.ruleset(), TWO_NETWORKS.elements());
        var comments = new java.util.LinkedHashMap<>(current.ruleComments());
        comments.put("forward", comments.get("forward").subList(1, comments.get("forward").size()));
        ProgrammedTable withoutRule = new ProgrammedTable(true, current.ruleset(), current.sets(), current.chains(),
                comments, current.elements());
        var chains = new java.util.LinkedHashMap<>(current.chains());
        chains.put("forward", "filter forward 0 drop");
        ProgrammedTable dropPolicy = new ProgrammedTable(true, current.ruleset(), current.sets(), chains,
                current.ruleComments(), current.elements());

        assertThat(TWO_NETWORKS.syncScript(withoutRule)).isEqualTo(TWO_NETWORKS.inetScript());
        assertThat(TWO_NETWORKS.syncScript(dropPolicy)).isEqualTo(TWO_NETWORKS.inetScript());
    }

    @Test
    void theRulesetFingerprintIsStableAndShort() {
        assertThat(NodeRules.ruleset()).matches("[0-9a-f]{12}").isEqualTo(DroverTable.RULESET);
    }

    @Test
    void refusesTwoNetworksOnOneBridge() {
        assertThatThrownBy(() -> new NodeRules(List.of(BLUE, new BridgeNetwork("azure", "dr-blue", List.of(), false)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("networks blue and azure both use bridge dr-blue; every network needs a bridge of its own");
    }

    @Test
    void refusesANetworkListedTwice() {
        assertThatThrownBy(() -> new NodeRules(List.of(BLUE, new BridgeNetwork("blue", "dr-blue2", List.of(), false)), List.of()))
                .hasMessage("network blue is listed twice, on bridges dr-blue and dr-blue2");
    }

    @Test
    void refusesOverlappingSubnetsOfDifferentNetworks() {
        assertThatThrownBy(() -> new NodeRules(List.of(BLUE, network("sky", false, "10.10.128.0/17")), List.of()))
                .hasMessage("subnet 10.10.128.0/17 of network sky overlaps 10.10.0.0/16 of network blue");
    }

    @Test
    void refusesClashingPortsWithTheClashMessage() {
        PublishedPort other = port("192.168.1.5", 8080, "TCP", "10.10.0.9", 80, "shop/web-2");

        assertThatThrownBy(() -> new NodeRules(List.of(BLUE), List.of(WEB, other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(PortClash.find(List.of(WEB, other)).getFirst().message());
    }

    @Test
    void theSamePublicationTwiceIsOnce() {
        NodeRules rules = new NodeRules(List.of(BLUE), List.of(WEB, port(null, 8080, "tcp", "10.10.0.7", 80, "shop/web-1")));

        assertThat(rules.ports()).containsExactly(WEB);
    }

    @Test
    void theDeleteScriptCreatesThenDeletesSoItNeverFails() {
        assertThat(NodeRules.deleteScript()).isEqualTo("table inet drover\ndelete table inet drover\n"
                + "table bridge drover\ndelete table bridge drover\n"
                + "table netdev drover\ndelete table netdev drover\n");
    }

    private static List<String> rendered(TableElements elements, String set) {
        return elements.of(set).stream().map(SetElement::render).toList();
    }

    /** A table as ProgrammedTable would read it, with this build's shape. */
    private static ProgrammedTable programmed(String ruleset, TableElements elements) {
        return new ProgrammedTable(true, ruleset, DroverTable.setSignatures(PolicyRules.NONE, ServiceRules.NONE),
                DroverTable.chainSignatures(PolicyRules.NONE, ServiceRules.NONE),
                DroverTable.ruleComments(PolicyRules.NONE, ServiceRules.NONE), elements);
    }
}
