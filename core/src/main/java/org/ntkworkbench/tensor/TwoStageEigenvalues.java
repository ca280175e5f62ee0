package org.ntkworkbench.tensor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * All eigenvalues of a symmetric matrix by LAPACK's two-stage tridiagonal reduction, driven from Java so that
 * each step runs on the OpenBLAS thread count that suits it: what {@code dsyevd_2stage} with {@code jobz = 'N'}
 * computes (same routines, same order: {@code dsytrd_sy2sb}'s band reduction, {@code dsytrd_sb2st}'s bulge
 * chasing, {@code dsterf}), on the Java array in place through critical downcalls (no native copy of the matrix).
 *
 * <p>Why not one {@code dsyevd} call, as NumPy's {@code eigvalsh}: its one-stage reduction ({@code dsytrd}) spends
 * about half its flops in {@code dsymv} over the whole trailing matrix, a memory-bound level-2 call made once per
 * column; the bundled OpenBLAS 0.3.31 hands each such call to its second thread and both threads then spin at
 * every hand-over. Measured on the 2-core machine (n = 4000, in-process CPU seconds, load 8–15): {@code dsyevd}
 * 2 threads 18.7–21 CPU s with 0.3.31 against 7.9–9.4 with Debian's 0.3.21 (NumPy's), and 6.9–9.0 on one thread;
 * a lone {@code dsymv} of order 1000 on 2 threads 1150 µs of CPU in 0.3.31 against 280 in 0.3.21 (40 % of the
 * samples in {@code exec_blas_async_wait}). The two-stage reduction has no {@code dsymv}: the band reduction is
 * panels of width {@link #bandWidth} (a small QR factorisation, level 2) followed by a {@code dsymm} and a
 * {@code dsyr2k} over the trailing matrix (level 3, order n² · bandWidth each); the bulge chasing touches only
 * the band. So here the panels and the bulge chasing run on one OpenBLAS thread and the two level-3 updates on
 * the thread count in force ({@link BlasThreads}): 3.3–3.5 CPU s in all at the same loads, all on one thread.
 *
 * <p>OpenBLAS's thread count is process-wide: while this runs, other threads' BLAS calls may run on one thread
 * for a panel's duration (slower, never wrong); calls of this class are serialised so that the count it restores
 * is the one it found.
 */
final class TwoStageEigenvalues {
    private TwoStageEigenvalues() {}

    /**
     * Band width of the first stage (LAPACK's {@code ilaenv2stage} choice for eigenvalues only is 32). The system
     * property {@code ntk.eigen.bandWidth} overrides it, for measuring: at n = 4000 on one thread (load 20, session 5)
     * 48 cost 2.6–3.0 CPU s in the first stage against 3.0–3.9 for 32 and 0.05–0.15 more in the bulge chasing;
     * whether that holds with two threads on an idle machine is what {@code measure-atomic.sh} asks.
     */
    static int bandWidth = Math.max(1, Integer.getInteger("ntk.eigen.bandWidth", 32));
    /** Matrices of order below this go to one {@code dsyevd} call (package-private so that specs can lower it). */
    static int minOrder = 200;

    private static final Object LOCK = new Object();

    /** Whether the routines were found in the loaded OpenBLAS (else callers use {@code dsyevd}). */
    static boolean available() {
        return H.DGEQRF != null && H.DLARFT != null && H.DGEMM != null && H.DSYMM != null && H.DSYR2K != null
                && H.SB2ST != null && H.DSTERF != null;
    }

    /**
     * The eigenvalues of the symmetric {@code n×n} matrix {@code a} (row-major; only its lower triangle in
     * column-major terms is read, i.e. the upper triangle row-major), ascending. {@code a} is overwritten when
     * {@code overwrite} (no n² copy), else not modified.
     */
    static double[] eigenvalues(double[] a, int n, boolean overwrite) {
        int kd = Math.max(1, Math.min(bandWidth, n - 1));
        double[] w = overwrite ? a : a.clone(); // column-major lower triangle of the symmetric matrix = row-major upper
        double sigma = scale(w);
        double[] d = new double[n];
        double[] e = new double[Math.max(1, n - 1)];
        synchronized (LOCK) {
            int threads = BlasThreads.current();
            try {
                double[] band = bandReduce(w, n, kd, Math.max(1, threads));
                w = null; // a copy (unless overwriting) no longer needed: a collection may take it during the bulge chasing
                BlasThreads.set(1);
                bulgeChase(band, n, kd, d, e);
                int[] info = {0};
                call(H.DSTERF, ints(n), seg(d), seg(e), seg(info));
                if (info[0] != 0) {
                    throw new Lapack.LapackException("dsterf", info[0], info[0] > 0
                            ? info[0] + " off-diagonal elements did not converge to zero" : "argument " + (-info[0]) + " had an illegal value");
                }
            } finally {
                if (threads >= 1) {
                    BlasThreads.set(threads);
                }
            }
        }
        if (sigma != 1.0) {
            for (int i = 0; i < n; i++) {
                d[i] /= sigma;
            }
        }
        return d;
    }

    /**
     * dsyevd's scaling: a matrix whose largest magnitude is outside [√(safmin/ε), √(ε/safmin)] is scaled into
     * that range first (the eigenvalues are divided by the same factor afterwards). Returns the factor.
     */
    private static double scale(double[] a) {
        double anrm = 0;
        for (double x : a) {
            anrm = Math.max(anrm, Math.abs(x));
        }
        double smlnum = Double.MIN_NORMAL / Math.ulp(1.0);
        double rmin = Math.sqrt(smlnum), rmax = Math.sqrt(1 / smlnum);
        double sigma = anrm > 0 && anrm < rmin ? rmin / anrm : anrm > rmax ? rmax / anrm : 1.0;
        if (sigma != 1.0) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= sigma;
            }
        }
        return sigma;
    }

    /**
     * First stage, LAPACK's {@code dsytrd_sy2sb} for the lower triangle (column-major, leading dimension n):
     * reduces {@code a} in place to a lower band of width {@code kd} by block Householder transformations and
     * returns the band in LAPACK band storage ({@code (kd+1) × n}, column j holding A(j..j+kd, j)).
     */
    private static double[] bandReduce(double[] a, int n, int kd, int updateThreads) {
        int ldab = kd + 1;
        double[] ab = new double[ldab * n];
        double[] tau = new double[n];
        double[] t = new double[kd * kd];
        double[] s2 = new double[n * kd];
        double[] wk = new double[n * kd];
        double[] s1 = new double[kd * kd];
        int[] info = {0};
        // dgeqrf's workspace for the largest panel
        double[] q = {0};
        call(H.DGEQRF, ints(Math.max(1, n - kd)), ints(kd), seg(a), ints(n), seg(tau), seg(q), ints(-1), seg(info));
        double[] qrWork = new double[Math.max(1, (int) q[0])];
        for (int i = 0; i < n - kd; i += kd) {
            int pn = n - i - kd, pk = Math.min(pn, kd);
            int v = (i + kd) + i * n; // A(i+kd, i): the panel below the band
            BlasThreads.set(1);
            call(H.DGEQRF, ints(pn), ints(kd), seg(a, v), ints(n), seg(tau, i), seg(qrWork), ints(qrWork.length), seg(info));
            check("dgeqrf", info[0]);
            for (int j = i; j < i + pk; j++) {
                int lk = Math.min(kd, n - 1 - j) + 1;
                System.arraycopy(a, j + j * n, ab, j * ldab, lk);
            }
            // V: unit lower trapezoid (the reflectors below R)
            for (int c = 0; c < pk; c++) {
                int col = v + c * n;
                Arrays.fill(a, col, col + c, 0.0);
                a[col + c] = 1.0;
            }
            call(H.DLARFT, chr('F'), chr('C'), ints(pn), ints(pk), seg(a, v), ints(n), seg(tau, i), seg(t), ints(kd), ONE_CHAR, ONE_CHAR);
            // S2 = V T (pn × pk)
            gemm('N', 'N', pn, pk, pk, 1.0, a, v, n, t, 0, kd, 0.0, s2, 0, n);
            // W = A22 S2: reads the whole trailing matrix, on all threads
            BlasThreads.set(updateThreads);
            int a22 = (i + kd) + (i + kd) * n;
            call(H.DSYMM, chr('L'), chr('L'), ints(pn), ints(pk), dbl(1.0), seg(a, a22), ints(n), seg(s2), ints(n), dbl(0.0), seg(wk), ints(n));
            BlasThreads.set(1);
            // S1 = S2ᵀ W (pk × pk); W -= ½ V S1
            gemm('T', 'N', pk, pk, pn, 1.0, s2, 0, n, wk, 0, n, 0.0, s1, 0, kd);
            gemm('N', 'N', pn, pk, pk, -0.5, a, v, n, s1, 0, kd, 1.0, wk, 0, n);
            // A22 -= V Wᵀ + W Vᵀ, on all threads
            BlasThreads.set(updateThreads);
            call(H.DSYR2K, chr('L'), chr('N'), ints(pn), ints(pk), dbl(-1.0), seg(a, v), ints(n), seg(wk), ints(n), dbl(1.0), seg(a, a22), ints(n));
        }
        for (int j = Math.max(0, n - kd); j < n; j++) {
            int lk = Math.min(kd, n - 1 - j) + 1;
            System.arraycopy(a, j + j * n, ab, j * ldab, lk);
        }
        return ab;
    }

    /** Second stage, {@code dsytrd_sb2st}: the band to a symmetric tridiagonal matrix (diagonal d, off-diagonal e). */
    private static void bulgeChase(double[] ab, int n, int kd, double[] d, double[] e) {
        int[] info = {0};
        double[] hq = {0}, wq = {0};
        call(H.SB2ST, chr('Y'), chr('N'), chr('L'), ints(n), ints(kd), seg(ab), ints(kd + 1), seg(d), seg(e),
                seg(hq), ints(-1), seg(wq), ints(-1), seg(info), ONE_CHAR, ONE_CHAR, ONE_CHAR);
        check("dsytrd_sb2st", info[0]);
        double[] hous = new double[Math.max(1, (int) hq[0])];
        double[] work = new double[Math.max(1, (int) wq[0])];
        call(H.SB2ST, chr('Y'), chr('N'), chr('L'), ints(n), ints(kd), seg(ab), ints(kd + 1), seg(d), seg(e),
                seg(hous), ints(hous.length), seg(work), ints(work.length), seg(info), ONE_CHAR, ONE_CHAR, ONE_CHAR);
        check("dsytrd_sb2st", info[0]);
    }

    private static void gemm(char ta, char tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                             double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        call(H.DGEMM, chr(ta), chr(tb), ints(m), ints(n), ints(k), dbl(alpha), seg(a, aOff), ints(lda),
                seg(b, bOff), ints(ldb), dbl(beta), seg(c, cOff), ints(ldc));
    }

    private static void check(String routine, int info) {
        if (info != 0) {
            throw new Lapack.LapackException(routine, info, info < 0 ? "argument " + (-info) + " had an illegal value" : "");
        }
    }

    private static final Long ONE_CHAR = 1L; // gfortran's hidden length of a CHARACTER*1 argument

    private static MemorySegment seg(double[] x) {
        return MemorySegment.ofArray(x);
    }

    private static MemorySegment seg(double[] x, int offset) {
        return MemorySegment.ofArray(x).asSlice((long) offset * Double.BYTES);
    }

    private static MemorySegment seg(int[] x) {
        return MemorySegment.ofArray(x);
    }

    private static MemorySegment ints(int v) {
        return MemorySegment.ofArray(new int[] {v});
    }

    private static MemorySegment dbl(double v) {
        return MemorySegment.ofArray(new double[] {v});
    }

    private static MemorySegment chr(char c) {
        return MemorySegment.ofArray(new byte[] {(byte) c});
    }

    private static void call(MethodHandle h, Object... args) {
        try {
            h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native call failed: " + e, e);
        }
    }

    /** Fortran entry points (every argument a pointer; gfortran's hidden CHARACTER lengths last, as longs). */
    private static final class H {
        static final MethodHandle DGEQRF = handle("dgeqrf_", 8, 0);
        static final MethodHandle DLARFT = handle("dlarft_", 9, 2);
        static final MethodHandle DGEMM = handle("dgemm_", 13, 0);
        static final MethodHandle DSYMM = handle("dsymm_", 12, 0);
        static final MethodHandle DSYR2K = handle("dsyr2k_", 12, 0);
        static final MethodHandle SB2ST = handle("dsytrd_sb2st_", 14, 3);
        static final MethodHandle DSTERF = handle("dsterf_", 4, 0);

        private static MethodHandle handle(String name, int pointers, int lengths) {
            if (Blas.Critical.LIB == null) {
                return null;
            }
            java.lang.foreign.MemoryLayout[] args = new java.lang.foreign.MemoryLayout[pointers + lengths];
            Arrays.fill(args, 0, pointers, ADDRESS);
            Arrays.fill(args, pointers, pointers + lengths, JAVA_LONG);
            return Blas.Critical.LIB.find(name)
                    .map(fn -> Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.ofVoid(args), Linker.Option.critical(true)))
                    .orElse(null);
        }
    }
}
