package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.autodiff.Ops;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.kernel.Masks;
import org.ntkworkbench.tensor.Tensor;

/**
 * Input masking (neural-tangents' {@code mask_constant}) on the layer side: the one place that routes a masked
 * flow or masked kernels to a layer ({@link Layer#applyMasked}, {@link Layer#maskedKernels}) and refuses layers
 * that do not implement masking. Semantics in {@link Masks}: an input entry equal to the constant is zeroed, a
 * position is masked when all its channels are; every layer reads its inputs with masked positions zeroed, and
 * each layer states its output mask ({@link Layer#outputMasks}) beside its forward pass and kernel rule.
 */
public final class Masking {
    private Masking() {}

    /** The one-line refusal of a layer that does not implement masking (it must never ignore a mask silently). */
    public static IllegalArgumentException refusal(String word) {
        return new IllegalArgumentException("layer '" + word + "' does not support masked inputs (maskConstant); "
                + "use it without maskConstant");
    }

    /** {@code x} with the positions {@code mask} masks set to zero (a product with a constant 0/1 array: differentiable). */
    public static Var zeroed(Var x, Tensor mask) {
        if (mask == null) {
            return x;
        }
        return Ops.mul(x, Var.of(Masks.keep(mask)));
    }

    /** {@code l}'s forward pass on {@code in}: the masked one when some item is masked. */
    public static MaskedFlow apply(Layer l, ApplyContext ctx, String path, MaskedFlow in) {
        if (in.isUnmasked()) {
            return MaskedFlow.unmasked(l.apply(ctx, path, in.values()));
        }
        return l.applyMasked(ctx, path, in);
    }

    /** {@code l}'s kernel rule on {@code in}: the masked one when some kernel carries a mask. */
    public static List<Kernel> kernels(Layer l, List<Kernel> in) {
        return anyMasked(in) ? l.maskedKernels(in) : l.kernels(in);
    }

    /** True when some kernel of the flow carries a mask. */
    public static boolean anyMasked(List<Kernel> in) {
        return in.stream().anyMatch(Kernel::masked);
    }

    /** The x1 masks of a kernel flow. */
    public static List<Tensor> masks1(List<Kernel> in) {
        List<Tensor> m = new ArrayList<>();
        in.forEach(k -> m.add(k.mask1()));
        return m;
    }

    /** The x2 masks of a kernel flow. */
    public static List<Tensor> masks2(List<Kernel> in) {
        List<Tensor> m = new ArrayList<>();
        in.forEach(k -> m.add(k.mask2()));
        return m;
    }

    /**
     * The inputs {@code xs} masked with {@code constant}: each entry equal to it zeroed, and each item's mask
     * ({@link Masks#of}). A {@code null} constant masks nothing.
     */
    public static MaskedFlow inputs(List<Tensor> xs, Double constant) {
        List<Var> values = new ArrayList<>();
        List<Tensor> masks = new ArrayList<>();
        for (Tensor x : xs) {
            values.add(Var.of(constant == null ? x : Masks.zeroed(x, constant)));
            masks.add(constant == null ? null : Masks.of(x, constant));
        }
        return new MaskedFlow(values, masks);
    }

    /** The model's outputs with their masked positions zeroed (neural-tangents' {@code unmask_fn}). */
    public static List<Var> unmasked(MaskedFlow out) {
        return out.zeroedValues();
    }

    /**
     * The {@code maskConstant:} option as a number ({@code null} when absent); {@code what} names the word for
     * the one-line error.
     */
    public static Double constant(String what, Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(what + ": maskConstant must be a number (an input entry equal to it is masked), got " + v);
        }
        return n.doubleValue();
    }

    /** The output kernels of a layer with the given output masks applied ({@link Masks#remask}). */
    static List<Kernel> remasked(List<Kernel> out, List<Tensor> m1, List<Tensor> m2) {
        if (out.size() != m1.size()) {
            throw new IllegalArgumentException("a layer gave " + out.size() + " kernels but " + m1.size() + " masks");
        }
        List<Kernel> r = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            r.add(Masks.remask(out.get(i), m1.get(i), m2.get(i)));
        }
        return r;
    }
}
