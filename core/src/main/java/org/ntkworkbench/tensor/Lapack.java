package org.ntkworkbench.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import smile.linalg.lapack.clapack_h;

/**
 * The LAPACK routines the workbench needs, on row-major {@code double[]}, through Smile's FFM
 * bindings to native OpenBLAS. Failures become {@link LapackException} with the routine's info code.
 */
public final class Lapack {
    private Lapack() {}

    /** A LAPACK routine returned a non-zero {@code info}. */
    public static final class LapackException extends ArithmeticException {
        private final String routine;
        private final int info;

        public LapackException(String routine, int info, String meaning) {
            super(routine + " failed with info = " + info + (meaning.isEmpty() ? "" : ": " + meaning));
            this.routine = routine;
            this.info = info;
        }

        public String routine() {
            return routine;
        }

        public int info() {
            return info;
        }
    }

    /** Eigenvalues (ascending) and, if asked, eigenvectors (columns of a row-major n×n array). */
    public record SymmetricEigen(double[] values, double[] vectors, int n) {}

    /**
     * All eigenvalues of the symmetric {@code n×n} matrix {@code a} (dsyevd, divide and conquer),
     * ascending; with {@code vectors} also the orthonormal eigenvectors. {@code a} is not modified.
     */
    public static SymmetricEigen syevd(double[] a, int n, boolean vectors) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("syevd: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        if (n == 0) {
            return new SymmetricEigen(new double[0], vectors ? new double[0] : null, 0);
        }
        try (Arena arena = Arena.ofConfined()) {
            // A symmetric row-major matrix is its own column-major transpose: pass it as is.
            MemorySegment sa = Blas.copyIn(arena, a, 0, (long) n * n);
            MemorySegment jobz = chr(arena, vectors ? 'V' : 'N');
            MemorySegment uplo = chr(arena, 'L');
            MemorySegment sn = integer(arena, n);
            MemorySegment lda = integer(arena, n);
            MemorySegment w = arena.allocate(JAVA_DOUBLE, n);
            MemorySegment info = integer(arena, 0);
            // Workspace query.
            MemorySegment wq = arena.allocate(JAVA_DOUBLE, 1);
            MemorySegment iwq = arena.allocate(JAVA_INT, 1);
            clapack_h.dsyevd_(jobz, uplo, sn, sa, lda, w, wq, integer(arena, -1), iwq, integer(arena, -1), info);
            check("dsyevd", info.get(JAVA_INT, 0), "");
            int lwork = (int) Math.ceil(wq.get(JAVA_DOUBLE, 0));
            int liwork = Math.max(1, iwq.get(JAVA_INT, 0));
            MemorySegment work = arena.allocate(JAVA_DOUBLE, Math.max(1, lwork));
            MemorySegment iwork = arena.allocate(JAVA_INT, liwork);
            clapack_h.dsyevd_(jobz, uplo, sn, sa, lda, w, work, integer(arena, lwork), iwork, integer(arena, liwork), info);
            check("dsyevd", info.get(JAVA_INT, 0), "the algorithm failed to converge");
            double[] values = w.toArray(JAVA_DOUBLE);
            double[] vecs = null;
            if (vectors) {
                // Column-major result: element (i, j) of V is at j*n + i; transpose into row-major.
                double[] cm = sa.toArray(JAVA_DOUBLE);
                vecs = new double[n * n];
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < n; i++) {
                        vecs[i * n + j] = cm[j * n + i];
                    }
                }
            }
            return new SymmetricEigen(values, vecs, n);
        }
    }

    /**
     * Cholesky factor of a symmetric positive definite matrix (dpotrf): the lower-triangular {@code L}
     * with {@code A = L Lᵀ}, row-major, upper part zero. Throws {@link LapackException} with the order of
     * the first non-positive leading minor when {@code A} is not positive definite.
     */
    public static double[] potrf(double[] a, int n) {
        if (n == 0) {
            return new double[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            // Row-major lower = column-major upper.
            MemorySegment sa = Blas.copyIn(arena, a, 0, (long) n * n);
            MemorySegment info = integer(arena, 0);
            clapack_h.dpotrf_(chr(arena, 'U'), integer(arena, n), sa, integer(arena, n), info);
            int code = info.get(JAVA_INT, 0);
            check("dpotrf", code, code > 0 ? "leading minor of order " + code + " is not positive" : "");
            double[] l = sa.toArray(JAVA_DOUBLE);
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    l[i * n + j] = 0.0;
                }
            }
            return l;
        }
    }

    /**
     * Solves {@code A X = B} given the Cholesky factor {@code L} of {@code A = L Lᵀ} from {@link #potrf}
     * (dpotrs); {@code b} is row-major {@code n × nrhs}; returns {@code X} (same layout), {@code b} unchanged.
     */
    public static double[] potrs(double[] l, int n, double[] b, int nrhs) {
        if (l.length != (long) n * n || b.length != (long) n * nrhs) {
            throw new IllegalArgumentException("potrs: factor of " + l.length + " values for n = " + n
                    + ", right-hand side of " + b.length + " values for nrhs = " + nrhs);
        }
        if (n == 0 || nrhs == 0) {
            return b.clone();
        }
        try (Arena arena = Arena.ofConfined()) {
            // Row-major lower L is column-major upper U = Lᵀ with A = Uᵀ U.
            MemorySegment sa = Blas.copyIn(arena, l, 0, (long) n * n);
            // Column-major B (n × nrhs) is the transpose of the row-major array.
            MemorySegment sb = arena.allocate(JAVA_DOUBLE, (long) n * nrhs);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < nrhs; j++) {
                    sb.setAtIndex(JAVA_DOUBLE, (long) j * n + i, b[i * nrhs + j]);
                }
            }
            MemorySegment info = integer(arena, 0);
            clapack_h.dpotrs_(chr(arena, 'U'), integer(arena, n), integer(arena, nrhs), sa, integer(arena, n),
                    sb, integer(arena, n), info);
            check("dpotrs", info.get(JAVA_INT, 0), "");
            double[] x = new double[n * nrhs];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < nrhs; j++) {
                    x[i * nrhs + j] = sb.getAtIndex(JAVA_DOUBLE, (long) j * n + i);
                }
            }
            return x;
        }
    }

    private static void check(String routine, int info, String meaning) {
        if (info != 0) {
            throw new LapackException(routine, info, info < 0 ? "argument " + (-info) + " had an illegal value" : meaning);
        }
    }

    private static MemorySegment chr(Arena arena, char c) {
        MemorySegment s = arena.allocate(JAVA_BYTE, 1);
        s.set(JAVA_BYTE, 0, (byte) c);
        return s;
    }

    private static MemorySegment integer(Arena arena, int v) {
        MemorySegment s = arena.allocate(JAVA_INT, 1);
        s.set(JAVA_INT, 0, v);
        return s;
    }
}
