package io.drover.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.dns.net.NetnsAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DnsOptionsTest {

    @Test
    void listenAddressesAreAddressAndPort() {
        assertThat(DnsOptions.parseListen("127.0.0.1:1053").address()).isEqualTo(new InetSocketAddress("127.0.0.1", 1053));
        assertThat(DnsOptions.parseListen("[::1]:0").address()).isEqualTo(new InetSocketAddress("::1", 0));
        assertThatThrownBy(() -> DnsOptions.parseListen("127.0.0.1")).hasMessageContaining("has no port")
                .hasMessageContaining("127.0.0.1:1053");
        assertThatThrownBy(() -> DnsOptions.parseListen("localhost:53")).hasMessageContaining("\"localhost\" is not an IP address");
        assertThatThrownBy(() -> DnsOptions.parseListen("127.0.0.1:65536")).hasMessageContaining("from 0 to 65535");
        assertThatThrownBy(() -> DnsOptions.parseListen("[::1:53")).hasMessageContaining("no closing ']'");
    }

    @Test
    void upstreamsDefaultToPort53AndMustBeAddresses() {
        assertThat(DnsOptions.parseUpstream("10.0.0.2").address()).isEqualTo(new InetSocketAddress("10.0.0.2", 53));
        assertThat(DnsOptions.parseUpstream("10.0.0.2:5353").address()).isEqualTo(new InetSocketAddress("10.0.0.2", 5353));
        assertThat(DnsOptions.parseUpstream("fd00::2").address()).isEqualTo(new InetSocketAddress("fd00::2", 53));
        assertThat(DnsOptions.parseUpstream("[fd00::2]:54").address()).isEqualTo(new InetSocketAddress("fd00::2", 54));
        assertThatThrownBy(() -> DnsOptions.parseUpstream("resolver.example")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> DnsOptions.parseUpstream("10.0.0.2:0")).hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> DnsOptions.parseUpstream("")).hasMessageContaining("not an IP address");
    }

    @Test
    void aNetworkNamespaceNameBeforeASlashPlacesTheAddressThere() {
        assertThat(DnsOptions.parseListen("drl-x-node-1/172.31.0.1:53"))
                .isEqualTo(new NetnsAddress("drl-x-node-1", new InetSocketAddress("172.31.0.1", 53)));
        assertThat(DnsOptions.parseListen("127.0.0.1:53").netns()).isNull();
        assertThat(DnsOptions.parseUpstream("drl-x-fabric/172.31.0.254").toString()).isEqualTo("drl-x-fabric/172.31.0.254:53");
        assertThat(DnsOptions.parseUpstream("ns/[fd00::2]:54").toString()).isEqualTo("ns/[fd00:0:0:0:0:0:0:2]:54");
        assertThatThrownBy(() -> DnsOptions.parseListen("bad ns/127.0.0.1:53")).hasMessageContaining("'bad ns' is not a network"
                + " namespace name").hasMessageContaining("write e.g.");
        assertThatThrownBy(() -> DnsOptions.parseListen("/127.0.0.1:53")).hasMessageContaining("'' is not a network namespace");
        assertThatThrownBy(() -> DnsOptions.parseUpstream("ns/resolver.example")).hasMessageContaining("not an IP address");
    }

    @Test
    void zonesAreDomainNames() {
        assertThat(DnsOptions.parseZone("Cluster.Local.")).isEqualTo("cluster.local");
        assertThat(DnsOptions.parseZone("corp")).isEqualTo("corp");
        assertThatThrownBy(() -> DnsOptions.parseZone(" ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> DnsOptions.parseZone("a..b")).hasMessageContaining("empty label");
        assertThatThrownBy(() -> DnsOptions.parseZone("-a.local")).hasMessageContaining("label '-a'");
        assertThatThrownBy(() -> DnsOptions.parseZone("a".repeat(64) + ".local")).hasMessageContaining("no more than 63 characters");
        assertThatThrownBy(() -> DnsOptions.parseZone("a.".repeat(130) + "b")).hasMessageContaining("253");
    }

    @Test
    void ttlsAndPodModes() {
        assertThat(DnsOptions.parseTtl("30")).isEqualTo(30);
        assertThatThrownBy(() -> DnsOptions.parseTtl("3601")).hasMessageContaining("0 to 3600");
        assertThatThrownBy(() -> DnsOptions.parseTtl("5s")).hasMessageContaining("0 to 3600");
        assertThat(DnsOptions.parsePodRecords("Insecure").name()).isEqualTo("INSECURE");
        assertThatThrownBy(() -> DnsOptions.parsePodRecords("yes"))
                .hasMessageContaining("verified, insecure or disabled");
    }
}
