package io.drover.agent.rules;

import static io.drover.agent.rules.NetnsSandbox.must;
import static io.drover.agent.rules.RulesFixtures.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.model.net.IpAddresses;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spoofguard with real frames: two pods on one bridge, each with the MAC and address the agent would give it, and a
 * third address on the node's uplink side. A pod that forges its source address or its MAC gets nothing through,
 * to a pod on the same bridge or through the node, and the drops are counted; its own traffic keeps flowing.
 */
class SpoofGuardE2ETest {

    private static final String MAC_A = "0a:58:0a:4d:00:02";
    private static final String MAC_B = "0a:58:0a:4d:00:03";

    private NetnsSandbox sandbox;
    private String node;
    private String podA;
    private String podB;

    private final NodeRules rules = new NodeRules(List.of(network("sg", false, "10.77.0.0/24")), List.of(), PolicyRules.NONE,
            new SpoofGuard(List.of(
                    new SpoofGuard.GuardedPort("dvsga", MAC_A, List.of(IpAddresses.parse("10.77.0.2")), "t/a"),
                    new SpoofGuard.GuardedPort("dvsgb", MAC_B, List.of(IpAddresses.parse("10.77.0.3")), "t/b"))));

    @BeforeEach
    void buildNode() {
        assumeTrue(NetnsSandbox.available() && NetnsSandbox.onPath("busybox"), "needs root, ip, nft and busybox");
        sandbox = new NetnsSandbox();
        node = sandbox.namespace("sg-node");
        must(sandbox.exec(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        must(sandbox.exec(node, "ip", "link", "add", "dr-sg", "type", "bridge"));
        must(sandbox.exec(node, "ip", "address", "add", "10.77.0.1/24", "dev", "dr-sg"));
        must(sandbox.exec(node, "ip", "address", "add", "192.168.77.1/24", "dev", "lo"));
        must(sandbox.exec(node, "ip", "link", "set", "dr-sg", "up"));
        podA = pod("sg-a", "dvsga", MAC_A, "10.77.0.2");
        podB = pod("sg-b", "dvsgb", MAC_B, "10.77.0.3");
        NetnsSandbox.Result applied = sandbox.nft(node, rules.nftScript());
        assertThat(applied.ok()).as("nft: %s", applied.stderr()).isTrue();
    }

    @AfterEach
    void tearDown() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void podsWithTheirOwnAddressesPass() {
        assertThat(ping(podA, "10.77.0.3", null)).isTrue();
        assertThat(ping(podB, "10.77.0.2", null)).isTrue();
        assertThat(ping(podA, "192.168.77.1", null)).as("through the node").isTrue();
        assertThat(drops()).isZero();
    }

    @Test
    void aForgedSourceAddressIsDroppedAndCounted() {
        // Another address of the same subnet, as a pod taking a neighbour's place would use.
        must(sandbox.exec(podA, "ip", "address", "add", "10.77.0.99/24", "dev", "eth0"));

        assertThat(ping(podA, "10.77.0.3", "10.77.0.99")).as("bridged to a pod").isFalse();
        assertThat(ping(podA, "192.168.77.1", "10.77.0.99")).as("routed by the node").isFalse();
        assertThat(drops()).isPositive();
        assertThat(ping(podA, "10.77.0.3", null)).as("its own address still works").isTrue();
    }

    @Test
    void aForgedMacIsDroppedAndCounted() {
        must(sandbox.exec(podA, "ip", "link", "set", "eth0", "address", "0a:58:0a:4d:00:63"));

        assertThat(ping(podA, "10.77.0.3", null)).isFalse();
        assertThat(drops()).isPositive();
    }

    @Test
    void aPodPortWithoutItsElementsYetSendsNothing() {
        // As a runtime's pod between getting its interface and its addresses: its port is a pod port all the same.
        String unknown = pod("sg-c", "dvsgc", "0a:58:0a:4d:00:04", "10.77.0.4");

        assertThat(ping(unknown, "10.77.0.3", null)).isFalse();
        assertThat(drops()).isPositive();
    }

    private String pod(String name, String hostSide, String mac, String ip) {
        String ns = sandbox.namespace(name);
        must(sandbox.exec(node, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns));
        must(sandbox.exec(node, "ip", "link", "set", hostSide, "master", "dr-sg", "up"));
        must(sandbox.exec(ns, "ip", "link", "set", "eth0", "address", mac));
        must(sandbox.exec(ns, "ip", "address", "add", ip + "/24", "dev", "eth0"));
        must(sandbox.exec(ns, "ip", "link", "set", "eth0", "up"));
        must(sandbox.exec(ns, "ip", "route", "add", "default", "via", "10.77.0.1"));
        return ns;
    }

    private boolean ping(String ns, String address, String source) {
        List<String> command = source == null
                ? List.of("busybox", "ping", "-c", "1", "-W", "1", address)
                : List.of("busybox", "ping", "-c", "1", "-W", "1", "-I", source, address);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (sandbox.exec(ns, command.toArray(String[]::new)).ok()) {
                return true;
            }
        }
        return false;
    }

    /** Packets the spoofguard rules dropped, summed over their counters. */
    private long drops() {
        String listing = must(sandbox.exec(node, "nft", "list", "table", SpoofGuard.FAMILY, SpoofGuard.TABLE)).stdout();
        long total = 0;
        Matcher m = Pattern.compile("counter packets (\\d+) bytes \\d+ drop").matcher(listing);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }
}
