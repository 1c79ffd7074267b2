package io.drover.lab.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.echo.EchoPort;
import io.drover.lab.echo.EchoServer;
import io.drover.lab.net.Protocol;
import io.drover.lab.net.SctpSupport;
import io.drover.lab.probe.ProbeOptions;
import io.drover.lab.probe.ProbeReport;
import io.drover.lab.probe.ProbeResult;
import io.drover.lab.probe.ProbeResult.Outcome;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.probe.Prober;
import io.drover.lab.probe.ReachabilityMatrix;
import io.drover.lab.runtime.LabStateStore;
import io.drover.model.net.IpAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe over three pods on one bridge, each running the echo server, with one pair blocked by an nftables
 * drop rule inside the server pod's namespace: the matrices show exactly that pair blocked.
 */
class ProberE2ETest {

    private final Kernel kernel = E2eKernel.get();
    private TestNamespaces namespaces;
    private final List<EchoServer> servers = new ArrayList<>();
    private final List<ProbeTarget> pods = new ArrayList<>();

    @BeforeAll
    static void needsRoot(@TempDir Path state) {
        assumeTrue(TestNamespaces.rootWithIp(), "needs root, ip and nft");
        TestNamespaces.sweepLeftovers(E2eKernel.get(), new LabStateStore(state));
    }

    /**
     * A switch namespace with bridge br0, and pods x/a (10.78.0.1), x/b (10.78.0.2), y/a (10.78.0.3) plugged in;
     * every pod serves 80/tcp, 80/udp and 81/tcp (but not 81/udp), and 80/sctp and 81/sctp where SCTP works; y/a
     * drops new connections from x/b (as an ingress policy would: replies to y/a's own connections still pass).
     */
    @BeforeEach
    void threePods() {
        namespaces = new TestNamespaces(kernel);
        NetNs sw = namespaces.create("sw");
        kernel.createBridge(sw, "br0", 1500, "drover:test");
        kernel.setUp(sw, "br0", true);
        String[] keys = {"x/a", "x/b", "y/a"};
        for (int i = 0; i < keys.length; i++) {
            NetNs pod = namespaces.create("pod" + i);
            String ip = "10.78.0." + (i + 1);
            namespaces.link(sw, "port" + i, List.of(), pod, "eth0", List.of(Address.parse(ip + "/24")));
            kernel.setMaster(sw, "port" + i, "br0");
            servers.add(EchoServer.start(kernel, pod, keys[i], List.of(new EchoPort(80, Protocol.TCP),
                    new EchoPort(80, Protocol.UDP), new EchoPort(81, Protocol.TCP), new EchoPort(80, Protocol.SCTP),
                    new EchoPort(81, Protocol.SCTP))));
            pods.add(new ProbeTarget(keys[i], pod, List.of(IpAddresses.parse(ip))));
        }
        kernel.applyNftables(pods.get(2).netns(), """
                table inet drvt_block {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    ip saddr 10.78.0.2 ct state new drop
                  }
                }
                """);
    }

    @AfterEach
    void cleanUp() {
        servers.forEach(EchoServer::close);
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void matricesShowTheBlockedPair() {
        ProbeOptions options = ProbeOptions.defaults().withPorts(List.of(80, 81))
                .withProtocols(List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP))
                .withTimeout(Duration.ofMillis(1500));
        ProbeReport report = new Prober(kernel).probe(pods, options);

        ReachabilityMatrix oneBlocked = ReachabilityMatrix.parse("""
                from\\to x/a x/b y/a
                x/a       -   .   .
                x/b       .   -   X
                y/a       .   .   -
                """);
        ReachabilityMatrix noUdp81 = ReachabilityMatrix.parse("""
                from\\to x/a x/b y/a
                x/a       -   X   X
                x/b       X   -   X
                y/a       X   X   -
                """);
        assertThat(oneBlocked.diff(report.matrix(Protocol.TCP, 80).orElseThrow()).lines()).isEmpty();
        assertThat(oneBlocked.diff(report.matrix(Protocol.TCP, 81).orElseThrow()).lines()).isEmpty();
        assertThat(oneBlocked.diff(report.matrix(Protocol.UDP, 80).orElseThrow()).lines()).isEmpty();
        assertThat(noUdp81.diff(report.matrix(Protocol.UDP, 81).orElseThrow()).lines()).isEmpty();

        ProbeResult blocked = find(report, Protocol.TCP, 80, "x/b", "y/a");
        assertThat(blocked.outcome()).isEqualTo(Outcome.TIMED_OUT);
        // Nothing serves 81/udp: the ICMP port unreachable makes it refused, not a timeout.
        assertThat(find(report, Protocol.UDP, 81, "x/a", "x/b").outcome()).isEqualTo(Outcome.REFUSED);

        if (SctpSupport.available()) {
            assertThat(oneBlocked.diff(report.matrix(Protocol.SCTP, 80).orElseThrow()).lines()).isEmpty();
            assertThat(report.summary()).isEqualTo(
                    "probe: 3 pods, 2 ports × 3 protocols, 36 probes: 25 connected, 11 blocked");
        } else {
            assertThat(report.matrix(Protocol.SCTP, 80)).isEmpty();
            assertThat(report.skipped()).singleElement().extracting(ProbeReport.Skipped::protocol).isEqualTo(Protocol.SCTP);
            // 2 ports × 2 protocols × 3 pods × 2 others = 24 probes; TCP 80, TCP 81, UDP 80 lose x/b -> y/a; UDP 81 all 6.
            assertThat(report.summary()).isEqualTo(
                    "probe: 3 pods, 2 ports × 2 protocols, 24 probes: 15 connected, 9 blocked; skipped: SCTP");
        }
        assertThat(report.format()).startsWith("TCP port 80:\n" + oneBlocked.format() + "\nTCP port 81:\n");
        assertThat(report.notes()).isEmpty();
    }

    @Test
    void onlyTheRightPodsAnswerCounts() {
        // A target that claims to be y/b but whose address is x/a's: x/a's echo server answers "x/a".
        List<ProbeTarget> targets = new ArrayList<>(pods);
        targets.add(new ProbeTarget("y/b", pods.get(0).netns(), List.of(IpAddresses.parse("10.78.0.1"))));
        ProbeReport report = new Prober(kernel).probe(targets,
                ProbeOptions.defaults().withNamespaces(Set.of("y")).withTimeout(Duration.ofSeconds(3)));
        assertThat(report.pods()).containsExactly("y/a", "y/b");
        ProbeResult wrong = find(report, Protocol.TCP, 80, "y/a", "y/b");
        assertThat(wrong.outcome()).isEqualTo(Outcome.WRONG_ANSWER);
        assertThat(wrong.detail()).isEqualTo("answered 'x/a' instead of 'y/b'");
        assertThat(report.matrix(Protocol.TCP, 80).orElseThrow().format()).isEqualTo("""
                from\\to y/a y/b
                y/a       -   X
                y/b       .   -
                """);
        assertThat(report.notes()).containsExactly("y/a -> y/b TCP/80: WRONG_ANSWER (answered 'x/a' instead of 'y/b')");
    }

    @Test
    void theTotalTimeLimitBoundsTheRun() {
        long start = System.nanoTime();
        ProbeReport report = new Prober(kernel).probe(pods, ProbeOptions.defaults().withParallelism(1)
                .withTimeout(Duration.ofMillis(500)).withTotalTimeout(Duration.ofMillis(300)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(report.count(Outcome.NOT_RUN)).isPositive();
        assertThat(report.summary()).contains("not run (time limit)");
    }

    private static ProbeResult find(ProbeReport report, Protocol protocol, int port, String client, String server) {
        return report.results().stream().filter(r -> r.protocol() == protocol && r.port() == port
                && r.client().equals(client) && r.server().equals(server)).findFirst().orElseThrow();
    }
}
