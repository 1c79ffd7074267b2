package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.port;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortClashTest {

    private static final PublishedPort EVERY = port(null, 8080, "TCP", "10.10.0.7", 80, "shop/web-1");

    @Test
    void theSamePortOnEveryAddressTwiceClashes() {
        PublishedPort second = port(null, 8080, "TCP", "10.10.0.8", 80, "shop/web-2");

        List<PortClash> clashes = PortClash.find(List.of(EVERY, second));

        assertThat(clashes).containsExactly(new PortClash(EVERY, second));
        assertThat(clashes.getFirst().message()).isEqualTo(
                "TCP port 8080 on every IPv4 address of the node is already published by shop/web-1 (to 10.10.0.7:80), "
                        + "so shop/web-2 cannot publish it (to 10.10.0.8:80): choose another hostPort or hostIP, "
                        + "or stop publishing it in shop/web-1");
    }

    @Test
    void everyAddressAndOneAddressClashEitherWayRound() {
        PublishedPort one = port("192.168.1.5", 8080, "TCP", "10.10.0.8", 80, "shop/web-2");

        assertThat(PortClash.find(List.of(EVERY, one))).containsExactly(new PortClash(EVERY, one));
        assertThat(PortClash.find(List.of(one, EVERY))).containsExactly(new PortClash(one, EVERY));
        assertThat(PortClash.find(List.of(EVERY, one)).getFirst().message()).startsWith(
                "TCP port 8080 on 192.168.1.5 is already published by shop/web-1 (to 10.10.0.7:80), so shop/web-2 "
                        + "cannot publish TCP port 8080 on 192.168.1.5 (to 10.10.0.8:80)");
    }

    @Test
    void differentAddressesProtocolsPortsOrFamiliesDoNotClash() {
        List<PublishedPort> ports = List.of(
                port("192.168.1.5", 8080, "TCP", "10.10.0.7", 80, "a/a"),
                port("192.168.1.6", 8080, "TCP", "10.10.0.8", 80, "a/b"),
                port(null, 8080, "UDP", "10.10.0.9", 80, "a/c"),
                port(null, 8081, "TCP", "10.10.0.9", 80, "a/d"),
                port(null, 8080, "TCP", "fd00:10::7", 80, "a/e"),
                port(null, 8080, "SCTP", "10.10.0.9", 80, "a/f"));

        assertThat(PortClash.find(ports)).isEmpty();
        assertThat(PortClash.admit(ports).admitted()).isEqualTo(ports);
    }

    @Test
    void admissionKeepsTheFirstComerAndRefusesEveryLaterRival() {
        PublishedPort one = port("192.168.1.5", 8080, "TCP", "10.10.0.8", 80, "shop/web-2");
        PublishedPort other = port("192.168.1.6", 8080, "TCP", "10.10.0.9", 80, "shop/web-3");
        PublishedPort unrelated = port(null, 9090, "TCP", "10.10.0.9", 90, "shop/web-3");

        PortClash.Admission admission = PortClash.admit(List.of(EVERY, one, unrelated, other));

        assertThat(admission.admitted()).containsExactly(EVERY, unrelated);
        assertThat(admission.refused()).containsExactly(new PortClash(EVERY, one), new PortClash(EVERY, other));
    }

    @Test
    void aRefusedPortTakesNothingAwayFromLaterOnes() {
        PublishedPort one = port("192.168.1.5", 8080, "TCP", "10.10.0.8", 80, "shop/web-2");
        PublishedPort every = port(null, 8080, "TCP", "10.10.0.9", 80, "shop/web-3");
        PublishedPort other = port("192.168.1.6", 8080, "TCP", "10.10.0.7", 80, "shop/web-1");

        PortClash.Admission admission = PortClash.admit(List.of(one, every, other));

        assertThat(admission.admitted()).containsExactly(one, other);
        assertThat(admission.refused()).containsExactly(new PortClash(one, every));
    }

    @Test
    void anIdenticalPublicationIsNoClash() {
        PublishedPort again = port(null, 8080, "tcp", "10.10.0.7", 80, "shop/web-1");

        assertThat(PortClash.admit(List.of(EVERY, again)).admitted()).containsExactly(EVERY);
        assertThat(PortClash.find(List.of(EVERY, again))).isEmpty();
    }

    @Test
    void theSamePortOfDifferentPodsIsAClashEvenOnTheSamePodAddress() {
        PublishedPort otherPod = port(null, 8080, "TCP", "10.10.0.7", 81, "shop/web-1b");

        assertThat(PortClash.find(List.of(EVERY, otherPod))).hasSize(1);
    }

    @Test
    void ipv6MessagesBracketThePodAddress() {
        PublishedPort a = port(null, 443, "TCP", "fd00:10::7", 8443, "x/a");
        PublishedPort b = port(null, 443, "TCP", "fd00:10::8", 8443, "x/b");

        assertThat(PortClash.find(List.of(a, b)).getFirst().message()).isEqualTo(
                "TCP port 443 on every IPv6 address of the node is already published by x/a (to [fd00:10::7]:8443), "
                        + "so x/b cannot publish it (to [fd00:10::8]:8443): choose another hostPort or hostIP, "
                        + "or stop publishing it in x/a");
    }
}
