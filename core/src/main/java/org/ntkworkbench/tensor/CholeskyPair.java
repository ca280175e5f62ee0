package org.ntkworkbench.tensor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import smile.linalg.blas.cblas_h;
import smile.linalg.lapack.clapack_h;

/**
 * The two Cholesky factors of FALKON's preconditioner in <em>one</em> {@code m × m} array, so that the
 * preconditioner of {@code m} centres costs {@code 8 m²} bytes instead of three such arrays (at m = 20 000
 * that is 3.2 GB instead of 9.6 GB). For a symmetric positive definite {@code K} (given row by row) it
 * computes {@code K = L Lᵀ} and {@code Lᵀ L · scale + λ I = L_A L_Aᵀ}, both in place by LAPACK
 * ({@code dpotrf}, {@code dlauum}, {@code dpotrf}), and keeps
 * <ul>
 *   <li>{@code T = Lᵀ = D U} as the unit upper triangle {@code U} (strictly above the diagonal) and the
 *       diagonal {@code D} in a separate vector (a triangular factor with unit diagonal needs no diagonal
 *       storage, which is what frees the diagonal for the second factor);</li>
 *   <li>{@code L_A} in the lower triangle with its diagonal.</li>
 * </ul>
 * Solves with {@code T}, {@code Tᵀ}, {@code A = L_Aᵀ}, {@code Aᵀ} act on small row-major {@code m × k}
 * arrays through {@code dtrsm}. The array lives on the Java heap (so the memory planner's budget, which is
 * the heap's, covers it) and LAPACK works on it in place through critical downcalls, as {@link Blas#gemm}
 * does; where those are unavailable each routine copies it to native memory and back. The array is read
 * column-major; a symmetric matrix's row {@code i} is its column {@code i}. Not thread-safe.
 */
public final class CholeskyPair {
    private final double[] s;
    private final int m;
    private final double[] d;
    private int filled;
    private boolean factored;
    private double jitter;

    /** Critical downcalls on heap arrays: Blas's handles plus dlauum ({@code null} where the library is not found). */
    private static final class Heap {
        static final MethodHandle DPOTRF = Blas.Critical.Dpotrf.H;
        static final MethodHandle DTRSM = Blas.Critical.Dtrsm.H;
        static final MethodHandle DLAUUM = Blas.Critical.LIB == null ? null : Blas.Critical.LIB.find("dlauum_")
                .map(fn -> Linker.nativeLinker().downcallHandle(fn,
                        FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS), Linker.Option.critical(true)))
                .orElse(null);
    }

    private CholeskyPair(int m) {
        this.m = m;
        this.s = new double[m * m];
        this.d = new double[m];
    }

    /** An array for an {@code m × m} matrix ({@code 8 m²} bytes of heap). */
    public static CholeskyPair allocate(int m) {
        if (m < 1 || (long) m * m > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CholeskyPair: order " + m + " out of range");
        }
        return new CholeskyPair(m);
    }

    /** Bytes held: {@code 8 m²} (plus {@code 8 m}). */
    public static long bytes(int m) {
        return 8L * m * m + 8L * m;
    }

    public int order() {
        return m;
    }

    /** Rows {@code [from, from + count)} of the symmetric matrix {@code K}, row-major {@code count × m}, in order. */
    public void setRows(int from, double[] rows, int count) {
        if (factored || from != filled || rows.length < (long) count * m) {
            throw new IllegalStateException("CholeskyPair: rows must be given in order before factoring");
        }
        System.arraycopy(rows, 0, s, from * m, count * m);
        filled = from + count;
    }

    /** Mean of the diagonal of the {@code K} given (before {@link #factor}). */
    public double meanDiagonal() {
        double sum = 0;
        for (int i = 0; i < m; i++) {
            sum += get(i, i);
        }
        return sum / m;
    }

    /**
     * Factors: {@code K + jitter I = L Lᵀ} with the smallest jitter (0, then {@code 1e-12 · mean diag · m},
     * ×100 each retry, at most 9 retries) that makes it positive definite, then
     * {@code Lᵀ L · scale + lambda I = L_A L_Aᵀ}.
     *
     * @return the jitter used
     * @throws ArithmeticException when {@code K} is not positive definite even with the largest jitter
     */
    public double factor(double scale, double lambda) {
        if (filled != m || factored) {
            throw new IllegalStateException("CholeskyPair: give all " + m + " rows once before factoring");
        }
        double[] diag0 = new double[m];
        for (int i = 0; i < m; i++) {
            diag0[i] = get(i, i);
        }
        double meanDiag = meanDiagonal();
        double j = 0;
        for (int attempt = 0; ; attempt++) {
            int info = potrf();
            if (info == 0) {
                break;
            }
            if (info < 0 || attempt > 8) {
                throw new ArithmeticException("dpotrf failed with info = " + info + ": the " + m + " x " + m
                        + " matrix is not positive definite even with jitter " + j);
            }
            j = j == 0 ? 1e-12 * Math.max(meanDiag, 1e-300) * m : j * 100;
            restoreLowerFromUpper(diag0, j);  // dpotrf('L') left the strictly upper triangle (= K) untouched
        }
        jitter = j;
        // T = Lᵀ = D U: U(c, r) = L(r, c) / d_c for r > c, into the strictly upper triangle (cache-sized tiles).
        for (int i = 0; i < m; i++) {
            d[i] = get(i, i);
        }
        final int tile = 64;
        double[] col = new double[tile];
        for (int cb = 0; cb < m; cb += tile) {
            int cEnd = Math.min(m, cb + tile);
            for (int rb = cb; rb < m; rb += tile) {
                int rEnd = Math.min(m, rb + tile);
                for (int r = rb; r < rEnd; r++) {
                    int cTop = Math.min(cEnd, r);           // c < r only
                    if (cTop <= cb) {
                        continue;
                    }
                    for (int c = cb; c < cTop; c++) {
                        col[c - cb] = get(r, c) / d[c];
                    }
                    System.arraycopy(col, 0, s, r * m + cb, cTop - cb);
                }
            }
        }
        // Lᵀ L in the lower triangle (dlauum reads and writes only the lower triangle with its diagonal).
        check("dlauum", lapack(Heap.DLAUUM, "dlauum"));
        for (int c = 0; c < m; c++) {
            int off = c * m + c;
            for (int i = off; i < (c + 1) * m; i++) {
                s[i] *= scale;
            }
            s[off] += lambda;
        }
        int info = potrf();
        if (info != 0) {
            throw new ArithmeticException("dpotrf of the preconditioner's second factor failed with info = " + info);
        }
        factored = true;
        return jitter;
    }

    /** The jitter {@link #factor} added to the diagonal. */
    public double jitter() {
        return jitter;
    }

    /** {@code u ← T⁻¹ u} ({@code T = Lᵀ}); {@code u} row-major {@code m × k}. */
    public void solveT(double[] u, int k) {
        scaleRows(u, k);
        trsm(u, k, false, false, true);
    }

    /** {@code u ← T⁻ᵀ u}. */
    public void solveTTransposed(double[] u, int k) {
        trsm(u, k, false, true, true);
        scaleRows(u, k);
    }

    /** {@code u ← A⁻¹ u} ({@code A = L_Aᵀ}). */
    public void solveA(double[] u, int k) {
        trsm(u, k, true, true, false);
    }

    /** {@code u ← A⁻ᵀ u}. */
    public void solveATransposed(double[] u, int k) {
        trsm(u, k, true, false, false);
    }

    private void scaleRows(double[] u, int k) {
        for (int i = 0; i < m; i++) {
            double inv = 1.0 / d[i];
            for (int c = 0; c < k; c++) {
                u[i * k + c] *= inv;
            }
        }
    }

    /** In place on the row-major {@code m × k} {@code u}: {@code op(tri)⁻¹ u}. */
    private void trsm(double[] u, int k, boolean lower, boolean trans, boolean unit) {
        if (!factored) {
            throw new IllegalStateException("CholeskyPair: not factored");
        }
        if (u.length != (long) m * k) {
            throw new IllegalArgumentException("CholeskyPair: " + u.length + " values for " + m + " x " + k);
        }
        double[] b = new double[m * k];                          // column-major m × k
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < k; c++) {
                b[c * m + i] = u[i * k + c];
            }
        }
        int side = cblas_h.CblasLeft(), uplo = lower ? cblas_h.CblasLower() : cblas_h.CblasUpper();
        int tr = trans ? cblas_h.CblasTrans() : cblas_h.CblasNoTrans(), diag = unit ? cblas_h.CblasUnit() : cblas_h.CblasNonUnit();
        if (Heap.DTRSM != null) {
            try {
                Heap.DTRSM.invokeExact(cblas_h.CblasColMajor(), side, uplo, tr, diag, m, k, 1.0,
                        MemorySegment.ofArray(s), m, MemorySegment.ofArray(b), m);
            } catch (Throwable e) {
                throw new IllegalStateException("cblas_dtrsm failed: " + e, e);
            }
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment sa = Blas.copyIn(a, s, 0, (long) m * m), sb = Blas.copyIn(a, b, 0, (long) m * k);
                cblas_h.cblas_dtrsm(cblas_h.CblasColMajor(), side, uplo, tr, diag, m, k, 1.0, sa, m, sb, m);
                MemorySegment.copy(sb, JAVA_DOUBLE, 0, b, 0, m * k);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < k; c++) {
                u[i * k + c] = b[c * m + i];
            }
        }
    }

    private int potrf() {
        return lapack(Heap.DPOTRF, "dpotrf");
    }

    /** {@code routine('L', m, s, m, info)} in place; returns info. */
    private int lapack(MethodHandle critical, String routine) {
        if (critical != null) {
            byte[] uplo = {(byte) 'L'};
            int[] n = {m}, info = {0};
            try {
                critical.invokeExact(MemorySegment.ofArray(uplo), MemorySegment.ofArray(n), MemorySegment.ofArray(s),
                        MemorySegment.ofArray(n), MemorySegment.ofArray(info));
            } catch (Throwable e) {
                throw new IllegalStateException(routine + " failed: " + e, e);
            }
            return info[0];
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = Blas.copyIn(a, s, 0, (long) m * m);
            MemorySegment info = integer(a, 0);
            if (routine.equals("dpotrf")) {
                clapack_h.dpotrf_(chr(a, 'L'), integer(a, m), sa, integer(a, m), info);
            } else {
                clapack_h.dlauum_(chr(a, 'L'), integer(a, m), sa, integer(a, m), info);
            }
            MemorySegment.copy(sa, JAVA_DOUBLE, 0, s, 0, m * m);
            return info.get(JAVA_INT, 0);
        }
    }

    private void restoreLowerFromUpper(double[] diag0, double j) {
        for (int c = 0; c < m; c++) {
            set(c, c, diag0[c] + j);
            for (int r = c + 1; r < m; r++) {
                set(r, c, get(c, r));
            }
        }
    }

    /** Element (row r, column c) of the column-major buffer. */
    private double get(int r, int c) {
        return s[c * m + r];
    }

    private void set(int r, int c, double v) {
        s[c * m + r] = v;
    }

    private static void check(String routine, int info) {
        if (info != 0) {
            throw new Lapack.LapackException(routine, info, info < 0 ? "argument " + (-info) + " had an illegal value" : "");
        }
    }

    private static MemorySegment chr(Arena arena, char c) {
        MemorySegment seg = arena.allocate(JAVA_BYTE, 1);
        seg.set(JAVA_BYTE, 0, (byte) c);
        return seg;
    }

    private static MemorySegment integer(Arena arena, int v) {
        MemorySegment seg = arena.allocate(JAVA_INT, 1);
        seg.set(JAVA_INT, 0, v);
        return seg;
    }
}
