package org.ntkworkbench.nn;

import org.ntkworkbench.tensor.Tensor;

/**
 * What an analytic kernel computed from inputs ({@link Layer#kernel(java.util.List, java.util.List, KernelRequest)}) is
 * asked for besides the inputs themselves: neural-tangents' {@code get} and {@code diagonal_spatial} choices, and the
 * data that travels with each example into the kernel ({@code mask_constant}'s masks, {@code pattern}'s graphs). One
 * value instead of one more {@code kernel(…)} overload per option: the next per-example datum becomes a component here
 * (and a component of {@link org.ntkworkbench.kernel.Kernel}, which carries it through the layers' rules).
 *
 * @param computeNtk      {@code false} computes the NNGP only ({@code ntk()} is null; the NTK work is saved)
 * @param diagonalSpatial {@code null} chooses the same-position layout where it is exact
 *                        ({@link SpatialDiagonal#exactByDefault()}); {@code true} asks for it (refused in one line when a
 *                        layer needs other pairs); {@code false} keeps all pairs of positions
 * @param maskConstant    neural-tangents' {@code mask_constant}: every input entry equal to it is zeroed and a position
 *                        whose channels all equal it is masked; {@code null}: no masking
 * @param pattern1        per-example graphs of x1's examples ({@code (n1, V, V)} or {@code (n1, X…, X…)}, neural-tangents'
 *                        {@code pattern1}); {@code null}: none
 * @param pattern2        x2's graphs; {@code null} when the kernel is of x1 with itself (x1's graphs are used)
 */
public record KernelRequest(boolean computeNtk, Boolean diagonalSpatial, Double maskConstant, Tensor pattern1, Tensor pattern2) {

    /** NNGP and NTK, the automatic layout, no per-example data. */
    public static final KernelRequest DEFAULT = of(true, null);

    /** The given {@code get}/{@code diagonal_spatial} choices without per-example data. */
    public static KernelRequest of(boolean computeNtk, Boolean diagonalSpatial) {
        return new KernelRequest(computeNtk, diagonalSpatial, null, null, null);
    }

    /** This request with input masking by {@code maskConstant} ({@code null}: none). */
    public KernelRequest withMaskConstant(Double maskConstant) {
        return new KernelRequest(computeNtk, diagonalSpatial, maskConstant, pattern1, pattern2);
    }

    /** This request with the per-example graphs of x1 and x2 ({@code pattern2 = null}: x1's, for x2 = x1). */
    public KernelRequest withPatterns(Tensor pattern1, Tensor pattern2) {
        return new KernelRequest(computeNtk, diagonalSpatial, maskConstant, pattern1, pattern2);
    }

    /** Whether data travels with the examples (masks or graphs), so the kernel must start from each example's inputs. */
    public boolean carriesExampleData() {
        return maskConstant != null || pattern1 != null || pattern2 != null;
    }
}
