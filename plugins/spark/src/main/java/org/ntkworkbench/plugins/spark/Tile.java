package org.ntkworkbench.plugins.spark;

import java.io.Serializable;

/**
 * One computed tile: rows {@code [r0, r0 + rows)} of x1 against columns {@code [c0, c0 + cols)} of x2,
 * row-major; an array is {@code null} when it was not asked for. {@code seconds} is the task's own
 * compute time (for the benchmarks' per-tile numbers).
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
    final double seconds;

    Tile(int bi, int bj, int r0, int c0, int rows, int cols, double[] nngp, double[] ntk, double seconds) {
        this.bi = bi;
        this.bj = bj;
        this.r0 = r0;
        this.c0 = c0;
        this.rows = rows;
        this.cols = cols;
        this.nngp = nngp;
        this.ntk = ntk;
        this.seconds = seconds;
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
