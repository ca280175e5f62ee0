package org.ntkworkbench.plugins.stylegan;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.nn.Dense;
import org.ntkworkbench.nn.Params;
import org.ntkworkbench.nn.Parameterization;
import org.ntkworkbench.tensor.Tensor;

/**
 * The affine style projection {@code A} of StyleGAN, a dense layer on the style vector {@code w (n, D)}:
 * {@code s = (styleStd/√D) w A + styleBias · b}, {@code A (D, C)} stored as N(0, 1) draws and the bias
 * {@code b (C)} stored as {@code biasInit} (StyleGAN initialises the bias of a modulation scale to 1, of a
 * shift to 0), trainable. No bias parameter when {@code styleBias = 0}.
 *
 * <p>Kernel: with {@code biasInit = 1} (scales) exactly {@link Dense}'s rule with {@code bStd = styleBias},
 * {@code Σ_s = styleStd² Σ_w + styleBias²}, since a bias fixed at 1 has the same second moment as an N(0, 1)
 * one; the NTK adds {@code styleBias²} from the bias gradient either way.
 */
final class StyleAffine {
    private StyleAffine() {}

    /** The dense layer of the projection to {@code c} style units. */
    static Dense dense(int c, double styleStd, double styleBias) {
        return new Dense(c, styleStd, styleBias, Parameterization.NTK);
    }

    /** Adds {@code A} and (if any) the bias, set to {@code biasInit}, under {@code path}. */
    static void init(Dense dense, String path, int d, double biasInit, long seed, Map<String, Tensor> params) {
        dense.init(path, List.of(new int[] {d}), seed, params);
        if (dense.hasBias()) {
            params.put(Params.key(path, "b"), Tensor.full(biasInit, dense.width()));
        }
    }
}
