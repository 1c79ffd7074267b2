package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Sysctls and nftables inside namespaces; the root namespace's stay as they are. */
class SysctlsAndNftablesE2ETest extends KernelE2E {

    @Test
    void ipForwardingIsPerNamespace() throws Exception {
        String rootBefore = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        NetNs a = spaces.create("fwd-a");
        NetNs b = spaces.create("fwd-b");
        assertThat(kernel.sysctl(a, "net.ipv4.ip_forward")).isEqualTo("0");
        kernel.setSysctl(a, "net.ipv4.ip_forward", "1");
        kernel.setSysctl(a, "net.ipv6.conf.all.forwarding", "1");
        assertThat(kernel.sysctl(a, "net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(kernel.sysctl(a, "net.ipv6.conf.all.forwarding")).isEqualTo("1");
        assertThat(Oracle.exec(spaces.name("fwd-a"), "cat", "/proc/sys/net/ipv4/ip_forward").ok().out().strip()).isEqualTo("1");
        assertThat(kernel.sysctl(b, "net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo(rootBefore);
    }

    @Test
    void perInterfaceKeysWithDotsInNames() {
        NetNs ns = spaces.create("dots");
        kernel.createBridge(ns, "br0.5", 1500, null);
        kernel.setSysctl(ns, "net/ipv4/conf/br0.5/forwarding", "1");
        assertThat(kernel.sysctl(ns, "net/ipv4/conf/br0.5/forwarding")).isEqualTo("1");
        assertThat(kernel.sysctl(ns, "net.ipv4.conf.all.forwarding")).isEqualTo("0");
    }

    @Test
    void sysctlErrorsCarryTheErrno() {
        NetNs ns = spaces.create("sysctl-err");
        assertThatThrownBy(() -> kernel.sysctl(ns, "net.ipv4.no_such_key"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT))
                .hasMessageContaining("read sysctl net.ipv4.no_such_key in " + ns);
        assertThatThrownBy(() -> kernel.setSysctl(ns, "net.ipv4.ip_forward", "not-a-number"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(22 /* EINVAL */))
                .hasMessageContaining("set sysctl net.ipv4.ip_forward=not-a-number in " + ns);
    }

    private static final String TABLE = """
            table inet %s {
                set pods {
                    type ipv4_addr
                    elements = { 10.77.0.2 }
                }
                chain forward {
                    type filter hook forward priority 0; policy accept;
                    ip saddr @pods counter accept
                }
            }
            """;

    private String table() {
        return spaces.prefix().replace("-", "_") + "drover";
    }

    @Test
    void appliesAndListsATableInsideTheNamespaceOnly() {
        assumeTrue(Oracle.has("nft"), "needs nftables");
        NetNs ns = spaces.create("nft");
        NetNs other = spaces.create("nft-other");
        kernel.applyNftables(ns, TABLE.formatted(table()));

        JsonNode listed = Oracle.json(kernel.listNftTable(ns, "inet", table()));
        assertThat(objects(listed, "table")).extracting(t -> t.get("name").asString()).containsExactly(table());
        assertThat(objects(listed, "set")).extracting(t -> t.get("name").asString()).containsExactly("pods");
        assertThat(objects(listed, "chain")).extracting(t -> t.get("name").asString()).containsExactly("forward");
        // The oracle agrees, and nowhere else has the table: not another namespace, not the root namespace.
        assertThat(Oracle.exec(spaces.name("nft"), "nft", "list", "tables").ok().out()).contains("table inet " + table());
        assertThat(kernel.listNftTable(other, "inet", table())).isEqualTo("{\"nftables\":[]}");
        assertThat(Oracle.run("nft", "list", "tables").ok().out()).doesNotContain(table());
    }

    @Test
    void anAbsentTableListsAsEmpty() {
        assumeTrue(Oracle.has("nft"), "needs nftables");
        NetNs ns = spaces.create("nft-empty");
        assertThat(kernel.listNftTable(ns, "inet", "drover")).isEqualTo("{\"nftables\":[]}");
        assertThat(kernel.listNftTable(ns, "ip6", "drover")).isEqualTo("{\"nftables\":[]}");
    }

    @Test
    void aMissingNamespaceIsNotAnEmptyTable() {
        assumeTrue(Oracle.has("nft"), "needs nftables");
        NetNs gone = NetNs.named(spaces.name("never-made"));
        assertThatThrownBy(() -> kernel.listNftTable(gone, "inet", "drover"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT))
                .hasMessageContaining("namespace " + gone);
    }

    @Test
    void aFailedScriptChangesNothing() {
        assumeTrue(Oracle.has("nft"), "needs nftables");
        NetNs ns = spaces.create("nft-fail");
        kernel.applyNftables(ns, TABLE.formatted(table()));
        String before = withoutMetainfo(kernel.listNftTable(ns, "inet", table()));

        // Valid first command, then one the kernel refuses (a chain that does not exist): nothing applies.
        String script = "add element inet " + table() + " pods { 10.77.0.3 }\n"
                + "add rule inet " + table() + " nosuchchain accept\n";
        assertThatThrownBy(() -> kernel.applyNftables(ns, script))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT))
                .hasMessageContaining("apply nftables script")
                .hasMessageContaining(ns.toString())
                .hasMessageContaining("nosuchchain");
        assertThat(withoutMetainfo(kernel.listNftTable(ns, "inet", table()))).isEqualTo(before).doesNotContain("10.77.0.3");

        // A syntax error is nft's own: errno 0, and nft's explanation in the message.
        assertThatThrownBy(() -> kernel.applyNftables(ns, "add element inet " + table() + " pods { 10.77.0.4 \n"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isZero())
                .hasMessageContaining("syntax error");
        assertThat(withoutMetainfo(kernel.listNftTable(ns, "inet", table()))).isEqualTo(before);
    }

    @Test
    void deletingAMissingTableIsEnoent() {
        assumeTrue(Oracle.has("nft"), "needs nftables");
        NetNs ns = spaces.create("nft-del");
        assertThatThrownBy(() -> kernel.applyNftables(ns, "delete table inet " + table() + "\n"))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT));
    }

    private static List<JsonNode> objects(JsonNode listing, String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode item : listing.get("nftables")) {
            if (item.has(kind)) {
                out.add(item.get(kind));
            }
        }
        return out;
    }

    private static String withoutMetainfo(String json) {
        JsonNode listing = Oracle.json(json);
        List<String> items = new ArrayList<>();
        for (JsonNode item : listing.get("nftables")) {
            if (!item.has("metainfo")) {
                items.add(item.toString());
            }
        }
        return String.join("\n", items);
    }
}
