package io.drover.agent.rules;

import static io.drover.agent.rules.NetnsSandbox.must;
import static io.drover.agent.rules.RulesFixtures.network;
import static io.drover.agent.rules.RulesFixtures.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real packets through the rules, in throwaway namespaces: a node with two bridges (blue with natOutgoing, red
 * without, both dual-stack), three pods and an "outside" host on the node's uplink. Each server answers HTTP
 * with its name and the client address it sees, so the tests can tell DNAT, masquerade and hairpin apart.
 *
 * <pre>
 *   blue1 10.10.0.2 ─┐                                   ┌─ red1 10.20.0.2
 *   blue2 10.10.0.3 ─┴─ dr-blue 10.10.0.1   node   dr-red 10.20.0.1 ─┘
 *                                            │ up0 192.168.50.1 / fd00:50::1
 *                                  outside 192.168.50.2 / fd00:50::2
 * </pre>
 */
class DataPlaneE2ETest {

    private static final String OUTSIDE_IP = "192.168.50.2";
    private static final String UPLINK_IP = "192.168.50.1";

    private NetnsSandbox sandbox;
    private String node;
    private String blue1;
    private String blue2;
    private String red1;
    private String outside;

    private final NodeRules rules = new NodeRules(
            List.of(network("blue", true, "10.10.0.0/24", "fd00:10::/64"),
                    network("red", false, "10.20.0.0/24", "fd00:20::/64")),
            List.of(port(null, 8080, "TCP", "10.10.0.3", 80, "shop/blue2"),
                    port(null, 8080, "TCP", "fd00:10::3", 80, "shop/blue2"),
                    port(UPLINK_IP, 9090, "TCP", "10.20.0.2", 80, "shop/red1")));

    @BeforeEach
    void buildTopology() throws IOException {
        assumeTrue(NetnsSandbox.available() && NetnsSandbox.onPath("busybox"), "needs root, ip, nft and busybox");
        sandbox = new NetnsSandbox();
        node = sandbox.namespace("node");
        outside = sandbox.namespace("out");
        must(sandbox.exec(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        must(sandbox.exec(node, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1"));
        bridge("dr-blue", "10.10.0.1/24", "fd00:10::1/64");
        bridge("dr-red", "10.20.0.1/24", "fd00:20::1/64");
        blue1 = pod("blue1", "dr-blue", "10.10.0.2", "fd00:10::2", "10.10.0.1", "fd00:10::1");
        blue2 = pod("blue2", "dr-blue", "10.10.0.3", "fd00:10::3", "10.10.0.1", "fd00:10::1");
        red1 = pod("red1", "dr-red", "10.20.0.2", "fd00:20::2", "10.20.0.1", "fd00:20::1");
        must(sandbox.exec(node, "ip", "link", "add", "up0", "type", "veth", "peer", "name", "eth0", "netns", outside));
        address(node, "up0", UPLINK_IP + "/24", "fd00:50::1/64");
        address(outside, "eth0", OUTSIDE_IP + "/24", "fd00:50::2/64");
        // The outside host can route to red (not NATed) but not to blue (NATed), as a real uplink would.
        must(sandbox.exec(outside, "ip", "route", "add", "10.20.0.0/24", "via", UPLINK_IP));
        must(sandbox.exec(outside, "ip", "-6", "route", "add", "fd00:20::/64", "via", "fd00:50::1"));
        serve(blue2, "blue2");
        serve(red1, "red1");
        serve(outside, "outside");
    }

    @AfterEach
    void tearDown() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void networksAreIsolatedFromEachOtherAlsoThroughTheNode() {
        assertThat(ping(blue1, "10.20.0.2")).as("without rules the node routes between networks").isTrue();
        apply(rules.nftScript());

        assertThat(ping(blue1, "10.10.0.3")).as("same network").isTrue();
        assertThat(ping(blue1, "fd00:10::3")).as("same network, IPv6").isTrue();
        assertThat(ping(blue1, "10.10.0.1")).as("own gateway").isTrue();
        assertThat(ping(blue1, "10.20.0.2")).as("pod on another network").isFalse();
        assertThat(ping(red1, "10.10.0.2")).as("pod on another network, other way").isFalse();
        assertThat(ping(blue1, "fd00:20::2")).as("pod on another network, IPv6").isFalse();
        assertThat(ping(blue1, "10.20.0.1")).as("another network's gateway").isFalse();
        assertThat(ping(red1, "fd00:10::1")).as("another network's gateway, IPv6").isFalse();
        assertThat(http(red1, "10.10.0.1", 8080)).as("a published port through another network's gateway").isNull();
        assertThat(ping(blue1, UPLINK_IP)).as("the node's uplink address").isTrue();
    }

    @Test
    void publishedPortsAreReachableFromOutsideFromTheNodeAndFromTheirOwnNetwork() {
        apply(rules.nftScript());

        assertThat(http(outside, UPLINK_IP, 8080)).as("from outside").isEqualTo("blue2 " + OUTSIDE_IP);
        assertThat(http(outside, "fd00:50::1", 8080)).as("from outside, IPv6").isEqualTo("blue2 fd00:50::2");
        assertThat(http(outside, UPLINK_IP, 9090)).as("published on one address").isEqualTo("red1 " + OUTSIDE_IP);
        assertThat(http(node, "10.20.0.1", 9090)).as("not on the node's other addresses").isNull();
        assertThat(http(node, UPLINK_IP, 8080)).as("from the node itself").startsWith("blue2 ");
        assertThat(http(blue1, UPLINK_IP, 8080)).as("hairpin from a neighbour").isEqualTo("blue2 10.10.0.1");
        assertThat(http(blue2, "10.10.0.1", 8080)).as("hairpin to itself").isEqualTo("blue2 10.10.0.1");
        assertThat(http(red1, UPLINK_IP, 8080)).as("from another network, as Docker's isolation").isNull();
        assertThat(http(outside, "10.20.0.2", 80)).as("a pod, directly, without publishing").isNull();
    }

    @Test
    void natOutgoingMasqueradesOnlyTheNetworksThatAskForIt() {
        apply(rules.nftScript());

        assertThat(http(blue1, OUTSIDE_IP, 80)).isEqualTo("outside " + UPLINK_IP);
        assertThat(http(blue1, "fd00:50::2", 80)).isEqualTo("outside fd00:50::1");
        assertThat(http(red1, OUTSIDE_IP, 80)).isEqualTo("outside 10.20.0.2");
    }

    @Test
    void aRemovedPortIsGoneAndOthersKeepWorking() {
        apply(rules.nftScript());
        assertThat(http(outside, UPLINK_IP, 8080)).isEqualTo("blue2 " + OUTSIDE_IP);
        NodeRules without = new NodeRules(rules.networks(),
                rules.ports().stream().filter(p -> p.hostPort() != 8080).toList());

        apply(without.updateScript(rules));

        assertThat(http(outside, UPLINK_IP, 8080)).isNull();
        assertThat(http(outside, UPLINK_IP, 9090)).isEqualTo("red1 " + OUTSIDE_IP);
    }

    @Test
    void establishedConnectionsSurviveARewriteOfTheWholeTable() throws Exception {
        NodeRules withEcho = new NodeRules(rules.networks(), java.util.stream.Stream.concat(rules.ports().stream(),
                java.util.stream.Stream.of(port(null, 8181, "TCP", "10.10.0.3", 81, "shop/blue2"))).toList());
        apply(withEcho.nftScript());
        Process server = sandbox.interactive(blue2, "busybox", "nc", "-l", "-p", "81");
        for (int i = 0; i < 50 && !sandbox.exec(blue2, "busybox", "netstat", "-ltn").stdout().contains(":81 "); i++) {
            sleep(100);
        }
        Process client = sandbox.interactive(outside, "busybox", "nc", UPLINK_IP, "8181");
        BufferedReader received = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        OutputStream sent = client.getOutputStream();

        sent.write("before\n".getBytes(StandardCharsets.UTF_8));
        sent.flush();
        assertThat(readLine(received)).isEqualTo("before");

        apply(withEcho.nftScript());
        apply(new NodeRules(rules.networks(), List.of()).nftScript());

        sent.write("after\n".getBytes(StandardCharsets.UTF_8));
        sent.flush();
        assertThat(readLine(received)).as("the DNAT binding lives in conntrack, not in the table").isEqualTo("after");
        assertThat(http(outside, UPLINK_IP, 8181)).as("but no new connection is published").isNull();
    }

    private static String readLine(BufferedReader reader) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private void bridge(String name, String... addresses) {
        must(sandbox.exec(node, "ip", "link", "add", name, "type", "bridge"));
        address(node, name, addresses);
    }

    private String pod(String name, String bridge, String ip4, String ip6, String gw4, String gw6) {
        String ns = sandbox.namespace(name);
        String hostSide = "v" + name;
        must(sandbox.exec(node, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns));
        must(sandbox.exec(node, "ip", "link", "set", hostSide, "master", bridge, "up"));
        // As the agent does (Kernel.setHairpin): without it the kernel drops a pod's packet DNATed back to itself.
        must(sandbox.exec(node, "ip", "link", "set", hostSide, "type", "bridge_slave", "hairpin", "on"));
        address(ns, "eth0", ip4 + "/24", ip6 + "/64");
        must(sandbox.exec(ns, "ip", "route", "add", "default", "via", gw4));
        must(sandbox.exec(ns, "ip", "-6", "route", "add", "default", "via", gw6));
        return ns;
    }

    /** Addresses without duplicate address detection, so that IPv6 works at once. */
    private void address(String ns, String link, String... addresses) {
        for (String a : addresses) {
            must(sandbox.exec(ns, "ip", "address", "add", a, "dev", link, "nodad"));
        }
        must(sandbox.exec(ns, "ip", "link", "set", link, "up"));
    }

    /** busybox httpd answering /cgi-bin/whoami with the server's name and the client address it sees. */
    private void serve(String ns, String name) throws IOException {
        Path root = sandbox.tempDir();
        Path script = Files.createDirectories(root.resolve("cgi-bin")).resolve("whoami");
        Files.writeString(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\necho \"" + name
                + " $REMOTE_ADDR\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        sandbox.background(ns, "busybox", "httpd", "-f", "-p", "80", "-h", root.toString());
        for (int i = 0; i < 50 && !listening(ns); i++) {
            sleep(100);
        }
    }

    private boolean listening(String ns) {
        return sandbox.exec(ns, "busybox", "netstat", "-ltn").stdout().contains(":80 ");
    }

    private void apply(String script) {
        NetnsSandbox.Result result = sandbox.nft(node, script);
        assertThat(result.ok()).as("nft -f failed: %s", result.stderr()).isTrue();
    }

    /** Whether a ping gets an answer; a reachable address gets three tries, as IPv6 neighbours need a moment. */
    private boolean ping(String ns, String address) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (sandbox.exec(ns, "busybox", "ping", "-c", "1", "-W", "1", address).ok()) {
                return true;
            }
        }
        return false;
    }

    /** The whoami answer, or null when the connection fails. */
    private String http(String ns, String address, int port) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        for (int attempt = 0; attempt < 2; attempt++) {
            NetnsSandbox.Result r = sandbox.exec(ns, "busybox", "timeout", "2", "busybox", "wget", "-q", "-O", "-",
                    "http://" + host + ":" + port + "/cgi-bin/whoami");
            if (r.ok()) {
                // busybox writes IPv6 clients as [addr], and IPv4 ones on its dual-stack socket as [::ffff:addr].
                return r.stdout().strip().replace("[::ffff:", "").replace("[", "").replace("]", "");
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
