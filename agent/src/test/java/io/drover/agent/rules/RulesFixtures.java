package io.drover.agent.rules;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.Arrays;
import java.util.List;

/** Small inputs shared by the rules tests. */
final class RulesFixtures {

    private RulesFixtures() {}

    static BridgeNetwork network(String name, boolean natOutgoing, String... subnets) {
        return BridgeNetwork.of(name, Arrays.stream(subnets).map(Cidr::parse).toList(), natOutgoing);
    }

    static PublishedPort port(String hostIp, int hostPort, String protocol, String podIp, int podPort, String pod) {
        return new PublishedPort(hostIp, hostPort, protocol, IpAddresses.parse(podIp), podPort, pod);
    }

    static final BridgeNetwork BLUE = network("blue", true, "10.10.0.0/16");
    static final BridgeNetwork RED = network("red", false, "10.20.0.0/16");
    static final BridgeNetwork BLUE_DUAL = network("blue", true, "10.10.0.0/16", "fd00:10::/64");
    static final BridgeNetwork GREEN_V6 = network("green", false, "fd00:30::/64");

    static final PublishedPort WEB = port(null, 8080, "TCP", "10.10.0.7", 80, "shop/web-1");
    static final PublishedPort WEB_V6 = port(null, 8080, "TCP", "fd00:10::7", 80, "shop/web-1");
    static final PublishedPort DNS_ON_ADDR = port("192.168.1.5", 5353, "UDP", "10.20.0.9", 53, "infra/dns");
    static final PublishedPort SCTP_V6_ON_ADDR = port("2001:db8::5", 3868, "SCTP", "fd00:30::9", 3868, "telco/diameter");

    /** Two networks, one published port: the example of the README of this package. */
    static final NodeRules TWO_NETWORKS = new NodeRules(List.of(BLUE, RED), List.of(WEB));

    /** Every feature at once: dual stack, IPv6 only, ports on every address and on one, TCP, UDP and SCTP. */
    static final NodeRules EVERYTHING = new NodeRules(
            List.of(BLUE_DUAL, RED, GREEN_V6), List.of(WEB, WEB_V6, DNS_ON_ADDR, SCTP_V6_ON_ADDR));
}
