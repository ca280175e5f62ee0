package org.ntkworkbench.plugins.analyses;

import com.google.inject.Inject;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.plugins.cnn.CnnSpectra;
import org.ntkworkbench.plugins.cnn.ConvNets;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/**
 * {@code locality(spectra)} on a {@link CnnSpectra} from {@code cnnSpectra(...)}, or
 * {@code locality(net, positions:, filter:, depth:, degrees:, resolution:)} which computes it first.
 */
final class LocalityWord implements DslWord {
    static final WordInfo INFO = new WordInfo("locality",
            "locality(cnnSpectra(...)) | locality(net, positions: p, filter: q, depth: 1, degrees: K, resolution: 2K+2)",
            "Multi-sphere CNTK/CGPK eigenvalues grouped by receptive field (Geifman et al. 2022): per-field max and decay, "
                    + "the non-local maximum, maxima by support; a Locality (results() gives named scalars).");

    private final Spectra spectra;

    @Inject
    LocalityWord(Spectra spectra) {
        this.spectra = spectra;
    }

    @Override
    public Object call(DslArgs a) {
        Object first = a.positional(0);
        if (first instanceof CnnSpectra s) {
            a.allowOnly();
            return new Locality(s);
        }
        if (!(first instanceof Layer net)) {
            throw new DslException("locality: expected cnnSpectra(...) or a model first, got " + first);
        }
        a.allowOnly("positions", "filter", "depth", "degrees", "resolution");
        try {
            int p = a.intNamed("positions");
            int k = a.intNamed("degrees");
            return new Locality(CnnSpectra.compute(spectra, net, p,
                    ConvNets.receptiveFields(p, a.intNamed("filter"), a.intNamed("depth", 1)), k, a.intNamed("resolution", 2 * k + 2)));
        } catch (IllegalArgumentException e) {
            throw new DslException("locality: " + e.getMessage());
        }
    }
}
