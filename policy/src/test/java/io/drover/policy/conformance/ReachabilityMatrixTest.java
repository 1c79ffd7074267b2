package io.drover.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.policy.NamespacedName;
import org.junit.jupiter.api.Test;

class ReachabilityMatrixTest {

    private static final String TEXT = """
            from\\to x/a x/b y/a
            x/a       -   X   .
            x/b       .   -   X
            y/a       .   .   -
            """;

    private static NamespacedName pod(String text) {
        return NamespacedName.parse(text);
    }

    @Test
    void readsRowsAsClientsAndColumnsAsServers() {
        ReachabilityMatrix matrix = ReachabilityMatrix.parse(TEXT);
        assertThat(matrix.clients()).containsExactly(pod("x/a"), pod("x/b"), pod("y/a"));
        assertThat(matrix.at(pod("x/a"), pod("x/b"))).isEqualTo(Reachability.BLOCKED);
        assertThat(matrix.at(pod("x/b"), pod("x/a"))).isEqualTo(Reachability.CONNECTED);
        assertThat(matrix.at(pod("y/a"), pod("y/a"))).isEqualTo(Reachability.LOOPBACK);
    }

    @Test
    void rendersAsTheCasesAlignIt() {
        assertThat(ReachabilityMatrix.parse(TEXT).render()).isEqualTo(TEXT);
        assertThat(ReachabilityMatrix.parse("\n  from\\to x/a   y/a\n x/a  - .\n\n y/a . -\n").render())
                .isEqualTo("from\\to x/a y/a\nx/a       -   .\ny/a       .   -\n");
    }

    @Test
    void differencesNameTheCellsAndSkipLoopback() {
        ReachabilityMatrix expected = ReachabilityMatrix.parse(TEXT);
        ReachabilityMatrix observed = ReachabilityMatrix.of(expected.clients(), expected.servers(),
                (client, server) -> Reachability.CONNECTED);
        assertThat(expected.differences(observed)).extracting(CellDifference::toString)
                .containsExactly("x/a -> x/b: expected X, observed .", "x/b -> y/a: expected X, observed .");
        assertThat(expected.differences(expected)).isEmpty();
    }

    @Test
    void refusesMalformedText() {
        assertThatThrownBy(() -> ReachabilityMatrix.parse("to x/a\nx/a -\n")).hasMessageContaining("from\\to");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a x/b\nx/a - \n")).hasMessageContaining("1 cells for 2 servers");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a\nx/a o\n")).hasMessageContaining("'o'");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a\nx/a -\nx/a -\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to xa\n")).hasMessageContaining("NAMESPACE/NAME");
        assertThatThrownBy(() -> ReachabilityMatrix.parse(" \n")).hasMessageContaining("empty");
    }
}
