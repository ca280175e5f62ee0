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

    /**
     * The batch form of a {@link PairMap} on a row segment of a dense kernel: for {@code 0 ≤ m < len}, with
     * {@code v1 = a}, {@code v2 = varB[b0 + m]} and {@code c = nngp[off + m]}, it writes {@code nngp[off + m] = T}
     * and, when {@code ntk} is not null, {@code ntk[off + m] = T' · ntk[off + m]}. It must do per entry exactly
     * the operations of its map in the same order (same bits: the fused pass uses it, the layer-by-layer rule the
     * map), written next to the map; it only saves the per-entry calls and {@code out} arrays and lets the
     * arithmetic run over the segment in plain loops.
     */
    @FunctionalInterface
    public interface RowMap {
        /** Maps the {@code len} entries at {@code nngp[off…]} (and {@code ntk[off…]}, when not null) in place, as described above. */
        void row(double a, double[] varB, int b0, int len, double[] nngp, double[] ntk, int off);
    }

    private final String name;
    private final PairMap map;
    private final RowMap rowMap;

    /** A closed-form dual named {@code name}; {@code map} must be a pure function of its arguments. */
    public PairwiseDual(String name, PairMap map) {
        this(name, map, null);
    }

    /**
     * A closed-form dual named {@code name} with the batch form {@code rowMap} of {@code map} ({@code null}:
     * none; the fused pass then calls {@code map} entry by entry).
     */
    public PairwiseDual(String name, PairMap map, RowMap rowMap) {
        this.name = name;
        this.map = map;
        this.rowMap = rowMap;
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
    Rows rows(double[] varA, double[] varB) {
        RowMap r = rowMap;
        return r == null ? null : (ia, ib0, len, nngp, ntk, off) -> r.row(varA[ia], varB, ib0, len, nngp, ntk, off);
    }

    @Override
    public String toString() {
        return "Dual[" + name + "]";
    }
}
