package org.ntkworkbench.plugins.cnn;

import org.ntkworkbench.dsl.DslArgs;
import org.ntkworkbench.dsl.DslException;
import org.ntkworkbench.dsl.DslWord;
import org.ntkworkbench.dsl.WordInfo;

/** {@code cnn(dim: 1, channels:, filter:, depth:, readout:, wStd:, bStd:)} and {@code receptiveFields(positions:, filter:, depth:)}. */
final class CnnWords implements DslWord {
    static final WordInfo CNN = new WordInfo("cnn",
            "cnn(dim: 1, channels: c, filter: q, depth: 1, readout: 'flatten'|'gap', wStd: 1, bStd: 0)",
            "1-D circular conv net on signals (n, p, c): depth x [conv(c, filter: [q], padding: 'CIRCULAR'), relu()], readout, dense(1); kernels = CNTK/CGPK.");
    static final WordInfo RECEPTIVE_FIELDS = new WordInfo("receptiveFields",
            "receptiveFields(positions: p, filter: q, depth: L)",
            "The positions each output of a circular conv stack sees: cyclic windows of size L(q-1)+1, as a list of sets.");

    @Override
    public Object call(DslArgs a) {
        try {
            return switch (a.word()) {
                case "cnn" -> {
                    a.allowOnly("dim", "channels", "filter", "depth", "readout", "wStd", "bStd");
                    if (a.intNamed("dim", 1) != 1) {
                        throw new DslException("cnn: only dim: 1 (signals) is supported, got " + a.intNamed("dim", 1));
                    }
                    yield ConvNets.cnn(a.intNamed("channels"), a.intNamed("filter"), a.intNamed("depth", 1),
                            ConvNets.Readout.parse(a.stringNamed("readout", "flatten")),
                            a.doubleNamed("wStd", 1.0), a.doubleNamed("bStd", 0.0));
                }
                case "receptiveFields" -> ConvNets.receptiveFields(
                        a.allowOnly("positions", "filter", "depth").intNamed("positions"), a.intNamed("filter"), a.intNamed("depth", 1));
                default -> throw new DslException("cnn has no word " + a.word());
            };
        } catch (DslException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DslException(a.word() + ": " + e.getMessage());
        }
    }
}
