package io.drover.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.cni.Commands.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real thing, as a runtime drives it: the drover-cni executable (run inside a throwaway node namespace) talks to
 * an in-process agent on the Linux kernel, which plumbs containers (throwaway namespaces) into the node. Chained with
 * the reference portmap and bandwidth plugins as a runtime chains them. Root only; nothing touches the root
 * namespace (checked).
 */
class CniE2ETest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path REFERENCE = Path.of("/usr/lib/cni");
    private static String rootLinks;

    @TempDir
    Path dir;

    private RealNode node;

    @BeforeAll
    static void requireRoot() {
        RealNode.assumeAvailable();
        assumeTrue(Commands.onPath("busybox") && Commands.onPath("curl"), "needs busybox (ping, httpd) and curl");
        rootLinks = RealNode.rootLinks();
    }

    @AfterAll
    static void rootNamespaceUnchanged() {
        RealNode.assertRootLinksUnchanged(rootLinks);
    }

    @BeforeEach
    void startNode() throws Exception {
        node = new RealNode(dir, "blue=10.61.0.0/24", "red=10.62.0.0/24");
    }

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static JsonNode json(Result r) {
        return JSON.readTree(r.stdout());
    }

    @Test
    void addCheckAndDelThroughTheExecutable() {
        String c1 = node.container("c1");
        String c2 = node.container("c2");
        String other = node.container("other");
        String config = node.config("1.0.0", "blue", "");
        Result add = node.drover("ADD", "c1", c1, "eth0", config).orFail("ADD");
        JsonNode result = json(add);
        String address = result.at("/ips/0/address").stringValue();
        assertThat(address).startsWith("10.61.0.").endsWith("/24");
        assertThat(result.at("/interfaces/1/sandbox").stringValue()).isEqualTo("/run/netns/" + c1);
        assertThat(result.at("/ips/0/interface").intValue()).isEqualTo(1);
        String host = result.at("/interfaces/0/name").stringValue();
        assertThat(node.links(node.nodeNs)).contains(host, "dr-blue");

        assertThat(node.ping(c1, "10.61.0.1")).as("the gateway").isTrue();
        String ip = address.substring(0, address.indexOf('/'));
        node.drover("ADD", "c2", c2, "eth0", config).orFail("ADD c2");
        assertThat(node.ping(c2, ip)).as("a container on the same network").isTrue();
        node.drover("ADD", "other", other, "eth0", node.config("1.0.0", "red", "")).orFail("ADD other");
        assertThat(node.ping(other, ip)).as("a container on another network").isFalse();

        String withPrev = node.config("1.0.0", "blue", ",\"prevResult\":" + add.stdout());
        node.drover("CHECK", "c1", c1, "eth0", withPrev).orFail("CHECK");

        node.drover("DEL", "c1", c1, "eth0", withPrev).orFail("DEL");
        assertThat(node.links(c1)).doesNotContain("eth0");
        assertThat(node.links(node.nodeNs)).doesNotContain(host);
        node.drover("DEL", "c1", c1, "eth0", withPrev).orFail("DEL again");
        Result check = node.drover("CHECK", "c1", c1, "eth0", withPrev);
        assertThat(check.exit()).isEqualTo(1);
        assertThat(json(check).get("code").intValue()).isEqualTo(3);
    }

    @Test
    void badInputGetsTheSpecificationsErrorAndChangesNothing() throws Exception {
        String c1 = node.container("c1");
        Commands.check("ip", "-n", c1, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
        Result inUse = node.drover("ADD", "c1", c1, "eth0", node.config("1.0.0", "blue", ""));
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(json(inUse).get("code").intValue()).isEqualTo(4);
        assertThat(json(inUse).get("msg").stringValue()).isEqualTo("CNI_IFNAME is already in use");

        Result missing = node.drover("ADD", "c2", node.prefix + "nope", "eth0", node.config("1.0.0", "blue", ""));
        assertThat(json(missing).get("code").intValue()).isEqualTo(4);
        assertThat(json(missing).get("msg").stringValue())
                .isEqualTo("CNI_NETNS names a network namespace that does not exist");

        // A path that exists but is no namespace the agent can enter (as a runtime's in another mount namespace).
        Path plain = Files.writeString(dir.resolve("not-a-netns"), "");
        Result notNetns = node.plugin(node.plugins, "drover", "ADD", "c3", plain.toString(), "eth0",
                node.config("1.0.0", "blue", ""));
        assertThat(json(notNetns).get("code").intValue()).isEqualTo(4);
        assertThat(json(notNetns).get("msg").stringValue())
                .isEqualTo("CNI_NETNS is not a network namespace the Drover agent can enter");
        assertThat(node.registry.list(io.drover.model.ResourceKind.POD, null, null).items()).isEmpty();
        assertThat(node.links(node.nodeNs)).noneMatch(l -> l.startsWith("dv"));
    }

    @Test
    void portsPublishedThroughDroverAndThroughTheReferencePortmapReachTheContainer() throws Exception {
        assumeTrue(Files.isExecutable(REFERENCE.resolve("portmap")) && Files.isExecutable(REFERENCE.resolve("bandwidth")),
                "the reference CNI plugins are not installed");
        String c1 = node.container("c1");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from c1\n");
        String ownMapping = ",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":18081,\"containerPort\":80,"
                + "\"protocol\":\"tcp\"}]}";
        Result add = node.drover("ADD", "c1", c1, "eth0", node.config("1.0.0", "blue", ownMapping)).orFail("ADD");
        node.exec(c1, "busybox", "httpd", "-p", "80", "-h", www.toString()).orFail("httpd");
        try {
            assertThat(fetch("10.61.0.1", 18081)).as("published by Drover").isEqualTo("hello from c1\n");

            String chained = "{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"type\":\"portmap\",\"capabilities\":"
                    + "{\"portMappings\":true},\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":18082,"
                    + "\"containerPort\":80,\"protocol\":\"tcp\"}]},\"prevResult\":" + add.stdout() + "}";
            Result portmap = node.plugin(REFERENCE, "portmap", "ADD", "c1", "/run/netns/" + c1, "eth0", chained);
            assertThat(portmap.exit()).as(portmap.stdout() + portmap.stderr()).isZero();
            assertThat(json(portmap)).isEqualTo(json(add));
            assertThat(fetch("10.61.0.1", 18082)).as("published by portmap").isEqualTo("hello from c1\n");

            String shaping = "{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"type\":\"bandwidth\",\"capabilities\":"
                    + "{\"bandwidth\":true},\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":100000000,"
                    + "\"ingressBurst\":1000000,\"egressRate\":100000000,\"egressBurst\":1000000}},\"prevResult\":"
                    + add.stdout() + "}";
            Result shaped = node.plugin(REFERENCE, "bandwidth", "ADD", "c1", "/run/netns/" + c1, "eth0", shaping);
            assertThat(shaped.exit()).as(shaped.stdout() + shaped.stderr()).isZero();
            String host = json(add).at("/interfaces/0/name").stringValue();
            assertThat(node.exec(node.nodeNs, "tc", "qdisc", "show", "dev", host).stdout()).contains("tbf");

            node.plugin(REFERENCE, "bandwidth", "DEL", "c1", "/run/netns/" + c1, "eth0", shaping).orFail("bandwidth DEL");
            node.plugin(REFERENCE, "portmap", "DEL", "c1", "/run/netns/" + c1, "eth0", chained).orFail("portmap DEL");
        } finally {
            Commands.run("ip", "netns", "pids", c1).stdout().lines().forEach(pid -> Commands.run("kill", pid));
        }
        node.drover("DEL", "c1", c1, "eth0", node.config("1.0.0", "blue", ownMapping)).orFail("DEL");
        assertThat(fetch("10.61.0.1", 18081)).as("unpublished with the pod").isNull();
    }

    /** An HTTP GET from the node's namespace; null when nothing answers. */
    private String fetch(String host, int port) {
        Result r = node.exec(node.nodeNs, "curl", "-s", "-m", "3", "http://" + host + ":" + port + "/");
        return r.ok() ? r.stdout() : null;
    }
}
