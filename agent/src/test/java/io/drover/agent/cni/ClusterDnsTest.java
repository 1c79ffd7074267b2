package io.drover.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The kubelet's --cluster-domain: a DNS name, told apart from a subdomain by its labels' 63-character limit. */
class ClusterDnsTest {

    @Test
    void aTrailingDotIsDroppedAndTheSearchPathFollowsTheNamespace() {
        ClusterDns dns = new ClusterDns(List.of("10.96.0.10"), "corp.example.");
        assertThat(dns.domain()).isEqualTo("corp.example");
        assertThat(dns.forNamespace("shop").search())
                .containsExactly("shop.svc.corp.example", "svc.corp.example", "corp.example");
    }

    @Test
    void aLabelLongerThanDnsAllowsIsRefusedWithWhatToGive() {
        assertThatThrownBy(() -> new ClusterDns(List.of("10.96.0.10"), "a".repeat(64) + ".local"))
                .hasMessageContaining("cluster domain 'aaaa")
                .hasMessageContaining("has a label of 64 characters")
                .hasMessageContaining("give the cluster's domain, e.g. cluster.local");
        assertThat(new ClusterDns(List.of("10.96.0.10"), "a".repeat(63) + ".local").domain()).startsWith("aaa");
    }

    @Test
    void emptyLabelsAndUpperCaseAreRefused() {
        assertThatThrownBy(() -> new ClusterDns(List.of(), "cluster..local")).hasMessageContaining("empty label");
        assertThatThrownBy(() -> new ClusterDns(List.of(), "Cluster.local")).hasMessageContaining("label 'Cluster'");
    }
}
