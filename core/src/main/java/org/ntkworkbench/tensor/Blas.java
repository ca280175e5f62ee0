package org.ntkworkbench.tensor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import smile.linalg.blas.cblas_h;

/**
 * Level-2/3 BLAS on row-major {@code double[]} through Smile's FFM bindings to native OpenBLAS.
 *
 * <p>Together with {@link Lapack} this is the only code that imports {@code smile.*}, which isolates
 * the rest of the workbench from API changes between Smile versions. Java arrays are copied into
 * off-heap segments for each call: O(n²) copies against O(n³) work. {@link #gemm}, the hot path of
 * training, skips those copies when it can: products of up to {@link #CRITICAL_MAX_MULTIPLY_ADDS}
 * multiply-adds call {@code cblas_dgemm} through a <em>critical</em> downcall that reads and writes
 * the Java arrays in place (the JVM pins them for the call, so garbage collection waits for it; hence
 * the size limit, about a second of work).
 */
public final class Blas {
    private Blas() {}

    /** Largest {@code m·n·k} of a gemm done in place on the Java heap (larger ones copy to native memory). */
    public static final double CRITICAL_MAX_MULTIPLY_ADDS = 0x1p33;

    /**
     * Largest {@code m·n·k} of one critical call; larger products are split into pieces of at most this size
     * (each still in place on the heap), so that garbage collection never waits for more than one piece.
     * Package-private and mutable so that specs can force the split on small matrices.
     */
    static double chunkMultiplyAdds = CRITICAL_MAX_MULTIPLY_ADDS;

    /**
     * The BLAS routines as critical downcalls with heap access (null each where the library cannot be found
     * by name; the copying paths through Smile still work then). Each handle is linked on its first use, in a
     * holder class of its own: linking one costs about 10 ms of CPU (a generated stub class and a few dozen
     * method-handle classes), and e.g. {@code ntk kernel} needs only dsyrk and dgemm, not dtrsm and dpotrf.
     */
    static final class Critical {
        static final SymbolLookup LIB = library();

        static final class Dgemm {
            static final MethodHandle H = handle("cblas_dgemm", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT));
        }

        static final class Dsyrk {
            static final MethodHandle H = handle("cblas_dsyrk", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_DOUBLE, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT));
        }

        static final class Dtrsm {
            static final MethodHandle H = handle("cblas_dtrsm", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        }

        /** LAPACK's Fortran {@code dpotrf_(uplo, n, a, lda, info)}: every argument a pointer. */
        static final class Dpotrf {
            static final MethodHandle H = handle("dpotrf_", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        }

        private static SymbolLookup library() {
            try {
                return SymbolLookup.libraryLookup("libopenblas.so", Arena.global());
            } catch (RuntimeException e) {
                return null; // no such library by name here
            }
        }

        private static MethodHandle handle(String name, FunctionDescriptor fd) {
            if (LIB == null) {
                return null;
            }
            return LIB.find(name).map(fn -> Linker.nativeLinker().downcallHandle(fn, fd, Linker.Option.critical(true))).orElse(null);
        }
    }

    /**
     * The upper triangle of {@code C = alpha op(A) op(A)ᵀ + beta C} by {@code cblas_dsyrk} in place on the
     * Java arrays (as {@link #gemm}'s critical path: same routine, same results, no n² copies); products
     * larger than {@link #chunkMultiplyAdds} go in row panels (a syrk on the panel's diagonal block and a
     * gemm right of it). False when that path is unavailable, and then nothing is done.
     */
    private static boolean syrkUpperOnHeap(boolean trans, int n, int k, double alpha, double[] a, double beta, double[] c) {
        if (Critical.Dsyrk.H == null || Critical.Dgemm.H == null || c == a) {
            return false;
        }
        checkLength("syrk", "A", a, 0, (long) n * k);
        checkLength("syrk", "C", c, 0, (long) n * n);
        int lda = Math.max(1, trans ? n : k);
        int panel = panelRows((double) n * k, n);
        for (int r0 = 0; r0 < n; r0 += panel) {
            int r1 = Math.min(n, r0 + panel);
            // row r of op(A) starts at r·lda (no transpose) or at column r (transposed)
            int aR0 = trans ? r0 : r0 * lda, aR1 = trans ? r1 : r1 * lda;
            syrkRaw(true, trans, r1 - r0, k, alpha, a, aR0, lda, beta, c, r0 * n + r0, n);
            if (r1 < n) {
                gemmRaw(trans, !trans, r1 - r0, n - r1, k, alpha, a, aR0, lda, a, aR1, lda, beta, c, r0 * n + r1, n);
            }
        }
        return true;
    }

    /** Rows per piece so that a piece of {@code rows × perRow} multiply-adds stays within {@link #chunkMultiplyAdds} (at least 1). */
    private static int panelRows(double perRow, int rows) {
        double p = Math.floor(chunkMultiplyAdds / Math.max(1.0, perRow));
        return (int) Math.max(1, Math.min(rows, p));
    }

    /** One {@code cblas_dgemm} in place on the heap, general leading dimensions; the caller checked sizes and aliasing. */
    static void gemmRaw(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                        double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        try {
            Critical.Dgemm.H.invokeExact(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                    alpha, heap(a, aOff), Math.max(1, lda), heap(b, bOff), Math.max(1, ldb), beta, heap(c, cOff), Math.max(1, ldc));
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemm failed: " + e, e);
        }
    }

    /** One {@code cblas_dsyrk} (one triangle of C) in place on the heap, general leading dimensions. */
    static void syrkRaw(boolean upper, boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
                        double beta, double[] c, int cOff, int ldc) {
        if (n == 0) {
            return;
        }
        try {
            Critical.Dsyrk.H.invokeExact(cblas_h.CblasRowMajor(), upper ? cblas_h.CblasUpper() : cblas_h.CblasLower(), trans(trans), n, k,
                    alpha, heap(a, aOff), Math.max(1, lda), beta, heap(c, cOff), Math.max(1, ldc));
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dsyrk failed: " + e, e);
        }
    }

    /** One {@code cblas_dtrsm} (non-unit diagonal) in place on the heap, general leading dimensions. */
    static void trsmRaw(boolean left, boolean lower, boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
                        double[] b, int bOff, int ldb) {
        if (m == 0 || n == 0) {
            return;
        }
        try {
            Critical.Dtrsm.H.invokeExact(cblas_h.CblasRowMajor(), left ? cblas_h.CblasLeft() : cblas_h.CblasRight(),
                    lower ? cblas_h.CblasLower() : cblas_h.CblasUpper(), trans(transA), cblas_h.CblasNonUnit(),
                    m, n, alpha, heap(a, aOff), Math.max(1, lda), heap(b, bOff), Math.max(1, ldb));
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dtrsm failed: " + e, e);
        }
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C}, all row-major; {@code op(A)} is {@code m×k}, {@code op(B)}
     * is {@code k×n}, {@code C} is {@code m×n}.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double alpha, double[] a, double[] b, double beta, double[] c) {
        gemm(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
    }

    /** As {@link #gemm(boolean, boolean, int, int, int, double, double[], double[], double, double[])} with offsets. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, double[] b, int bOff,
                            double beta, double[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        // in place unless C shares an array with A or B (BLAS forbids that; the copying path tolerates it)
        if (Critical.Dgemm.H != null && c != a && c != b) {
            checkLength("gemm", "A", a, aOff, (long) m * k);
            checkLength("gemm", "B", b, bOff, (long) k * n);
            checkLength("gemm", "C", c, cOff, (long) m * n);
            // big products in row panels of C (and op(A)), each within the critical limit
            int panel = panelRows((double) n * k, m);
            for (int r0 = 0; r0 < m; r0 += panel) {
                int rows = Math.min(panel, m - r0);
                gemmRaw(transA, transB, rows, n, k, alpha, a, aOff + (transA ? r0 : r0 * lda), lda, b, bOff, ldb,
                        beta, c, cOff + r0 * n, n);
            }
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a, aOff, (long) m * k);
            MemorySegment sb = copyIn(arena, b, bOff, (long) k * n);
            MemorySegment sc = beta == 0.0 ? arena.allocate(JAVA_DOUBLE, (long) m * n)
                    : copyIn(arena, c, cOff, (long) m * n);
            cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                    alpha, sa, Math.max(1, lda), sb, Math.max(1, ldb), beta, sc, Math.max(1, n));
            MemorySegment.copy(sc, JAVA_DOUBLE, 0, c, cOff, m * n);
        }
    }

    /**
     * Symmetric rank-k update {@code C = alpha A Aᵀ + beta C} ({@code A} is {@code n×k}, or
     * {@code Aᵀ A} with {@code A} {@code k×n} when {@code trans}); the full symmetric {@code C} is returned
     * (both triangles filled, so that it is symmetric to the last bit).
     */
    public static void syrk(boolean trans, int n, int k, double alpha, double[] a, double beta, double[] c) {
        if (n == 0) {
            return;
        }
        if (!syrkUpperOnHeap(trans, n, k, alpha, a, beta, c)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sa = copyIn(arena, a, 0, (long) n * k);
                MemorySegment sc = beta == 0.0 ? arena.allocate(JAVA_DOUBLE, (long) n * n)
                        : copyIn(arena, c, 0, (long) n * n);
                int lda = trans ? n : k;
                cblas_h.cblas_dsyrk(cblas_h.CblasRowMajor(), cblas_h.CblasUpper(), trans(trans), n, k,
                        alpha, sa, Math.max(1, lda), beta, sc, Math.max(1, n));
                MemorySegment.copy(sc, JAVA_DOUBLE, 0, c, 0, n * n);
            }
        }
        // Mirror the upper triangle in cache-sized tiles (a plain column walk misses the cache per entry).
        final int tile = 64;
        for (int ib = 0; ib < n; ib += tile) {
            for (int jb = 0; jb <= ib; jb += tile) {
                int iEnd = Math.min(ib + tile, n), jEnd = Math.min(jb + tile, n);
                for (int i = ib; i < iEnd; i++) {
                    for (int j = jb; j < Math.min(jEnd, i); j++) {
                        c[i * n + j] = c[j * n + i];
                    }
                }
            }
        }
    }

    /**
     * As {@link #syrk} but only the upper triangle of {@code C} (entries {@code i ≤ j}) is written; the
     * strictly lower triangle keeps its previous contents. For callers that accumulate several products
     * and symmetrise once at the end (saves a strided {@code n²} pass per call).
     */
    public static void syrkUpper(boolean trans, int n, int k, double alpha, double[] a, double beta, double[] c) {
        if (n == 0 || syrkUpperOnHeap(trans, n, k, alpha, a, beta, c)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a, 0, (long) n * k);
            MemorySegment sc = copyIn(arena, c, 0, (long) n * n);
            int lda = trans ? n : k;
            cblas_h.cblas_dsyrk(cblas_h.CblasRowMajor(), cblas_h.CblasUpper(), trans(trans), n, k,
                    alpha, sa, Math.max(1, lda), beta, sc, Math.max(1, n));
            MemorySegment.copy(sc, JAVA_DOUBLE, 0, c, 0, n * n);
        }
    }

    /**
     * Triangular solve with several right-hand sides (dtrsm), row-major, in place on {@code b}:
     * {@code X = alpha op(A)⁻¹ B} ({@code left}, {@code A} {@code m×m}) or {@code X = alpha B op(A)⁻¹}
     * ({@code !left}, {@code A} {@code n×n}); {@code B} is {@code m×n}. {@code lower} says which triangle
     * of {@code A} holds the factor (the other is not read); {@code transA} uses {@code Aᵀ}.
     */
    public static void trsm(boolean left, boolean lower, boolean transA, int m, int n, double alpha, double[] a, double[] b) {
        if (m == 0 || n == 0) {
            return;
        }
        int na = left ? m : n;
        checkLength("trsm", "A", a, 0, (long) na * na);
        checkLength("trsm", "B", b, 0, (long) m * n);
        if (Critical.Dtrsm.H != null && a != b) {
            // in place; big solves in independent pieces: column blocks of B (left) or row blocks (right)
            if (left) {
                int cols = panelRows((double) m * m, n);
                for (int c0 = 0; c0 < n; c0 += cols) {
                    trsmRaw(true, lower, transA, m, Math.min(cols, n - c0), alpha, a, 0, na, b, c0, n);
                }
            } else {
                int rows = panelRows((double) n * n, m);
                for (int r0 = 0; r0 < m; r0 += rows) {
                    trsmRaw(false, lower, transA, Math.min(rows, m - r0), n, alpha, a, 0, na, b, r0 * n, n);
                }
            }
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a, 0, (long) na * na);
            MemorySegment sb = copyIn(arena, b, 0, (long) m * n);
            cblas_h.cblas_dtrsm(cblas_h.CblasRowMajor(), left ? cblas_h.CblasLeft() : cblas_h.CblasRight(),
                    lower ? cblas_h.CblasLower() : cblas_h.CblasUpper(), trans(transA), cblas_h.CblasNonUnit(),
                    m, n, alpha, sa, Math.max(1, na), sb, Math.max(1, n));
            MemorySegment.copy(sb, JAVA_DOUBLE, 0, b, 0, m * n);
        }
    }

    /** {@code y = alpha op(A) x + beta y} for a row-major {@code m×n} matrix {@code A}. */
    public static void gemv(boolean trans, int m, int n, double alpha, double[] a, double[] x,
                            double beta, double[] y) {
        if (m == 0 || n == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a, 0, (long) m * n);
            MemorySegment sx = copyIn(arena, x, 0, trans ? m : n);
            int ylen = trans ? n : m;
            MemorySegment sy = beta == 0.0 ? arena.allocate(JAVA_DOUBLE, ylen) : copyIn(arena, y, 0, ylen);
            cblas_h.cblas_dgemv(cblas_h.CblasRowMajor(), trans(trans), m, n, alpha, sa, n, sx, 1, beta, sy, 1);
            MemorySegment.copy(sy, JAVA_DOUBLE, 0, y, 0, ylen);
        }
    }

    /**
     * A row-major matrix copied once into native memory (GC-managed), for repeated products with the
     * same matrix (iterative eigensolvers), which would otherwise copy it on every call.
     */
    public static final class NativeMatrix {
        private final MemorySegment segment;
        private final int rows;
        private final int cols;

        private NativeMatrix(MemorySegment segment, int rows, int cols) {
            this.segment = segment;
            this.rows = rows;
            this.cols = cols;
        }

        /** Copies {@code a} (row-major {@code rows×cols}) into native memory. */
        public static NativeMatrix of(double[] a, int rows, int cols) {
            if (a.length != (long) rows * cols) {
                throw new IllegalArgumentException("NativeMatrix: " + a.length + " values for a " + rows + "x" + cols + " matrix");
            }
            return new NativeMatrix(copyIn(Arena.ofAuto(), a, 0, (long) rows * cols), rows, cols);
        }

        public int rows() {
            return rows;
        }

        public int cols() {
            return cols;
        }
    }

    /**
     * {@code C = alpha A B + beta C} with {@code A} row-major {@code m×k} on the heap and the resident
     * {@code B} ({@code k×n}); only A and C are copied.
     */
    public static void gemm(int m, double alpha, double[] a, NativeMatrix b, double beta, double[] c) {
        int k = b.rows;
        int n = b.cols;
        if (m == 0 || n == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a, 0, (long) m * k);
            MemorySegment sc = beta == 0.0 ? arena.allocate(JAVA_DOUBLE, (long) m * n) : copyIn(arena, c, 0, (long) m * n);
            cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), cblas_h.CblasNoTrans(), cblas_h.CblasNoTrans(), m, n, k,
                    alpha, sa, Math.max(1, k), b.segment, Math.max(1, n), beta, sc, Math.max(1, n));
            MemorySegment.copy(sc, JAVA_DOUBLE, 0, c, 0, m * n);
        }
    }

    /** A heap segment over {@code array} from element {@code offset} (no copy). */
    private static MemorySegment heap(double[] array, int offset) {
        MemorySegment s = MemorySegment.ofArray(array);
        return offset == 0 ? s : s.asSlice((long) offset * Double.BYTES);
    }

    private static void checkLength(String routine, String name, double[] array, int offset, long count) {
        if (offset < 0 || offset + count > array.length) {
            throw new IllegalArgumentException(routine + ": " + name + " needs " + count + " values from offset " + offset
                    + " but its array has " + array.length);
        }
    }

    private static int trans(boolean t) {
        return t ? cblas_h.CblasTrans() : cblas_h.CblasNoTrans();
    }

    static MemorySegment copyIn(Arena arena, double[] src, int offset, long count) {
        MemorySegment s = arena.allocate(JAVA_DOUBLE, Math.max(1, count));
        MemorySegment.copy(src, offset, s, JAVA_DOUBLE, 0, (int) count);
        return s;
    }
}
