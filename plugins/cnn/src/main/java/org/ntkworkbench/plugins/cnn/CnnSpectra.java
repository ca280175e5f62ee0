package org.ntkworkbench.plugins.cnn;

import java.util.List;
import java.util.Set;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spectrum.MultiSphereSpectrum;
import org.ntkworkbench.spectrum.Spectra;

/**
 * Eigenvalues λ(k₁, …, k_p) on (S¹)^p (uniform probability measure) of a conv net's CNTK and CGPK,
 * with the receptive fields that decide which products of harmonics are local: a tuple is local when
 * its positions with k_j > 0 all lie in one receptive field (Geifman et al. 2022: the eigenvalues of
 * non-local products vanish).
 */
public record CnnSpectra(MultiSphereSpectrum ntk, MultiSphereSpectrum nngp, List<Set<Integer>> fields) {

    /**
     * Both spectra through {@link Spectra#multiSphere} with c = 2 and an angle grid of {@code resolution}
     * points per axis (even, ≥ 2K+2); the kernel is tabulated on that grid's nodes cos(2πm/M),
     * m = 0 … M/2, in batches of 4096 tuples first.
     */
    public static CnnSpectra compute(Spectra spectra, Layer net, int p, List<Set<Integer>> fields, int maxDegree, int resolution) {
        if (resolution % 2 != 0 || resolution < 2 * maxDegree + 2) {
            throw new IllegalArgumentException("resolution must be even and >= 2K+2 = " + (2 * maxDegree + 2) + ", got " + resolution);
        }
        double[] nodes = new double[resolution / 2 + 1];
        for (int m = 0; m < nodes.length; m++) {
            nodes[m] = Math.cos(2 * Math.PI * m / resolution);   // the bits MultiSphereSpectra.circles asks for
        }
        CircleKernelFunction.Tabulated f = new CircleKernelFunction(net, p).tabulate(nodes, 4096);
        return new CnnSpectra(spectra.multiSphere(f.ntk(), 2, p, maxDegree, resolution),
                spectra.multiSphere(f.nngp(), 2, p, maxDegree, resolution), List.copyOf(fields));
    }

    /** The spectrum named {@code 'ntk'} (CNTK) or {@code 'nngp'} (CGPK). */
    public MultiSphereSpectrum get(String which) {
        return switch (which) {
            case "ntk" -> ntk;
            case "nngp" -> nngp;
            default -> throw new IllegalArgumentException("spectrum '" + which + "' is not 'ntk' or 'nngp'");
        };
    }

    /** max |λ| over non-local tuples divided by max |λ| over all tuples (0 when every tuple is local). */
    public double nonlocalMaxRel(String which) {
        MultiSphereSpectrum s = get(which);
        double worst = 0;
        for (MultiSphereSpectrum.Entry e : s.entries()) {
            if (!ConvNets.isLocal(e.degrees(), fields)) {
                worst = Math.max(worst, Math.abs(e.value()));
            }
        }
        return worst / s.maxAbs();
    }

    /** For each total degree s = 0 … pK, the largest |λ| over local tuples with k₁ + … + k_p = s. */
    public double[] localMaxByTotalDegree(String which) {
        MultiSphereSpectrum s = get(which);
        double[] best = new double[s.p() * s.maxDegree() + 1];
        for (MultiSphereSpectrum.Entry e : s.entries()) {
            if (ConvNets.isLocal(e.degrees(), fields)) {
                best[e.totalDegree()] = Math.max(best[e.totalDegree()], Math.abs(e.value()));
            }
        }
        return best;
    }

    /**
     * Least-squares slope of log(largest local |λ| at total degree s) against log s over s in
     * [from, to], skipping values below 1e-13 · max |λ| (zeros).
     */
    public double localDecaySlope(String which, int from, int to) {
        double[] best = localMaxByTotalDegree(which);
        double thr = 1e-13 * get(which).maxAbs();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int s = Math.max(1, from); s <= Math.min(to, best.length - 1); s++) {
            if (best[s] > thr) {
                double x = Math.log(s), y = Math.log(best[s]);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("decay slope: fewer than 2 non-zero degrees in [" + from + ", " + to + "]");
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
