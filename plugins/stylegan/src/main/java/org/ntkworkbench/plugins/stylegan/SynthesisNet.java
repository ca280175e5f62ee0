package org.ntkworkbench.plugins.stylegan;

import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.nn.CompositeLayer;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Serial;

/**
 * {@code synthesisNet(resolution: 8, channels: 16, styleDim: 16, mappingDepth: 2, demodulate: true,
 * noise: true, rgb: 3)}: a small StyleGAN2-like generator from latents {@code z (n, d)} to images
 * {@code (n, resolution, resolution, rgb)}:
 * <pre>
 *   mappingNetwork(depth: mappingDepth, width: styleDim)     z → w
 *   constantInput(size: 4, channels)                          w → [c, w]
 *   styleBlock(channels)                                      at 4×4
 *   (upsample(2), styleBlock(channels), styleBlock(channels)) per doubling up to resolution
 *   modulatedConv(rgb, filter: 1, demodulate: false)          "toRGB"
 *   dropStyle()
 * </pre>
 * Each noise layer has its own buffer (noise seeds 0, 1, 2, …). Simplifications against StyleGAN2: no
 * skip/residual toRGB sum, nearest (not filtered) upsampling, one shared {@code w} (no style mixing).
 * Kernel: the composition of the children's rules (demodulation by its many-channel limit); the output
 * kernel is spatial {@code (n1, n2, R, R, R, R)}; add {@code flatten()} for the mean over output units.
 */
public final class SynthesisNet extends CompositeLayer {
    private final String description;

    /** A synthesis network; {@code resolution} must be 4·2^k. */
    public SynthesisNet(int resolution, int channels, int styleDim, int mappingDepth, boolean demodulate, boolean noise, int rgb) {
        if (resolution < 4 || Integer.bitCount(resolution) != 1) {
            throw new IllegalArgumentException("synthesisNet resolution " + resolution + " must be 4, 8, 16, ...");
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(new MappingNetwork(mappingDepth, styleDim, 0.2, true, 1.0, 0.0));
        layers.add(new ConstantInput(4, channels));
        long noiseSeed = 0;
        layers.add(block(channels, demodulate, noise, noiseSeed++));
        for (int r = 8; r <= resolution; r *= 2) {
            layers.add(new Upsample(2));
            layers.add(block(channels, demodulate, noise, noiseSeed++));
            layers.add(block(channels, demodulate, noise, noiseSeed++));
        }
        layers.add(new ModulatedConv(rgb, 1, false, Padding.SAME, 1.0, 0.0, 1.0, 1.0, 1e-8));
        layers.add(new DropStyle());
        super(new Serial(layers));
        this.description = "synthesisNet(resolution: " + resolution + ", channels: " + channels + ", styleDim: " + styleDim
                + ", mappingDepth: " + mappingDepth + ", demodulate: " + demodulate + ", noise: " + noise + ", rgb: " + rgb + ")";
    }

    private static StyleBlock block(int channels, boolean demodulate, boolean noise, long seed) {
        return new StyleBlock(channels, 3, demodulate, noise, seed, 0.2, 1.0, 0.0, 1.0, 1.0);
    }

    /** The layers in order (children {@code 0, 1, …} for parameter keys). */
    public List<Layer> layers() {
        return ((Serial) inner()).layers();
    }

    @Override
    public String word() {
        return "synthesisNet";
    }

    @Override
    public String toString() {
        return description;
    }
}
