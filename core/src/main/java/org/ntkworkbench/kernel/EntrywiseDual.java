package org.ntkworkbench.kernel;

import java.util.stream.IntStream;
import org.ntkworkbench.tensor.Tensor;

/**
 * Shared driver of the activation rule over all entries of a {@link Kernel}: each entry is a pair of
 * (example, position) slots with a covariance; a {@link Pairs} evaluator prepared for the slots'
 * variances gives {@code T} and {@code T'}. Rows of examples run in parallel; a dense kernel of x1
 * with itself is computed on one triangle and mirrored, so it stays symmetric to the last bit.
 * As an {@link EntrywiseRule} the same evaluators serve {@link EntrywiseChain}'s fused passes.
 */
abstract class EntrywiseDual implements Dual, EntrywiseRule {

    /** T and T' of one entry, from slot indices into the prepared variance arrays. */
    interface Pairs {
        /** Writes {@code out[0] = T}, {@code out[1] = T'} for slots {@code ia} (x1 side), {@code ib} (x2 side). */
        void eval(int ia, int ib, double c, double[] out);
    }

    /** An evaluator for slots with variances {@code varA} (x1 side) and {@code varB} (x2 side). */
    abstract Pairs prepare(double[] varA, double[] varB);

    /**
     * The batch form of {@link Pairs} on a row segment: entries {@code m < len} pair slot {@code ia} with slots
     * {@code ib0 + m}, covariances {@code nngp[off + m]} replaced by {@code T}, {@code ntk[off + m]} (when not
     * null) multiplied by {@code T'}: the same operations per entry as {@code Pairs.eval} then the update.
     */
    interface Rows {
        void apply(int ia, int ib0, int len, double[] nngp, double[] ntk, int off);
    }

    /**
     * The batch form of {@link #prepare(double[], double[])} for slots with these variances, or {@code null}
     * when the dual has none (then the fused pass evaluates {@link Pairs} entry by entry).
     */
    Rows rows(double[] varA, double[] varB) {
        return null;
    }

    /**
     * The activation rule in entrywise form: per entry {@code nngp' = T}, {@code ntk' = T' · ntk} from the
     * same evaluators as {@link #apply(Kernel)} (cross pairs prepared for {@code (var1, var2)}, each side's
     * variances mapped by its own self-pairs), so the fused and the layer-by-layer paths agree bit for bit.
     */
    @Override
    public Step prepare(double[] var1, double[] var2, int channels) {
        boolean same = var2 == var1;
        Pairs cross = prepare(var1, var2);
        Rows rows = rows(var1, var2);
        double[] v1 = selfMap(same ? cross : prepare(var1, var1), var1);
        double[] v2 = same ? v1 : selfMap(prepare(var2, var2), var2);
        return new Step() {
            @Override
            public void apply(int i, int j0, int len, double[] nngp, double[] ntk, int off) {
                if (rows != null) {
                    rows.apply(i, j0, len, nngp, ntk, off);
                    return;
                }
                double[] out = new double[2];
                for (int m = 0; m < len; m++) {
                    int e = off + m;
                    cross.eval(i, j0 + m, nngp[e], out);
                    nngp[e] = out[0];
                    if (ntk != null) {
                        ntk[e] = out[1] * ntk[e];
                    }
                }
            }

            @Override
            public void applyDiagonal(int a0, int b0, int len, double[] nngp, double[] ntk, int off) {
                double[] out = new double[2];
                for (int m = 0; m < len; m++) {
                    int e = off + m;
                    cross.eval(a0 + m, b0 + m, nngp[e], out);
                    nngp[e] = out[0];
                    if (ntk != null) {
                        ntk[e] = out[1] * ntk[e];
                    }
                }
            }

            @Override
            public double[] var1() {
                return v1;
            }

            @Override
            public double[] var2() {
                return v2;
            }

            @Override
            public int channels() {
                return channels;
            }
        };
    }

    /** {@code T} of each example with itself: {@code out[i] = T(var[i], var[i], var[i])}. */
    private static double[] selfMap(Pairs self, double[] var) {
        double[] o = new double[var.length];
        double[] out = new double[2];
        for (int i = 0; i < var.length; i++) {
            self.eval(i, i, var[i], out);
            o[i] = out[0];
        }
        return o;
    }

    /** The layer-by-layer form is {@link #apply(Kernel)} (one triangle of a dense self-kernel, mirrored). */
    @Override
    public Kernel applyTo(Kernel k) {
        return apply(k);
    }

    @Override
    public Kernel apply(Kernel k) {
        PairLayout lay = k.layout();
        double[] var1 = lay.variances(k.cov1());
        boolean sameCov = k.cov2() == k.cov1();
        double[] var2 = sameCov ? var1 : lay.variances(k.cov2());
        int n1 = k.n1(), n2 = k.n2();

        Pairs cross = prepare(var1, var2);
        Tensor ntk = k.ntk();
        double[] outT = new double[k.nngp().size()];
        double[] outNtk = ntk == null ? null : new double[ntk.size()];
        run(k.nngp().data(), ntk == null ? null : ntk.data(), outT, outNtk, n1, n2, false, lay, cross,
                k.x1IsX2() && lay.block() == 1 && n1 == n2);

        Pairs self1 = sameCov ? cross : prepare(var1, var1);
        double[] c1 = new double[k.cov1().size()];
        run(k.cov1().data(), null, c1, null, n1, 1, true, lay, self1, false);
        Tensor cov1 = Tensor.of(c1, k.cov1().shape());
        Tensor cov2 = cov1;
        if (!sameCov) {
            double[] c2 = new double[k.cov2().size()];
            run(k.cov2().data(), null, c2, null, k.cov2().dim(0), 1, true, lay, prepare(var2, var2), false);
            cov2 = Tensor.of(c2, k.cov2().shape());
        }
        return k.withArrays(Tensor.of(outT, k.nngp().shape()), ntk == null ? null : Tensor.of(outNtk, ntk.shape()), cov1, cov2);
    }

    /**
     * Applies {@code pairs} to every entry. {@code diagonalExamples}: the array is {@code (n1, B)} of
     * example i with itself (a cov array). {@code symmetric}: dense square kernel, compute j ≥ i and mirror.
     */
    static void run(double[] in, double[] ntkIn, double[] outT, double[] outNtk, int n1, int n2,
                    boolean diagonalExamples, PairLayout lay, Pairs pairs, boolean symmetric) {
        int q = lay.positions(), block = lay.block();
        // In the symmetric case row i has n − i entries: pair row r with row n−1−r to balance the tasks.
        int tasks = symmetric ? (n1 + 1) / 2 : n1;
        IntStream rows = IntStream.range(0, tasks);
        if ((long) n1 * n2 * block > 20_000) {
            rows = rows.parallel();
        }
        rows.forEach(r -> {
            double[] out = new double[2];
            int last = symmetric && n1 - 1 - r != r ? 2 : 1;
            for (int pass = 0; pass < last; pass++) {
                int i = pass == 0 ? r : n1 - 1 - r;
                int jFrom = symmetric ? i : 0;
                for (int j = jFrom; j < n2; j++) {
                    int ex = diagonalExamples ? i : j;
                    int base = (i * n2 + j) * block;
                    for (int m = 0; m < block; m++) {
                        int e = base + m;
                        pairs.eval(i * q + lay.posA(m), ex * q + lay.posB(m), in[e], out);
                        outT[e] = out[0];
                        if (outNtk != null) {
                            outNtk[e] = out[1] * ntkIn[e];
                        }
                    }
                }
            }
        });
        if (symmetric) {
            Symmetry.mirrorUpper(outT, n1);
            if (outNtk != null) {
                Symmetry.mirrorUpper(outNtk, n1);
            }
        }
    }
}
