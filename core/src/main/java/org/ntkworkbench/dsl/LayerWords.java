package org.ntkworkbench.dsl;

import groovy.lang.MissingMethodException;
import java.util.List;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/**
 * The layer and combinator words of DESIGN.md. Each is exactly the {@link Layers} factory of the same
 * name (the overload Groovy's dispatch picks, including the named-argument ones: {@link LayerDispatch} in plain Java
 * where it decides, Groovy's dispatch otherwise), so the DSL has no logic of its own.
 */
public final class LayerWords {
    private LayerWords() {}

    /** Every layer word with its usage and summary (the DSL reference is generated from these). */
    public static final List<WordInfo> WORDS = List.of(
            new WordInfo("serial", "serial(a, b, ...)", "Applies layers one after another."),
            new WordInfo("parallel", "parallel(a, b, ...)", "Applies layer i to input i of a flow."),
            new WordInfo("fanOut", "fanOut(n)", "Copies its input into a flow of n."),
            new WordInfo("fanInSum", "fanInSum()", "Sums a flow into one (kernels add)."),
            new WordInfo("fanInProd", "fanInProd()", "Multiplies a flow elementwise (Hadamard product; kernels by the product rule)."),
            new WordInfo("fanInConcat", "fanInConcat(axis: -1)", "Concatenates a flow along an axis (channels: weighted mean of the kernels; a spatial axis: block-diagonal kernel)."),
            new WordInfo("repeat", "repeat(layer, n)", "n copies of a layer in series, each with its own parameters."),
            new WordInfo("dense", "dense(width, wStd: 1, bStd: 0, parameterization: 'ntk'|'standard')",
                    "Fully connected layer; NTK parameterization z = (wStd/sqrt(fanIn)) W h + bStd b."),
            new WordInfo("conv", "conv(channels, filter: [3] | [3, 3] | [3, 3, 3], strides:, padding: 'VALID'|'SAME'|'CIRCULAR', wStd:, bStd:)",
                    "1-D, 2-D or 3-D convolution on (n, length, channels), NHWC or (n, D, H, W, channels) inputs."),
            new WordInfo("convLocal", "convLocal(channels, filter: [3] | [3, 3] | [3, 3, 3], strides:, padding:, wStd:, bStd:, parameterization:)",
                    "Locally connected layer: a convolution with its own filter and bias at every output position (kernel: the conv's on same-position pairs, 0 elsewhere)."),
            new WordInfo("convTranspose", "convTranspose(channels, filter: [3] | [3, 3] | [3, 3, 3], strides:, padding: 'VALID'|'SAME'|'CIRCULAR', wStd:, bStd:, parameterization:)",
                    "Transposed convolution (neural-tangents' ConvTranspose, lax.conv_transpose): upsamples by the strides; output length L*s (SAME, CIRCULAR) or L*s + max(f - s, 0) (VALID)."),
            new WordInfo("imageResize", "imageResize(shape: [H, W] (-1 keeps an axis), method: 'linear'|'nearest')",
                    "Resizes the spatial axes by half-pixel linear or nearest interpolation (jax.image.resize, no antialias); kernel R Sigma R^T."),
            new WordInfo("aggregate", "aggregate() | aggregate(pattern: [[...]] (A[i][j]: edge i -> j, V x V) | edges: [[tail, head], ...])",
                    "Graph aggregation (neural-tangents' Aggregate, graph NTK): each node (position) becomes the weighted sum of its predecessors; "
                            + "aggregate() reads each example's graph (pattern: (n, V, V) given to net.apply / net.kernel [A1, A2] / empirical words / "
                            + "predict), pattern:/edges: give one graph for all examples; kernel A1^T Sigma A2; masks kept."),
            new WordInfo("dotGeneral", "dotGeneral(rhs: c | [v...] | [[M...]], axis: a) | dotGeneral(rhs: T | lhs: T, dimensionNumbers: "
                    + "[[[contracting...], [contracting...]], [[batch...], [batch...]]])",
                    "Multiplication by a constant (neural-tangents' DotGeneral): a number, spatial axis a contracted with a vector (axis removed) "
                            + "or a matrix (axis kept in place), or jax's dot_general with a constant rhs/lhs (several contracting and batch axes; "
                            + "output axes as jax with examples first and channels last); kernel R Sigma R^T; masked where every read position is."),
            new WordInfo("index", "index(axis: a, at: i) | index(axis: a, start:, stop:, step:)",
                    "One position (axis removed) or a Python slice of a spatial axis (neural-tangents' Index); kernel: the selected position pairs; masks selected alike."),
            new WordInfo("avgPool", "avgPool(window, strides:, padding:)", "Average pooling."),
            new WordInfo("sumPool", "sumPool(window, strides:, padding:)", "Sum pooling."),
            new WordInfo("globalAvgPool", "globalAvgPool()", "Mean over all positions."),
            new WordInfo("globalSumPool", "globalSumPool()", "Sum over all positions."),
            new WordInfo("flatten", "flatten()", "Flattens positions and channels into features."),
            new WordInfo("layerNorm", "layerNorm(axis: -1 | [1, 2, -1])",
                    "Normalises each example over its features (and over the listed spatial axes jointly; the channel axis -1 must be included)."),
            new WordInfo("dropout", "dropout(rate, mode: 'eval'|'train')",
                    "Drops units with probability rate while training; kernel of the evaluation-mode network (identity) or, mode: 'train', of the training-mode one."),
            new WordInfo("globalSelfAttention", "globalSelfAttention(channels, keyChannels: channels, valueChannels: channels, heads: 1, "
                    + "linearScaling: true, attention: 'softmax'|'identity'|'relu'|'abs', wKeyStd:, wQueryStd:, wValueStd:, wOutStd:, bStd: 0, "
                    + "posEmb: 'none'|'sum'|'concat', posEmbChannels:, wPosEmbStd: 1, posEmbDecay: 0, posEmbPNorm: 2, valPosEmb: false)",
                    "Multi-head self-attention over all positions (neural-tangents' GlobalSelfAttention); infinite-head kernel for "
                            + "linearScaling: true (tied keys/queries) or attention: 'identity'. posEmb adds or appends a trainable positional "
                            + "embedding with covariance R[p,q] = exp(-posEmbDecay * sum |p_i - q_i|^posEmbPNorm) (identity at decay 0)."),
            new WordInfo("identity", "identity()", "Passes its input through."),
            new WordInfo("relu", "relu()", "max(x, 0)."),
            new WordInfo("leakyRelu", "leakyRelu(alpha)", "x for x > 0, alpha x otherwise."),
            new WordInfo("abs", "abs()", "|x|."),
            new WordInfo("erf", "erf(a: 1, b: 1, c: 0)", "a erf(b x) + c (neural-tangents' Erf; closed-form arcsine kernel)."),
            new WordInfo("gelu", "gelu(approximate: false)", "x Phi(x) (exact, closed-form kernel); approximate: true is the tanh form, its kernel by quadrature."),
            new WordInfo("sin", "sin(a: 1, b: 1, c: 0)", "a sin(b x + c) (closed-form kernel)."),
            new WordInfo("cos", "cos(a: 1, b: 1, c: 0)", "a cos(b x + c) (closed-form kernel)."),
            new WordInfo("abRelu", "abRelu(a, b)", "a min(x, 0) + b max(x, 0) (neural-tangents' ABRelu; closed-form kernel)."),
            new WordInfo("exp", "exp(a: 1, b: 1)", "a exp(b x) (neural-tangents' Exp; closed-form kernel)."),
            new WordInfo("gaussianBump", "gaussianBump(a: 1, b: -1)", "a exp(b x^2) (neural-tangents' Gaussian; closed-form kernel)."),
            new WordInfo("expNormalized", "expNormalized(gamma: 1, shift: -1, clip: false)",
                    "Kernel-only: nngp' = sqrt(q11 q22) exp(gamma (rho + shift)) (neural-tangents' ExpNormalized); no finite network."),
            new WordInfo("polynomial", "polynomial([p0, p1, ...])", "p0 + p1 x + p2 x^2 + ...; exact kernel for any variances."),
            new WordInfo("hermite", "hermite(degree)", "He_n(x)/sqrt(n!) (neural-tangents' Hermite); exact kernel, = rho^n on unit variances."),
            new WordInfo("rbf", "rbf(gamma)", "exp(-gamma x^2)."),
            new WordInfo("sign", "sign()", "The sign of x."),
            new WordInfo("monomial", "monomial(degree)", "x^degree."),
            new WordInfo("rectifiedMonomial", "rectifiedMonomial(degree)", "max(x, 0)^degree."),
            new WordInfo("tanh", "tanh()", "Hyperbolic tangent."),
            new WordInfo("sigmoid", "sigmoid()", "1 / (1 + exp(-x))."),
            new WordInfo("elementwise", "elementwise { x -> f(x) } | elementwise(fn:, derivative:, nngp: { c, v1, v2 -> }, dNngp:)",
                    "Any function; kernel by Gauss-Hermite quadrature, or from a closed-form nngp(cov12, var1, var2) (T' = dNngp or d nngp/d cov12)."));

    /** Adds every layer word to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        for (WordInfo w : WORDS) {
            out.add(WordBinding.of(w, new FactoryWord()));
        }
    }

    /**
     * Calls the {@link Layers} factory named like the word: through {@link LayerDispatch} when it decides the call
     * (plain Java, no Groovy runtime), otherwise through Groovy's dispatch ({@link GroovyDispatch}) as before.
     */
    static final class FactoryWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            Object[] argv;
            if (a.named().isEmpty()) {
                argv = a.positional().toArray();
            } else {
                argv = new Object[a.count() + 1];
                argv[0] = a.named();
                for (int i = 0; i < a.count(); i++) {
                    argv[i + 1] = a.positional(i);
                }
            }
            try {
                Object layer = LayerDispatch.call(a.word(), argv);
                return layer != LayerDispatch.UNDECIDED ? layer : GroovyDispatch.call(a.word(), argv);
            } catch (IllegalArgumentException e) {
                throw e instanceof DslException ? e : new DslException(a.word() + ": " + e.getMessage(), e);
            }
        }

        /**
         * Groovy's dispatch of the call (overload choice, coercions, "no form takes ..."); in a class of its own so that
         * a model whose calls {@link LayerDispatch} decides loads no Groovy runtime class.
         */
        static final class GroovyDispatch {
            private GroovyDispatch() {}

            static Object call(String word, Object[] argv) {
                try {
                    return InvokerHelper.invokeStaticMethod(Layers.class, word, argv);
                } catch (MissingMethodException e) {
                    throw new DslException(word + ": no form takes " + describe(argv) + "; usage: "
                            + WORDS.stream().filter(w -> w.name().equals(word)).findFirst().map(WordInfo::usage).orElse(word));
                }
            }
        }

        private static String describe(Object[] argv) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < argv.length; i++) {
                b.append(i > 0 ? ", " : "").append(argv[i] == null ? "null"
                        : argv[i] instanceof java.util.Map ? "named arguments " + ((java.util.Map<?, ?>) argv[i]).keySet()
                        : argv[i].getClass().getSimpleName());
            }
            return b.append(")").toString();
        }
    }
}
