package io.drover.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows under uppercase headers, rendered as kubectl does: every column as wide as its widest cell, columns
 * separated by at least three spaces, no trailing spaces.
 */
public record Table(List<String> headers, List<List<String>> rows) {

    static final String GAP = "   ";

    public Table {
        headers = List.copyOf(headers);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != headers.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells for " + headers.size() + " headers");
            }
        }
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header and the rows, one per line, each line ending in a newline. */
    public String render() {
        return render("");
    }

    /** As {@link #render()}, each line starting with {@code indent} (describe nests tables under a heading). */
    public String render(String indent) {
        int[] widths = new int[headers.size()];
        List<List<String>> lines = new ArrayList<>();
        lines.add(headers);
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder(indent);
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                text.append(cell);
                if (i < line.size() - 1) {
                    text.append(" ".repeat(widths[i] - cell.length())).append(GAP);
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
