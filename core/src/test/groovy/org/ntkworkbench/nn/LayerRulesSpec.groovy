package org.ntkworkbench.nn

import static org.ntkworkbench.kernel.Padding.*

import org.ntkworkbench.kernel.Dual
import org.ntkworkbench.kernel.Kernel
import org.ntkworkbench.kernel.PairAxes
import org.ntkworkbench.kernel.Padding

import groovy.transform.CompileStatic
import org.ntkworkbench.nn.Parameterization
import org.ntkworkbench.tensor.SeededRandom
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * Layer rules against independent derivations: linear layers (conv, pooling, flatten, global pooling,
 * layer norm) commute with the input kernel, so applying the rule to the input kernel must equal the
 * input kernel of the transformed inputs (im2col patches, pooled / flattened / normalised arrays);
 * the deep ReLU recursion against a scalar transcription of SCIENCE.md; Basri's closed form.
 */
class LayerRulesSpec extends Specification {

    static double maxDiff(Tensor a, Tensor b) {
        assert a.sameShape(b): "${a.shapeString()} vs ${b.shapeString()}"
        double m = 0
        for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]))
        m
    }

    // ---- input transformations (test-only, direct loops) ----

    /** 1-D patches (n, P', f*C) of x (n, P, C) with the same padding convention as NT/lax. */
    @CompileStatic
    static Tensor patches1d(Tensor x, int f, int s, Padding pad) {
        int n = x.dim(0), p = x.dim(1), c = x.dim(2)
        int out = PairAxes.outSize(p, f, s, pad)
        int lo = pad == VALID ? 0 : Math.max((out - 1) * s + f - p, 0).intdiv(2) as int
        double[] o = new double[n * out * f * c]
        for (int i = 0; i < n; i++) for (int q = 0; q < out; q++) for (int k = 0; k < f; k++) {
            int t = q * s + k - lo
            if (pad == CIRCULAR) t = Math.floorMod(t, p)
            if (t < 0 || t >= p) continue
            for (int ch = 0; ch < c; ch++) o[((i * out + q) * f + k) * c + ch] = x.get(i, t, ch)
        }
        Tensor.of(o, n, out, f * c)
    }

    /** 2-D patches (n, H', W', fh*fw*C), CIRCULAR padding, stride 1. */
    @CompileStatic
    static Tensor patches2dCircular(Tensor x, int fh, int fw) {
        int n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3)
        int loH = (fh - 1).intdiv(2) as int, loW = (fw - 1).intdiv(2) as int
        double[] o = new double[n * h * w * fh * fw * c]
        int idx = 0
        for (int i = 0; i < n; i++) for (int a = 0; a < h; a++) for (int b = 0; b < w; b++)
            for (int ka = 0; ka < fh; ka++) for (int kb = 0; kb < fw; kb++) for (int ch = 0; ch < c; ch++)
                o[idx++] = x.get(i, Math.floorMod(a + ka - loH, h), Math.floorMod(b + kb - loW, w), ch)
        Tensor.of(o, n, h, w, fh * fw * c)
    }

    /** 1-D pooling of inputs (n, P, C): mean (or sum) over windows, zero padding for SAME. */
    @CompileStatic
    static Tensor pool1d(Tensor x, int f, int s, Padding pad, boolean average) {
        int n = x.dim(0), p = x.dim(1), c = x.dim(2)
        int out = PairAxes.outSize(p, f, s, pad)
        int lo = pad == VALID ? 0 : Math.max((out - 1) * s + f - p, 0).intdiv(2) as int
        double[] o = new double[n * out * c]
        for (int i = 0; i < n; i++) for (int q = 0; q < out; q++) for (int k = 0; k < f; k++) {
            int t = q * s + k - lo
            if (pad == CIRCULAR) t = Math.floorMod(t, p)
            if (t < 0 || t >= p) continue
            for (int ch = 0; ch < c; ch++) o[(i * out + q) * c + ch] += x.get(i, t, ch) / (average ? f : 1)
        }
        Tensor.of(o, n, out, c)
    }

    // ---- specs ----

    def "the input kernel is the channel-averaged Gram matrix, symmetric to the last bit"() {
        given:
        def x = Tensor.randn(1, 7, 5)
        def y = Tensor.randn(2, 4, 5)
        def k = Kernel.fromInputs(x, null)
        def kxy = Kernel.fromInputs(x, y)

        expect:
        (0..<7).every { i -> (0..<7).every { j -> k.nngp().get(i, j) == k.nngp().get(j, i) } }
        (0..<7).every { i -> (0..<4).every { j ->
            double s = 0
            for (int c = 0; c < 5; c++) s += x.get(i, c) * y.get(j, c)
            Math.abs(kxy.nngp().get(i, j) - s / 5) < 1e-13
        } }
        (0..<4).every { j -> Math.abs(kxy.cov2().get(j) - (0..<5).sum { c -> return y.get(j, c) * y.get(j, c) } / 5) < 1e-13 }
        k.ntk().maxAbs() == 0
        k.x1IsX2() && !kxy.x1IsX2()
    }

    def "the input kernel of images interleaves position pairs"() {
        given:
        def x = Tensor.randn(3, 2, 3, 4, 5)
        def y = Tensor.randn(4, 3, 3, 4, 5)
        def k = Kernel.fromInputs(x, y)

        expect:
        k.nngp().shape() == [2, 3, 3, 3, 4, 4] as int[]
        k.cov1().shape() == [2, 3, 3, 4, 4] as int[]
        [[0, 1, 2, 0, 3, 1], [1, 2, 0, 2, 1, 3]].every { List<Integer> ix ->
            int i = ix[0], j = ix[1], h = ix[2], h2 = ix[3], w = ix[4], w2 = ix[5]
            double s = 0
            for (int c = 0; c < 5; c++) s += x.get(i, h, w, c) * y.get(j, h2, w2, c)
            Math.abs(k.nngp().get(i, j, h, h2, w, w2) - s / 5) < 1e-13
        }
        Math.abs(k.cov1().get(1, 2, 0, 3, 1) - (0..<5).sum { c -> return x.get(1, 2, 3, c) * x.get(1, 0, 1, c) } / 5) < 1e-13
    }

    /** Scalar transcription of SCIENCE.md's recursion for Dense + ReLU (arc-cosine forms written out here). */
    static List<Double> reluRecursion(double[] x, double[] z, int depth, double sw, double sb) {
        int d = x.length
        double xz = 0, xx = 0, zz = 0
        for (int i = 0; i < d; i++) { xz += x[i] * z[i]; xx += x[i] * x[i]; zz += z[i] * z[i] }
        double s = sw * sw * xz / d + sb * sb, sx = sw * sw * xx / d + sb * sb, sz = sw * sw * zz / d + sb * sb
        double theta = s
        for (int l = 1; l < depth; l++) {
            // An example with itself has correlation exactly 1 (acos is ill-conditioned there: a rounding
            // error of 1e-16 in the ratio would move the angle by 1e-8).
            double ang = Arrays.equals(x, z) ? 0.0 : Math.acos(Math.max(-1, Math.min(1, s / Math.sqrt(sx * sz))))
            double t = Math.sqrt(sx * sz) / (2 * Math.PI) * (Math.sin(ang) + (Math.PI - ang) * Math.cos(ang))
            double tDot = (Math.PI - ang) / (2 * Math.PI)
            double snew = sw * sw * t + sb * sb
            theta = snew + sw * sw * tDot * theta
            s = snew
            sx = sw * sw * sx / 2 + sb * sb   // T(Σ, Σ) = Σ/2 for ReLU
            sz = sw * sw * sz / 2 + sb * sb
            // For x = z the pair's Σ is the variance itself: keep them equal bit for bit (as the engine
            // does), since rounding them apart by one ulp makes arccos(1 - ε) ≈ √(2ε) ≈ 1e-8.
            if (x.is(z)) { sx = s; sz = s }
        }
        [s, theta]
    }

    @Unroll
    def "depth-#depth ReLU NNGP and NTK with bias follow the recursion of SCIENCE.md"() {
        given:
        def x = Tensor.randn(5, 6, 4)
        def k = Dense.rule(Kernel.fromInputs(x, null), 1.3, 0.4)
        for (int l = 1; l < depth; l++) k = Dense.rule(Dual.relu().apply(k), 1.3, 0.4)

        double errNngp = 0, errNtk = 0
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) {
            double[] xi = x.row(i)
            def ref = reluRecursion(xi, i == j ? xi : x.row(j), depth, 1.3, 0.4)
            errNngp = Math.max(errNngp, Math.abs(k.nngp().get(i, j) - ref[0]) / Math.abs(ref[0]))
            errNtk = Math.max(errNtk, Math.abs(k.ntk().get(i, j) - ref[1]) / Math.abs(ref[1]))
        }

        expect: 'relative agreement to 1e-12'
        errNngp < 1e-12
        errNtk < 1e-12
        (0..<6).every { i -> Math.abs(k.cov1().get(i) - k.nngp().get(i, i)) < 1e-14 * k.cov1().get(i) }

        where:
        depth << [2, 3]
    }

    /**
     * Per-unit terms of the empirical kernels of f(x) = (w2/√m) Σ_r a_r relu(h_r(x)) + b2 β,
     * h_r(x) = (w1/√d) W_r·x + b1 β_r, all draws N(0, 1): the NNGP term w2² relu(h_r) relu(h_r') + b2² and
     * the NTK term (gradients in a_r, W_r, β_r and β) w2² [relu relu' + a_r² step step (w1² x·x'/d + b1²)] + b2².
     * Returns {mean NNGP, SE, mean NTK, SE} over the m units.
     */
    @CompileStatic
    static double[] wideTwoLayer(double[] x, double[] z, int m, double w1, double b1, double w2, double b2, long seed) {
        int d = x.length
        double[] w = new double[d + 2]
        def rng = new SeededRandom(seed)
        double xz = 0
        for (int i = 0; i < d; i++) xz += x[i] * z[i]
        double s = 0, s2 = 0, t = 0, t2 = 0
        for (int r = 0; r < m; r++) {
            rng.fillGaussian(w)
            double hx = 0, hz = 0
            for (int i = 0; i < d; i++) { hx += w[i] * x[i]; hz += w[i] * z[i] }
            hx = w1 * hx / Math.sqrt(d) + b1 * w[d]
            hz = w1 * hz / Math.sqrt(d) + b1 * w[d]
            double a = w[d + 1]
            double nngp = w2 * w2 * Math.max(hx, 0) * Math.max(hz, 0) + b2 * b2
            double step = hx > 0 && hz > 0 ? 1d : 0d
            double ntk = nngp + w2 * w2 * a * a * step * (w1 * w1 * xz / d + b1 * b1)
            s += nngp; s2 += nngp * nngp; t += ntk; t2 += ntk * ntk
        }
        double ms = s / m, mt = t / m
        [ms, Math.sqrt((s2 / m - ms * ms) / m), mt, Math.sqrt((t2 / m - mt * mt) / m)] as double[]
    }

    def "a wide two-layer ReLU network's empirical NNGP and NTK match the analytic kernels (Monte Carlo)"() {
        given: 'm = 200000 hidden units; tolerance 5 standard errors of the unit average'
        def x = Tensor.randn(46, 4, 6)
        def k = Dense.rule(Dual.relu().apply(Dense.rule(Kernel.fromInputs(x, null), 1.4, 0.3)), 1.1, 0.2)

        expect:
        [[0, 0], [0, 1], [2, 3], [1, 3]].every { List<Integer> p ->
            double[] mc = wideTwoLayer(x.row(p[0]), x.row(p[1]), 200_000, 1.4, 0.3, 1.1, 0.2, 47 + p[0] * 4 + p[1])
            Math.abs(k.nngp().get(p[0], p[1]) - mc[0]) < 5 * mc[1] && Math.abs(k.ntk().get(p[0], p[1]) - mc[2]) < 5 * mc[3]
        }
    }

    def "Basri's two-layer ReLU kernel on the circle is half the first-layer part of the NTK"() {
        given: '''f(x) = Σ_r a_r relu(w_r·x + b_r)/√m with w_r ~ N(0, I_2), a_r ~ N(0, 1), b_r initialised at 0
                  but trained: Σ¹ = xᵀz (dense(wStd = √2) of the input kernel xᵀz/2), Θ¹ = xᵀz + 1.
                  Readout dense(1): Θ² = Σ² + T'(Σ¹) Θ¹, and Basri's k = (Θ² − Σ²)/2.'''
        int n = 24
        double[] ang = (0..<n).collect { 2 * Math.PI * it / n + 0.1 * Math.sin(it) } as double[]
        def x = Tensor.of(ang.collect { [Math.cos(it), Math.sin(it)] as double[] } as double[][])
        def k1 = Dense.rule(Kernel.fromInputs(x, null), Math.sqrt(2), 0)
        k1 = k1.withNtk(k1.nngp().map { it + 1 })
        def k2 = Dense.rule(Dual.relu().apply(k1), 1, 0)

        expect:
        (0..<n).every { i -> (0..<n).every { j ->
            double c = Math.max(-1, Math.min(1, Math.cos(ang[i] - ang[j])))
            double basri = (c + 1) * (Math.PI - Math.acos(c)) / (4 * Math.PI)
            Math.abs((k2.ntk().get(i, j) - k2.nngp().get(i, j)) / 2 - basri) < 1e-13
        } }
    }

    @Unroll
    def "1-D conv (filter #f, stride #s, #pad) equals the input kernel of im2col patches"() {
        given:
        def x = Tensor.randn(3, 4, 7, 3)
        def y = Tensor.randn(4, 3, 7, 3)
        def k = Conv.rule(Kernel.fromInputs(x, y), [f] as int[], [s] as int[], pad, 1.0, 0.0)
        def ref = Kernel.fromInputs(patches1d(x, f, s, pad), patches1d(y, f, s, pad))
        def kWithBias = Conv.rule(Kernel.fromInputs(x, y), [f] as int[], [s] as int[], pad, 0.7, 0.3)

        expect:
        maxDiff(k.nngp(), ref.nngp()) < 1e-13
        maxDiff(k.cov1(), ref.cov1()) < 1e-13
        maxDiff(k.cov2(), ref.cov2()) < 1e-13
        maxDiff(k.ntk(), ref.nngp()) < 1e-13
        maxDiff(kWithBias.nngp(), ref.nngp().map { 0.49 * it + 0.09 }) < 1e-13
        k.spatial() == [ref.nngp().dim(2)] as int[]

        where:
        f | s | pad
        3 | 1 | VALID
        3 | 1 | SAME
        3 | 1 | CIRCULAR
        4 | 2 | SAME
        2 | 2 | CIRCULAR
        3 | 2 | VALID
    }

    def "2-D circular conv equals the input kernel of 2-D patches"() {
        given:
        def x = Tensor.randn(5, 2, 4, 3, 2)
        def k = Conv.rule(Kernel.fromInputs(x, null), [3, 2] as int[], [1, 1] as int[], CIRCULAR, 1.0, 0.0)
        def ref = Kernel.fromInputs(patches2dCircular(x, 3, 2), null)

        expect:
        maxDiff(k.nngp(), ref.nngp()) < 1e-13
        maxDiff(k.cov1(), ref.cov1()) < 1e-13
    }

    def "an activation on an image kernel pairs the variances of the right pixels"() {
        given:
        def x = Tensor.randn(44, 3, 2, 3, 4)
        def k = Dense.rule(Kernel.fromInputs(x, null), 1.2, 0.3)
        def out = Dual.relu().apply(k)

        expect:
        double worst = 0
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int h = 0; h < 2; h++) for (int h2 = 0; h2 < 2; h2++)
            for (int w = 0; w < 3; w++) for (int w2 = 0; w2 < 3; w2++) {
                double a = k.cov1().get(i, h, h, w, w), b = k.cov2().get(j, h2, h2, w2, w2)
                worst = Math.max(worst, Math.abs(out.nngp().get(i, j, h, h2, w, w2) - Dual.relu().t(a, b, k.nngp().get(i, j, h, h2, w, w2))))
            }
        worst < 1e-14
        (0..<3).every { i -> out.nngp().get(0, i, 1, 0, 2, 1) == out.nngp().get(i, 0, 0, 1, 1, 2) }
    }

    @Unroll
    def "#name pooling (window #f, stride #s, #pad) equals the input kernel of pooled inputs"() {
        given:
        def x = Tensor.randn(6, 3, 8, 2)
        def y = Tensor.randn(7, 2, 8, 2)
        def k0 = Kernel.fromInputs(x, y)
        def k = average ? AvgPool.rule(k0, [f] as int[], [s] as int[], pad) : SumPool.rule(k0, [f] as int[], [s] as int[], pad)
        def ref = Kernel.fromInputs(pool1d(x, f, s, pad, average), pool1d(y, f, s, pad, average))

        expect:
        maxDiff(k.nngp(), ref.nngp()) < 1e-13
        maxDiff(k.cov1(), ref.cov1()) < 1e-13
        maxDiff(k.cov2(), ref.cov2()) < 1e-13

        where:
        name  | average | f | s | pad
        'avg' | true    | 2 | 2 | VALID
        'avg' | true    | 3 | 1 | SAME
        'avg' | true    | 3 | 2 | CIRCULAR
        'sum' | false   | 3 | 3 | SAME
    }

    def "flatten, global average and global sum pooling equal the input kernels of reshaped and pooled inputs"() {
        given:
        def x = Tensor.randn(8, 3, 5, 4)
        def k0 = Kernel.fromInputs(x, null)
        double[] mean = new double[3 * 4], sum = new double[3 * 4]
        for (int i = 0; i < 3; i++) for (int p = 0; p < 5; p++) for (int c = 0; c < 4; c++) {
            sum[i * 4 + c] += x.get(i, p, c); mean[i * 4 + c] += x.get(i, p, c) / 5
        }
        def flat = Kernel.fromInputs(x.copy().reshape(3, 20), null)
        def gap = Kernel.fromInputs(Tensor.of(mean, 3, 4), null)
        def gsp = Kernel.fromInputs(Tensor.of(sum, 3, 4), null)

        expect:
        maxDiff(Flatten.rule(k0).nngp(), flat.nngp()) < 1e-13
        maxDiff(Flatten.rule(k0).cov1(), flat.cov1()) < 1e-13
        maxDiff(GlobalAvgPool.rule(k0).nngp(), gap.nngp()) < 1e-13
        maxDiff(GlobalAvgPool.rule(k0).cov1(), gap.cov1()) < 1e-13
        maxDiff(GlobalSumPool.rule(k0).nngp(), gsp.nngp()) < 1e-12
        Flatten.rule(k0).spatial().length == 0
    }

    def "layer norm equals the input kernel of inputs normalised per position"() {
        given:
        def x = Tensor.randn(9, 4, 3, 6)
        double[] xn = x.data().clone()
        for (int i = 0; i < 4; i++) for (int p = 0; p < 3; p++) {
            double s = 0
            for (int c = 0; c < 6; c++) s += x.get(i, p, c) ** 2
            for (int c = 0; c < 6; c++) xn[(i * 3 + p) * 6 + c] /= Math.sqrt(s / 6)
        }
        def k = LayerNorm.rule(Kernel.fromInputs(x, null), 0)
        def ref = Kernel.fromInputs(Tensor.of(xn, 4, 3, 6), null)
        def dense = LayerNorm.rule(Kernel.fromInputs(x.copy().reshape(4, 18), null), 0)

        expect:
        maxDiff(k.nngp(), ref.nngp()) < 1e-13
        maxDiff(k.cov1(), ref.cov1()) < 1e-13
        (0..<4).every { Math.abs(dense.cov1().get(it) - 1) < 1e-14 }
    }

    def "a standard-parameterization dense layer has NTK x·z + 1 (gradients of z = W x + b)"() {
        given:
        def x = Tensor.randn(10, 5, 7)
        def k = Dense.rule(Kernel.fromInputs(x, null), 1.5, 0.2, Parameterization.STANDARD, 7)
        def noBias = Dense.rule(Kernel.fromInputs(x, null), 1.5, 0, Parameterization.STANDARD, 7)

        expect:
        (0..<5).every { i -> (0..<5).every { j ->
            double xz = (0..<7).sum { c -> return x.get(i, c) * x.get(j, c) } as double
            Math.abs(k.ntk().get(i, j) - (xz + 1)) < 1e-12 && Math.abs(noBias.ntk().get(i, j) - xz) < 1e-12 &&
                    Math.abs(k.nngp().get(i, j) - (2.25 * xz / 7 + 0.04)) < 1e-12
        } }
    }

    def "a standard-parameterization conv layer has NTK = patch inner products + 1"() {
        given: 'z_p = Σ_{k,c} W_{k,c} x_{p+k,c} + b, so Θ[p,q] = Σ_{k,c} x_{p+k,c} x\'_{q+k,c} + 1 = f·C·(patch kernel) + 1'
        def x = Tensor.randn(45, 3, 6, 2)
        def k = Conv.rule(Kernel.fromInputs(x, null), [3] as int[], [1] as int[], CIRCULAR, 0.9, 0.4,
                Parameterization.STANDARD, 3 * 2)
        def patch = Kernel.fromInputs(patches1d(x, 3, 1, CIRCULAR), null).nngp()

        expect:
        maxDiff(k.ntk(), patch.map { 6 * it + 1 }) < 1e-12
        maxDiff(k.nngp(), patch.map { 0.81 * it + 0.16 }) < 1e-13
    }

    def "fan-in sum, product (product rule) and concat combine branch kernels"() {
        given:
        def x = Tensor.randn(11, 4, 3)
        def a = Dense.rule(Dual.relu().apply(Dense.rule(Kernel.fromInputs(x, null), 1, 0.1)), 1.2, 0.3)
        def b = Dense.rule(Dual.erf().apply(Dense.rule(Kernel.fromInputs(x, null), 1, 0.5)), 0.8, 0.0)
        def c = Dense.rule(Kernel.fromInputs(x, null), 2, 1)
        def prod = FanInProd.rule([a, b, c])
        def sum = FanInSum.rule([a, b])
        def cat = FanInConcat.rule([a, b])
        def s = { Kernel k, int i, int j -> k.nngp().get(i, j) }
        def t = { Kernel k, int i, int j -> k.ntk().get(i, j) }

        expect:
        (0..<4).every { i -> (0..<4).every { j ->
            Math.abs(prod.nngp().get(i, j) - s(a, i, j) * s(b, i, j) * s(c, i, j)) < 1e-13 &&
            Math.abs(prod.ntk().get(i, j) - (t(a, i, j) * s(b, i, j) * s(c, i, j) + s(a, i, j) * t(b, i, j) * s(c, i, j)
                    + s(a, i, j) * s(b, i, j) * t(c, i, j))) < 1e-12 &&
            Math.abs(sum.ntk().get(i, j) - t(a, i, j) - t(b, i, j)) < 1e-13 &&
            Math.abs(cat.nngp().get(i, j) - (s(a, i, j) + s(b, i, j)) / 2) < 1e-13
        } }
        (0..<4).every { i -> Math.abs(prod.cov1().get(i) - a.cov1().get(i) * b.cov1().get(i) * c.cov1().get(i)) < 1e-13 }
    }

    def "a depth-3 ReLU MLP kernel of 4000 points takes seconds"() {
        given:
        def x = Tensor.randn(12, 4000, 20)

        when:
        def os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.operatingSystemMXBean
        long t0 = System.nanoTime(), cpu0 = os.processCpuTime
        def k = Kernel.fromInputs(x, null)
        for (int l = 0; l < 3; l++) k = Dual.relu().apply(Dense.rule(k, 1.4, 0.1))
        k = Dense.rule(k, 1, 0)
        double secs = (System.nanoTime() - t0) / 1e9, cpuSecs = (os.processCpuTime - cpu0) / 1e9
        println "depth-3 ReLU MLP NNGP+NTK, n = 4000: ${String.format('%.2f', secs)} s wall, ${String.format('%.2f', cpuSecs)} s CPU"

        then: 'a generous bound on CPU time (wall time depends on how many others share the 2 cores); both are printed'
        cpuSecs < 30
        k.nngp().get(17, 3011) == k.nngp().get(3011, 17)
    }
}
