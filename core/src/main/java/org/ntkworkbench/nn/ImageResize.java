package org.ntkworkbench.nn;

import java.util.Arrays;
import java.util.Locale;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.PairLayout;
import org.ntkworkbench.tensor.Tensor;

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
        int qi = PairLayout.positions(inSpatial), qo = PairLayout.positions(outSpatial);
        double[][] maps = new double[inSpatial.length][];
        for (int a = 0; a < inSpatial.length; a++) {
            maps[a] = axisMap(inSpatial[a], outSpatial[a]);
        }
        double[] r = new double[qo * qi];
        int[] oi = new int[inSpatial.length], ii = new int[inSpatial.length];
        for (int o = 0; o < qo; o++) {
            unravel(o, outSpatial, oi);
            for (int i = 0; i < qi; i++) {
                unravel(i, inSpatial, ii);
                double w = 1;
                for (int a = 0; a < inSpatial.length && w != 0; a++) {
                    w *= maps[a][oi[a] * inSpatial[a] + ii[a]];
                }
                r[o * qi + i] = w;
            }
        }
        return r;
    }

    private static void unravel(int flat, int[] dims, int[] idx) {
        for (int a = dims.length - 1; a >= 0; a--) {
            idx[a] = flat % dims[a];
            flat /= dims[a];
        }
    }

    @Override
    public Var apply(ApplyContext ctx, String path, Var x) {
        int[] s = x.shape();
        int n = s[0], c = s[s.length - 1];
        int[] inSpatial = Arrays.copyOfRange(s, 1, s.length - 1);
        int[] outSpatial = outSpatial(inSpatial);
        int qi = PairLayout.positions(inSpatial), qo = PairLayout.positions(outSpatial);
        double[] r = positionMap(inSpatial, outSpatial);
        double[] rt = new double[qi * qo];
        for (int o = 0; o < qo; o++) {
            for (int i = 0; i < qi; i++) {
                rt[i * qo + o] = r[o * qi + i];
            }
        }
        Var moved = Ops.permute(x.reshape(n, qi, c), 0, 2, 1);                 // (n, C, Q_in)
        Var resized = Ops.matmul(moved, Var.of(Tensor.of(rt, qi, qo)));          // (n, C, Q_out)
        int[] full = s.clone();
        System.arraycopy(outSpatial, 0, full, 1, outSpatial.length);
        return Ops.permute(resized, 0, 2, 1).reshape(full);
    }

    /** {@code R Σ Rᵀ} on every pair of examples (see the class comment). */
    @Override
    public Kernel kernel(Kernel in) {
        if (in.diagonalSpatial()) {
            throw new IllegalArgumentException("imageResize mixes positions, so it needs the covariances between all positions; "
                    + "compute the kernel with diagonalSpatial: false");
        }
        int[] inSpatial = in.spatial(), outSpatial = outSpatial(inSpatial);
        double[] r = positionMap(inSpatial, outSpatial);
        PairLayout li = in.layout(), lo = new PairLayout(outSpatial);
        int qi = li.positions(), qo = lo.positions();
        Tensor nngp = map(in.nngp(), in.n1() * in.n2(), li, lo, r, qi, qo, lo.kernelShape(in.n1(), in.n2()));
        Tensor ntk = in.ntk() == null ? null : map(in.ntk(), in.n1() * in.n2(), li, lo, r, qi, qo, lo.kernelShape(in.n1(), in.n2()));
        Tensor cov1 = map(in.cov1(), in.cov1().dim(0), li, lo, r, qi, qo, lo.covShape(in.cov1().dim(0)));
        Tensor cov2 = in.cov2() == in.cov1() ? cov1 : map(in.cov2(), in.cov2().dim(0), li, lo, r, qi, qo, lo.covShape(in.cov2().dim(0)));
        return new Kernel(nngp, ntk, cov1, cov2, outSpatial, in.x1IsX2(), in.channels());
    }

    private static Tensor map(Tensor x, int blocks, PairLayout li, PairLayout lo, double[] r, int qi, int qo, int[] shape) {
        double[] v = x.data();
        int bi = li.block(), bo = lo.block();
        double[] out = new double[blocks * bo];
        double[] m = new double[qi * qi], rm = new double[qo * qi];
        for (int b = 0; b < blocks; b++) {
            for (int e = 0; e < bi; e++) {
                m[li.posA(e) * qi + li.posB(e)] = v[b * bi + e];
            }
            Arrays.fill(rm, 0);
            for (int o = 0; o < qo; o++) {
                for (int k = 0; k < qi; k++) {
                    double w = r[o * qi + k];
                    if (w != 0) {
                        for (int j = 0; j < qi; j++) {
                            rm[o * qi + j] += w * m[k * qi + j];
                        }
                    }
                }
            }
            for (int e = 0; e < bo; e++) {
                int p = lo.posA(e), q = lo.posB(e);
                double s = 0;
                for (int j = 0; j < qi; j++) {
                    s += rm[p * qi + j] * r[q * qi + j];
                }
                out[b * bo + e] = s;
            }
        }
        return Tensor.of(out, shape);
    }

    @Override
    public String toString() {
        return "imageResize(shape: " + Arrays.toString(shape) + ", method: '" + method.name().toLowerCase(Locale.ROOT) + "')";
    }
}
