package org.ntkworkbench.plugins.spark;

import java.io.Serializable;

/**
 * One computed tile: rows {@code [r0, r0 + rows)} of x1 against columns {@code [c0, c0 + cols)} of x2,
 * row-major; an array is {@code null} when it was not asked for. {@code cov1}/{@code cov2} are the
 * examples' own output variances (analytic kernels: rows of the first column of tiles, columns of the
 * first row), else {@code null}. {@code seconds} is the task's wall time for the tile (for the
 * benchmarks' per-tile numbers). A tile whose numbers the task already placed in the output itself
 * ({@link #placed}) carries no arrays: it is only the acknowledgement.
 */
final class Tile implements Serializable {
    private static final long serialVersionUID = 1L;

    final int bi;
    final int bj;
    final int r0;
    final int c0;
    final int rows;
    final int cols;
    final double[] nngp;
    final double[] ntk;
    final double[] cov1;
    final double[] cov2;
    final double seconds;
    final boolean placed;
    /** Seconds the task spent placing the tile in the output itself (0 when the driver placed it). */
    final double placeSeconds;

    Tile(int bi, int bj, int r0, int c0, int rows, int cols, double[] nngp, double[] ntk, double[] cov1, double[] cov2,
         double seconds, boolean placed) {
        this(bi, bj, r0, c0, rows, cols, nngp, ntk, cov1, cov2, seconds, placed, 0);
    }

    private Tile(int bi, int bj, int r0, int c0, int rows, int cols, double[] nngp, double[] ntk, double[] cov1, double[] cov2,
                 double seconds, boolean placed, double placeSeconds) {
        this.bi = bi;
        this.bj = bj;
        this.r0 = r0;
        this.c0 = c0;
        this.rows = rows;
        this.cols = cols;
        this.nngp = nngp;
        this.ntk = ntk;
        this.cov1 = cov1;
        this.cov2 = cov2;
        this.seconds = seconds;
        this.placed = placed;
        this.placeSeconds = placeSeconds;
    }

    /** The acknowledgement of this tile once the task put its numbers in the output, in {@code placeSeconds} (no arrays travel). */
    Tile placed(double placeSeconds) {
        return new Tile(bi, bj, r0, c0, rows, cols, null, null, null, null, seconds, true, placeSeconds);
    }

    /** Bytes of the arrays this tile carries. */
    long bytes() {
        long b = 0;
        for (double[] a : new double[][] {nngp, ntk, cov1, cov2}) {
            b += a == null ? 0 : 8L * a.length;
        }
        return b;
    }

    /** The array named {@code which} ({@code nngp} or {@code ntk}). */
    double[] get(String which) {
        double[] a = which.equals("nngp") ? nngp : ntk;
        if (a == null) {
            throw new IllegalStateException("tile has no " + which + " array");
        }
        return a;
    }

    boolean diagonal() {
        return bi == bj && r0 == c0;
    }
}
