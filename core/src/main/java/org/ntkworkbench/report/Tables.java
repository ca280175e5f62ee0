package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.io.AtomicFiles;

/**
 * Tables of a run: {@code tables/<name>.csv} (a header line, then one line per row; fields holding a
 * comma, quote or newline are quoted RFC 4180 style; numbers in shortest round-trip form), which
 * {@link HtmlReports} shows in {@code report.html}.
 */
public final class Tables {
    private Tables() {}

    /** A table: column names and rows of values (numbers, strings, booleans or null for an empty cell). */
    public record Table(List<String> columns, List<List<Object>> rows) {
        public Table {
            columns = List.copyOf(columns);
            for (List<Object> r : rows) {
                if (r.size() != columns.size()) {
                    throw new IllegalArgumentException("table row has " + r.size() + " cells but there are "
                            + columns.size() + " columns " + columns);
                }
            }
        }
    }

    /** Writes {@code table} to {@code file} atomically as CSV. */
    public static void write(Path file, Table table) throws IOException {
        StringBuilder b = new StringBuilder();
        line(b, new ArrayList<>(table.columns()));
        for (List<Object> r : table.rows()) {
            line(b, r);
        }
        AtomicFiles.writeString(file, b.toString());
    }

    private static void line(StringBuilder b, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            Object v = cells.get(i);
            String s = v == null ? "" : String.valueOf(v);
            if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            b.append(i > 0 ? "," : "").append(s);
        }
        b.append('\n');
    }

    /** Reads a CSV file written by {@link #write}: the header and rows of strings. */
    public static List<List<String>> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> lines = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cur.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                cur.add(cell.toString());
                cell.setLength(0);
                lines.add(cur);
                cur = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (!cell.isEmpty() || !cur.isEmpty()) {
            cur.add(cell.toString());
            lines.add(cur);
        }
        return lines;
    }
}
