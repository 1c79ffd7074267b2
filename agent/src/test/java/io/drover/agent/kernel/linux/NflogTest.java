package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.NflogRecord;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NflogTest {

    @Test
    void readsAddressesProtocolAndPortsOfAnIpv4TcpPacket() {
        // IPv4, IHL 5, protocol 6, 10.77.0.2 -> 10.77.0.3, then TCP ports 41234 -> 80.
        byte[] packet = HexFormat.of().parseHex("4500003c00004000400600000a4d00020a4d0003a11200500000");
        NflogRecord r = Nflog.parse("fw-1a2b3c4d5e6f drop x/a ", packet);

        assertThat(r.toString()).isEqualTo("fw-1a2b3c4d5e6f drop x/a: TCP 10.77.0.2:41234 -> 10.77.0.3:80");
    }

    @Test
    void readsIpv6AndLeavesPortsOutForIcmp() {
        byte[] packet = new byte[48];
        packet[0] = 0x60;
        packet[6] = 58;
        packet[8] = (byte) 0xfd;
        packet[23] = 2;
        packet[24] = (byte) 0xfd;
        packet[39] = 3;
        assertThat(Nflog.parse("p", packet).toString()).isEqualTo("p: ICMPv6 fd00::2 -> fd00::3");
    }

    @Test
    void aTruncatedPacketGivesWhatItCan() {
        assertThat(Nflog.parse("p", new byte[] {0x45}).toString()).isEqualTo("p: ? ? -> ?");
    }
}
