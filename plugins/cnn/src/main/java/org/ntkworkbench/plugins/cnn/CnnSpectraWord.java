package org.ntkworkbench.plugins.cnn;

import com.google.inject.Inject;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/** {@code cnnSpectra(net, positions:, filter:, depth:, degrees:, resolution:)}: {@link CnnSpectra#compute}. */
final class CnnSpectraWord implements DslWord {
    static final WordInfo INFO = new WordInfo("cnnSpectra",
            "cnnSpectra(net, positions: p, filter: q, depth: 1, degrees: K, resolution: 2K+2)",
            "Multi-sphere eigenvalues on (S^1)^p of a model's CNTK (ntk) and CGPK (nngp), with the receptive fields of the conv stack; a CnnSpectra.");

    private final Spectra spectra;

    @Inject
    CnnSpectraWord(Spectra spectra) {
        this.spectra = spectra;
    }

    @Override
    public Object call(DslArgs a) {
        a.allowOnly("positions", "filter", "depth", "degrees", "resolution");
        if (!(a.positional(0) instanceof Layer net)) {
            throw new DslException("cnnSpectra: first argument must be a model, got " + a.positional(0));
        }
        try {
            int p = a.intNamed("positions");
            int k = a.intNamed("degrees");
            return CnnSpectra.compute(spectra, net, p,
                    ConvNets.receptiveFields(p, a.intNamed("filter"), a.intNamed("depth", 1)), k, a.intNamed("resolution", 2 * k + 2));
        } catch (IllegalArgumentException e) {
            throw new DslException("cnnSpectra: " + e.getMessage());
        }
    }
}
