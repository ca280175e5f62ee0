package org.ntkworkbench.plugins.stylegan

import static org.ntkworkbench.nn.Layers.*

import java.util.function.Function
import org.ntkworkbench.autodiff.GradCheck
import org.ntkworkbench.autodiff.Ops
import org.ntkworkbench.autodiff.Var
import org.ntkworkbench.kernel.Padding
import org.ntkworkbench.model.empirical.EmpiricalNtk
import org.ntkworkbench.model.empirical.NtkMethod
import org.ntkworkbench.nn.ApplyContext
import org.ntkworkbench.nn.Layer
import org.ntkworkbench.tensor.Tensor
import spock.lang.Specification

/**
 * Every StyleGAN block inside a small model: (1) reverse-mode gradients with respect to every parameter
 * and the input against central finite differences (norm-wise relative error <= 1e-6, step 1e-5); (2) the
 * empirical NTK by Jacobian contraction, NTK-vector products, structured derivatives (with Jacobian
 * fall-back for the parameters it does not cover) and AUTO agree (max entry difference <= 1e-10 of the
 * largest entry), with x2 = x1 and x2 != x1, traced and full.
 */
class StyleGradientSpec extends Specification {

    static final int D = 5

    static Layer pairModel(Layer... blocks) {
        serial([new StyleInput(D), new MappingNetwork(1, 4, 0.2, true, 1.0, 0.2)] + (blocks as List) + [new DropStyle(), flatten(), dense(2, 1.0, 0.1)])
    }

    static ModulatedConv mod(int c, boolean demod, int filter = 3, Padding padding = Padding.SAME) {
        new ModulatedConv(c, filter, demod, padding, 1.2, 0.3, 0.9, 0.7, 1e-8)
    }

    /** Models and their (packed) batch shapes. */
    static Map<String, List> cases() {
        [
            'modulatedConv 2-D'            : [pairModel(mod(3, false)), [3, 4, 3, 2]],          // features 3x3x2, style row 3x2 >= 5
            'modulatedConv demod 2-D'      : [pairModel(mod(3, true)), [3, 4, 3, 2]],
            'modulatedConv 1-D CIRCULAR'   : [pairModel(mod(2, false, 2, Padding.CIRCULAR)), [2, 6, 5]],
            'modulatedConv demod 1-D VALID': [pairModel(mod(2, true, 3, Padding.VALID)), [2, 6, 5]],
            'adain 2-D'                    : [pairModel(new Adain(1e-8, 0.8, 0.6)), [3, 4, 3, 2]],
            'adain after conv 1-D'         : [pairModel(mod(3, false), new Adain(1e-8, 1.0, 1.0)), [2, 5, 5]],
            'noiseInjection'               : [pairModel(mod(3, false), new NoiseInjection(4, 0.8)), [3, 4, 3, 2]],
            'styleBlock demod + noise'     : [pairModel(new StyleBlock(3, 3, true, true, 1, 0.2, 1.0, 0.2, 1.0, 1.0),
                                                        new Upsample(2), new StyleBlock(2, 3, false, true, 2, 0.2, 1.0, 0.0, 1.0, 1.0)), [2, 3, 3, 2]],
            'synthesisNet 8x8'             : [new SynthesisNet(8, 2, 3, 1, true, true, 2), [2, 3]],
        ]
    }

    /** Parameters with the zero-initialised noise strengths and constant biases replaced by random values. */
    static Map<String, Tensor> perturbedParams(Layer model, int[] perExample) {
        Map<String, Tensor> p = model.init(3, perExample)
        long s = 100
        p.keySet().each { k -> if (k.endsWith('strength') || k.endsWith('/b')) p[k] = Tensor.randn(s++, p[k].shape()) }
        p
    }

    static Function<Map<String, Var>, Var> loss(Layer model, Tensor c) {
        { Map<String, Var> m ->
            def params = m.findAll { k, v -> k != 'x' }
            Ops.dot(model.apply(ApplyContext.eval(params), m.x), c)
        } as Function
    }

    def "#name: every gradient matches central differences"() {
        given:
        Layer model = cases()[name][0]
        int[] shape = cases()[name][1] as int[]
        int[] perExample = shape[1..<shape.length] as int[]
        Map<String, Tensor> all = new LinkedHashMap<>(perturbedParams(model, perExample))
        all.x = Tensor.randn(4, shape)
        Tensor c = Tensor.randn(5, model.apply(all.findAll { k, v -> k != 'x' }, all.x).shape())

        expect:
        GradCheck.check(loss(model, c), all) <= 1e-6

        where:
        name << cases().keySet().toList()
    }

    static double maxDiff(Tensor a, Tensor b) {
        assert a.sameShape(b)
        double d = 0
        for (int i = 0; i < a.size(); i++) d = Math.max(d, Math.abs(a.data()[i] - b.data()[i]))
        d / Math.max(a.maxAbs(), 1e-300)
    }

    def "#name: the empirical NTK methods agree to 1e-10"() {
        given:
        Layer model = cases()[name][0]
        int[] shape = cases()[name][1] as int[]
        int[] perExample = shape[1..<shape.length] as int[]
        Map<String, Tensor> p = perturbedParams(model, perExample)
        Tensor x1 = Tensor.randn(7, shape)
        int[] shape2 = shape.clone(); shape2[0] = 2
        Tensor x2 = Tensor.randn(8, shape2)

        expect:
        [[null, true], [x2, true], [null, false], [x2, false]].each { pair ->
            Tensor b = pair[0]; boolean trace = pair[1]
            Tensor ref = EmpiricalNtk.ntk(model, p, x1, b, NtkMethod.JACOBIAN_CONTRACTION, trace)
            for (m in [NtkMethod.NTK_VECTOR_PRODUCTS, NtkMethod.STRUCTURED_DERIVATIVES, NtkMethod.AUTO]) {
                double d = maxDiff(ref, EmpiricalNtk.ntk(model, p, x1, b, m, trace))
                assert d <= 1e-10: "$m, x2 ${b == null ? 'omitted' : 'given'}, trace $trace: $d"
            }
        }
        ref(model, p, x1).maxAbs() > 0

        where:
        name << cases().keySet().toList()
    }

    static Tensor ref(Layer model, Map<String, Tensor> p, Tensor x) {
        EmpiricalNtk.ntk(model, p, x, null, NtkMethod.JACOBIAN_CONTRACTION, true)
    }

    def "the structured path covers the style affines and plain modulated convs; demodulated and noise parameters fall back"() {
        given:
        Layer plain = pairModel(mod(3, false))
        Layer demod = pairModel(mod(3, true))
        Layer noisy = pairModel(mod(3, false), new NoiseInjection(1, 1.0))
        Tensor x = Tensor.randn(7, 3, 4, 3, 2)

        expect:
        EmpiricalNtk.autoMethod(plain, plain.init(0, 4, 3, 2), x) == NtkMethod.STRUCTURED_DERIVATIVES
        EmpiricalNtk.autoMethod(demod, demod.init(0, 4, 3, 2), x) == NtkMethod.JACOBIAN_CONTRACTION
        EmpiricalNtk.autoMethod(noisy, noisy.init(0, 4, 3, 2), x) == NtkMethod.JACOBIAN_CONTRACTION
    }
}
