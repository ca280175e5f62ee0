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
     * All eigenvalues of the symmetric {@code n×n} matrix {@code a}, ascending; with {@code vectors} also the
     * orthonormal eigenvectors (dsyevd, divide and conquer). {@code a} is not modified. Without vectors, from order
     * {@link TwoStageEigenvalues#minOrder} on, by LAPACK's two-stage reduction ({@link TwoStageEigenvalues}: what
     * dsyevd_2stage computes, several times cheaper than dsyevd's one-stage reduction on the bundled OpenBLAS).
     */
    public static SymmetricEigen syevd(double[] a, int n, boolean vectors) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("syevd: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        if (n == 0) {
            return new SymmetricEigen(new double[0], vectors ? new double[0] : null, 0);
        }
        if (!vectors && n >= TwoStageEigenvalues.minOrder && TwoStageEigenvalues.available()) {
            // Eigenvalues only: the two-stage reduction, on the heap, each step on the thread count that suits it.
            return new SymmetricEigen(TwoStageEigenvalues.eigenvalues(a, n, false), null, n);
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
     * All eigenvalues (ascending) of the symmetric {@code n×n} matrix {@code a}, which is overwritten (used as the
     * workspace of the two-stage reduction: no n² copy); as {@link #syevd} without vectors otherwise.
     */
    public static double[] eigenvaluesOverwriting(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("eigenvalues: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        if (n >= TwoStageEigenvalues.minOrder && TwoStageEigenvalues.available()) {
            return TwoStageEigenvalues.eigenvalues(a, n, true);
        }
        return syevd(a, n, false).values();
    }

    /** Columns per diagonal block of the blocked Cholesky (package-private so that specs can make it small). */
    static int potrfBlock = 512;

    /**
     * Cholesky factor of a symmetric positive definite matrix: the lower-triangular {@code L} with
     * {@code A = L Lᵀ}, row-major, upper part zero; {@code a} is not modified. Throws {@link LapackException}
     * ("dpotrf", with the order of the first non-positive leading minor) when {@code A} is not positive definite.
     *
     * <p>Right-looking blocked factorisation on the Java array, in place on one copy: {@code dpotrf} on each
     * {@link #potrfBlock}-wide diagonal block, {@code dtrsm} for the panel below it, {@code dsyrk}/{@code dgemm}
     * for the trailing matrix, all critical downcalls (no native copies). Why not one {@code dpotrf} call: the
     * bundled OpenBLAS's threaded {@code dpotrf} spent 2–3× the CPU time of its single-threaded one on two
     * cores (threads spinning at each of its many small synchronisation points; worse when the machine is
     * busy), while level-3 calls on big blocks keep both threads busy. Falls back to one {@code dpotrf} on a
     * native copy where the critical calls are unavailable.
     */
    public static double[] potrf(double[] a, int n) {
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("potrf: " + a.length + " values for an " + n + "x" + n + " matrix");
        }
        if (n == 0) {
            return new double[0];
        }
        double[] l = a.clone();
        if (Blas.Critical.Dpotrf.H != null && Blas.Critical.Dtrsm.H != null && Blas.Critical.Dsyrk.H != null && Blas.Critical.Dgemm.H != null) {
            blockedPotrf(l, n, Math.max(1, potrfBlock));
        } else {
            try (Arena arena = Arena.ofConfined()) {
                // Row-major lower = column-major upper.
                MemorySegment sa = Blas.copyIn(arena, l, 0, (long) n * n);
                MemorySegment info = integer(arena, 0);
                clapack_h.dpotrf_(chr(arena, 'U'), integer(arena, n), sa, integer(arena, n), info);
                int code = info.get(JAVA_INT, 0);
                check("dpotrf", code, code > 0 ? "leading minor of order " + code + " is not positive" : "");
                MemorySegment.copy(sa, JAVA_DOUBLE, 0, l, 0, n * n);
            }
        }
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(l, i * n + i + 1, i * n + n, 0.0);
        }
        return l;
    }

    /** The lower triangle of row-major {@code l} becomes its Cholesky factor (the strictly upper part is left as it was). */
    private static void blockedPotrf(double[] l, int n, int nb) {
        byte[] upper = {'U'};
        int[] lda = {n}, info = {0}, size = {0};
        for (int j0 = 0; j0 < n; j0 += nb) {
            int j1 = Math.min(n, j0 + nb), b = j1 - j0;
            // Diagonal block: row-major lower = column-major upper, leading dimension n.
            size[0] = b;
            try {
                Blas.Critical.Dpotrf.H.invokeExact(MemorySegment.ofArray(upper), MemorySegment.ofArray(size),
                        MemorySegment.ofArray(l).asSlice(8L * (j0 * (long) n + j0)), MemorySegment.ofArray(lda), MemorySegment.ofArray(info));
            } catch (Throwable e) {
                throw new IllegalStateException("dpotrf failed: " + e, e);
            }
            int code = info[0];
            if (code != 0) {
                int order = code > 0 ? j0 + code : code;
                check("dpotrf", order, code > 0 ? "leading minor of order " + order + " is not positive" : "");
            }
            int m = n - j1;
            if (m == 0) {
                break;
            }
            // Panel below: L21 = A21 L11⁻ᵀ.
            Blas.trsmRaw(false, true, true, m, b, 1.0, l, j0 * n + j0, n, l, j1 * n + j0, n);
            // Trailing lower triangle: A22 -= L21 L21ᵀ, in row panels within the critical limit.
            int panel = Math.max(b, (int) Math.min(m, Math.floor(Blas.chunkMultiplyAdds / ((double) m * b))));
            for (int r0 = j1; r0 < n; r0 += panel) {
                int r1 = Math.min(n, r0 + panel);
                if (r0 > j1) {
                    Blas.gemmRaw(false, true, r1 - r0, r0 - j1, b, -1.0, l, r0 * n + j0, n, l, j1 * n + j0, n, 1.0, l, r0 * n + j1, n);
                }
                Blas.syrkRaw(false, false, r1 - r0, b, -1.0, l, r0 * n + j0, n, 1.0, l, r0 * n + r0, n);
            }
        }
    }

    /**
     * Solves {@code A X = B} given the Cholesky factor {@code L} of {@code A = L Lᵀ} from {@link #potrf}
     * (two triangular solves, as dpotrs); {@code b} is row-major {@code n × nrhs}; returns {@code X} (same
     * layout), {@code b} unchanged.
     */
    public static double[] potrs(double[] l, int n, double[] b, int nrhs) {
        if (l.length != (long) n * n || b.length != (long) n * nrhs) {
            throw new IllegalArgumentException("potrs: factor of " + l.length + " values for n = " + n
                    + ", right-hand side of " + b.length + " values for nrhs = " + nrhs);
        }
        double[] x = b.clone();
        if (n == 0 || nrhs == 0) {
            return x;
        }
        Blas.trsm(true, true, false, n, nrhs, 1.0, l, x); // L y = b
        Blas.trsm(true, true, true, n, nrhs, 1.0, l, x);  // Lᵀ x = y
        return x;
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
