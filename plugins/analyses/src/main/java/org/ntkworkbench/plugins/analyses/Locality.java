package org.ntkworkbench.plugins.analyses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ntkworkbench.plugins.cnn.CnnSpectra;
import org.ntkworkbench.spectrum.MultiSphereSpectrum;

/**
 * Locality study of Geifman et al. (2022) on the multi-sphere spectra of a conv net's CNTK and CGPK:
 * eigenvalues λ(k₁, …, k_p) grouped by their <em>support</em>, the positions j with k_j > 0. A tuple
 * belongs to a receptive field F when its support lies in F; a tuple in no field is non-local (the paper:
 * its eigenvalue is 0). Per field: the largest |λ| over its non-constant tuples and the power-law decay of
 * the largest |λ| with the total degree s = k₁ + … + k_p.
 *
 * <p>Each tuple's support is computed once, as a bit mask, when the study is built: the queries then run over
 * (K+1)^p masks and values without re-listing the spectra.
 */
public final class Locality {
    private final CnnSpectra spectra;
    private final Map<String, Tuples> tuples = new LinkedHashMap<>();

    /** The tuples of one spectrum: support mask, total degree and |λ| of each. */
    private record Tuples(int[] support, int[] totalDegree, double[] absValue, double maxAbs, int p, int maxDegree) {}

    /** The study on the CNTK ({@code ntk}) and CGPK ({@code nngp}) spectra with the receptive fields of {@code spectra}. */
    public Locality(CnnSpectra spectra) {
        this.spectra = spectra;
        for (String which : List.of("ntk", "nngp")) {
            MultiSphereSpectrum s = spectra.get(which);
            List<MultiSphereSpectrum.Entry> entries = s.entries();
            int n = entries.size();
            int[] support = new int[n], total = new int[n];
            double[] abs = new double[n];
            for (int i = 0; i < n; i++) {
                MultiSphereSpectrum.Entry e = entries.get(i);
                support[i] = mask(e.degrees());
                total[i] = e.totalDegree();
                abs[i] = Math.abs(e.value());
            }
            tuples.put(which, new Tuples(support, total, abs, s.maxAbs(), s.p(), s.maxDegree()));
        }
    }

    /** The spectra this study groups. */
    public CnnSpectra spectra() {
        return spectra;
    }

    private Tuples tuples(String which) {
        spectra.get(which);   // validates the name
        return tuples.get(which);
    }

    /**
     * One receptive field's eigenvalues.
     *
     * @param maxRel          largest |λ| over non-constant tuples with support in the field, / max |λ| overall
     * @param maxByTotalDegree largest |λ| at each total degree s = 0 … pK over the field's tuples (0 where none)
     * @param decaySlope      least-squares slope of log maxByTotalDegree[s] against log s over the non-zero
     *                        values with s in [2, K] (NaN with fewer than 2)
     */
    public record Field(Set<Integer> positions, double maxRel, double[] maxByTotalDegree, double decaySlope) {}

    /** The receptive fields (cyclic windows of positions). */
    public List<Set<Integer>> fields() {
        return spectra.fields();
    }

    /** Per-field statistics of spectrum {@code which} ('ntk' or 'nngp'), in the order of {@link #fields()}. */
    public List<Field> perField(String which) {
        Tuples t = tuples(which);
        List<Field> out = new ArrayList<>();
        for (Set<Integer> f : fields()) {
            int fm = mask(f);
            double[] best = new double[t.p() * t.maxDegree() + 1];
            for (int i = 0; i < t.support().length; i++) {
                if (t.totalDegree()[i] > 0 && (t.support()[i] & ~fm) == 0) {
                    best[t.totalDegree()[i]] = Math.max(best[t.totalDegree()[i]], t.absValue()[i]);
                }
            }
            double m = 0;
            for (double b : best) {
                m = Math.max(m, b);
            }
            out.add(new Field(Set.copyOf(new TreeSet<>(f)), m / t.maxAbs(), best, slope(best, 2, t.maxDegree(), t.maxAbs())));
        }
        return out;
    }

    /** max |λ| over tuples whose support lies in no receptive field, / max |λ| (0 when there are none). */
    public double nonlocalMaxRel(String which) {
        Tuples t = tuples(which);
        int[] fieldMasks = fieldMasks();
        double worst = 0;
        for (int i = 0; i < t.support().length; i++) {
            if (!local(t.support()[i], fieldMasks)) {
                worst = Math.max(worst, t.absValue()[i]);
            }
        }
        return worst / t.maxAbs();
    }

    /**
     * Largest |λ| / max |λ| for each support (the set of positions with k_j > 0, written like {@code [0, 1]}),
     * over all tuples with that support; the constant tuple has support {@code []}.
     */
    public Map<String, Double> maxRelBySupport(String which) {
        Tuples t = tuples(which);
        Map<Integer, Double> byMask = new LinkedHashMap<>();
        for (int i = 0; i < t.support().length; i++) {
            byMask.merge(t.support()[i], t.absValue()[i] / t.maxAbs(), Math::max);
        }
        Map<String, Double> out = new TreeMap<>();
        byMask.forEach((m, v) -> out.put(positions(m, t.p()).toString(), v));
        return out;
    }

    /** For each total degree s, the largest |λ| over all local tuples (the union of the fields). */
    public double[] localMaxByTotalDegree(String which) {
        Tuples t = tuples(which);
        int[] fieldMasks = fieldMasks();
        double[] best = new double[t.p() * t.maxDegree() + 1];
        for (int i = 0; i < t.support().length; i++) {
            if (local(t.support()[i], fieldMasks)) {
                best[t.totalDegree()[i]] = Math.max(best[t.totalDegree()[i]], t.absValue()[i]);
            }
        }
        return best;
    }

    /**
     * Slope of log(largest local |λ| at total degree s) against log s over s in [from, to], skipping
     * values below 1e-13 · max |λ| (zeros); throws when fewer than 2 remain.
     */
    public double localDecaySlope(String which, int from, int to) {
        double v = slope(localMaxByTotalDegree(which), from, to, tuples(which).maxAbs());
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("decay slope: fewer than 2 non-zero degrees in [" + from + ", " + to + "]");
        }
        return v;
    }

    /**
     * Named scalars: {@code <which>_nonlocal_max_rel}, {@code <which>_local_decay_slope} (s in [2, K]) and per
     * field i {@code <which>_field<i>_max_rel}, {@code <which>_field<i>_decay_slope}, for which = ntk, nngp.
     */
    public Map<String, Double> results() {
        Map<String, Double> r = new LinkedHashMap<>();
        for (String which : List.of("ntk", "nngp")) {
            r.put(which + "_nonlocal_max_rel", nonlocalMaxRel(which));
            r.put(which + "_local_decay_slope", localDecaySlope(which, 2, spectra.get(which).maxDegree()));
            List<Field> fs = perField(which);
            for (int i = 0; i < fs.size(); i++) {
                r.put(which + "_field" + i + "_max_rel", fs.get(i).maxRel());
                r.put(which + "_field" + i + "_decay_slope", fs.get(i).decaySlope());
            }
        }
        return r;
    }

    private int[] fieldMasks() {
        return fields().stream().mapToInt(Locality::mask).toArray();
    }

    private static boolean local(int support, int[] fieldMasks) {
        for (int f : fieldMasks) {
            if ((support & ~f) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Bit j set when k_j > 0. */
    private static int mask(int[] degrees) {
        if (degrees.length > 31) {
            throw new IllegalArgumentException("locality: at most 31 positions, got " + degrees.length);
        }
        int m = 0;
        for (int j = 0; j < degrees.length; j++) {
            if (degrees[j] > 0) {
                m |= 1 << j;
            }
        }
        return m;
    }

    private static int mask(Set<Integer> positions) {
        int m = 0;
        for (int j : positions) {
            m |= 1 << j;
        }
        return m;
    }

    private static List<Integer> positions(int mask, int p) {
        List<Integer> s = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            if ((mask & (1 << j)) != 0) {
                s.add(j);
            }
        }
        return s;
    }

    /** Log-log least-squares slope over s in [from, to] with best[s] > 1e-13 · max; NaN with fewer than 2 points. */
    private static double slope(double[] best, int from, int to, double max) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int s = Math.max(1, from); s <= Math.min(to, best.length - 1); s++) {
            if (best[s] > 1e-13 * max) {
                double x = Math.log(s), y = Math.log(best[s]);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                n++;
            }
        }
        return n < 2 ? Double.NaN : (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
