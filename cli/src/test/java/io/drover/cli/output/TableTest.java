package io.drover.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellPlusThreeSpaces() {
        Table table = new Table(List.of("NAME", "NODE", "STATUS"), List.of(
                List.of("web-1", "node-1", "Allocated"),
                List.of("database-primary", "n2", "Pending")));

        assertThat(table.render()).isEqualTo("""
                NAME               NODE     STATUS
                web-1              node-1   Allocated
                database-primary   n2       Pending
                """);
    }

    @Test
    void linesHaveNoTrailingSpacesEvenWhenTheLastCellIsShort() {
        Table table = new Table(List.of("NAME", "DESCRIPTION"), List.of(List.of("a", ""), List.of("b", "long text")));

        assertThat(table.render().lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
        assertThat(table.render()).contains("a\n");
    }

    @Test
    void indentPrefixesEveryLine() {
        Table table = new Table(List.of("A", "B"), List.of(List.of("1", "2")));

        assertThat(table.render("  ")).isEqualTo("  A   B\n  1   2\n");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsABug() {
        assertThatThrownBy(() -> new Table(List.of("A", "B"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
