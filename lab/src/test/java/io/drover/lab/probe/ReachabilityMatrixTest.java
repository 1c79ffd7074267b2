package io.drover.lab.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.lab.probe.ReachabilityMatrix.Cell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ReachabilityMatrixTest {

    private static final List<String> PODS = List.of("x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c");

    /** conformance/netpol/README.md, the file format section (its first two rows; the rest is elided there). */
    private static final String README_ROWS = """
            from\\to x/a x/b x/c y/a y/b y/c z/a z/b z/c
            x/a       -   .   .   .   .   .   .   .   .
            x/b       X   -   .   .   .   .   .   .   .
            """;

    /** conformance/netpol/C01-cyclonus-base-policy.yaml, TCP port 80. */
    private static final String C01_TCP_80 = """
            from\\to x/a x/b x/c y/a y/b y/c z/a z/b z/c
            x/a       -   X   X   .   .   X   .   .   X
            x/b       .   -   .   .   .   .   .   .   .
            x/c       .   .   -   .   .   .   .   .   .
            y/a       X   .   .   -   .   .   .   .   .
            y/b       .   .   .   .   -   .   .   .   .
            y/c       .   .   .   .   .   -   .   .   .
            z/a       X   .   .   .   .   .   -   .   .
            z/b       X   .   .   .   .   .   .   -   .
            z/c       X   .   .   .   .   .   .   .   -
            """;

    @Test
    void formatsExactlyAsTheReadme() {
        ReachabilityMatrix m = ReachabilityMatrix.of(PODS, (c, s) -> !(c.equals("x/b") && s.equals("x/a")));
        assertThat(m.format()).startsWith(README_ROWS);
        assertThat(m.format().lines()).hasSize(10);
    }

    @Test
    void parsesAndFormatsACaseMatrixUnchanged() {
        ReachabilityMatrix m = ReachabilityMatrix.parse(C01_TCP_80);
        assertThat(m.clients()).isEqualTo(PODS);
        assertThat(m.servers()).isEqualTo(PODS);
        assertThat(m.cell("x/a", "x/b")).isEqualTo(Cell.BLOCKED);
        assertThat(m.cell("x/b", "x/a")).isEqualTo(Cell.CONNECTED);
        assertThat(m.cell("z/c", "z/c")).isEqualTo(Cell.SELF);
        assertThat(m.count(Cell.BLOCKED)).isEqualTo(8);
        assertThat(m.count(Cell.SELF)).isEqualTo(9);
        assertThat(m.format()).isEqualTo(C01_TCP_80);
        assertThat(ReachabilityMatrix.parse(m.format())).isEqualTo(m);
    }

    @Test
    void everyMatrixOfTheSharedCasesRoundTrips() throws IOException {
        Path cases = Path.of("../../shared/conformance/netpol");
        Assumptions.assumeTrue(Files.isDirectory(cases), "the shared conformance cases are not beside the repository");
        int matrices = 0;
        try (Stream<Path> files = Files.list(cases)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (String block : matrixBlocks(Files.readAllLines(file))) {
                    ReachabilityMatrix m = ReachabilityMatrix.parse(block);
                    assertThat(m.format()).as(file.getFileName().toString()).isEqualTo(block);
                    matrices++;
                }
            }
        }
        assertThat(matrices).isGreaterThan(20);
    }

    /** The contents of every {@code matrix: |} literal block, de-indented, each line ending with a newline. */
    private static List<String> matrixBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).stripTrailing().endsWith("matrix: |")) {
                continue;
            }
            int keyIndent = indent(lines.get(i));
            int blockIndent = indent(lines.get(i + 1));
            StringBuilder block = new StringBuilder();
            for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank() && indent(lines.get(j)) > keyIndent; j++) {
                block.append(lines.get(j).substring(blockIndent)).append('\n');
            }
            blocks.add(block.toString());
        }
        return blocks;
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    @Test
    void widerNamesAlignCellsUnderTheirLastCharacter() {
        List<String> pods = List.of("default/web-1", "shop/db", "x/a");
        ReachabilityMatrix m = ReachabilityMatrix.of(pods, (c, s) -> !s.equals("shop/db"));
        assertThat(m.format()).isEqualTo("""
                from\\to       default/web-1 shop/db x/a
                default/web-1             -       X   .
                shop/db                   .       -   .
                x/a                       .       X   -
                """);
        assertThat(ReachabilityMatrix.parse(m.format())).isEqualTo(m);
    }

    @Test
    void parsingIsLenientAboutSpacingButStrictAboutContent() {
        ReachabilityMatrix m = ReachabilityMatrix.parse("""

                  from\\to  x/a x/b
                    x/a  -  X

                  x/b .   -
                """);
        assertThat(m.cell("x/a", "x/b")).isEqualTo(Cell.BLOCKED);
        assertThat(m.cell("x/b", "x/a")).isEqualTo(Cell.CONNECTED);

        assertThatThrownBy(() -> ReachabilityMatrix.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("to x/a\nx/a -\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a x/b\nx/a - .\nx/b .\n"))
                .hasMessageContaining("line 3").hasMessageContaining("expected a client and 2 cells");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a x/b\nx/a - o\nx/b . -\n"))
                .hasMessageContaining("line 2").hasMessageContaining("x/a -> x/b is 'o'");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a x/b\nx/a . .\nx/b . -\n"))
                .hasMessageContaining("x/a -> x/a").hasMessageContaining("'-' marks a pod and itself");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a x/b\nx/a - -\nx/b . -\n"))
                .hasMessageContaining("x/a -> x/b").hasMessageContaining("use '.' or 'X'");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a x/a\nx/a - -\n"))
                .hasMessageContaining("server x/a appears twice");
        assertThatThrownBy(() -> ReachabilityMatrix.parse("from\\to x/a\n")).hasMessageContaining("no rows");
    }

    @Test
    void diffNamesTheDifferingCells() {
        ReachabilityMatrix expected = ReachabilityMatrix.parse(C01_TCP_80);
        ReachabilityMatrix actual = ReachabilityMatrix.of(PODS, (c, s) -> expected.cell(c, s) == Cell.CONNECTED
                ^ Set.of("x/a>x/b", "z/c>x/a").contains(c + ">" + s));
        assertThat(expected.diff(expected).isEmpty()).isTrue();
        assertThat(expected.diff(expected).toString()).isEqualTo("no differences");
        MatrixDiff diff = expected.diff(actual);
        assertThat(diff.isEmpty()).isFalse();
        assertThat(diff.lines()).containsExactly("x/a -> x/b: expected X, got .", "z/c -> x/a: expected X, got .");
        assertThat(diff.cells()).extracting(MatrixDiff.CellDiff::client).containsExactly("x/a", "z/c");
        assertThat(expected).isNotEqualTo(actual);
    }

    @Test
    void diffReportsPodsOnOneSideOnly() {
        ReachabilityMatrix expected = ReachabilityMatrix.of(List.of("x/a", "x/b"), (c, s) -> true);
        ReachabilityMatrix actual = ReachabilityMatrix.of(List.of("x/a", "x/c"), (c, s) -> false);
        assertThat(expected.diff(actual).lines()).containsExactly(
                "clients missing from the actual matrix: x/b",
                "clients not expected: x/c",
                "servers missing from the actual matrix: x/b",
                "servers not expected: x/c");
    }
}
