package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scripts against a real nft and kernel, in a throwaway namespace: they apply, the JSON listing parses back to
 * what was rendered, and going from one input to another (by full rewrite or by element changes) leaves nothing of
 * the old input behind. Needs root; skipped otherwise.
 */
class NftablesE2ETest {

    private NetnsSandbox sandbox;
    private String ns;

    @BeforeEach
    void createNamespace() {
        assumeTrue(NetnsSandbox.available(), "needs root, ip and nft");
        sandbox = new NetnsSandbox();
        ns = sandbox.namespace("nft");
    }

    @AfterEach
    void removeNamespace() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static Stream<NodeRules> inputs() {
        return Stream.of(
                NodeRules.EMPTY,
                TWO_NETWORKS,
                EVERYTHING,
                new NodeRules(List.of(GREEN_V6), List.of(SCTP_V6_ON_ADDR)),
                new NodeRules(List.of(network("single", true, "10.99.0.1/32", "fd00:99::1/128")),
                        List.of(port("0.0.0.0", 1, "udp", "10.99.0.1", 65535, "odd/\"quoted\" name"))));
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void appliesAndReadsBackAsProgrammed(NodeRules rules) {
        apply(rules.nftScript());

        ProgrammedTable table = ProgrammedTable.parse(sandbox.listDrover(ns));

        assertThat(table.exists()).isTrue();
        assertThat(table.ruleset()).isEqualTo(NodeRules.ruleset());
        assertThat(table.elements()).isEqualTo(rules.elements());
        assertThat(rules.isProgrammed(table)).isTrue();
        assertThat(rules.syncScript(table)).isEmpty();
    }

    @Test
    void aFullRewriteLeavesNothingOfTheOldInput() {
        apply(EVERYTHING.nftScript());
        NodeRules fewer = new NodeRules(List.of(RED), List.of(DNS_ON_ADDR));

        apply(fewer.nftScript());

        ProgrammedTable table = ProgrammedTable.parse(sandbox.listDrover(ns));
        assertThat(fewer.isProgrammed(table)).isTrue();
        String listing = NetnsSandbox.must(sandbox.exec(ns, "nft", "list", "table", "inet", "drover")).stdout();
        assertThat(listing).doesNotContain("dr-blue", "dr-green", "10.10.0.", "fd00:", "8080", "shop/web-1")
                .contains("dr-red", "10.20.0.0/16", "192.168.1.5 . udp . 5353");
    }

    @Test
    void elementChangesTakeTheKernelFromOneInputToTheNext() {
        apply(EVERYTHING.nftScript());
        NodeRules next = new NodeRules(
                List.of(network("blue", false, "10.10.0.0/16", "fd00:10::/64"), network("gold", true, "10.40.0.0/16")),
                List.of(port(null, 8080, "TCP", "10.10.0.8", 80, "shop/web-2"), port(null, 9090, "UDP", "10.40.0.3", 9090, "x/y")));

        apply(next.updateScript(EVERYTHING));

        ProgrammedTable table = ProgrammedTable.parse(sandbox.listDrover(ns));
        assertThat(table.elements()).isEqualTo(next.elements());
        assertThat(next.isProgrammed(table)).isTrue();

        apply(NodeRules.EMPTY.updateScript(next));

        table = ProgrammedTable.parse(sandbox.listDrover(ns));
        assertThat(table.elements().sets()).isEmpty();
        assertThat(NodeRules.EMPTY.isProgrammed(table)).isTrue();
    }

    @Test
    void removingAPortLeavesNoTraceOfIt() {
        apply(TWO_NETWORKS.nftScript());

        apply(new NodeRules(List.of(BLUE, RED), List.of()).updateScript(TWO_NETWORKS));

        String listing = NetnsSandbox.must(sandbox.exec(ns, "nft", "list", "table", "inet", "drover")).stdout();
        assertThat(listing).doesNotContain("8080", "10.10.0.7", "shop/web-1");
    }

    @Test
    void anUpdateFromAWrongBaselineFailsAndChangesNothing() {
        apply(TWO_NETWORKS.nftScript());
        NodeRules believed = new NodeRules(List.of(BLUE, RED), List.of(WEB, port(null, 7070, "TCP", "10.20.0.4", 80, "a/b")));

        NetnsSandbox.Result result = sandbox.nft(ns, EVERYTHING.updateScript(believed));

        assertThat(result.ok()).as("deleting an element the kernel lacks fails the transaction").isFalse();
        assertThat(TWO_NETWORKS.isProgrammed(ProgrammedTable.parse(sandbox.listDrover(ns)))).isTrue();
    }

    @Test
    void afterARestartSyncRepairsDriftWithElementChangesOnly() {
        apply(EVERYTHING.nftScript());
        NetnsSandbox.must(sandbox.exec(ns, "nft", "delete", "element", "inet", "drover", "published4", "{ tcp . 8080 }"));
        NetnsSandbox.must(sandbox.exec(ns, "nft", "add", "element", "inet", "drover", "bridges", "{ \"dr-stray\" }"));

        ProgrammedTable drifted = ProgrammedTable.parse(sandbox.listDrover(ns));
        assertThat(EVERYTHING.isProgrammed(drifted)).isFalse();
        String sync = EVERYTHING.syncScript(drifted);
        assertThat(sync).doesNotContain("delete table")
                .contains("delete element inet drover bridges { \"dr-stray\" }")
                .contains("add element inet drover published4 { tcp . 8080 comment \"pod shop/web-1\" : 10.10.0.7 . 80 }");

        apply(sync);

        assertThat(EVERYTHING.isProgrammed(ProgrammedTable.parse(sandbox.listDrover(ns)))).isTrue();
    }

    @Test
    void aHandEditedRuleIsSeenAndTheTableRewritten() {
        apply(TWO_NETWORKS.nftScript());
        NetnsSandbox.must(sandbox.exec(ns, "nft", "insert", "rule", "inet", "drover", "forward", "accept"));

        ProgrammedTable edited = ProgrammedTable.parse(sandbox.listDrover(ns));

        assertThat(TWO_NETWORKS.isProgrammed(edited)).isFalse();
        String sync = TWO_NETWORKS.syncScript(edited);
        assertThat(sync).isEqualTo(TWO_NETWORKS.inetScript());
        apply(sync);
        assertThat(TWO_NETWORKS.isProgrammed(ProgrammedTable.parse(sandbox.listDrover(ns)))).isTrue();
    }

    @Test
    void theDeleteScriptRemovesTheTableAndIsIdempotent() {
        apply(EVERYTHING.nftScript());

        apply(NodeRules.deleteScript());
        apply(NodeRules.deleteScript());

        ProgrammedTable table = ProgrammedTable.parse(sandbox.listDrover(ns));
        assertThat(table.exists()).isFalse();
        assertThat(TWO_NETWORKS.syncScript(table)).isEqualTo(TWO_NETWORKS.inetScript());
    }

    @Test
    void leavesOtherTablesAlone() {
        NetnsSandbox.must(sandbox.nft(ns, "table ip someone_else {\n chain c {\n type filter hook forward priority 0;\n }\n}\n"));

        apply(EVERYTHING.nftScript());
        apply(NodeRules.deleteScript());

        assertThat(NetnsSandbox.must(sandbox.exec(ns, "nft", "list", "tables")).stdout()).contains("table ip someone_else")
                .doesNotContain("drover");
    }

    private void apply(String script) {
        NetnsSandbox.Result result = sandbox.nft(ns, script);
        assertThat(result.ok()).as("nft -f failed:\n%s\n%s", result.stderr(), script).isTrue();
    }
}
