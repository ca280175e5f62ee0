package org.ntkworkbench.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ntkworkbench.tensor.Tensor;

/**
 * Numeric CSV tables with one header line: comma-separated, UTF-8, one row per line, every field a
 * number. Integral values are written without a decimal point, others in Java's shortest round-trip
 * form ({@code 0.1}, {@code 1.0E-5}); non-finite values as {@code nan}, {@code inf}, {@code -inf}
 * (read back case-insensitively, as are {@code NaN} and {@code Infinity}). Blank lines are skipped.
 */
public final class Csv {
    private Csv() {
    }

    /** Reads a numeric table; malformed lines are reported as {@code file:line: problem}. */
    public static NumericTable read(Path file) throws IOException {
        NpyReader.checkReadable(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            int lineNumber = 1;
            while (headerLine != null && headerLine.isBlank()) {
                headerLine = in.readLine();
                lineNumber++;
            }
            if (headerLine == null) {
                throw new ArrayFileException(file, "empty CSV file (no header line)");
            }
            if (headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            List<String> columns = new ArrayList<>();
            for (String name : headerLine.split(",", -1)) {
                String n = name.strip();
                if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
                    n = n.substring(1, n.length() - 1);
                }
                if (n.isEmpty()) {
                    throw new ArrayFileException(file + ":" + lineNumber, "empty column name in header '" + headerLine + "'");
                }
                if (columns.contains(n)) {
                    throw new ArrayFileException(file + ":" + lineNumber, "duplicate column name '" + n + "'");
                }
                columns.add(n);
            }
            int width = columns.size();
            double[] values = new double[16 * width];
            int rows = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length != width) {
                    throw new ArrayFileException(file + ":" + lineNumber, "expected " + width + " fields "
                            + columns + ", got " + fields.length);
                }
                if ((long) (rows + 1) * width > NpyReader.MAX_ELEMENTS) {
                    throw new ArrayFileException(file + ":" + lineNumber, "table too large for one array");
                }
                if ((rows + 1) * width > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(NpyReader.MAX_ELEMENTS, 2L * values.length + width));
                }
                for (int j = 0; j < width; j++) {
                    values[rows * width + j] = parse(fields[j], file + ":" + lineNumber, columns.get(j));
                }
                rows++;
            }
            return new NumericTable(columns, Tensor.of(Arrays.copyOf(values, rows * width), rows, width));
        } catch (MalformedInputException e) {
            throw new ArrayFileException(file, "not UTF-8 text", e);
        }
    }

    /** Writes {@code table} atomically. */
    public static void write(Path file, NumericTable table) throws IOException {
        for (String c : table.columns()) {
            if (c.isEmpty() || c.contains(",") || c.contains("\n") || c.contains("\r") || c.contains("\"")) {
                throw new IllegalArgumentException("CSV column name '" + c + "' is empty or contains a comma, quote or newline ("
                        + file + ")");
            }
        }
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(String.join(",", table.columns()));
            w.write('\n');
            int cols = table.columns().size();
            double[] data = table.values().data();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < table.rowCount(); i++) {
                line.setLength(0);
                for (int j = 0; j < cols; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    line.append(format(data[i * cols + j]));
                }
                line.append('\n');
                w.write(line.toString());
            }
            w.flush();
        });
    }

    /** The CSV text of one value (see the class comment). */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return v == 0 && 1 / v < 0 ? "-0" : Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static double parse(String field, String where, String column) throws ArrayFileException {
        String s = field.strip();
        switch (s.toLowerCase()) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        // Double.parseDouble also accepts hex floats and a trailing 'd'/'f'; refuse those as not CSV numbers
        if (s.isEmpty() || !s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new ArrayFileException(where, "column '" + column + "': not a number: '" + field + "'");
        }
        return Double.parseDouble(s);
    }
}
