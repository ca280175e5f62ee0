package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Tensor;

/** The StyleGAN words: thin sugar over the layer constructors (defaults as in the class comments). */
final class StyleganWords implements DslWord {
    static final List<WordInfo> WORDS = List.of(
            new WordInfo("mappingNetwork", "mappingNetwork(depth: 2, width: 64, alpha: 0.2, normalize: true, wStd: 1, bStd: 0)",
                    "StyleGAN mapping MLP z -> w: pixelNorm, then depth x [dense(width), leakyRelu(alpha)]; on a style pair maps the style item."),
            new WordInfo("modulatedConv", "modulatedConv(channels, filter: 3, demodulate: true, padding: 'SAME', wStd: 1, bStd: 0, styleStd: 1, styleBias: 1, eps: 1e-8)",
                    "StyleGAN2 modulated convolution on the style pair [x, w]: conv_W(x * s), s = affine(w), optionally demodulated; kernel by the product rule (demodulation: its many-channel limit)."),
            new WordInfo("adain", "adain(eps: 1e-8, styleStd: 1, styleBias: 1)",
                    "Adaptive instance normalisation on [x, w]: s(w) * instanceNorm(x) + t(w); no kernel rule (finite statistics)."),
            new WordInfo("noiseInjection", "noiseInjection(seed: 0, strengthStd: 1)",
                    "x + strength_c * xi[p], xi a fixed seeded per-position noise buffer, strength learned (init 0)."),
            new WordInfo("styleBlock", "styleBlock(channels, filter: 3, demodulate: true, noise: true, noiseSeed: 0, alpha: 0.2, wStd: 1, bStd: 0, styleStd: 1, styleBias: 1)",
                    "StyleGAN2 layer on [x, w]: leakyRelu(modulatedConv + noise)."),
            new WordInfo("synthesisNet", "synthesisNet(resolution: 8, channels: 16, styleDim: 16, mappingDepth: 2, demodulate: true, noise: true, rgb: 3)",
                    "Small StyleGAN2-like generator z -> (n, R, R, rgb): mapping net, 4x4 constant, style blocks, upsampling, toRGB."),
            new WordInfo("styleInput", "styleInput(dim: D)",
                    "Unpacks a packed input (n, S+1, ..., C) into the style pair [x (n, S, ..., C), w (n, D)] (see packStyle)."),
            new WordInfo("packStyle", "packStyle(features, style)",
                    "Packs features (n, S, ..., C) and styles (n, D) into one input (n, S+1, ..., C) for styleInput."),
            new WordInfo("dropStyle", "dropStyle()", "Ends a style-pair model: [x, w] -> x."),
            new WordInfo("onFeatures", "onFeatures(layer)", "Applies a layer to the features of the style pair: [x, w] -> [layer(x), w]."),
            new WordInfo("constantInput", "constantInput(size: 4, channels: C)",
                    "StyleGAN's learned constant: w -> [const (n, size, size, C), w]."),
            new WordInfo("upsample", "upsample(factor)", "Nearest-neighbour upsampling of the features (exact kernel rule)."),
            new WordInfo("pixelNorm", "pixelNorm(eps: 1e-8)", "x / sqrt(mean_c x^2 + eps) over the last axis."));

    @Override
    public Object call(DslArgs a) {
        try {
            return switch (a.word()) {
                case "mappingNetwork" -> {
                    a.allowOnly("depth", "width", "alpha", "normalize", "wStd", "bStd");
                    yield new MappingNetwork(a.intNamed("depth", 2), a.intNamed("width", 64), a.doubleNamed("alpha", 0.2),
                            a.boolNamed("normalize", true), a.doubleNamed("wStd", 1.0), a.doubleNamed("bStd", 0.0));
                }
                case "modulatedConv" -> {
                    a.allowOnly("filter", "demodulate", "padding", "wStd", "bStd", "styleStd", "styleBias", "eps");
                    yield new ModulatedConv(a.intArg(0), a.intNamed("filter", 3), a.boolNamed("demodulate", true),
                            Padding.parse(a.stringNamed("padding", "SAME")), a.doubleNamed("wStd", 1.0), a.doubleNamed("bStd", 0.0),
                            a.doubleNamed("styleStd", 1.0), a.doubleNamed("styleBias", 1.0), a.doubleNamed("eps", 1e-8));
                }
                case "adain" -> {
                    a.allowOnly("eps", "styleStd", "styleBias");
                    yield new Adain(a.doubleNamed("eps", 1e-8), a.doubleNamed("styleStd", 1.0), a.doubleNamed("styleBias", 1.0));
                }
                case "noiseInjection" -> {
                    a.allowOnly("seed", "strengthStd");
                    yield new NoiseInjection(a.intNamed("seed", 0), a.doubleNamed("strengthStd", 1.0));
                }
                case "styleBlock" -> {
                    a.allowOnly("filter", "demodulate", "noise", "noiseSeed", "alpha", "wStd", "bStd", "styleStd", "styleBias");
                    yield new StyleBlock(a.intArg(0), a.intNamed("filter", 3), a.boolNamed("demodulate", true), a.boolNamed("noise", true),
                            a.intNamed("noiseSeed", 0), a.doubleNamed("alpha", 0.2), a.doubleNamed("wStd", 1.0), a.doubleNamed("bStd", 0.0),
                            a.doubleNamed("styleStd", 1.0), a.doubleNamed("styleBias", 1.0));
                }
                case "synthesisNet" -> {
                    a.allowOnly("resolution", "channels", "styleDim", "mappingDepth", "demodulate", "noise", "rgb");
                    yield new SynthesisNet(a.intNamed("resolution", 8), a.intNamed("channels", 16), a.intNamed("styleDim", 16),
                            a.intNamed("mappingDepth", 2), a.boolNamed("demodulate", true), a.boolNamed("noise", true), a.intNamed("rgb", 3));
                }
                case "styleInput" -> new StyleInput(a.allowOnly("dim").intNamed("dim"));
                case "packStyle" -> {
                    a.allowOnly();
                    if (!(a.positional(0) instanceof Tensor x) || !(a.positional(1) instanceof Tensor w)) {
                        throw new DslException("packStyle: arguments must be tensors (features, style)");
                    }
                    yield StyleInput.pack(x, w);
                }
                case "dropStyle" -> new DropStyle();
                case "onFeatures" -> {
                    a.allowOnly();
                    if (a.count() != 1 || !(a.positional(0) instanceof Layer layer)) {
                        throw new DslException("onFeatures: expected one layer, e.g. onFeatures(serial(conv(64, filter: [3, 3]), relu()))");
                    }
                    yield new OnFeatures(layer);
                }
                case "constantInput" -> {
                    a.allowOnly("size", "channels");
                    yield new ConstantInput(a.intNamed("size", 4), a.intNamed("channels"));
                }
                case "upsample" -> new Upsample(a.count() > 0 ? a.intArg(0) : 2);
                case "pixelNorm" -> new PixelNorm(a.allowOnly("eps").doubleNamed("eps", 1e-8));
                default -> throw new DslException("stylegan has no word " + a.word());
            };
        } catch (DslException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DslException(a.word() + ": " + e.getMessage());
        }
    }
}
