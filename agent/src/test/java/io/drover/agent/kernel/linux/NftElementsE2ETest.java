package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.NftElementChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Set and map elements written through nf_tables netlink must be exactly what nft writes for the same lines: the
 * same table is filled once by {@link LinuxKernel#applyNftElements} and once by {@code nft -f}, and nft's listings of
 * both must be equal (keys, values, verdicts, comments), after adds and after deletes.
 */
class NftElementsE2ETest extends KernelE2E {

    private static final String TABLE = """
            table %s t {
                set macs { type ifname . ether_addr; }
                set sources4 { type ifname . ether_addr . ipv4_addr; }
                set sources6 { type ifname . ether_addr . ipv6_addr; }
                set bridges { type ifname; }
                set cluster { type ipv4_addr; }
                set subnets { type ipv4_addr; flags interval; }
                map published { type inet_proto . inet_service : ipv4_addr . inet_service; }
                map services { type ipv4_addr . inet_proto . inet_service : verdict; }
                map ingress { type ipv4_addr : verdict; }
                map nodeports { type inet_proto . inet_service : verdict; }
                map endpoints { typeof ip daddr . meta l4proto . th dport . numgen random mod 1 : ip daddr . th dport; }
                chain pod_in_a { counter accept; }
                chain svc_b { counter drop; }
            }
            """;

    private NetNs viaNetlink;
    private NetNs viaNft;

    @BeforeEach
    void tables() {
        assumeTrue(Oracle.has("nft"), "needs nftables");
        viaNetlink = spaces.create("nl");
        viaNft = spaces.create("nft");
        for (NetNs ns : List.of(viaNetlink, viaNft)) {
            kernel.applyNftables(ns, TABLE.formatted("inet") + TABLE.formatted("bridge")
                    .replace("chain pod_in_a { counter accept; }\n", "chain pod_in_a { counter accept; }\n"));
        }
    }

    private static NftElementChange add(String family, String set, String keyType, String valueType, String key,
            String value, String comment) {
        return new NftElementChange(family, "t", set, keyType, valueType, false, true, key, value, comment);
    }

    private static NftElementChange delete(String family, String set, String keyType, String valueType, String key) {
        return new NftElementChange(family, "t", set, keyType, valueType, false, false, key, null, null);
    }

    private static List<NftElementChange> adds(String family) {
        return List.of(
                add(family, "macs", "ifname . ether_addr", null, "\"dv0123456789\" . 0a:7b:44:3d:b4:e2", null, "pod a/web"),
                add(family, "macs", "ifname . ether_addr", null, "\"dv99\" . 0a:00:00:00:00:01", null, null),
                add(family, "sources4", "ifname . ether_addr . ipv4_addr", null,
                        "\"dv0123456789\" . 0a:7b:44:3d:b4:e2 . 10.200.0.30", null, "pod a/web"),
                add(family, "sources6", "ifname . ether_addr . ipv6_addr", null,
                        "\"dv0123456789\" . 0a:7b:44:3d:b4:e2 . fd00:1::7", null, "pod a/web"),
                add(family, "bridges", "ifname", null, "\"dr-blue\"", null, "network blue"),
                add(family, "cluster", "ipv4_addr", null, "10.96.0.10", null, "service kube-dns"),
                add(family, "published", "inet_proto . inet_service", "ipv4_addr . inet_service", "tcp . 8080",
                        "10.200.0.30 . 80", "pod a/web"),
                add(family, "published", "inet_proto . inet_service", "ipv4_addr . inet_service", "udp . 53",
                        "10.200.0.31 . 5353", null),
                add(family, "services", "ipv4_addr . inet_proto . inet_service", "verdict", "10.96.0.10 . udp . 53",
                        "goto svc_b", "service kube-dns:dns"),
                add(family, "services", "ipv4_addr . inet_proto . inet_service", "verdict", "10.96.0.11 . tcp . 443",
                        "drop", null),
                add(family, "ingress", "ipv4_addr", "verdict", "10.200.0.30", "jump pod_in_a", "pod a/web"),
                add(family, "nodeports", "inet_proto . inet_service", "verdict", "sctp . 30001", "accept", null));
    }

    private String listing(NetNs ns, String family) {
        return kernel.listNftTable(ns, family, "t")
                .replaceAll("\"handle\": ?\\d+,?", "");
    }

    @Test
    void addsAndDeletesAreWhatNftWrites() {
        for (String family : List.of("inet", "bridge")) {
            List<NftElementChange> adds = adds(family);
            kernel.applyNftElements(viaNetlink, adds);
            kernel.applyNftables(viaNft, NftElementChange.script(adds));
            assertThat(listing(viaNetlink, family)).isEqualTo(listing(viaNft, family)).contains("pod a/web", "0a:7b:44:3d:b4:e2",
                    "10.96.0.10", "svc_b", "pod_in_a", "fd00:1::7", "dr-blue");

            List<NftElementChange> deletes = List.of(
                    delete(family, "macs", "ifname . ether_addr", null, "\"dv99\" . 0a:00:00:00:00:01"),
                    delete(family, "services", "ipv4_addr . inet_proto . inet_service", "verdict", "10.96.0.10 . udp . 53"),
                    delete(family, "published", "inet_proto . inet_service", "ipv4_addr . inet_service", "tcp . 8080"));
            kernel.applyNftElements(viaNetlink, deletes);
            kernel.applyNftables(viaNft, NftElementChange.script(deletes));
            assertThat(listing(viaNetlink, family)).isEqualTo(listing(viaNft, family)).doesNotContain("dv99", "8080")
                    .contains("10.96.0.11");
        }
    }

    private static final String ENDPOINT_KEY = "ipv4_addr . inet_proto . inet_service . integer";
    private static final String ENDPOINT_VALUE = "ipv4_addr . inet_service";

    @Test
    void anIndexDrawnByNumgenIsLaidOutAsNftLaysItOut() {
        List<NftElementChange> adds = new ArrayList<>();
        for (int i : new int[] {0, 1, 9, 63, 70_000, 16_777_216}) {
            adds.add(add("inet", "endpoints", ENDPOINT_KEY, ENDPOINT_VALUE, "10.96.0.10 . tcp . 80 . " + i,
                    "10.200.0." + (i % 250 + 1) + " . 8080", i == 1 ? "service shop/web:http" : null));
        }
        kernel.applyNftElements(viaNetlink, adds);
        kernel.applyNftables(viaNft, NftElementChange.script(adds));
        assertThat(listing(viaNetlink, "inet")).isEqualTo(listing(viaNft, "inet")).contains("16777216", "70000");
    }

    @Test
    void tensOfThousandsOfElementsAreOneTransactionThroughNetlink() {
        List<NftElementChange> adds = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            adds.add(add("inet", "endpoints", ENDPOINT_KEY, ENDPOINT_VALUE,
                    "10.96." + (i / 250) + "." + (i % 250 + 1) + " . tcp . 80 . " + (i % 10), "10.200.0.7 . 8080",
                    "service shop/web-" + i + ":http"));
        }
        // Far more than one message holds (64 KiB) and than the default socket buffer: if nft wrote these, a failure at
        // the end would still undo them all, but nft would not report the kernel's errno for the netlink call.
        List<NftElementChange> failing = new ArrayList<>(adds);
        failing.add(delete("inet", "macs", "ifname . ether_addr", null, "\"dv-absent\" . 0a:00:00:00:00:09"));
        assertThatThrownBy(() -> kernel.applyNftElements(viaNetlink, failing))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT))
                .hasMessageContaining("30001 nftables element changes");
        assertThat(listing(viaNetlink, "inet")).as("nothing of the failed batch").doesNotContain("shop/web-0:http");

        kernel.applyNftElements(viaNetlink, adds);
        String listed = listing(viaNetlink, "inet");
        assertThat(listed).contains("service shop/web-0:http", "service shop/web-29999:http");
        assertThat(listed.split("service shop/web-", -1)).hasSize(30_001);
    }

    @Test
    void addingWhatIsThereAlreadyIsNoError() {
        List<NftElementChange> adds = adds("inet");
        kernel.applyNftElements(viaNetlink, adds);
        String before = listing(viaNetlink, "inet");
        kernel.applyNftElements(viaNetlink, adds);
        assertThat(listing(viaNetlink, "inet")).isEqualTo(before);
    }

    @Test
    void aFailingChangeUndoesTheWholeBatch() {
        List<NftElementChange> batch = new ArrayList<>(List.of(
                add("inet", "cluster", "ipv4_addr", null, "10.96.0.20", null, null)));
        batch.add(delete("inet", "macs", "ifname . ether_addr", null, "\"dv-absent\" . 0a:00:00:00:00:09"));
        batch.add(add("inet", "cluster", "ipv4_addr", null, "10.96.0.21", null, null));
        assertThatThrownBy(() -> kernel.applyNftElements(viaNetlink, batch))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT))
                .hasMessageContaining("nftables element changes").hasMessageContaining(viaNetlink.toString());
        assertThat(listing(viaNetlink, "inet")).doesNotContain("10.96.0.20", "10.96.0.21");
        // The socket is usable afterwards: nothing of the failed batch is left to be read as the next one's answer.
        kernel.applyNftElements(viaNetlink, List.of(add("inet", "cluster", "ipv4_addr", null, "10.96.0.22", null, null)));
        assertThat(listing(viaNetlink, "inet")).contains("10.96.0.22");
    }

    @Test
    void intervalSetsGoThroughNft() {
        kernel.applyNftElements(viaNetlink, List.of(new NftElementChange("inet", "t", "subnets", "ipv4_addr", null, true,
                true, "10.200.0.0/16", null, "network blue")));
        assertThat(listing(viaNetlink, "inet")).contains("10.200.0.0", "network blue");
    }

    @Test
    void aMissingSetFailsWithTheKernelsErrno() {
        assertThatThrownBy(() -> kernel.applyNftElements(viaNetlink,
                List.of(add("inet", "no_such_set", "ipv4_addr", null, "10.0.0.1", null, null))))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT));
    }
}
