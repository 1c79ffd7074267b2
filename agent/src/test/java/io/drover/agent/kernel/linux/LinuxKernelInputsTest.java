package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.kernel.NetNs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What is decided before the kernel is asked: names, keys, errno texts. Runs anywhere, without root. */
class LinuxKernelInputsTest {

    @Test
    void errnoDescriptions() {
        assertThat(Errno.describe(17)).isEqualTo("File exists (EEXIST)");
        assertThat(Errno.describe(19)).isEqualTo("No such device (ENODEV)");
        assertThat(Errno.describe(4242)).isEqualTo("errno 4242");
        assertThat(Errno.fromMessage("No such file or directory")).contains(2);
        assertThat(Errno.fromMessage("syntax error")).isEmpty();
        assertThat(new ErrnoException(22, "setns").getMessage()).isEqualTo("setns: Invalid argument (EINVAL)");
        assertThat(new ErrnoException(95, "", "Unknown device type").getMessage())
                .isEqualTo("Operation not supported (EOPNOTSUPP): Unknown device type");
    }

    @Test
    void sysctlKeysMapToProcSys() {
        assertThat(Sysctls.path("net.ipv4.ip_forward")).isEqualTo("/proc/sys/net/ipv4/ip_forward");
        assertThat(Sysctls.path("net.ipv6.conf.all.forwarding")).isEqualTo("/proc/sys/net/ipv6/conf/all/forwarding");
        // With slashes, dots belong to names (a VLAN interface eth0.100), as in sysctl(8).
        assertThat(Sysctls.path("net/ipv4/conf/eth0.100/forwarding")).isEqualTo("/proc/sys/net/ipv4/conf/eth0.100/forwarding");
        for (String bad : new String[] {"", "/etc/passwd", "net/../../etc/passwd", "net..ipv4", ".net", "net.ipv4."}) {
            assertThatThrownBy(() -> Sysctls.path(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void namespaceNamesAreFileNames() {
        NamespaceFiles files = new NamespaceFiles(Path.of("/run/netns"));
        assertThat(files.path("lab-node-1")).isEqualTo(Path.of("/run/netns/lab-node-1"));
        for (String bad : new String[] {"", ".", "..", "a/b", "../etc"}) {
            assertThatThrownBy(() -> files.path(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void nftErrorsCarryTheKernelsErrno() {
        Nft.NftException missing = Nft.failure(new Nft.Result(1, "", """
                /dev/stdin:1:19-24: Error: Could not process rule: No such file or directory
                delete table inet nosuch
                                  ^^^^^^
                """));
        assertThat(missing.errno()).isEqualTo(2);
        assertThat(missing.getMessage()).startsWith("/dev/stdin:1:19-24: Error: Could not process rule").contains("^^^^^^");
        Nft.NftException syntax = Nft.failure(new Nft.Result(1, "", """
                /dev/stdin:2:64-68: Error: syntax error, unexpected string, expecting accept or drop or '$'
                """));
        assertThat(syntax.errno()).isZero();
        assertThat(Nft.failure(new Nft.Result(3, "", "")).getMessage()).isEqualTo("nft exited with status 3");
    }

    @Test
    void badInputIsRefusedBeforeTheKernelIsAsked() {
        try (LinuxKernel kernel = new LinuxKernel()) {
            NetNs ns = NetNs.named("never-created");
            assertThatThrownBy(() -> kernel.createBridge(ns, "a-name-of-16-chr", 1500, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 15");
            assertThatThrownBy(() -> kernel.createVethPair(ns, "ok", null, ns, "bad/name", 1500))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad/name");
            assertThatThrownBy(() -> kernel.createBridge(ns, "br0", 1500, "x".repeat(256)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias");
            assertThatThrownBy(() -> kernel.listNftTable(ns, "inet", "x; flush ruleset"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table name");
            assertThatThrownBy(() -> kernel.listNftTable(ns, "ipx", "drover"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family");
            assertThatThrownBy(() -> kernel.sysctl(ns, "../x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> kernel.createNamespace("a/b")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
