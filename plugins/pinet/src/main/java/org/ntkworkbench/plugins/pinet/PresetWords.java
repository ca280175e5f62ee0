package org.ntkworkbench.plugins.pinet;

import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/** {@code ccp(degree:, width:, dim:)}, {@code ncp(degree:, width:, dim:)}, {@code hadamardNet(degree:, width:, dim:)}, {@code reluPlusOne()}. */
final class PresetWords implements DslWord {
    static final WordInfo CCP = new WordInfo("ccp", "ccp(degree: N, width: m, dim: d (optional))",
            "The CCP polynomial net of Wu et al. 2022 on unit inputs in R^d (d from the data unless dim: is given; no bias, N(0,1) weights, output sqrt(2/m) w.y).");
    static final WordInfo NCP = new WordInfo("ncp", "ncp(degree: N, width: m, dim: d (optional))",
            "The NCP (nested) polynomial net on unit inputs in R^d (d from the data unless dim: is given): y_1 = relu(W_1 x), y_n = relu(W_n x) * (sqrt(2/m) S_n y_(n-1)), output sqrt(2/m) w.y; no bias, N(0,1) weights.");
    static final WordInfo HADAMARD = new WordInfo("hadamardNet", "hadamardNet(degree: N, width: m, dim: d (optional))",
            "The pure Hadamard-product net y = prod_n relu(W_n x), output sqrt(2/m) w.y (Wu et al. 2022); d from the data unless dim: is given.");
    static final WordInfo RELU_PLUS_ONE = new WordInfo("reluPlusOne", "reluPlusOne()",
            "max(x, 0) + 1, the factor of a CCP step (closed-form kernel).");

    @Override
    public Object call(DslArgs a) {
        try {
            return switch (a.word()) {
                case "reluPlusOne" -> new ReluPlusOne();
                case "ccp" -> PolynomialNets.ccp(a.allowOnly("degree", "width", "dim").intNamed("degree"),
                        a.intNamed("width"), a.intNamed("dim", 0));
                case "ncp" -> PolynomialNets.ncp(a.allowOnly("degree", "width", "dim").intNamed("degree"),
                        a.intNamed("width"), a.intNamed("dim", 0));
                case "hadamardNet" -> PolynomialNets.hadamardNet(a.allowOnly("degree", "width", "dim").intNamed("degree"),
                        a.intNamed("width"), a.intNamed("dim", 0));
                default -> throw new DslException("pinet has no word " + a.word());
            };
        } catch (DslException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DslException(a.word() + ": " + e.getMessage());
        }
    }
}
