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

    /** {@code cblas_dgemm} as a critical downcall with heap access, or {@code null} where that is unavailable. */
    private static final class HeapGemm {
        static final MethodHandle DGEMM = lookup();

        private static MethodHandle lookup() {
            try {
                MemorySegment fn = SymbolLookup.libraryLookup("libopenblas.so", Arena.global())
                        .find("cblas_dgemm").orElse(null);
                if (fn == null) {
                    return null;
                }
                return Linker.nativeLinker().downcallHandle(fn,
                        FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                                JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT),
                        Linker.Option.critical(true));
            } catch (RuntimeException e) {
                return null; // no such library by name here: the copying path through Smile still works
            }
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
        if (HeapGemm.DGEMM != null && (double) m * n * k <= CRITICAL_MAX_MULTIPLY_ADDS && c != a && c != b) {
            checkLength("A", a, aOff, (long) m * k);
            checkLength("B", b, bOff, (long) k * n);
            checkLength("C", c, cOff, (long) m * n);
            try {
                HeapGemm.DGEMM.invokeExact(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                        alpha, heap(a, aOff), Math.max(1, lda), heap(b, bOff), Math.max(1, ldb),
                        beta, heap(c, cOff), Math.max(1, n));
                return;
            } catch (Throwable e) {
                throw new IllegalStateException("cblas_dgemm failed: " + e, e);
            }
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = copyIn(arena, a, 0, (long) n * k);
            MemorySegment sc = beta == 0.0 ? arena.allocate(JAVA_DOUBLE, (long) n * n)
                    : copyIn(arena, c, 0, (long) n * n);
            int lda = trans ? n : k;
            cblas_h.cblas_dsyrk(cblas_h.CblasRowMajor(), cblas_h.CblasUpper(), trans(trans), n, k,
                    alpha, sa, Math.max(1, lda), beta, sc, Math.max(1, n));
            MemorySegment.copy(sc, JAVA_DOUBLE, 0, c, 0, n * n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                c[j * n + i] = c[i * n + j];
            }
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

    /** A heap segment over {@code array} from element {@code offset} (no copy). */
    private static MemorySegment heap(double[] array, int offset) {
        MemorySegment s = MemorySegment.ofArray(array);
        return offset == 0 ? s : s.asSlice((long) offset * Double.BYTES);
    }

    private static void checkLength(String name, double[] array, int offset, long count) {
        if (offset < 0 || offset + count > array.length) {
            throw new IllegalArgumentException("gemm: " + name + " needs " + count + " values from offset " + offset
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
