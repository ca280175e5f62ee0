package org.ntkworkbench.plugins.stylegan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.nn.CompositeLayer;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;
import org.ntkworkbench.nn.Serial;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code styleBlock(channels, filter: 3, demodulate: true, noise: true, noiseSeed: 0, alpha: 0.2, wStd: 1,
 * bStd: 0, styleStd: 1, styleBias: 1)}: one StyleGAN2 synthesis layer on the style pair {@code [x, w]}:
 * {@code y = φ(modulatedConv(x, w) + noise)}, {@code φ = leakyRelu(alpha)}, the conv bias ({@code bStd})
 * added with the noise as in StyleGAN2. Children (for parameter keys): {@code 0} the
 * {@link ModulatedConv} ({@code 0.0/W} style affine, {@code 0.1/W} conv weights), {@code 1} the
 * {@link NoiseInjection} ({@code 1/strength}, when {@code noise}), then the activation.
 *
 * <p>Kernel: the composition of the children's rules (with demodulation, its many-channel limit; see
 * {@link ModulatedConv#kernels}).
 */
public final class StyleBlock extends CompositeLayer {
    private final String description;

    /** A style block; see the class comment for the arguments. */
    public StyleBlock(int channels, int filter, boolean demodulate, boolean noise, long noiseSeed, double alpha,
                      double wStd, double bStd, double styleStd, double styleBias) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new ModulatedConv(channels, filter, demodulate, Padding.SAME, wStd, bStd, styleStd, styleBias, 1e-8));
        if (noise) {
            layers.add(new NoiseInjection(noiseSeed, 1.0));
        }
        layers.add(Layers.parallel(Layers.leakyRelu(alpha), Layers.identity()));
        super(new Serial(layers));
        this.description = "styleBlock(" + channels + ", filter: " + filter + ", demodulate: " + demodulate + ", noise: " + noise
                + ", noiseSeed: " + noiseSeed + ", alpha: " + alpha + ", wStd: " + wStd + ", bStd: " + bStd + ", styleStd: "
                + styleStd + ", styleBias: " + styleBias + ")";
    }

    @Override
    public String word() {
        return "styleBlock";
    }

    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        StylePairs.checkPair(word(), in);
        return super.outputShapes(in);
    }

    @Override
    public List<int[]> init(String path, List<int[]> in, long seed, Map<String, Tensor> params) {
        StylePairs.checkPair(word(), in);
        return super.init(path, in, seed, params);
    }

    @Override
    public String toString() {
        return description;
    }
}
