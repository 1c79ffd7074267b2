package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LabLauncherOptionsTest {

    private static final Duration T = Duration.ofSeconds(1);

    @Test
    void defaultsAreOneFlatEmbeddedServer() {
        LabLauncher.Options o = LabLauncher.Options.of("x", 2, T, null, null, null, null, 1);
        assertThat(o.mode()).isEqualTo("routed");
        assertThat(o.underlay()).isEqualTo(FabricLayout.Kind.FLAT);
        assertThat(o.store()).isEqualTo("embedded");
        assertThat(o.etcdMembers()).isZero();
        assertThat(o.warnings()).isEmpty();
        assertThat(o.dns()).as("a lab runs the cluster DNS unless told not to").isTrue();
        assertThat(LabLauncher.Options.of("x", 2, T, null, null, null, null, 1, false).dns()).isFalse();
        assertThat(LabLauncher.Options.of("x", 2, T, "vxlan", "routed", "etcd", null, 2).etcdMembers()).isEqualTo(1);
        assertThat(LabLauncher.Options.of("x", 2, T, "vxlan", "routed", "etcd", 3, 2).etcdMembers()).isEqualTo(3);
    }

    @Test
    void mistakesSayWhatToWriteInstead() {
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 1, T, null, "mesh", null, null, 1))
                .hasMessageContaining("--underlay mesh");
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 1, T, null, null, "zk", null, 1))
                .hasMessageContaining("--store zk");
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 1, T, null, null, null, 3, 1))
                .hasMessageContaining("--etcd-members goes with --store etcd");
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 1, T, null, null, null, null, 2))
                .hasMessageContaining("--servers 2 needs --store etcd");
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 1, T, null, null, "etcd", 2, 1))
                .hasMessageContaining("1, 3 or 5 members");
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 1, T, null, null, "etcd", 1, 4))
                .hasMessageContaining("1 to 3 servers");
        assertThatThrownBy(() -> LabLauncher.Options.of("x", 201, T, null, null, "etcd", 1, 1))
                .hasMessageContaining("at most 200 nodes");
    }

    @Test
    void routedModeOverARoutedUnderlayIsAllowedWithAWarning() {
        LabLauncher.Options o = LabLauncher.Options.of("x", 3, T, "routed", "routed", null, null, 1);
        assertThat(o.warnings()).singleElement().asString().contains("Use --mode vxlan");
        assertThat(LabLauncher.Options.of("x", 3, T, "vxlan", "routed", null, null, 1).warnings()).isEmpty();
    }

    @Test
    void serverRoles() {
        assertThat(LabLauncher.serverRole(1)).isEqualTo("server");
        assertThat(LabLauncher.serverRole(2)).isEqualTo("server-2");
        assertThat(LabLauncher.isServerRole("server-2")).isTrue();
        assertThat(LabLauncher.isServerRole("server")).isTrue();
        assertThat(LabLauncher.isServerRole("servers")).isFalse();
    }
}
