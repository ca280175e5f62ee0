package org.ntkworkbench.io;

import java.util.List;
import org.ntkworkbench.tensor.Tensor;

/**
 * A numeric table: named columns over a rank-2 tensor of values {@code (rows, columns)}, as read from
 * or written to a CSV file with a header line (e.g. {@code step,loss} or {@code degree,eigenvalue,multiplicity}).
 */
public record NumericTable(List<String> columns, Tensor values) {
    /** Checks that the values are (rows, columns.size()) and the column names distinct. */
    public NumericTable {
        columns = List.copyOf(columns);
        if (values.rank() != 2 || values.dim(1) != columns.size()) {
            throw new IllegalArgumentException("table values of shape " + values.shapeString() + " do not match "
                    + columns.size() + " columns " + columns);
        }
        if (columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("duplicate column names " + columns);
        }
    }

    /** Builds a table from columns given as equal-length arrays, in order. */
    public static NumericTable ofColumns(List<String> names, double[]... columns) {
        if (names.size() != columns.length) {
            throw new IllegalArgumentException(names.size() + " names for " + columns.length + " columns");
        }
        int rows = columns.length == 0 ? 0 : columns[0].length;
        double[] values = new double[rows * columns.length];
        for (int j = 0; j < columns.length; j++) {
            if (columns[j].length != rows) {
                throw new IllegalArgumentException("column '" + names.get(j) + "' has " + columns[j].length
                        + " values, expected " + rows);
            }
            for (int i = 0; i < rows; i++) {
                values[i * columns.length + j] = columns[j][i];
            }
        }
        return new NumericTable(names, Tensor.of(values, rows, columns.length));
    }

    /** Number of rows. */
    public int rowCount() {
        return values.dim(0);
    }

    /** A copy of the column called {@code name}. */
    public double[] column(String name) {
        int j = columns.indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException("no column '" + name + "' (columns: " + columns + ")");
        }
        int rows = rowCount(), cols = columns.size();
        double[] out = new double[rows];
        double[] data = values.data();
        for (int i = 0; i < rows; i++) {
            out[i] = data[i * cols + j];
        }
        return out;
    }
}
