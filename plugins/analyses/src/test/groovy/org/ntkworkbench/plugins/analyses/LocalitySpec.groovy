package org.ntkworkbench.plugins.analyses

import org.ntkworkbench.plugins.cnn.CnnSpectra
import org.ntkworkbench.plugins.cnn.ConvNets
import org.ntkworkbench.spectrum.NativeSpectra
import spock.lang.Specification

class LocalitySpec extends Specification {

    static CnnSpectra spectra(int p, int q, int depth, int k) {
        def net = ConvNets.cnn(4, q, depth, ConvNets.Readout.FLATTEN, 1.0, 0.1)
        CnnSpectra.compute(new NativeSpectra(), net, p, ConvNets.receptiveFields(p, q, depth), k, 2 * k + 2)
    }

    def "the union of the fields agrees with the cnn plugin's own local statistics (a second implementation)"() {
        given: '(S^1)^4, filter 2, depth 1, degrees up to 6'
        def s = spectra(4, 2, 1, 6)
        def loc = new Locality(s)

        expect: 'non-local maximum, local maxima per total degree and the decay slope equal CnnSpectra to 1e-12'
        ['ntk', 'nngp'].every { w ->
            Math.abs(loc.nonlocalMaxRel(w) - s.nonlocalMaxRel(w)) < 1e-12 &&
                    Math.abs(loc.localDecaySlope(w, 2, 6) - s.localDecaySlope(w, 2, 6)) < 1e-12 &&
                    (0..<s.localMaxByTotalDegree(w).length).every { t -> loc.localMaxByTotalDegree(w)[t] == s.localMaxByTotalDegree(w)[t] }
        }

        and: 'for s >= 1 the union maximum is the largest of the per-field maxima'
        ['ntk', 'nngp'].every { w ->
            def fields = loc.perField(w)
            (1..<loc.localMaxByTotalDegree(w).length).every { t -> loc.localMaxByTotalDegree(w)[t] == fields.collect { it.maxByTotalDegree()[t] }.max() }
        }
    }

    def "circular convolution: every receptive field has the same eigenvalues (cyclic shift invariance), non-local ones vanish"() {
        given:
        def loc = new Locality(spectra(4, 2, 1, 6))

        expect: 'four fields {0,1}, {1,2}, {2,3}, {3,0}, equal maxima per total degree to 1e-10 relative, equal slopes'
        loc.fields().size() == 4
        ['ntk', 'nngp'].every { w ->
            def f = loc.perField(w)
            f.every { fi ->
                (0..<fi.maxByTotalDegree().length).every { t ->
                    Math.abs(fi.maxByTotalDegree()[t] - f[0].maxByTotalDegree()[t]) <= 1e-10 * f[0].maxRel() * loc.spectra().get(w).maxAbs()
                } && Math.abs(fi.decaySlope() - f[0].decaySlope()) < 1e-8 && fi.maxRel() > 1e-3
            }
        }

        and: 'Geifman et al.: products over positions 0 and 2 (no common field) are in the null space; adjacent ones are not'
        ['ntk', 'nngp'].every { w ->
            loc.nonlocalMaxRel(w) < 1e-10 && loc.maxRelBySupport(w)['[0, 2]'] < 1e-10 && loc.maxRelBySupport(w)['[0, 1]'] > 1e-4
        }

        and: 'local eigenvalues decay with the total degree, the CGPK (nngp) faster than the CNTK'
        loc.localDecaySlope('ntk', 2, 6) < -1
        loc.localDecaySlope('nngp', 2, 6) < loc.localDecaySlope('ntk', 2, 6)
    }

    def "two layers widen the fields to 3 positions: positions 0 and 2 now share a field and their products are non-zero"() {
        given:
        def loc = new Locality(spectra(4, 2, 2, 4))

        expect:
        loc.fields().every { it.size() == 3 }
        loc.maxRelBySupport('ntk')['[0, 2]'] > 1e-6
        loc.results().keySet().containsAll(['ntk_nonlocal_max_rel', 'nngp_local_decay_slope', 'ntk_field0_max_rel', 'nngp_field3_decay_slope'])
    }
}
