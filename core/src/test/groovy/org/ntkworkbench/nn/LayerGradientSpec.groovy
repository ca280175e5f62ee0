package org.ntkworkbench.nn

import static org.ntkworkbench.nn.Layers.*

import java.util.function.Function
import org.ntkworkbench.autodiff.GradCheck
import org.ntkworkbench.autodiff.Jvp
import org.ntkworkbench.autodiff.Ops
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.autodiff.Vjp
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * Every layer, activation and combinator inside a small model: reverse-mode gradients with respect to
 * all parameters and the input against central finite differences (norm-wise relative error <= 1e-6),
 * and forward mode against reverse mode.
 */
class LayerGradientSpec extends Specification {

    /** The scalar ⟨c, f(θ, x)⟩ as a function of the parameters and the input (key "x"). */
    static Function<Map<String, Var>, Var> loss(Layer model, Tensor c, boolean train) {
        { Map<String, Var> m ->
            def params = m.findAll { k, v -> k != 'x' }
            def ctx = train ? ApplyContext.train(params, 42) : ApplyContext.eval(params)
            Ops.dot(model.apply(ctx, m.x), c)
        } as Function
    }

    static double gradError(Layer model, int[] batchShape, boolean train = false) {
        int[] perExample = batchShape[1..<batchShape.length] as int[]
        Map<String, Tensor> p = model.init(3, perExample)
        Tensor x = Tensor.randn(4, batchShape)
        int[] outShape = model.apply(p, x).shape()
        Tensor c = Tensor.randn(5, outShape)
        Map<String, Tensor> all = new LinkedHashMap<>(p)
        all.x = x
        GradCheck.check(loss(model, c, train), all)
    }

    def "#name: gradients w.r.t. parameters and input match central differences"() {
        expect:
        gradError(model, shape as int[]) <= 1e-6

        where:
        name                | model                                                                                     | shape
        'dense ntk + bias'  | serial(dense(4, 1.3, 0.4), dense(2, 0.8, 0.2))                                            | [3, 3]
        'dense standard'    | serial(dense(4, 1.3, 0.4, Parameterization.STANDARD), tanh(), dense(2, 1.0, 0.5, Parameterization.STANDARD)) | [3, 3]
        'dense on (n,P,C)'  | serial(dense(3, 1.0, 0.1), sin(), flatten(), dense(2))                                    | [2, 4, 2]
        'relu'              | act(relu())                                                                               | [3, 3]
        'leakyRelu'         | act(leakyRelu(0.2))                                                                       | [3, 3]
        'abs'               | act(abs())                                                                                | [3, 3]
        'erf'               | act(erf())                                                                                | [3, 3]
        'gelu'              | act(gelu())                                                                               | [3, 3]
        'sin'               | act(sin())                                                                                | [3, 3]
        'cos'               | act(cos())                                                                                | [3, 3]
        'rbf'               | act(rbf(0.7))                                                                             | [3, 3]
        'sign'              | act(sign())                                                                               | [3, 3]
        'monomial 3'        | act(monomial(3))                                                                          | [3, 3]
        'rectifiedMonomial' | act(rectifiedMonomial(2))                                                                 | [3, 3]
        'tanh'              | act(tanh())                                                                               | [3, 3]
        'sigmoid'           | act(sigmoid())                                                                            | [3, 3]
        'elementwise exact' | act(elementwise({ double t -> Math.sin(t) * t } as java.util.function.DoubleUnaryOperator, { double t -> Math.cos(t) * t + Math.sin(t) } as java.util.function.DoubleUnaryOperator)) | [3, 3]
        'elementwise fd'    | act(elementwise({ double t -> wavelet(t) } as java.util.function.DoubleUnaryOperator)) | [3, 3]
        'conv1d VALID s2'   | serial(conv(3, [3] as int[], [2] as int[], Padding.VALID, 1.2, 0.3), relu(), flatten(), dense(2)) | [2, 7, 2]
        'conv1d SAME'       | serial(conv(3, [3] as int[], [1] as int[], Padding.SAME, 1.0, 0.2), tanh(), flatten(), dense(1)) | [2, 5, 2]
        'conv1d CIRCULAR'   | serial(conv(2, [4] as int[], [2] as int[], Padding.CIRCULAR, 1.0, 0.0), erf(), flatten(), dense(1)) | [2, 6, 2]
        'conv2d SAME s(2,1)'| serial(conv(2, [2, 3] as int[], [2, 1] as int[], Padding.SAME, 1.0, 0.1), relu(), globalAvgPool(), dense(1)) | [2, 4, 5, 2]
        'conv2d standard'   | serial(conv(2, [2, 2] as int[], null, Padding.VALID, 1.1, 0.3, Parameterization.STANDARD), flatten(), dense(1)) | [2, 3, 3, 2]
        'avgPool SAME'      | serial(conv(2, 2), tanh(), avgPool([3] as int[], [2] as int[], Padding.SAME), flatten(), dense(1)) | [2, 6, 2]
        'sumPool CIRCULAR'  | serial(conv(2, 2, 2), tanh(), sumPool([2, 2] as int[], [1, 1] as int[], Padding.CIRCULAR), flatten(), dense(1)) | [2, 3, 4, 1]
        'globalSumPool'     | serial(conv(3, 2), sin(), globalSumPool(), dense(2))                                       | [2, 5, 2]
        'layerNorm'         | serial(dense(4, 1.0, 0.3), layerNorm(), tanh(), dense(2))                                 | [3, 3]
        'identity'          | serial(dense(3), identity(), tanh(), dense(1))                                             | [2, 3]
        'dropout (eval)'    | serial(dense(4), dropout(0.5), tanh(), dense(1))                                           | [2, 3]
        'parallel+fanInSum' | serial(fanOut(2), parallel(dense(3), serial(dense(3), tanh(), dense(3))), fanInSum(), sin(), dense(1)) | [2, 3]
        'fanInProd'         | serial(fanOut(3), parallel(dense(3), dense(3, 1.0, 0.5), identity()), fanInProd(), dense(1)) | [2, 3]
        'fanInConcat'       | serial(dense(3), fanOut(2), parallel(tanh(), dense(2)), fanInConcat(), dense(1))           | [2, 3]
        'fanInConcat axis 1'| serial(conv(2, 2), fanOut(2), parallel(relu(), conv(2, 3)), fanInConcat(1), flatten(), dense(1)) | [2, 5, 1]
        'repeat'            | serial(repeat(serial(dense(3, 1.0, 0.2), tanh()), 3), dense(1))                            | [2, 3]
    }

    /** A Gabor-like test function (kept out of spec bodies: Spock reads {@code a * f(x)} there as an interaction). */
    static double wavelet(double t) {
        return Math.exp(-t * t / 2) * Math.cos(3 * t)
    }

    static Layer act(Layer a) {
        serial(dense(4, 1.5, 0.3), a, dense(2))
    }

    def "dropout in training mode: gradients through a fixed seeded mask match finite differences"() {
        expect:
        gradError(serial(dense(6), dropout(0.4), tanh(), dense(2)), [3, 3] as int[], true) <= 1e-6
    }

    def "the check detects a wrong derivative (a 1% error in phi' is caught)"() {
        given:
        def wrong = elementwise({ double t -> Math.sin(t) } as java.util.function.DoubleUnaryOperator,
                { double t -> Math.cos(t) * 1.01 } as java.util.function.DoubleUnaryOperator)
        expect:
        gradError(act(wrong), [3, 3] as int[]) > 1e-3
    }

    def "forward mode agrees with reverse mode on a conv net with every kind of op (<u, Jv> = <J^T u, v>)"() {
        given:
        def model = serial(conv(3, [2, 2] as int[], [1, 1] as int[], Padding.SAME, 1.0, 0.2), gelu(),
                fanOut(2), parallel(avgPool([2, 2] as int[], null, Padding.CIRCULAR), sumPool(2, 2)),
                parallel(flatten(), flatten()), fanInConcat(), layerNorm(), dense(3, 1.0, 0.1))
        def p = model.init(7, 3, 3, 2)
        p.x = Tensor.randn(8, 2, 3, 3, 2)
        def v = p.collectEntries { k, t -> [k, Tensor.randn(k.hashCode(), t.shape())] } as Map<String, Tensor>
        Function<Map<String, Var>, Var> f = { Map<String, Var> m -> model.apply(m.findAll { k, _ -> k != 'x' }, m.x) } as Function

        when:
        def jvp = Jvp.of(f, p, v)
        def u = Tensor.randn(9, jvp.value().shape())
        def vjp = Vjp.of(f, p, u)
        double lhs = u.dot(jvp.tangent())
        double rhs = vjp.collect { k, g -> g.dot(v[k]) }.sum() as double

        then:
        Math.abs(lhs - rhs) <= 1e-10 * Math.abs(lhs)
    }
}
