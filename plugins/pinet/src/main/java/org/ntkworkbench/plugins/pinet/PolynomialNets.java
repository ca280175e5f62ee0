package org.ntkworkbench.plugins.pinet;

import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;

/**
 * The polynomial nets of Wu et al. (2022) as models built from core layers, exactly the papers' models:
 * unit-norm inputs in R^dim, no bias, N(0, 1) weights used unscaled ({@code wStd = √dim} in the NTK
 * parameterization, so that {@code (wStd/√dim) W x = W x}), ReLU, output {@code √(2/m) wᵀ y}. {@code dim = 0}
 * takes the dimension from the data ({@link Projection}); the same networks bit for bit.
 */
public final class PolynomialNets {
    private PolynomialNets() {}

    /**
     * CCP of degree N: {@code y₁ = σ(W₁x)}, {@code yₙ = σ(Wₙx) ⊙ yₙ₋₁ + yₙ₋₁ = (σ(Wₙx) + 1) ⊙ yₙ₋₁},
     * {@code f = √(2/m) wᵀ y_N}. Built as nested {@code fanOut(2) → parallel(projection, previous) → fanInProd()}.
     */
    public static Layer ccp(int degree, int width, int dim) {
        check(degree, width, dim);
        Layer y = Layers.serial(projection(width, dim), Layers.relu());
        for (int n = 2; n <= degree; n++) {
            y = Layers.serial(Layers.fanOut(2),
                    Layers.parallel(Layers.serial(projection(width, dim), new ReluPlusOne()), y),
                    Layers.fanInProd());
        }
        return Layers.serial(y, Layers.dense(1, Math.sqrt(2), 0));
    }

    /**
     * NCP (nested coupled CP decomposition, Chrysos et al. 2020/2021) of degree N in the conventions of the
     * CCP above: {@code y₁ = σ(W₁x)}, {@code yₙ = σ(Wₙx) ⊙ (√(2/m) Sₙ yₙ₋₁)}, {@code f = √(2/m) wᵀ y_N}, with
     * Wₙ (m×d), Sₙ (m×m) and w all N(0, 1) and no bias. It is the bias-free Π-Net NCP recursion
     * {@code xₙ = (Aₙᵀz) ∗ (Sₙᵀxₙ₋₁)} with σ on the input projections as in Wu et al.'s CCP; the {@code √(2/m)}
     * on Sₙ (He scaling, {@code dense(m, wStd: √2)}) keeps E[yₙ²] = 1/2 at every step. Built as nested
     * {@code fanOut(2) → parallel(projection + relu, previous + dense(m, wStd: √2)) → fanInProd()}, so its
     * analytic NTK comes from the product rule of {@code fanInProd}; in closed form (unit inputs,
     * ρ = ⟨x, x'⟩) Σ = κ₁(ρ)^N and Θ = N κ₁(ρ)^{N−1} (κ₁(ρ) + ρ κ₀(ρ)).
     */
    public static Layer ncp(int degree, int width, int dim) {
        check(degree, width, dim);
        Layer y = Layers.serial(projection(width, dim), Layers.relu());
        for (int n = 2; n <= degree; n++) {
            y = Layers.serial(Layers.fanOut(2),
                    Layers.parallel(Layers.serial(projection(width, dim), Layers.relu()),
                            Layers.serial(y, Layers.dense(width, Math.sqrt(2), 0))),
                    Layers.fanInProd());
        }
        return Layers.serial(y, Layers.dense(1, Math.sqrt(2), 0));
    }

    /** Pure Hadamard net of degree N: {@code y = ⊙ₙ σ(Wₙx)}, {@code f = √(2/m) wᵀ y}. */
    public static Layer hadamardNet(int degree, int width, int dim) {
        check(degree, width, dim);
        List<Layer> branches = new ArrayList<>();
        for (int n = 0; n < degree; n++) {
            branches.add(Layers.serial(projection(width, dim), Layers.relu()));
        }
        return Layers.serial(Layers.fanOut(degree), Layers.parallel(branches), Layers.fanInProd(),
                Layers.dense(1, Math.sqrt(2), 0));
    }

    /**
     * {@code W x} with W ~ N(0, 1) unscaled, for inputs of dimension {@code dim}; {@code dim = 0}: the dimension
     * is read from the data ({@link Projection}).
     */
    static Layer projection(int width, int dim) {
        return dim == 0 ? new Projection(width) : Layers.dense(width, Math.sqrt(dim), 0);
    }

    private static void check(int degree, int width, int dim) {
        if (degree < 1 || width < 1 || dim < 0) {
            throw new IllegalArgumentException("degree, width and dim must be positive, got degree " + degree
                    + ", width " + width + ", dim " + dim + " (dim 0 or omitted: from the data)");
        }
    }
}
