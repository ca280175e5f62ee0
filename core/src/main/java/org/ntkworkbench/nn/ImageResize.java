package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.Locale;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairAxes;

/**
 * Resizing of the spatial axes (neural-tangents' {@code ImageResize}, {@code jax.image.resize} with
 * half-pixel centres and {@code antialias=False}): each spatial axis of size I becomes size O by a fixed
 * linear map R (O × I). {@code 'nearest'}: {@code out[o] = in[min(⌊(o + ½)·I/O⌋, I − 1)]}; {@code 'linear'}:
 * the sample point {@code s = (o + ½)·I/O − ½} interpolated between its two neighbours, indices clamped to
 * the edges (as jax, which renormalises the weights of the samples inside the image). Channels untouched;
 * no parameters.
 *
 * <p><b>Kernel.</b> A fixed linear map of positions acts on both sides of every position pair:
 * {@code Σ′ = (⊗_a R_a) Σ (⊗_a R_a)ᵀ} per pair of examples, Θ and the covariances alike; exact for any input
 * (no Gaussian assumption). It mixes positions, so it needs every position pair (never the diagonal layout).
 */
public final class ImageResize extends UnaryLayer {

    /** The interpolation. */
    public enum Method {
        /** The nearest input position (half-pixel centres). */
        NEAREST,
        /** Linear interpolation between the two nearest input positions, clamped at the edges. */
        LINEAR;

        /** {@code 'nearest'} or {@code 'linear'} (also {@code 'bilinear'}, {@code 'trilinear'}). */
        public static Method named(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "nearest" -> NEAREST;
                case "linear", "bilinear", "trilinear" -> LINEAR;
                default -> throw new IllegalArgumentException("imageResize method: '" + s + "' is not 'nearest' or 'linear'");
            };
        }
    }

    private final int[] shape;
    private final Method method;

    /** Resizing the spatial axes to {@code shape} (one size per spatial axis; −1 keeps that axis) by {@code method}. */
    public ImageResize(int[] shape, Method method) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("imageResize needs shape: [size per spatial axis]");
        }
        for (int s : shape) {
            if (s < 1 && s != -1) {
                throw new IllegalArgumentException("imageResize shape " + Arrays.toString(shape) + ": sizes must be positive (or -1 to keep an axis)");
            }
        }
        this.shape = shape.clone();
        this.method = method == null ? Method.LINEAR : method;
    }

    @Override
    public String word() {
        return "imageResize";
    }

    private int[] outSpatial(int[] inSpatial) {
        if (inSpatial.length != shape.length) {
            throw new IllegalArgumentException("imageResize shape " + Arrays.toString(shape) + " has " + shape.length
                    + " axes but the input has spatial shape " + Arrays.toString(inSpatial));
        }
        int[] out = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            out[a] = shape[a] == -1 ? inSpatial[a] : shape[a];
        }
        return out;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length < 2) {
            throw new IllegalArgumentException("imageResize needs spatial axes and a channel axis, got input shape " + Arrays.toString(in));
        }
        int[] out = in.clone();
        System.arraycopy(outSpatial(Arrays.copyOf(in, in.length - 1)), 0, out, 0, in.length - 1);
        return out;
    }

    /** The O × I map of one axis (row-major). */
    double[] axisMap(int in, int out) {
        double[] r = new double[out * in];
        for (int o = 0; o < out; o++) {
            double s = (o + 0.5) * in / out;
            if (method == Method.NEAREST) {
                r[o * in + Math.min((int) Math.floor(s), in - 1)] = 1;
                continue;
            }
            s -= 0.5;
            int i0 = (int) Math.floor(s);
            double t = s - i0;
            r[o * in + clamp(i0, in)] += 1 - t;
            r[o * in + clamp(i0 + 1, in)] += t;
        }
        return r;
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }

    /** The map of flattened positions, the Kronecker product of the axes' maps: (Q_out × Q_in) row-major. */
    private double[] positionMap(int[] inSpatial, int[] outSpatial) {
        double[][] maps = new double[inSpatial.length][];
        for (int a = 0; a < inSpatial.length; a++) {
            maps[a] = axisMap(inSpatial[a], outSpatial[a]);
        }
        return PairAxes.positionMap(inSpatial, outSpatial, maps);
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] s = x.shape();
        int[] inSpatial = Arrays.copyOfRange(s, 1, s.length - 1);
        int[] outSpatial = outSpatial(inSpatial);
        return PositionMaps.apply(x, positionMap(inSpatial, outSpatial), outSpatial);
    }

    /** {@code R Σ Rᵀ} on every pair of examples (see the class comment; {@link PairAxes#mapPositions}). */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.diagonalSpatial()) {
            throw new IllegalArgumentException("imageResize mixes positions, so it needs the covariances between all positions; "
                    + "compute the kernel with diagonalSpatial: false");
        }
        int[] outSpatial = outSpatial(in.spatial());
        return PairAxes.mapPositions(in, positionMap(in.spatial(), outSpatial), outSpatial, "imageResize");
    }

    @Override
    public String toString() {
        return "imageResize(shape: " + Arrays.toString(shape) + ", method: '" + method.name().toLowerCase(Locale.ROOT) + "')";
    }
}
