package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three kinds of check against real servers in a pod's namespace, checked from a node namespace as the agent
 * checks (root only): a node namespace and a pod namespace joined by a veth pair (node 10.123.0.1, pod 10.123.0.2),
 * both throwaway, neither the one the tests run in.
 */
class ProbesE2ETest {

    private static final String POD_IP = "10.123.0.2";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static String rootLinks;
    private static Netns netns;
    private static LinuxKernel kernel;
    private static NetNs node;
    private static NetNs pod;
    private static PodHttpServer http;
    private static ServerSocket notHttp;
    private static ServerSocket tcp;
    private static ServerSocket silent;
    private static ProbeRunner prober;

    @TempDir
    Path dir;

    @BeforeAll
    static void podAndNode() throws IOException {
        String why = Netns.unavailable();
        assumeTrue(why == null, why);
        rootLinks = Netns.rootLinks();
        netns = new Netns();
        kernel = new LinuxKernel();
        String nodeName = netns.add("hc-node");
        String podName = netns.add("hc-pod");
        Netns.in(nodeName, "ip", "link", "add", "hc0", "type", "veth", "peer", "name", "eth0", "netns", podName);
        Netns.in(nodeName, "ip", "address", "add", "10.123.0.1/24", "dev", "hc0");
        Netns.in(nodeName, "ip", "link", "set", "hc0", "up");
        Netns.in(podName, "ip", "address", "add", POD_IP + "/24", "dev", "eth0");
        Netns.in(podName, "ip", "link", "set", "eth0", "up");
        node = NetNs.named(nodeName);
        pod = NetNs.named(podName);
        http = new PodHttpServer(kernel, pod, 8080, "pod");
        tcp = kernel.inNamespace(pod, () -> new ServerSocket(5432, 16, java.net.InetAddress.ofLiteral(POD_IP)));
        // Accepts and never answers: the connection is made, the answer never comes.
        silent = kernel.inNamespace(pod, () -> new ServerSocket(8081, 16, java.net.InetAddress.ofLiteral(POD_IP)));
        notHttp = kernel.inNamespace(pod, () -> new ServerSocket(2222, 16, java.net.InetAddress.ofLiteral(POD_IP)));
        Thread.ofVirtual().start(() -> {
            while (!notHttp.isClosed()) {
                try (Socket s = notHttp.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        });
        prober = new ProbeRunner(SocketOpener.in(kernel, node), "nsenter");
    }

    @AfterAll
    static void tearDown() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {http, tcp, silent, notHttp}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing test servers
            }
        }
        try {
            if (kernel != null) {
                kernel.close(); // first: its threads hold the namespaces
            }
        } finally {
            if (netns != null) {
                netns.close();
            }
        }
        Netns.assertRootLinksUnchanged(rootLinks);
    }

    private static Outcome http(int port, String path) {
        return prober.run(new Probe.Http(POD_IP, port, path), TIMEOUT);
    }

    @Test
    void httpPassesOn2xxAnd3xxWithoutFollowingAndFailsOnOtherStatuses() {
        assertThat(http(8080, "/healthz")).isEqualTo(Outcome.pass("HTTP/1.1 200 OK"));

        assertThat(http(8080, "/redirect")).isEqualTo(Outcome.pass("HTTP/1.1 302 Temporary Redirect"));
        assertThat(http.elsewhere.get()).as("the redirect is not followed").isZero();

        http.healthStatus = 503;
        try {
            assertThat(http(8080, "/healthz")).isEqualTo(Outcome.fail("HTTP/1.1 503 Service Unavailable"));
        } finally {
            http.healthStatus = 200;
        }
    }

    @Test
    void httpFailsWhenNothingListensOrSomethingElseAnswers() {
        assertThat(http(8089, "/")).isEqualTo(Outcome.fail("GET http://10.123.0.2:8089/: Connection refused"));
        assertThat(http(2222, "/healthz")).isEqualTo(Outcome.fail(
                "GET http://10.123.0.2:2222/healthz answered something other than HTTP: SSH-2.0-OpenSSH_9.2"));
    }

    @Test
    void httpGivesUpAtTheTimeout() {
        long start = System.nanoTime();
        assertThat(http(8080, "/slow")).isEqualTo(Outcome.fail("GET http://10.123.0.2:8080/slow: no answer within 1s"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(1500));
        assertThat(http(8081, "/")).isEqualTo(Outcome.fail("GET http://10.123.0.2:8081/: no answer within 1s"));
    }

    @Test
    void tcpPassesWhenAConnectionIsAcceptedAndFailsWhenRefusedOrUnansweredInTime() {
        assertThat(prober.run(new Probe.Tcp(POD_IP, 5432), TIMEOUT)).isEqualTo(Outcome.pass("connected to 10.123.0.2:5432"));
        assertThat(prober.run(new Probe.Tcp(POD_IP, 5433), TIMEOUT))
                .isEqualTo(Outcome.fail("connect to 10.123.0.2:5433: Connection refused"));

        // Nobody has 10.123.0.99: the node asks for it (ARP) for seconds; the check gives up at its timeout.
        long start = System.nanoTime();
        assertThat(prober.run(new Probe.Tcp("10.123.0.99", 80), TIMEOUT))
                .isEqualTo(Outcome.fail("no answer from 10.123.0.99:80 within 1s"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(1500));
    }

    @Test
    void aScriptRunsInThePodsNamespaceAndPassesOnExitCodeZero() {
        Outcome ok = prober.run(new Probe.Script(pod, List.of("ip", "-o", "-4", "address", "show", "dev", "eth0")),
                TIMEOUT);

        assertThat(ok.passed()).isTrue();
        assertThat(ok.output()).as("eth0 is the pod's").contains(POD_IP + "/24");
    }

    @Test
    void aScriptFailsOnAnyOtherExitCodeWithWhatItPrinted() {
        assertThat(prober.run(new Probe.Script(pod, List.of("sh", "-c", "echo checking; echo 'db not ready' >&2; exit 3")),
                TIMEOUT)).isEqualTo(Outcome.fail("checking\ndb not ready"));
        assertThat(prober.run(new Probe.Script(pod, List.of("false")), TIMEOUT)).isEqualTo(Outcome.fail("exit code 1"));
        assertThat(prober.run(new Probe.Script(pod, List.of("no-such-program-drvt")), TIMEOUT).output())
                .contains("no-such-program-drvt");
        assertThat(prober.run(new Probe.Script(NetNs.named(netns.prefix + "gone"), List.of("true")), TIMEOUT))
                .satisfies(o -> assertThat(o.passed()).isFalse())
                .satisfies(o -> assertThat(o.output()).contains(netns.prefix + "gone"));
    }

    @Test
    void aScriptStillRunningAtTheTimeoutIsKilledWithWhatItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        long start = System.nanoTime();

        Outcome outcome = prober.run(new Probe.Script(pod, List.of("sh", "-c",
                "echo started; echo $$ > " + pids + "; sleep 60 & echo $! >> " + pids + "; wait")), TIMEOUT);

        assertThat(outcome).isEqualTo(Outcome.fail("timed out after 1s and was killed: started"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        List<Long> started = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        for (long pid : started) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

}
