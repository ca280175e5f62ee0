package org.ntkworkbench.dsl;

import java.util.List;
import com.google.inject.Inject;
import groovy.lang.Closure;
import java.util.function.DoubleUnaryOperator;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.ntkworkbench.kernel.Kernel;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.spectrum.DecayFit;
import org.ntkworkbench.spectrum.RotationInvariance;
import org.ntkworkbench.spectrum.Spectra;
import org.ntkworkbench.spectrum.SphereSpectrum;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Tensor;

/** DSL words for spectra on spheres; thin sugar over {@link Spectra}. */
public final class SpectrumWords {
    private SpectrumWords() {}

    /** Adds these words to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(new WordInfo("sphereSpectrum",
                "sphereSpectrum(model | { t -> kappa(t) } | kernelObject, dim: d, degrees: K, get: 'ntk'|'nngp')",
                "Funk-Hecke eigenvalues mu_0..mu_K (uniform probability measure) of a dot-product kernel on S^{d-1}; "
                        + "a model's kernel is first checked to be rotation-invariant."), SphereSpectrumWord.class));
        out.add(WordBinding.of(new WordInfo("decayFit", "decayFit(spectrum, from: 1, to: K, parity: 'all'|'even'|'odd')",
                "Least-squares fit mu_k ~ C k^exponent in log-log over the non-zero degrees, with a 95% interval."),
                new DecayFitWord()));
    }

    /**
     * The profile κ(t) of a dot-product kernel given as a closure of t, an object with {@code ntk(double)}
     * / {@code nngp(double)} methods (e.g. the pinet {@code ccpKernel}), or a model (its analytic kernel,
     * checked for rotation invariance on S^{d−1}).
     */
    public static DoubleUnaryOperator profile(Object kernel, int d, String get) {
        if (!get.equals("ntk") && !get.equals("nngp")) {
            throw new DslException("get: must be 'ntk' or 'nngp', got '" + get + "'");
        }
        if (kernel instanceof Closure<?> c) {
            return t -> ((Number) c.call(t)).doubleValue();
        }
        if (kernel instanceof Layer net) {
            RotationInvariance.SphereKernel k = (x, y) -> {
                Kernel out = net.kernel(Tensor.of(x.clone(), 1, d), Tensor.of(y.clone(), 1, d));
                Tensor v = get.equals("ntk") ? out.ntk() : out.nngp();
                if (v.size() != 1) {
                    throw new DslException("the model's output kernel has shape " + v.shapeString()
                            + "; a spectrum needs a model with one output unit and no spatial axes");
                }
                return v.data()[0];
            };
            try {
                return RotationInvariance.checkAndExtract(k, d, 8, 0, 1e-9);
            } catch (IllegalArgumentException e) {
                throw new DslException(e.getMessage() + " (bias and dot-product layers keep invariance; e.g. layers that act per coordinate do not)");
            }
        }
        if (kernel != null && InvokerHelper.getMetaClass(kernel).respondsTo(kernel, get, new Object[] {0.0}).size() > 0) {
            return t -> ((Number) InvokerHelper.invokeMethod(kernel, get, t)).doubleValue();
        }
        throw new DslException("expected a model, a closure { t -> kappa(t) } or a kernel with " + get
                + "(t), got " + DslArgs.describe(kernel));
    }

    static final class SphereSpectrumWord implements DslWord {
        private final Spectra spectra;

        @Inject
        SphereSpectrumWord(Spectra spectra) {
            this.spectra = spectra;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("dim", "degrees", "get");
            int d = a.intNamed("dim");
            int k = a.intNamed("degrees");
            if (d < 2 || k < 0) {
                throw new DslException("sphereSpectrum: needs dim >= 2 and degrees >= 0, got dim " + d + ", degrees " + k);
            }
            return spectra.sphere(profile(a.positional(0), d, a.stringNamed("get", "ntk")), d, k);
        }
    }

    static final class DecayFitWord implements DslWord {
        @Override
        public Object call(DslArgs a) {
            a.allowOnly("from", "to", "parity");
            if (!(a.positional(0) instanceof SphereSpectrum s)) {
                throw new DslException("decayFit: expected a spectrum from sphereSpectrum(...), got " + DslArgs.describe(a.positional(0)));
            }
            DecayFit.Parity parity;
            try {
                parity = DecayFit.Parity.valueOf(a.stringNamed("parity", "all").toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DslException("decayFit: parity must be 'all', 'even' or 'odd'");
            }
            try {
                return DecayFit.fit(s, a.intNamed("from", 1), a.intNamed("to", s.maxDegree()), parity);
            } catch (IllegalArgumentException e) {
                throw new DslException("decayFit: " + e.getMessage());
            }
        }
    }
}
