package io.drover.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of {@code drover describe}: labelled fields whose values line up in one column (multi-valued fields
 * continue under the first value), and labelled tables indented below their label.
 */
public final class Description {

    private static final String TABLE_INDENT = "  ";

    private sealed interface Entry permits Field, Section {
        String label();
    }

    private record Field(String label, List<String> values) implements Entry {}

    private record Section(String label, Table table, String whenEmpty) implements Entry {}

    private final List<Entry> entries = new ArrayList<>();

    public Description field(String label, String value) {
        return field(label, List.of(value == null || value.isEmpty() ? Labels.NONE : value));
    }

    public Description field(String label, List<String> values) {
        entries.add(new Field(label, values.isEmpty() ? List.of(Labels.NONE) : List.copyOf(values)));
        return this;
    }

    /** A table under its label; an empty table shows {@code whenEmpty} as the label's value instead. */
    public Description table(String label, Table table, String whenEmpty) {
        entries.add(new Section(label, table, whenEmpty));
        return this;
    }

    public String render() {
        int column = entries.stream().mapToInt(e -> e.label().length() + 1).max().orElse(0) + 2;
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries) {
            String heading = entry.label() + ":";
            switch (entry) {
                case Field(String label, List<String> values) -> {
                    out.append(pad(heading, column)).append(values.getFirst()).append('\n');
                    for (String more : values.subList(1, values.size())) {
                        out.append(" ".repeat(column)).append(more).append('\n');
                    }
                }
                case Section(String label, Table table, String whenEmpty) -> {
                    if (table.isEmpty()) {
                        out.append(pad(heading, column)).append(whenEmpty).append('\n');
                    } else {
                        out.append(heading).append('\n').append(table.render(TABLE_INDENT));
                    }
                }
            }
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}
