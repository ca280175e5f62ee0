package org.ntkworkbench.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ntkworkbench.autodiff.Var;
import org.ntkworkbench.tensor.Tensor;

/**
 * A flow of batches with their input masks (neural-tangents' {@code MaskedArray}s): item {@code i} is the batch
 * {@code values[i]} and its mask {@code masks[i]} ({@code (n, spatial…)}, 1 = masked position, see
 * {@link org.ntkworkbench.kernel.Masks}; {@code null} = nothing masked).
 */
public record MaskedFlow(List<Var> values, List<Tensor> masks) {

    /** Checks that there is one mask (or null) per value. */
    public MaskedFlow {
        if (values.size() != masks.size()) {
            throw new IllegalArgumentException("a masked flow needs one mask per item, got " + values.size() + " items and "
                    + masks.size() + " masks");
        }
        values = List.copyOf(values);
        masks = Collections.unmodifiableList(new ArrayList<>(masks));
    }

    /** A flow without masks. */
    public static MaskedFlow unmasked(List<Var> values) {
        return new MaskedFlow(values, Collections.nCopies(values.size(), null));
    }

    /** True when no item carries a mask. */
    public boolean isUnmasked() {
        return masks.stream().allMatch(m -> m == null);
    }

    /** The values with every masked position set to zero (what a layer's forward pass reads). */
    public List<Var> zeroedValues() {
        List<Var> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(Masking.zeroed(values.get(i), masks.get(i)));
        }
        return out;
    }
}
