package org.ntkworkbench.solve;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.ArrayList;
import org.ntkworkbench.memory.MemoryPlanner;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.CholeskyPair;
import org.ntkworkbench.tensor.Tensor;

/**
 * Kernel ridge regression on {@code m} Nyström centres solved by FALKON (Rudi, Carratino and Rosasco
 * 2017; Meanti et al. 2020, "Kernel methods through the roof"): the coefficients {@code α (m × k)} on
 * centres {@code C ⊂ X} minimise {@code (1/n)‖K_{XC} α − Y‖² + λ αᵀ K_{CC} α}, i.e. solve
 * {@code (K_{CX} K_{XC} + λ n K_{CC}) α = K_{CX} Y}, by conjugate gradients preconditioned with
 * {@code B = (1/√n) T⁻¹ A⁻¹}, where {@code K_{CC} = Tᵀ T} and {@code T Tᵀ / m + λ I = Aᵀ A} (two
 * Cholesky factors of {@code m × m} matrices). With this preconditioner CG needs a few tens of
 * iterations whatever the conditioning of the kernel. With {@code m = n} the solution is exact kernel
 * ridge regression {@code (K + λ n I)⁻¹ Y}; so {@code λ = r · mean(diag K) / n} matches a diagonal
 * regulariser r (DESIGN.md's {@code --diag-reg}).
 *
 * <p>Memory: {@code K_{XC}} is computed once, block by block, and stored in row blocks (float32 with
 * {@code float32 = true}: half the bytes; each block is widened to float64 before its products, so sums
 * accumulate in float64), plus one {@code m × m} float64 array that holds {@code K_{CC}} and then
 * both preconditioner factors ({@link CholeskyPair}); each CG iteration is one pass over the stored blocks
 * ({@code K_{XC}ᵀ (K_{XC} v)}, two thin gemms per cache-sized chunk).
 * {@link #estimateBytes} gives the peak for the {@link MemoryPlanner}.
 */
public final class Falkon {
    private final Tensor centres;
    private final double[] alpha;
    private final int outputs;
    private final KernelFunction kernel;
    private final SolveReport report;

    private Falkon(Tensor centres, double[] alpha, int outputs, KernelFunction kernel, SolveReport report) {
        this.centres = centres;
        this.alpha = alpha;
        this.outputs = outputs;
        this.kernel = kernel;
        this.report = report;
    }

    /**
     * Settings.
     *
     * @param centres       m, the number of Nyström centres (at most n; n gives exact kernel ridge regression)
     * @param lambda        λ of the objective above ({@code > 0}; see {@link #lambdaForDiagReg})
     * @param tolerance     CG stops when every column's relative residual of the preconditioned system is below it
     * @param maxIterations CG iteration cap
     * @param float32       store {@code K_{XC}} in float32 (float64 accumulation)
     * @param seed          chooses the centres (uniformly without replacement)
     * @param blockRows     rows of X per stored block (and per kernel evaluation)
     */
    public record Options(int centres, double lambda, double tolerance, int maxIterations, boolean float32, long seed,
                          int blockRows) {
        public Options {
            if (centres < 1) {
                throw new IllegalArgumentException("falkon: centres " + centres + " must be >= 1");
            }
            // NaN encodes a diagonal regulariser r as -r (see ofDiagReg): λ = r · mean(diag K(C, C)) / n
            if (!(lambda > 0 || lambda < 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("falkon: lambda " + lambda + " must be a positive number");
            }
            if (!(tolerance > 0) || maxIterations < 1 || blockRows < 1) {
                throw new IllegalArgumentException("falkon: tolerance, max iterations and block rows must be positive");
            }
        }

        /**
         * λ from a diagonal regulariser {@code r > 0} (DESIGN.md's {@code --diag-reg}): {@code λ = r ·
         * mean(diag K) / n}, with the mean over the centres' diagonal (an unbiased estimate of the mean over
         * all n rows, since the centres are a uniform sample). Encoded as {@code lambda = −r}.
         */
        public static Options ofDiagReg(int centres, double r) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("falkon: the diagonal regulariser must be positive (the Nystrom solve needs "
                        + "a ridge), got " + r);
            }
            return new Options(centres, -r, 1e-6, 100, false, 0, 2048);
        }

        /** Defaults: tolerance 1e-6, 100 iterations, float64, seed 0, 2048 rows per block. */
        public static Options of(int centres, double lambda) {
            if (!(lambda > 0)) {
                throw new IllegalArgumentException("falkon: lambda " + lambda + " must be a positive number");
            }
            return new Options(centres, lambda, 1e-6, 100, false, 0, 2048);
        }

        public Options withTolerance(double t, int maxIt) {
            return new Options(centres, lambda, t, maxIt, float32, seed, blockRows);
        }

        public Options withFloat32(boolean f) {
            return new Options(centres, lambda, tolerance, maxIterations, f, seed, blockRows);
        }

        public Options withSeed(long s) {
            return new Options(centres, lambda, tolerance, maxIterations, float32, s, blockRows);
        }

        public Options withBlockRows(int b) {
            return new Options(centres, lambda, tolerance, maxIterations, float32, seed, b);
        }
    }

    /** FALKON's λ for a diagonal regulariser {@code r · meanDiag} added to an {@code n × n} kernel. */
    public static double lambdaForDiagReg(double r, double meanDiag, int n) {
        return r * meanDiag / n;
    }

    /**
     * The most centres (at most {@code cap}, at least 1) whose {@link #estimateBytes} fits {@code budgetBytes},
     * or 0 when not even one does.
     */
    public static int centresFor(int n, int k, boolean float32, int blockRows, long budgetBytes, int cap) {
        int lo = 0, hi = Math.min(n, cap);
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (estimateBytes(n, mid, k, float32, blockRows) <= budgetBytes) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Peak bytes of a fit with {@code n} rows, {@code m} centres, {@code k} outputs (for the planner). */
    public static long estimateBytes(int n, int m, int k, boolean float32, int blockRows) {
        double stored = (double) n * m * (float32 ? 4 : 8);
        double factor = (double) CholeskyPair.bytes(m); // K_CC and both factors in one native buffer
        double blocks = 3.0 * Math.min(n, blockRows) * (double) m * 8; // a kernel block being computed
        double vectors = 8.0 * k * (6.0 * m + 2.0 * n);
        double total = stored + factor + blocks + vectors;
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    /**
     * Fits on inputs {@code x (n, …)} and targets {@code y} (row-major {@code n × k}).
     *
     * @throws org.ntkworkbench.memory.MemoryBudgetException when {@link #estimateBytes} exceeds the planner's budget
     */
    public static Falkon fit(KernelFunction kernel, Tensor x, double[] y, int k, Options o, MemoryPlanner planner,
                             ProgressBar progress) {
        int n = x.dim(0);
        if (y.length != (long) n * k) {
            throw new IllegalArgumentException("falkon: targets of " + y.length + " values for " + n + " x " + k);
        }
        int m = Math.min(o.centres(), n);
        planner.require(String.format(Locale.ROOT, "the Nystrom solve with %d centres of %d examples (%s)", m, n,
                o.float32() ? "float32" : "float64"), estimateBytes(n, m, k, o.float32(), o.blockRows()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("centres", m);
        details.put("storage", o.float32() ? "float32" : "float64");
        details.put("block_rows", o.blockRows());
        long t0 = System.nanoTime();

        int[] idx = centresIndex(n, m, o.seed());
        Tensor c = x.rows(idx);

        // K(X, C) once, in row blocks (the dominant cost: n·m kernel entries).
        int blocks = (n + o.blockRows() - 1) / o.blockRows();
        List<Object> stored = new ArrayList<>(blocks);
        progress.start("kernel K(X, C) " + n + " x " + m, n);
        for (int from = 0; from < n; from += o.blockRows()) {
            int to = Math.min(n, from + o.blockRows());
            double[] kb = kernel.block(x.rowRange(from, to), c);
            stored.add(o.float32() ? toFloat(kb) : kb);
            progress.update(to);
        }
        details.put("seconds_kernel", (System.nanoTime() - t0) * 1e-9);

        long t1 = System.nanoTime();
        // units ~ flops: K(C, C) 1, two Cholesky factors (m³/3 each) 1 + 1, dlauum (m³/3) 1
        progress.start("preconditioner (" + m + " centres)", 4);
        progress.update(0);
        // One m × m array for K(C, C) and both factors (CholeskyPair), filled by row blocks of the centres;
        // LAPACK works on it in place (three m × m arrays plus native copies before: 9.6 GB at m = 20 000).
        CholeskyPair pre = CholeskyPair.allocate(m);
        for (int from = 0; from < m; from += o.blockRows()) {
            int to = Math.min(m, from + o.blockRows());
            pre.setRows(from, kernel.block(c.rowRange(from, to), c), to - from);
        }
        progress.update(1);
        double meanDiag = pre.meanDiagonal();
        double lambda = o.lambda() > 0 ? o.lambda() : lambdaForDiagReg(-o.lambda(), meanDiag, n);
        if (o.lambda() < 0) {
            details.put("diag_reg", -o.lambda());
        }
        details.put("lambda", lambda);
        double jitter;
        try {
            jitter = pre.factor(1.0 / m, lambda);
        } catch (ArithmeticException e) {
            throw new ArithmeticException("falkon: K(C, C) of " + m + " centres is not positive definite even with jitter "
                    + "(duplicate centres?): " + e.getMessage());
        }
        progress.update(4);
        details.put("jitter", jitter);
        details.put("seconds_preconditioner", (System.nanoTime() - t1) * 1e-9);
        return finish(c, stored, pre, lambda, n, m, k, y, kernel, o, details, t0, progress);
    }

    private static Falkon finish(Tensor c, List<Object> stored, CholeskyPair pre, double lambda, int n, int m, int k,
                                 double[] y, KernelFunction kernel, Options o, Map<String, Object> details, long t0,
                                 ProgressBar progress) {
        final double nInv = 1.0 / n;
        // B = T⁻¹ A⁻¹ applied as two triangular solves (T = Lᵀ, A = L_Aᵀ are upper triangular).
        LinearOperator bhb = new LinearOperator() {
            @Override
            public int size() {
                return m;
            }

            @Override
            public void apply(double[] u, int kk, double[] out) {
                double[] au = u.clone();
                pre.solveA(au, kk);                                        // A⁻¹ u
                double[] tau = au.clone();
                pre.solveT(tau, kk);                                       // T⁻¹ A⁻¹ u
                double[] w = knmTKnm(stored, o.float32(), n, m, kk, tau, o.blockRows());
                for (int i = 0; i < w.length; i++) {
                    w[i] *= nInv;
                }
                pre.solveTTransposed(w, kk);                               // T⁻ᵀ (…)
                for (int i = 0; i < w.length; i++) {
                    w[i] += lambda * au[i];
                }
                pre.solveATransposed(w, kk);                               // A⁻ᵀ (…)
                System.arraycopy(w, 0, out, 0, w.length);
            }
        };
        double[] rhs = kxcT(stored, o.float32(), n, m, k, y, o.blockRows());
        for (int i = 0; i < rhs.length; i++) {
            rhs[i] *= nInv;
        }
        pre.solveTTransposed(rhs, k);
        pre.solveATransposed(rhs, k);

        long t2 = System.nanoTime();
        ConjugateGradients.Result cg = ConjugateGradients.solve(bhb, rhs, k, ConjugateGradients.Preconditioner.IDENTITY,
                o.tolerance(), o.maxIterations(), progress);
        double[] alpha = cg.x();
        pre.solveA(alpha, k);
        pre.solveT(alpha, k);
        details.put("seconds_iterations", (System.nanoTime() - t2) * 1e-9);
        details.put("seconds_total", (System.nanoTime() - t0) * 1e-9);
        SolveReport report = new SolveReport("falkon", o.tolerance(), cg.iterations(), cg.relativeResidual(),
                cg.converged(), details);
        return new Falkon(c, alpha, k, kernel, report);
    }

    /** Predictions {@code K(xTest, C) α}, row-major {@code (n_test, k)}, computed in row blocks. */
    public Tensor predict(Tensor xTest, int blockRows) {
        return predict(xTest, blockRows, ProgressBar.silent());
    }

    /** As {@link #predict(Tensor, int)}, reporting the test kernel's rows to {@code progress}. */
    public Tensor predict(Tensor xTest, int blockRows, ProgressBar progress) {
        int nt = xTest.dim(0), m = centres.dim(0);
        double[] out = new double[nt * outputs];
        progress.start("predictions K(X_test, C) " + nt + " x " + m, nt);
        for (int from = 0; from < nt; from += blockRows) {
            int to = Math.min(nt, from + blockRows);
            double[] kb = kernel.block(xTest.rowRange(from, to), centres);
            Blas.gemm(false, false, to - from, outputs, m, 1.0, kb, 0, alpha, 0, 0.0, out, from * outputs);
            progress.update(to);
        }
        return Tensor.of(out, nt, outputs);
    }

    /** The coefficients on the centres, row-major {@code (m, k)}. */
    public double[] alpha() {
        return alpha.clone();
    }

    /** The centres (rows of the training inputs). */
    public Tensor centres() {
        return centres;
    }

    /** What the solve did. */
    public SolveReport report() {
        return report;
    }

    /** m distinct indices in [0, n), sorted, uniformly at random from {@code seed} (partial Fisher–Yates). */
    static int[] centresIndex(int n, int m, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] idx = Arrays.copyOf(all, m);
        Arrays.sort(idx);
        return idx;
    }

    /**
     * {@code K_{XC}ᵀ (K_{XC} v)}: one pass over the stored blocks, widened to float64 (when stored in float32)
     * one block at a time, then {@code w = K_b v}, {@code out += K_bᵀ w}. Smaller, cache-resident chunks were
     * measured (n = 10 240, m = 20 000, k = 10): 13-row chunks took 5× the CPU of 1024-row blocks, 64 rows 1.6×,
     * 256–512 rows the same as whole blocks (OpenBLAS re-reads the m × k {@code out} per call), so whole blocks stay.
     */
    static double[] knmTKnm(List<Object> stored, boolean f32, int n, int m, int k, double[] v, int blockRows) {
        double[] out = new double[m * k];
        int chunk = Math.min(n, blockRows);
        double[] wide = f32 ? new double[chunk * m] : null;
        double[] w = new double[chunk * k];
        int b = 0;
        for (int from = 0; from < n; from += blockRows, b++) {
            int rows = Math.min(n, from + blockRows) - from;
            Object blk = stored.get(b);
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                int cr = Math.min(chunk, rows - r0);
                double[] kb;
                int off;
                if (f32) {
                    widen((float[]) blk, r0 * m, cr * m, wide);
                    kb = wide;
                    off = 0;
                } else {
                    kb = (double[]) blk;
                    off = r0 * m;
                }
                Blas.gemm(false, false, cr, k, m, 1.0, kb, off, v, 0, 0.0, w, 0);
                Blas.gemm(true, false, m, k, cr, 1.0, kb, off, w, 0, 1.0, out, 0);
            }
        }
        return out;
    }

    /** {@code K_{XC}ᵀ y}, chunked as {@link #knmTKnm}. */
    private static double[] kxcT(List<Object> stored, boolean f32, int n, int m, int k, double[] y, int blockRows) {
        double[] out = new double[m * k];
        int chunk = Math.min(n, blockRows);
        double[] wide = f32 ? new double[chunk * m] : null;
        int b = 0;
        for (int from = 0; from < n; from += blockRows, b++) {
            int rows = Math.min(n, from + blockRows) - from;
            Object blk = stored.get(b);
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                int cr = Math.min(chunk, rows - r0);
                if (f32) {
                    widen((float[]) blk, r0 * m, cr * m, wide);
                    Blas.gemm(true, false, m, k, cr, 1.0, wide, 0, y, (from + r0) * k, 1.0, out, 0);
                } else {
                    Blas.gemm(true, false, m, k, cr, 1.0, (double[]) blk, r0 * m, y, (from + r0) * k, 1.0, out, 0);
                }
            }
        }
        return out;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static void widen(float[] f, int from, int count, double[] into) {
        for (int i = 0; i < count; i++) {
            into[i] = f[from + i];
        }
    }

}
