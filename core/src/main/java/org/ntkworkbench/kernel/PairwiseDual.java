package org.ntkworkbench.kernel;

/**
 * A dual activation given in closed form by a pure function of one pair's
 * {@code (Σ11, Σ22, Σ12)}; see the factories of {@link Dual} for the formulas.
 */
public final class PairwiseDual extends EntrywiseDual {

    /** {@code out[0] = T(Σ)}, {@code out[1] = T'(Σ)} for variances {@code v1, v2} and covariance {@code c}. */
    @FunctionalInterface
    public interface PairMap {
        void eval(double v1, double v2, double c, double[] out);
    }

    private final String name;
    private final PairMap map;

    /** A closed-form dual named {@code name}; {@code map} must be a pure function of its arguments. */
    public PairwiseDual(String name, PairMap map) {
        this.name = name;
        this.map = map;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double t(double v1, double v2, double c) {
        double[] out = new double[2];
        map.eval(v1, v2, c, out);
        return out[0];
    }

    @Override
    public double tDot(double v1, double v2, double c) {
        double[] out = new double[2];
        map.eval(v1, v2, c, out);
        return out[1];
    }

    @Override
    Pairs prepare(double[] varA, double[] varB) {
        return (ia, ib, c, out) -> map.eval(varA[ia], varB[ib], c, out);
    }

    @Override
    public String toString() {
        return "Dual[" + name + "]";
    }
}
