package org.ntkworkbench.kernel;

import java.util.stream.IntStream;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@link EntrywiseRule#applyTo(Kernel)}: an entrywise rule on every entry of a kernel, dense or spatial.
 * Kernel entries pair slot {@code i·Q + posA(m)} of x1 with slot {@code j·Q + posB(m)} of x2; covariance
 * entries pair two slots of the same example, so the covariances go through the rule prepared for each
 * side's variances with themselves. Rows of examples run in parallel on disjoint entries.
 */
final class EntrywiseDriver {
    private EntrywiseDriver() {}

    static Kernel apply(EntrywiseRule rule, Kernel k) {
        PairLayout lay = k.layout();
        double[] var1 = lay.variances(k.cov1());
        boolean sameCov = k.cov2() == k.cov1();
        double[] var2 = sameCov ? var1 : lay.variances(k.cov2());
        EntrywiseRule.Step cross = rule.prepare(var1, var2, k.channels());
        EntrywiseRule.Step self1 = sameCov ? cross : rule.prepare(var1, var1, k.channels());
        int n1 = k.n1(), n2 = k.n2();
        double[] nngp = k.nngp().data().clone();
        double[] ntk = k.ntk() == null ? null : k.ntk().data().clone();
        entries(cross, nngp, ntk, n1, n2, false, lay);
        double[] c1 = k.cov1().data().clone();
        entries(self1, c1, null, k.cov1().dim(0), 1, true, lay);
        Tensor cov1 = Tensor.of(c1, k.cov1().shape());
        Tensor cov2 = cov1;
        if (!sameCov) {
            double[] c2 = k.cov2().data().clone();
            entries(rule.prepare(var2, var2, k.channels()), c2, null, k.cov2().dim(0), 1, true, lay);
            cov2 = Tensor.of(c2, k.cov2().shape());
        }
        return k.withArrays(Tensor.of(nngp, k.nngp().shape()), ntk == null ? null : Tensor.of(ntk, k.ntk().shape()), cov1, cov2)
                .withChannels(cross.channels());
    }

    /**
     * Applies {@code step} in place to the {@code (n1, n2, block)} entries of {@code a} (and {@code ntk});
     * {@code diagonalExamples}: a covariance array {@code (n1, block)} of each example with itself.
     */
    private static void entries(EntrywiseRule.Step step, double[] a, double[] ntk, int n1, int n2, boolean diagonalExamples,
                                PairLayout lay) {
        int q = lay.positions(), block = lay.block();
        int row = n2 * block;
        IntStream rows = IntStream.range(0, n1);
        if ((long) n1 * row > 20_000) {
            rows = rows.parallel();
        }
        rows.forEach(i -> {
            if (step.slotFree()) {
                step.apply(0, 0, row, a, ntk, i * row);
            } else if (block == 1 && !diagonalExamples) {
                step.apply(i, 0, n2, a, ntk, i * n2);
            } else {
                for (int j = 0; j < n2; j++) {
                    int ex = diagonalExamples ? i : j;
                    int base = (i * n2 + j) * block;
                    for (int m = 0; m < block; m++) {
                        step.apply(i * q + lay.posA(m), ex * q + lay.posB(m), 1, a, ntk, base + m);
                    }
                }
            }
        });
    }
}
