package io.drover.lab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.lab.echo.EchoPort;
import io.drover.lab.echo.EchoServer;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolAndPortTest {

    @Test
    void protocolsParseInAnyCase() {
        assertThat(Protocol.parse("tcp")).isEqualTo(Protocol.TCP);
        assertThat(Protocol.parse(" Sctp ")).isEqualTo(Protocol.SCTP);
        assertThat(Protocol.UDP.lower()).isEqualTo("udp");
        assertThatThrownBy(() -> Protocol.parse("icmp")).hasMessageContaining("use tcp, udp or sctp");
    }

    @Test
    void echoPortsParse() {
        assertThat(EchoPort.parse("80/udp")).isEqualTo(new EchoPort(80, Protocol.UDP));
        assertThat(EchoPort.parse("81")).isEqualTo(new EchoPort(81, Protocol.TCP));
        assertThat(new EchoPort(80, Protocol.SCTP)).hasToString("80/sctp");
        assertThatThrownBy(() -> EchoPort.parse("http/tcp")).hasMessageContaining("PORT[/tcp|udp|sctp]");
        assertThatThrownBy(() -> EchoPort.parse("70000")).hasMessageContaining("outside 1-65535");
    }

    @Test
    void aPodsPortsAndTextAreWhatItsEchoServerServes() {
        Pod pod = Pod.of(new ObjectMeta("web-1", "shop", null, null, null, null, null),
                new PodSpec("node-1", null, List.of("blue"),
                        List.of(new PodPort("http", 80, null, null, null), new PodPort("dns", 53, "UDP", null, null),
                                new PodPort("s", 81, "SCTP", null, null)),
                        List.of()));
        assertThat(EchoServer.portsOf(pod)).containsExactly(new EchoPort(80, Protocol.TCP),
                new EchoPort(53, Protocol.UDP), new EchoPort(81, Protocol.SCTP));
        assertThat(EchoServer.textFor("shop", "web-1")).isEqualTo("shop/web-1");
    }

    @Test
    void sctpFailuresAreExplainedByWhatIsMissing() {
        assertThat(SctpSupport.explain(new UnsupportedOperationException(
                "libsctp.so.1: cannot open shared object file: No such file or directory")))
                .startsWith("SCTP is unavailable: the JDK cannot load libsctp.so.1").endsWith("apt-get install -y libsctp1'");
        assertThat(SctpSupport.explain(new UnsupportedOperationException("Protocol not supported")))
                .isEqualTo("SCTP is unavailable: the kernel refused an SCTP socket (Protocol not supported); load the"
                        + " kernel's SCTP module ('modprobe sctp') or use a kernel built with it");
    }

    @Test
    void sctpSupportGivesAReasonWhenMissing() {
        SctpSupport.unavailableReason().ifPresent(reason -> assertThat(reason).startsWith("SCTP is unavailable: "));
        assertThat(SctpSupport.available()).isEqualTo(SctpSupport.unavailableReason().isEmpty());
    }
}
