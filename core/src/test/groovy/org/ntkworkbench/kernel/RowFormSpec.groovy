package org.ntkworkbench.kernel

import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The batch (row segment) forms of the closed-form duals ({@link PairwiseDual.RowMap}: relu, leakyRelu, abs,
 * erf), which the fused pass uses, against the per-entry rule ({@link Dual#t}, {@link Dual#tDot}) that the
 * layer-by-layer path uses: bit for bit on random entries and on the edge cases (identical rows, so ρ = 1
 * exactly; covariances past ±√(Σ11Σ22), so clamping; zero variances; NaN and infinite inputs), and whole
 * networks fused vs layer by layer, bit for bit.
 */
class RowFormSpec extends Specification {

    static List<Dual> rowDuals() {
        [Dual.relu(), Dual.leakyRelu(0.1), Dual.leakyRelu(-0.4), Dual.abs(), Dual.erf()]
    }

    /** Same bits, or both NaN (a NaN's payload is not part of the contract). */
    static boolean same(double a, double b) {
        Double.doubleToLongBits(a) == Double.doubleToLongBits(b)
    }

    /** Row variances a (x1 side), column variances varB and covariances c of one segment with its edge cases. */
    static Map segment(long seed, int len) {
        def rnd = new Random(seed)
        double a = 0.2 + 3 * rnd.nextDouble()
        double[] varB = new double[len + 3], c = new double[len], ntk = new double[len]
        for (int m = 0; m < varB.length; m++) {
            varB[m] = 0.05 + 4 * rnd.nextDouble()
        }
        int b0 = 3
        for (int m = 0; m < len; m++) {
            double r = Math.sqrt(a * varB[b0 + m])
            c[m] = r * (2 * rnd.nextDouble() - 1)
            ntk[m] = 5 * rnd.nextDouble() - 1
        }
        // Identical rows: Σ12 = Σ11 = Σ22, so ρ = c / √(a·a) = 1 exactly.
        varB[b0] = a; c[0] = a
        // Anti-identical: ρ = −1 exactly.
        varB[b0 + 1] = a; c[1] = -a
        // Past ±1 by round-off (clamped), and far past.
        c[2] = Math.nextUp(Math.sqrt(a * varB[b0 + 2])); c[3] = -Math.nextUp(Math.sqrt(a * varB[b0 + 3]))
        c[4] = 10 * Math.sqrt(a * varB[b0 + 4])
        // Zero variances (a zero row): correlation 0 by definition, T = 0 for relu.
        varB[b0 + 5] = 0.0; c[5] = 0.0
        varB[b0 + 6] = 0.0; c[6] = 0.3
        // NaN and infinite inputs propagate as in the per-entry rule.
        c[7] = Double.NaN
        varB[b0 + 8] = Double.NaN
        ntk[9] = Double.NaN
        c[10] = Double.POSITIVE_INFINITY
        varB[b0 + 11] = Double.POSITIVE_INFINITY
        c[12] = -0.0d; c[13] = 0.0d
        [a: a, varB: varB, b0: b0, c: c, ntk: ntk]
    }

    @Unroll
    def "#dual.name(): the row form equals the per-entry rule bit for bit (random entries and edge cases, with and without NTK)"() {
        given:
        int len = 200
        int off = 7
        int mismatches = 0
        int checked = 0

        when:
        for (long seed = 0; seed < 20; seed++) {
            Map s = segment(seed, len)
            double a = s.a
            double[] varB = s.varB, c = s.c, ntkIn = s.ntk
            double[] varA = [0.7, a, 1.9] as double[] // row slot 1 has variance a
            for (boolean withNtk : [true, false]) {
                double[] nngp = new double[off + len + 5], ntk = withNtk ? new double[off + len + 5] : null
                Arrays.fill(nngp, 42.0d)
                System.arraycopy(c, 0, nngp, off, len)
                if (withNtk) {
                    Arrays.fill(ntk, 42.0d)
                    System.arraycopy(ntkIn, 0, ntk, off, len)
                }
                EntrywiseRule.Step step = ((EntrywiseRule) dual).prepare(varA, varB, 0)
                step.apply(1, s.b0 as int, len, nngp, ntk, off)
                for (int m = 0; m < len; m++) {
                    double b = varB[(s.b0 as int) + m]
                    double t = dual.t(a, b, c[m]), td = dual.tDot(a, b, c[m])
                    checked++
                    if (!same(nngp[off + m], t) || (withNtk && !same(ntk[off + m], td * ntkIn[m]))) {
                        if (mismatches++ < 5) {
                            println "${dual.name()} seed $seed m $m (a $a, b $b, c ${c[m]}): T ${nngp[off + m]} vs $t, Θ ${withNtk ? ntk[off + m] : '-'} vs ${td * ntkIn[m]}"
                        }
                    }
                }
                // Entries outside the segment are untouched.
                assert nngp[off - 1] == 42.0d && nngp[off + len] == 42.0d
                assert !withNtk || (ntk[off - 1] == 42.0d && ntk[off + len] == 42.0d)
            }
        }

        then:
        checked == 20 * 2 * 200
        mismatches == 0

        where:
        dual << rowDuals()
    }

    def "the edge cases give the documented values: ρ = 1 exactly for identical rows, clamping, zero rows, NaN"() {
        given:
        Map s = segment(3, 20)
        double a = s.a
        double[] nngp = (s.c as double[]).clone()
        double[] ntk = new double[20]
        Arrays.fill(ntk, 1.0d)

        when:
        ((EntrywiseRule) Dual.relu()).prepare([a] as double[], s.varB as double[], 0).apply(0, 3, 20, nngp, ntk, 0)

        then: 'identical rows: T = a/2 (θ = 0) and T′ = 1/2 exactly'
        nngp[0] == a * (0 + Math.PI * 1) / (2 * Math.PI)
        ntk[0] == 0.5d
        and: 'ρ = −1 and covariances past −√(ab) clamp to ρ = −1: T = 0, T′ = 0'
        nngp[1] == 0.0d && ntk[1] == 0.0d
        nngp[3] == 0.0d && ntk[3] == 0.0d
        and: 'past +√(ab): clamped to ρ = 1'
        ntk[2] == 0.5d && ntk[4] == 0.5d
        and: 'a zero variance: r = 0, so T = 0 and T′ = 1/4 (ρ = 0)'
        nngp[5] == 0.0d && nngp[6] == 0.0d && ntk[5] == 0.25d && ntk[6] == 0.25d
        and: 'NaN in a covariance or a variance stays NaN'
        Double.isNaN(nngp[7]) && Double.isNaN(ntk[7])
        Double.isNaN(nngp[8]) && Double.isNaN(ntk[8])
    }

    @Unroll
    def "fused networks with #name equal the layers' rules one by one bit for bit (x2 #x2Case)"() {
        given:
        def x1 = Tensor.randn(31, 70, 6)
        // Rows 1 and 2 identical to row 0 (ρ = 1 exactly), row 3 zero (zero variance): the edge cases in situ.
        for (int k = 0; k < 6; k++) {
            x1.data()[6 + k] = x1.data()[k]
            x1.data()[12 + k] = x1.data()[k]
            x1.data()[18 + k] = 0.0d
        }
        def x2 = x2Case == 'other' ? Tensor.randn(32, 130, 6) : null
        List<Layer> leaves = layers()

        when:
        Kernel fused = serial(leaves).kernel(x1, x2)
        Kernel ref = Kernel.fromInputs(x1, x2)
        for (Layer l : leaves) {
            ref = l.kernel(ref)
        }
        int diff = 0
        for (int e = 0; e < fused.nngp().size(); e++) {
            if (!same(fused.nngp().data()[e], ref.nngp().data()[e]) || !same(fused.ntk().data()[e], ref.ntk().data()[e])) {
                diff++
            }
        }

        then:
        diff == 0
        fused.nngp().data().every { !Double.isNaN(it) }

        where:
        [name, x2Case] << [['relu', 'leakyRelu and abs', 'erf'], ['null', 'other']].combinations()
        layers = [relu                : { [dense(8, 1.4, 0.1), relu(), dense(8, 1.4, 0.1), relu(), dense(1, 1.4, 0.1)] },
                  'leakyRelu and abs' : { [dense(8, 1.2, 0.0), leakyRelu(0.1), dense(8, 0.9, 0.3), abs(), dense(1, 1.1, 0.2)] },
                  erf                 : { [dense(8, 1.0, 0.2), erf(), dense(8, 1.3, 0.1), erf(), dense(1, 1.0, 0.0)] }][name]
    }
}
