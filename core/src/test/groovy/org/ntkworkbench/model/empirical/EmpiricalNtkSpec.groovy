package org.ntkworkbench.model.empirical

import static org.ntkworkbench.model.empirical.NtkMethod.*
import static org.ntkworkbench.nn.Layers.*

import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.nn.Params
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification
import spock.lang.Unroll

/**
 * The three empirical NTK methods against each other (1e-10 relative), against closed forms at finite
 * width, and Jacobian contraction against finite differences.
 */
class EmpiricalNtkSpec extends Specification {

    static final List<NtkMethod> METHODS = [JACOBIAN_CONTRACTION, STRUCTURED_DERIVATIVES, NTK_VECTOR_PRODUCTS]

    /** max |a − b| / max |b|. */
    static double relErr(Tensor a, Tensor b) {
        assert a.sameShape(b): "${a.shapeString()} vs ${b.shapeString()}"
        a.sub(b).maxAbs() / b.maxAbs()
    }

    static boolean bitwiseSymmetric(Tensor k) {
        int n = k.dim(0)
        if (k.dim(1) != n) return false
        for (i in 0..<n) for (j in 0..<n) {
            if (Double.doubleToRawLongBits(k.get(i, j)) != Double.doubleToRawLongBits(k.get(j, i))) return false
        }
        true
    }

    /** All methods (and both structured forms) on (x1, x1) and (x1, x2), traced and full; returns the worst disagreement. */
    static double worstDisagreement(Layer net, Map<String, Tensor> p, Tensor x1, Tensor x2) {
        double worst = 0
        for (boolean trace : [true, false]) {
            for (Tensor other : [null, x2]) {
                Tensor ref = EmpiricalNtk.ntk(net, p, x1, other, JACOBIAN_CONTRACTION, trace)
                def results = [EmpiricalNtk.ntk(net, p, x1, other, NTK_VECTOR_PRODUCTS, trace),
                               EmpiricalNtk.ntk(net, p, x1, other, AUTO, trace)]
                for (StructuredNtk.Form form : StructuredNtk.Form.values()) {
                    StructuredNtk.forcedForm = form
                    try {
                        results << EmpiricalNtk.ntk(net, p, x1, other, STRUCTURED_DERIVATIVES, trace)
                    } finally {
                        StructuredNtk.forcedForm = null
                    }
                }
                results.each { worst = Math.max(worst, relErr(it, ref)) }
            }
        }
        worst
    }

    @Unroll
    def "dense MLP (#label): all methods agree to 1e-10"() {
        given:
        def p = net.init(3, 4)
        def x1 = Tensor.randn(11, 5, 4)
        def x2 = Tensor.randn(12, 3, 4)
        expect:
        worstDisagreement(net, p, x1, x2) <= 1e-10

        where:
        label                        | net
        'no bias, NTK'               | serial(dense(6, 1.3, 0.0), relu(), dense(1, 0.8, 0.0))
        'bias, NTK'                  | serial(dense(6, 1.3, 0.4), erf(), dense(5, 1.1, 0.2), tanh(), dense(1, 0.8, 0.3))
        'bias, standard'             | serial(dense([wStd: 1.2, bStd: 0.5, parameterization: 'standard'], 6), gelu(),
                                              dense([bStd: 0.1, parameterization: 'standard'], 1))
        'three outputs, bias'        | serial(dense(6, 1.0, 0.3), sin(), dense(3, 1.0, 0.2))
        'layerNorm (no parameters)'  | serial(dense(5, 1.0, 0.1), layerNorm(), relu(), dense(2))
    }

    @Unroll
    def "1-D conv net (#pad, stride #stride): all methods agree to 1e-10"() {
        given: 'two convs then a flatten readout; inputs (n, length 7, 2 channels)'
        def net = serial(conv([filter: [3], strides: [stride], padding: pad, bStd: 0.3], 3), relu(),
                conv([filter: [2], padding: pad, wStd: 1.2], 2), erf(), flatten(), dense(2, 1.0, 0.1))
        def p = net.init(5, 7, 2)
        expect:
        worstDisagreement(net, p, Tensor.randn(6, 3, 7, 2), Tensor.randn(7, 2, 7, 2)) <= 1e-10

        where:
        pad        | stride
        'VALID'    | 1
        'SAME'     | 2
        'CIRCULAR' | 2
        'VALID'    | 2
    }

    def "1-D conv net without a readout: every position and channel is an output unit"() {
        given:
        def net = serial(conv([filter: [3], padding: 'CIRCULAR', bStd: 0.2], 3), tanh(), conv([filter: [2]], 2))
        def p = net.init(2, 5, 2)
        expect:
        net.modelOutputShape(5, 2) == [4, 2] as int[]
        worstDisagreement(net, p, Tensor.randn(8, 3, 5, 2), Tensor.randn(9, 2, 5, 2)) <= 1e-10
    }

    def "a dense layer on a sequence (several rows per example) and a dense layer shared by no one else"() {
        given: 'dense on (n, 4, 3) acts per position, like a width-1 convolution'
        def net = serial(dense(3, 1.0, 0.2), relu(), dense(2), flatten(), dense(2, 1.0, 0.1))
        def p = net.init(4, 4, 3)
        expect:
        worstDisagreement(net, p, Tensor.randn(5, 3, 4, 3), Tensor.randn(6, 2, 4, 3)) <= 1e-10
    }

    @Unroll
    def "2-D conv net with #label readout: all methods agree to 1e-10"() {
        given:
        def net = serial(conv([filter: [2, 2], padding: 'SAME', bStd: 0.2], 3), relu(),
                conv([filter: [2, 2], strides: [1, 2]], 2), readout, dense(1, 1.0, 0.1))
        def p = net.init(7, 4, 5, 2)
        expect:
        worstDisagreement(net, p, Tensor.randn(8, 3, 4, 5, 2), Tensor.randn(9, 2, 4, 5, 2)) <= 1e-10

        where:
        label           | readout
        'flatten'       | flatten()
        'globalAvgPool' | globalAvgPool()
        'avgPool'       | serial(avgPool([strides: [1, 1]], [2, 2]), flatten())
    }

    def "global average pooling with different spatial sizes for x1 and x2 (P1 ≠ P2)"() {
        given:
        def net = serial(conv([filter: [3], bStd: 0.2], 3), relu(), globalAvgPool(), dense(2))
        def p = net.init(1, 8, 2)
        def x1 = Tensor.randn(2, 4, 8, 2)
        def x2 = Tensor.randn(3, 3, 6, 2)
        when:
        def ref = EmpiricalNtk.ntk(net, p, x1, x2, JACOBIAN_CONTRACTION, true)
        then:
        ref.shape() == [4, 3] as int[]
        relErr(EmpiricalNtk.ntk(net, p, x1, x2, STRUCTURED_DERIVATIVES, true), ref) <= 1e-10
        relErr(EmpiricalNtk.ntk(net, p, x1, x2, NTK_VECTOR_PRODUCTS, true), ref) <= 1e-10
        relErr(EmpiricalNtk.ntk(net, p, x1, x2, STRUCTURED_DERIVATIVES, false), EmpiricalNtk.ntk(net, p, x1, x2, JACOBIAN_CONTRACTION, false)) <= 1e-10
    }

    @Unroll
    def "combinator net (#label): all methods agree to 1e-10"() {
        given:
        def p = net.init(9, 3)
        expect:
        worstDisagreement(net, p, Tensor.randn(10, 4, 3), Tensor.randn(11, 3, 3)) <= 1e-10

        where:
        label               | net
        'fanOut + fanInSum' | serial(fanOut(2), parallel(serial(dense(4, 1.0, 0.2), relu()), dense(4)), fanInSum(), dense(1))
        'fanInProd'         | serial(fanOut(3), parallel(serial(dense(5), relu()), serial(dense(5, 1.0, 0.3), erf()), dense(5)),
                                     fanInProd(), dense(2, 1.0, 0.1))
        'fanInConcat'       | serial(fanOut(2), parallel(dense(3), serial(dense(2), tanh())), fanInConcat(), dense(1))
        'repeat'            | serial(dense(4), repeat(serial(relu(), dense(4, 1.0, 0.1)), 2), dense(1))
    }

    def "with x2 omitted every method is symmetric to the last bit, and equals the kernel with x2 = a copy of x1"() {
        given:
        def net = serial(conv([filter: [2], padding: 'SAME', bStd: 0.3], 3), gelu(), flatten(), dense(3, 1.0, 0.2))
        def p = net.init(4, 6, 2)
        def x = Tensor.randn(12, 7, 6, 2)
        expect:
        for (NtkMethod m : [JACOBIAN_CONTRACTION, STRUCTURED_DERIVATIVES, NTK_VECTOR_PRODUCTS, AUTO]) {
            for (boolean trace : [true, false]) {
                def k = EmpiricalNtk.ntk(net, p, x, null, m, trace)
                assert bitwiseSymmetric(k)
                assert EmpiricalNtk.ntk(net, p, x, x, m, trace).bitwiseEquals(k)
                assert relErr(k, EmpiricalNtk.ntk(net, p, x, x.copy(), m, trace)) <= 1e-12
            }
        }

        when: 'the pair form sums position blocks in an order that differs between (e, e′) and (e′, e)'
        StructuredNtk.forcedForm = StructuredNtk.Form.PAIR
        def pair = EmpiricalNtk.ntk(net, p, x, null, STRUCTURED_DERIVATIVES, true)
        then:
        bitwiseSymmetric(pair)

        cleanup:
        StructuredNtk.forcedForm = null
    }

    def "trace = true is the mean over output units of the full kernel's diagonal blocks"() {
        given:
        def net = serial(dense(5, 1.1, 0.3), tanh(), dense(3, 0.9, 0.2))
        def p = net.init(6, 2)
        def x1 = Tensor.randn(7, 4, 2), x2 = Tensor.randn(8, 5, 2)
        when:
        def full = EmpiricalNtk.ntk(net, p, x1, x2, JACOBIAN_CONTRACTION, false)
        def traced = EmpiricalNtk.ntk(net, p, x1, x2, STRUCTURED_DERIVATIVES, true)
        def mean = Tensor.zeros(4, 5)
        for (e in 0..<4) for (f in 0..<5) mean.set((0..<3).sum { o -> full.get(e * 3 + o, f * 3 + o) } / 3.0d, e, f)
        then:
        full.shape() == [12, 15] as int[]
        relErr(traced, mean) <= 1e-12
        and: 'off-diagonal output blocks are not zero at finite width (the trace discards them)'
        full.get(0, 1) != 0d
    }

    def "structured NTK of a two-layer ReLU net equals the closed form from its parameters"() {
        given: 'f(x) = m^{-1/2} Σ_i v_i relu(u_i), u_i = d^{-1/2} Σ_j x_j W_ji (NTK parameterization, no bias)'
        int d = 3
        int m = 7
        int n = 4
        def net = serial(dense(m), relu(), dense(1))
        def p = net.init(11, d)
        def x = Tensor.randn(12, n, d)
        def w = p['0/W'], v = p['2/W']
        def u = x.matmul(w).mul(1 / Math.sqrt(d))  // (n, m)

        when: 'Θ(e, e′) = (1/m) Σ_i relu(u_i)relu(u′_i) + (1/m) Σ_i v_i² 1[u_i > 0] 1[u′_i > 0] (x·x′)/d'
        def expected = Tensor.zeros(n, n)
        for (int e = 0; e < n; e++) {
            for (int f = 0; f < n; f++) {
                double xx = 0
                for (int j = 0; j < d; j++) xx += x.get(e, j) * x.get(f, j)
                double s = 0
                for (int i = 0; i < m; i++) {
                    double a = u.get(e, i)
                    double b = u.get(f, i)
                    double vi = v.get(i, 0)
                    s += Math.max(a, 0d) * Math.max(b, 0d) + vi * vi * (a > 0 && b > 0 ? 1d : 0d) * xx / d
                }
                expected.set(s / m, e, f)
            }
        }

        then:
        relErr(EmpiricalNtk.ntk(net, p, x, null, STRUCTURED_DERIVATIVES, true), expected) <= 1e-12
        relErr(net.empiricalNtk(p, x), expected) <= 1e-12
    }

    def "Jacobian contraction: the Jacobian equals central finite differences (1e-6)"() {
        given:
        def shaped = serial(dense(3, 1.2, 0.4), tanh(), dense(2, 1.0, 0.1))
        def p = shaped.init(2, 3)
        def x = Tensor.randn(3, 2, 3)
        when:
        def jac = EmpiricalNtk.jacobian(shaped, p, x)
        int cols = p.values().sum { it.size() } as int
        def fd = Tensor.zeros(4, cols)
        double h = 1e-6
        int c = 0
        p.each { key, t ->
            for (i in 0..<t.size()) {
                double keep = t.data()[i]
                t.data()[i] = keep + h
                def up = shaped.apply(p, x)
                t.data()[i] = keep - h
                def down = shaped.apply(p, x)
                t.data()[i] = keep
                for (r in 0..<4) fd.set((up.data()[r] - down.data()[r]) / (2 * h), r, c)
                c++
            }
        }
        then:
        jac.shape() == [4, cols] as int[]
        relErr(jac, fd) <= 1e-6
        and: 'its Gram matrix is the full Jacobian-contraction kernel'
        relErr(jac.matmul(jac.transpose()), EmpiricalNtk.ntk(shaped, p, x, null, JACOBIAN_CONTRACTION, false)) <= 1e-12
    }

    def "a layer with its own parameters: AUTO falls back to Jacobian contraction, STRUCTURED contracts only those parameters by Jacobian"() {
        given: 'an elementwise scale layer y = s ⊙ x with a parameter s that no structured rule knows'
        def net = serial(dense(4, 1.0, 0.2), new ScaleLayer(), relu(), dense(2, 1.0, 0.1))
        def p = net.init(3, 3)
        def x1 = Tensor.randn(4, 5, 3), x2 = Tensor.randn(5, 4, 3)
        expect:
        p.keySet() == ['0/W', '0/b', '1/s', '3/W', '3/b'] as Set
        EmpiricalNtk.autoMethod(net, p, x1) == JACOBIAN_CONTRACTION
        EmpiricalNtk.autoMethod(serial(dense(2), relu(), dense(1)), serial(dense(2), relu(), dense(1)).init(0, 3), x1) == STRUCTURED_DERIVATIVES
        worstDisagreement(net, p, x1, x2) <= 1e-10
    }

    def "Layer.empiricalNtk is the output-traced AUTO kernel"() {
        given:
        def net = serial(dense(4, 1.0, 0.1), relu(), dense(2))
        def p = net.init(0, 3)
        def x1 = Tensor.randn(1, 3, 3), x2 = Tensor.randn(2, 2, 3)
        expect:
        net.empiricalNtk(p, x1, x2).bitwiseEquals(EmpiricalNtk.ntk(net, p, x1, x2, AUTO, true))
        net.empiricalNtk(p, x1).bitwiseEquals(EmpiricalNtk.ntk(net, p, x1, null, AUTO, true))
        relErr(net.empiricalNtk(p, x1, x2), EmpiricalNtk.ntk(net, p, x1, x2, JACOBIAN_CONTRACTION, true)) <= 1e-12
    }

    def "a linear network has the parameter-free NTK σ²x·x′/d, so the seed average is exact with zero standard error"() {
        given:
        def net = dense(1, 1.5, 0.0)
        def x1 = Tensor.randn(3, 4, 5), x2 = Tensor.randn(4, 3, 5)
        when:
        def est = EmpiricalNtk.seedAverage(net, x1, x2, [1L, 2L, 3L] as long[], AUTO)
        def exact = x1.matmul(x2.transpose()).mul(1.5 * 1.5 / 5)
        then:
        est.samples() == 3
        relErr(est.mean(), exact) <= 1e-12
        est.standardError().maxAbs() <= 1e-12 * exact.maxAbs()
    }

    def "seed average: mean and standard error of the per-seed kernels; symmetric to the last bit"() {
        given:
        def net = serial(dense(6, 1.0, 0.2), relu(), dense(1))
        def x = Tensor.randn(4, 5, 2)
        long[] seeds = [10L, 11L, 12L, 13L]
        when:
        def est = EmpiricalNtk.seedAverage(net, x, null, seeds, STRUCTURED_DERIVATIVES)
        def draws = seeds.collect { EmpiricalNtk.ntk(net, net.init(it, 2), x, null, JACOBIAN_CONTRACTION, true) }
        def mean = draws.inject(Tensor.zeros(5, 5)) { a, b -> a.add(b) }.mul(0.25)
        def var = draws.inject(Tensor.zeros(5, 5)) { a, b -> a.add(b.sub(mean).mul(b.sub(mean))) }.mul(1 / 3d)
        def se = var.mul(0.25).map(Math::sqrt)
        then:
        relErr(est.mean(), mean) <= 1e-12
        est.standardError().sub(se).maxAbs() <= 1e-10 * se.maxAbs()
        bitwiseSymmetric(est.mean()) && bitwiseSymmetric(est.standardError())
    }

    def "bad arguments are IllegalArgumentExceptions naming the argument"() {
        given:
        def net = serial(dense(2), relu(), dense(1))
        def p = net.init(0, 3)
        when:
        EmpiricalNtk.ntk(net, p, Tensor.randn(0, 3), null, AUTO, true)
        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('x1')
        when:
        EmpiricalNtk.ntk(net, p, Tensor.randn(0, 2, 3), Tensor.randn(0, 2, 4), AUTO, true)
        then:
        thrown(IllegalArgumentException)
        when:
        EmpiricalNtk.seedAverage(net, Tensor.randn(0, 2, 3), null, [] as long[], AUTO)
        then:
        e = thrown(IllegalArgumentException)
        e.message.contains('seed')
    }

    def "Blas.syrkUpper writes A Aᵀ on and above the diagonal and leaves the strictly lower triangle alone"() {
        given:
        def a = Tensor.randn(21, 5, 7)
        double[] c = new double[25]
        java.util.Arrays.fill(c, -7.0d)
        when:
        org.ntkworkbench.tensor.Blas.syrkUpper(false, 5, 7, 2.0, a.data(), 0.0, c)
        def expected = a.matmul(a.transpose()).mul(2.0)
        then:
        (0..<5).every { int i -> (0..<5).every { int j ->
            j >= i ? Math.abs(c[i * 5 + j] - expected.get(i, j)) <= 1e-13 * expected.maxAbs() : c[i * 5 + j] == -7.0d
        } }
    }

    /** y = s ⊙ x on the last axis, s ~ N(0, 1): a parameterised layer without a structured rule. */
    static class ScaleLayer implements Layer {
        String word() { 'scale' }

        List<int[]> outputShapes(List<int[]> in) { in }

        List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
            String key = Params.key(path, 's')
            params.put(key, Params.normal(seed, key, in[0][-1]))
            in
        }

        List<Var> apply(ApplyContext ctx, String path, List<Var> inputs) {
            Var x = inputs[0]
            [x.mul(ctx.param(Params.key(path, 's'), x.dim(-1)))]
        }
    }
}
