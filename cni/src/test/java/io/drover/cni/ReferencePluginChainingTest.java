package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.cni.CniResult.Dns;
import io.drover.cni.CniResult.Interface;
import io.drover.cni.CniResult.IpConfig;
import io.drover.cni.CniResult.Route;
import io.drover.cni.Processes.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * "Results parse when chained before the reference portmap, tuning and bandwidth plugins": an ADD through the real
 * drover-cni executable and socket, whose result is then given as prevResult to the reference plugins installed on this
 * machine (containernetworking-plugins, /usr/lib/cni), as a runtime does with a plugin chain.
 *
 * <p>The plugins program the kernel (iptables DNAT, sysctls, tc qdiscs and an ifb device), so every one of them runs
 * inside a throwaway "host" namespace this test creates ({@code ip netns exec drvt-h...}), attached by a veth pair to a
 * throwaway "container" namespace; both are deleted afterwards. Nothing runs in the root namespace. Skipped when not
 * root, or when iproute2 or the plugins are missing.
 *
 * <p>The installed plugins (1.1.1) speak CNI up to 1.0.0, so 1.1.0 results are not checked against them.
 */
class ReferencePluginChainingTest {

    private static final Path PLUGINS = Path.of("/usr/lib/cni");
    private static final String PATH_ENV = "/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path dir;

    private String hostNs;
    private String containerNs;
    private String hostVeth;
    private CniSocketServer server;
    private Path socket;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(PLUGINS.resolve("portmap")) && Files.isExecutable(PLUGINS.resolve("tuning"))
                && Files.isExecutable(PLUGINS.resolve("bandwidth")), "the reference CNI plugins are not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "iproute2 is not installed");
        assumeTrue(Processes.check("id", "-u").strip().equals("0"), "creating namespaces needs root");
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        hostNs = "drvt-h" + id;
        containerNs = "drvt-c" + id;
        hostVeth = "drv" + id;
        Processes.check("ip", "netns", "add", hostNs);
        Processes.check("ip", "netns", "add", containerNs);
        Processes.check("ip", "-n", hostNs, "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0",
                "netns", containerNs);
        Processes.check("ip", "-n", hostNs, "addr", "add", "10.99.0.1/24", "dev", hostVeth);
        Processes.check("ip", "-n", hostNs, "link", "set", hostVeth, "up");
        Processes.check("ip", "-n", containerNs, "addr", "add", "10.99.0.2/24", "dev", "eth0");
        Processes.check("ip", "-n", containerNs, "link", "set", "eth0", "up");

        // The agent stand-in reports the veth pair as it really is, as the agent must.
        CniResult made = new CniResult(List.of(
                new Interface(hostVeth, mac(hostNs, hostVeth), null),
                new Interface("eth0", mac(containerNs, "eth0"), "/run/netns/" + containerNs)),
                List.of(new IpConfig(1, "10.99.0.2/24", "10.99.0.1")), List.of(new Route("0.0.0.0/0", "10.99.0.1")),
                new Dns(List.of("10.99.0.1"), "cluster.local", List.of("svc.cluster.local"), List.of()));
        CniHandler handler = new CniHandler() {
            @Override
            public CniResult add(CniRequest r) {
                return made;
            }

            @Override
            public void del(CniRequest r) {}

            @Override
            public void check(CniRequest r) {}

            @Override
            public void status(CniRequest r) {}

            @Override
            public void gc(CniRequest r) {}
        };
        socket = dir.resolve("agent.sock");
        server = CniSocketServer.start(socket, new CniDispatcher(handler));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        for (String ns : new String[] {containerNs, hostNs}) {
            if (ns != null && Files.exists(Path.of("/run/netns", ns))) {
                Processes.check("ip", "netns", "delete", ns);
            }
        }
    }

    private static String mac(String ns, String link) throws Exception {
        JsonNode links = CniResultTest.JSON.readTree(Processes.check("ip", "-n", ns, "-j", "link", "show", link));
        return links.get(0).get("address").stringValue();
    }

    private Map<String, String> env(String command) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c1");
        env.put("CNI_NETNS", "/run/netns/" + containerNs);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", PLUGINS.toString());
        env.put("PATH", PATH_ENV); // portmap runs iptables
        return env;
    }

    /** Runs a reference plugin inside the throwaway host namespace. */
    private Run plugin(String name, String command, String config) throws Exception {
        return Processes.run(List.of("ip", "netns", "exec", hostNs, PLUGINS.resolve(name).toString()), env(command),
                config.getBytes(StandardCharsets.UTF_8));
    }

    private static String chained(String version, String type, String extra, String prevResult) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"blue\",\"type\":\"" + type + "\"" + extra
                + ",\"prevResult\":" + prevResult + "}";
    }

    private String hostNat() throws Exception {
        return Processes.check("ip", "netns", "exec", hostNs, "iptables-save", "-t", "nat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3.1", "0.4.0", "1.0.0"})
    void theReferencePluginsReadDroversResult(String version) throws Exception {
        String config = "{\"cniVersion\":\"" + version + "\",\"name\":\"blue\",\"type\":\"drover\",\"socket\":"
                + GoJson.quote(socket.toString()) + "}";
        Run add = Processes.run(List.of(ExecutableTest.EXECUTABLE.toString()), env("ADD"),
                config.getBytes(StandardCharsets.UTF_8));
        assertThat(add.exit()).as(add.stdout()).isZero();
        String result = add.stdout();

        // portmap without mappings parses prevResult and prints it again, through libcni: byte for byte ours.
        Run passThrough = plugin("portmap", "ADD", chained(version, "portmap", "", result));
        assertThat(passThrough.exit()).as(passThrough.stdout() + passThrough.stderr()).isZero();
        assertThat(passThrough.stdout()).isEqualTo(result);

        // With a mapping it must find the container's address in our result (an IP on the interface named
        // CNI_IFNAME whose sandbox is set) and DNAT to it.
        String mapping = ",\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":{\"portMappings\":"
                + "[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\"}]}";
        Run mapped = plugin("portmap", "ADD", chained(version, "portmap", mapping, result));
        assertThat(mapped.exit()).as(mapped.stdout()).isZero();
        assertThat(mapped.stdout()).isEqualTo(result);
        assertThat(hostNat()).contains("--dport 18080 -j DNAT --to-destination 10.99.0.2:80");
        if (!version.equals("0.3.1")) {
            Run check = plugin("portmap", "CHECK", chained(version, "portmap", "", result));
            assertThat(check.exit()).as(check.stdout()).isZero();
            Run checkMapped = plugin("portmap", "CHECK", chained(version, "portmap", mapping, result));
            // portmap 1.1.1 also looks for IPv6 rules of an IPv4-only container (containernetworking/plugins#819).
            if (checkMapped.exit() != 0) {
                assertThat(checkMapped.json().get("msg").stringValue()).startsWith("could not check ipv6 dnat");
            }
        }
        Run del = plugin("portmap", "DEL", chained(version, "portmap", mapping, result));
        assertThat(del.exit()).as(del.stdout()).isZero();
        assertThat(hostNat()).doesNotContain("10.99.0.2:80");

        // tuning changes a sysctl inside the container and hands our result on.
        String sysctl = ",\"sysctl\":{\"net.ipv4.conf.eth0.rp_filter\":\"2\"}";
        Run tuned = plugin("tuning", "ADD", chained(version, "tuning", sysctl, result));
        assertThat(tuned.exit()).as(tuned.stdout()).isZero();
        assertThat(tuned.stdout()).isEqualTo(result);
        assertThat(Processes.check("ip", "netns", "exec", containerNs, "cat", "/proc/sys/net/ipv4/conf/eth0/rp_filter")
                .strip()).isEqualTo("2");

        // bandwidth finds the host side of the veth in our result, shapes it, and appends its ifb device.
        String shaping = ",\"capabilities\":{\"bandwidth\":true},\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":"
                + "1000000,\"ingressBurst\":100000,\"egressRate\":1000000,\"egressBurst\":100000}}";
        Run shaped = plugin("bandwidth", "ADD", chained(version, "bandwidth", shaping, result));
        assertThat(shaped.exit()).as(shaped.stdout()).isZero();
        JsonNode out = shaped.json();
        JsonNode ours = CniResultTest.JSON.readTree(result);
        assertThat(out.get("ips")).isEqualTo(ours.get("ips"));
        assertThat(out.get("interfaces").size()).isEqualTo(3);
        assertThat(out.at("/interfaces/0")).isEqualTo(ours.at("/interfaces/0"));
        assertThat(out.at("/interfaces/1")).isEqualTo(ours.at("/interfaces/1"));
        assertThat(Processes.check("ip", "netns", "exec", hostNs, "tc", "qdisc", "show", "dev", hostVeth))
                .contains("tbf");
        String ifb = out.at("/interfaces/2/name").stringValue();
        assertThat(Processes.check("ip", "-n", hostNs, "-o", "link", "show")).contains(ifb);
        // DEL removes the ifb device (the qdisc on the veth goes with the veth).
        Run unshaped = plugin("bandwidth", "DEL", chained(version, "bandwidth", shaping, shaped.stdout()));
        assertThat(unshaped.exit()).as(unshaped.stdout()).isZero();
        assertThat(Processes.check("ip", "-n", hostNs, "-o", "link", "show")).doesNotContain(ifb);
    }
}
