package org.ntkworkbench.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;

/**
 * The differentiable primitives. Each records its pullbacks (vector–Jacobian products, for reverse
 * mode) and computes its output tangent (Jacobian–vector product, forward mode) when some input has
 * one. Everything the layers need is built from these; composites (layer norm, losses) differentiate
 * through them automatically.
 */
public final class Ops {
    private Ops() {}

    private static Var node(String op, Tensor value, Tensor tangent, Var[] parents, Var.Pullback... pullbacks) {
        return new Var(op, value, tangent, parents, pullbacks);
    }

    private static boolean anyTangent(Var... vs) {
        for (Var v : vs) {
            if (v.tangent() != null) {
                return true;
            }
        }
        return false;
    }

    /** Null-tolerant sum of optional tangent contributions, broadcast to {@code shape}. */
    private static Tensor sumTangents(int[] shape, Tensor... parts) {
        Tensor t = null;
        for (Tensor p : parts) {
            if (p != null) {
                t = t == null ? p : t.add(p);
            }
        }
        if (t == null) {
            return null;
        }
        return Arrays.equals(t.shape(), shape) ? t : t.broadcastTo(shape);
    }

    // ------------------------------------------------------------------ broadcasting arithmetic

    /** {@code a + b} with NumPy broadcasting; the pullback sums over broadcast axes. */
    public static Var add(Var a, Var b) {
        Tensor v = a.value().add(b.value());
        Tensor t = anyTangent(a, b) ? sumTangents(v.shape(), a.tangent(), b.tangent()) : null;
        int[] sa = a.shape(), sb = b.shape();
        return node("add", v, t, new Var[] {a, b}, g -> reduceTo(g, sa), g -> reduceTo(g, sb));
    }

    /**
     * The adjoint of broadcasting to {@code g}'s shape: {@code g} itself when nothing was broadcast
     * (cotangents are never modified in place, so passing it on is safe and saves a copy per
     * bias add), else {@link Tensor#sumTo}.
     */
    private static Tensor reduceTo(Tensor g, int[] shape) {
        return Arrays.equals(g.shape(), shape) ? g : g.sumTo(shape);
    }

    /** {@code a − b} with NumPy broadcasting. */
    public static Var sub(Var a, Var b) {
        Tensor v = a.value().sub(b.value());
        Tensor t = anyTangent(a, b)
                ? sumTangents(v.shape(), a.tangent(), b.tangent() == null ? null : b.tangent().neg()) : null;
        int[] sa = a.shape(), sb = b.shape();
        return node("sub", v, t, new Var[] {a, b}, g -> reduceTo(g, sa), g -> g.neg().sumTo(sb));
    }

    /** Elementwise product {@code a ⊙ b} with broadcasting; tangent {@code ȧ⊙b + a⊙ḃ}. */
    public static Var mul(Var a, Var b) {
        Tensor av = a.value(), bv = b.value();
        Tensor v = av.mul(bv);
        Tensor t = anyTangent(a, b) ? sumTangents(v.shape(),
                a.tangent() == null ? null : a.tangent().mul(bv),
                b.tangent() == null ? null : av.mul(b.tangent())) : null;
        int[] sa = a.shape(), sb = b.shape();
        return node("mul", v, t, new Var[] {a, b}, g -> g.mul(bv).sumTo(sa), g -> g.mul(av).sumTo(sb));
    }

    /** Elementwise quotient {@code a / b} with broadcasting; tangent {@code ȧ/b − a ḃ/b²}. */
    public static Var div(Var a, Var b) {
        Tensor av = a.value(), bv = b.value();
        Tensor v = av.div(bv);
        Tensor t = anyTangent(a, b) ? sumTangents(v.shape(),
                a.tangent() == null ? null : a.tangent().div(bv),
                b.tangent() == null ? null : v.mul(b.tangent()).div(bv).neg()) : null;
        int[] sa = a.shape(), sb = b.shape();
        return node("div", v, t, new Var[] {a, b}, g -> g.div(bv).sumTo(sa), g -> g.mul(v).div(bv).neg().sumTo(sb));
    }

    /** {@code c · a} for a constant {@code c}. */
    public static Var scale(Var a, double c) {
        Tensor t = a.tangent() == null ? null : a.tangent().mul(c);
        return node("scale", a.value().mul(c), t, new Var[] {a}, g -> g.mul(c));
    }

    /** {@code a + c} for a constant {@code c}. */
    public static Var addScalar(Var a, double c) {
        return node("addScalar", a.value().add(c), a.tangent(), new Var[] {a}, g -> g);
    }

    /** {@code −a}. */
    public static Var neg(Var a) {
        return scale(a, -1.0);
    }

    // ------------------------------------------------------------------ elementwise functions

    /**
     * Elementwise {@code f(a)} with derivative {@code df}: tangent {@code f'(a) ⊙ ȧ}, pullback
     * {@code f'(a) ⊙ g}. {@code f'(a)} is materialised only for tangents; the pullback evaluates it
     * on the fly in the same pass as the product (one pass, one allocation).
     */
    public static Var map(Var a, String name, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        Tensor av = a.value();
        Tensor[] deriv = new Tensor[1];
        if (a.tangent() != null) {
            deriv[0] = av.map(df);
        }
        Tensor t = a.tangent() == null ? null : a.tangent().mul(deriv[0]);
        return node(name, av.map(f), t, new Var[] {a}, g -> {
            if (deriv[0] != null) {
                return g.mul(deriv[0]);
            }
            double[] gd = g.data(), ad = av.data();
            double[] out = new double[gd.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = gd[i] * df.applyAsDouble(ad[i]);
            }
            return Tensor.of(out, g.shape());
        });
    }

    /**
     * ReLU {@code max(a, 0)} in dedicated loops (the hot activation of training): tangent and pullback
     * multiply by {@code 1[a > 0]} (derivative 0 at the kink, as {@code Relu.derivative}).
     */
    public static Var relu(Var a) {
        double[] ad = a.value().data();
        double[] out = new double[ad.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(ad[i], 0.0); // branch-free: signs of pre-activations are coin flips
        }
        Tensor t = a.tangent() == null ? null : masked(a.tangent(), ad);
        return node("relu", Tensor.of(out, a.shape()), t, new Var[] {a}, g -> masked(g, ad));
    }

    /**
     * {@code g ⊙ 1[a > 0]}, exactly {@code a > 0 ? g : +0.0}, computed without branches (a branch on the
     * sign of a pre-activation mispredicts half the time and costs several times the loop itself): with
     * {@code b} the bits of {@code a}, {@code (b − 1) | b} is negative exactly when {@code a} is not
     * positive ({@code +0.0}, {@code −0.0} or negative), and its arithmetic shift by 63 is then all ones.
     */
    private static Tensor masked(Tensor g, double[] a) {
        double[] gd = g.data();
        double[] out = new double[gd.length];
        for (int i = 0; i < out.length; i++) {
            long b = Double.doubleToRawLongBits(a[i]);
            long drop = ((b - 1) | b) >> 63;
            out[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(gd[i]) & ~drop);
        }
        return Tensor.of(out, g.shape());
    }

    // ------------------------------------------------------------------ matrix products

    /**
     * Matrix product through BLAS: {@code a} is {@code (B…, m, k)}, {@code b} is {@code (k, n)}
     * (shared; then the batch folds into one gemm) or {@code (B…, k, n)} (batched). Pullbacks
     * {@code g bᵀ} and {@code aᵀ g}; tangent {@code ȧ b + a ḃ}.
     */
    public static Var matmul(Var a, Var b) {
        return matmul(a, b, 1.0);
    }

    /**
     * The scaled product {@code α a b} (as {@link #matmul(Var, Var)}), with {@code α} applied inside
     * gemm, forward and backward (pullbacks {@code α g bᵀ} and {@code α aᵀ g}), so that a scaled layer
     * such as the NTK-parameterized dense layer costs no extra passes over its activations.
     */
    public static Var matmul(Var a, Var b, double alpha) {
        Tensor av = a.value(), bv = b.value();
        Tensor v = matmulNN(av, bv, alpha);
        Tensor t = anyTangent(a, b) ? sumTangents(v.shape(),
                a.tangent() == null ? null : matmulNN(a.tangent(), bv, alpha),
                b.tangent() == null ? null : matmulNN(av, b.tangent(), alpha)) : null;
        int[] sa = a.shape();
        return node("matmul", v, t, new Var[] {a, b},
                g -> matmulNT(g, bv, sa, alpha),
                g -> matmulTN(av, g, bv.shape(), alpha));
    }

    /** {@code α a b}: one gemm for a shared 2-D {@code b}, else {@link Tensor#matmul} scaled. */
    private static Tensor matmulNN(Tensor a, Tensor b, double alpha) {
        if (b.rank() != 2 || a.rank() < 2 || a.dim(-1) != b.dim(0)) {
            Tensor p = a.matmul(b);
            return alpha == 1.0 ? p : p.mul(alpha);
        }
        int k = b.dim(0), n = b.dim(1);
        int rows = a.size() / Math.max(1, k);
        int[] shape = a.shape();
        shape[shape.length - 1] = n;
        double[] out = new double[rows * n];
        Blas.gemm(false, false, rows, n, k, alpha, a.data(), b.data(), 0.0, out);
        return Tensor.of(out, shape);
    }

    /** {@code α g bᵀ}: g (B…, m, n), b (n-by-k shared or batched) to shape {@code outShape}. */
    private static Tensor matmulNT(Tensor g, Tensor b, int[] outShape, double alpha) {
        int n = b.dim(-1), k = b.dim(-2);
        double[] out = new double[g.size() / Math.max(1, n) * k];
        if (b.rank() == 2) {
            int rows = g.size() / Math.max(1, n);
            Blas.gemm(false, true, rows, k, n, alpha, g.data(), b.data(), 0.0, out);
        } else {
            int m = g.dim(-2);
            int batch = g.size() / Math.max(1, m * n);
            for (int i = 0; i < batch; i++) {
                Blas.gemm(false, true, m, k, n, alpha, g.data(), i * m * n, b.data(), i * k * n, 0.0, out, i * m * k);
            }
        }
        return Tensor.of(out, outShape);
    }

    /** {@code α aᵀ g} summed over the folded batch (shared b) or per batch entry (batched b). */
    private static Tensor matmulTN(Tensor a, Tensor g, int[] bShape, double alpha) {
        int k = a.dim(-1), n = g.dim(-1);
        double[] out = new double[(int) Arrays.stream(bShape).asLongStream().reduce(1, (x, y) -> x * y)];
        if (bShape.length == 2) {
            int rows = a.size() / Math.max(1, k);
            Blas.gemm(true, false, k, n, rows, alpha, a.data(), g.data(), 0.0, out);
        } else {
            int m = a.dim(-2);
            int batch = a.size() / Math.max(1, m * k);
            for (int i = 0; i < batch; i++) {
                Blas.gemm(true, false, k, n, m, alpha, a.data(), i * m * k, g.data(), i * m * n, 0.0, out, i * k * n);
            }
        }
        return Tensor.of(out, bShape);
    }

    // ------------------------------------------------------------------ shape operations

    /** A reshape (one dimension may be −1). */
    public static Var reshape(Var a, int... shape) {
        Tensor v = a.value().reshape(shape);
        Tensor t = a.tangent() == null ? null : a.tangent().reshape(v.shape());
        int[] sa = a.shape();
        return node("reshape", v, t, new Var[] {a}, g -> g.reshape(sa));
    }

    /** Axis permutation; the pullback applies the inverse permutation. */
    public static Var permute(Var a, int... axes) {
        Tensor v = a.value().permute(axes);
        int[] ax = a.value().normalizeAxes(axes);
        int[] inverse = new int[ax.length];
        for (int i = 0; i < ax.length; i++) {
            inverse[ax[i]] = i;
        }
        Tensor t = a.tangent() == null ? null : a.tangent().permute(axes);
        return node("permute", v, t, new Var[] {a}, g -> g.permute(inverse));
    }

    /** Sum over {@code axes}; the pullback broadcasts the cotangent back. */
    public static Var sum(Var a, int[] axes, boolean keepDims) {
        Tensor v = a.value().sum(axes, keepDims);
        Tensor kept = a.value().sum(axes, true);
        int[] keptShape = kept.shape();
        int[] sa = a.shape();
        Tensor t = a.tangent() == null ? null : a.tangent().sum(axes, keepDims);
        return node("sum", v, t, new Var[] {a}, g -> g.reshape(keptShape).broadcastTo(sa));
    }

    /** Mean over {@code axes}. */
    public static Var mean(Var a, int[] axes, boolean keepDims) {
        int[] ax = a.value().normalizeAxes(axes);
        long count = 1;
        for (int x : ax) {
            count *= a.dim(x);
        }
        return scale(sum(a, ax, keepDims), 1.0 / count);
    }

    /** Sum of all elements, a rank-0 result. */
    public static Var sumAll(Var a) {
        int[] all = new int[a.rank()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return sum(a, all, false);
    }

    /** {@code ⟨a, c⟩ = Σ a ⊙ c} for a constant tensor {@code c} of the same shape (rank-0 result). */
    public static Var dot(Var a, Tensor c) {
        if (!c.sameShape(a.value())) {
            throw new IllegalArgumentException("dot of shapes " + a.value().shapeString() + " and " + c.shapeString());
        }
        Tensor t = a.tangent() == null ? null : Tensor.scalar(a.tangent().dot(c));
        return node("dot", Tensor.scalar(a.value().dot(c)), t, new Var[] {a}, g -> c.mul(g.item()));
    }

    /**
     * A scalar function of {@code a} whose value and gradient {@code ∂value/∂a} were computed outside the
     * graph in one fused pass (e.g. a loss and its derivative with respect to the network outputs). The
     * pullback is {@code g · gradient} (no copy when {@code g = 1}, as for the seed of a backward pass);
     * the tangent is {@code ⟨ȧ, gradient⟩}. The caller must not modify {@code gradient} afterwards.
     */
    public static Var scalarWithGradient(Var a, String op, double value, Tensor gradient) {
        if (!gradient.sameShape(a.value())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + gradient.shapeString()
                    + " for an input of shape " + a.value().shapeString());
        }
        Tensor t = a.tangent() == null ? null : Tensor.scalar(a.tangent().dot(gradient));
        return node(op, Tensor.scalar(value), t, new Var[] {a},
                g -> g.item() == 1.0 ? gradient : gradient.mul(g.item()));
    }

    /**
     * A node whose value, tangent and pullbacks were computed outside {@link Ops}: the escape hatch for
     * operations that are themselves derivatives of other graphs (a linearised network's output is
     * {@code f(θ₀) + J(θ − θ₀)}, its pullback to θ a VJP of the inner graph at θ₀). The caller vouches
     * that {@code pullbacks[i]} is the vector–Jacobian product with respect to {@code parents[i]} and that
     * {@code tangent} (or {@code null} when no parent has one) is the matching Jacobian–vector product.
     */
    public static Var custom(String op, Tensor value, Tensor tangent, List<Var> parents, List<Var.Pullback> pullbacks) {
        if (parents.size() != pullbacks.size()) {
            throw new IllegalArgumentException(op + ": " + parents.size() + " parents but " + pullbacks.size() + " pullbacks");
        }
        return node(op, value, tangent, parents.toArray(new Var[0]), pullbacks.toArray(new Var.Pullback[0]));
    }

    /** Concatenation along {@code axis}; the pullback slices the cotangent. */
    public static Var concat(int axis, List<Var> parts) {
        List<Tensor> values = new ArrayList<>();
        List<Tensor> tangents = new ArrayList<>();
        boolean anyT = false;
        for (Var p : parts) {
            values.add(p.value());
            anyT |= p.tangent() != null;
        }
        Tensor v = Tensor.concat(axis, values);
        int ax = v.normalizeAxes(axis)[0];
        Tensor t = null;
        if (anyT) {
            for (Var p : parts) {
                tangents.add(p.tangent() != null ? p.tangent() : Tensor.zeros(p.shape()));
            }
            t = Tensor.concat(axis, tangents);
        }
        Var.Pullback[] pbs = new Var.Pullback[parts.size()];
        int offset = 0;
        for (int i = 0; i < pbs.length; i++) {
            int from = offset, to = offset + parts.get(i).dim(ax);
            pbs[i] = g -> g.slice(ax, from, to);
            offset = to;
        }
        return node("concat", v, t, parts.toArray(new Var[0]), pbs);
    }

    /**
     * Per-example gather ({@link Tensor#gatherPerExample}; negative indices give zeros): the im2col
     * step of convolutions and pooling. Pullback: scatter-add; tangent: the same gather.
     */
    public static Var gather(Var a, int[] index, int... outPerExample) {
        Tensor v = a.value().gatherPerExample(index, outPerExample);
        Tensor t = a.tangent() == null ? null : a.tangent().gatherPerExample(index, outPerExample);
        int[] sa = a.shape();
        int[] perExample = Arrays.copyOfRange(sa, 1, sa.length);
        return node("gather", v, t, new Var[] {a}, g -> g.scatterAddPerExample(index, perExample));
    }
}
