package org.ntkworkbench.plugins.cnn;

import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/** {@code cnn(dim: 1, channels:, filter:, depth:, readout:, wStd:, bStd:)} and {@code receptiveFields(positions:, filter:, depth:)}. */
final class CnnWords implements DslWord {
    static final WordInfo CNN = new WordInfo("cnn",
            "cnn(dim: 1|2, channels: c, filter: q, depth: 1, readout: 'flatten'|'gap', wStd: 1, bStd: 0)",
            "Circular conv net on signals (n, p, c) (dim: 1) or images (n, h, w, c) (dim: 2): depth x [conv(c, filter: [q] or [q, q], padding: 'CIRCULAR'), relu()], readout, dense(1); kernels = CNTK/CGPK.");
    static final WordInfo RECEPTIVE_FIELDS = new WordInfo("receptiveFields",
            "receptiveFields(positions: p, filter: q, depth: L) | receptiveFields(height: h, width: w, filter: q, depth: L)",
            "The positions each output of a circular conv stack sees: cyclic windows of size L(q-1)+1 (2-D: square windows on the torus, positions r*w + c), as a list of sets.");

    @Override
    public Object call(DslArgs a) {
        try {
            return switch (a.word()) {
                case "cnn" -> {
                    a.allowOnly("dim", "channels", "filter", "depth", "readout", "wStd", "bStd");
                    yield ConvNets.cnn(a.intNamed("dim", 1), a.intNamed("channels"), a.intNamed("filter"), a.intNamed("depth", 1),
                            ConvNets.Readout.parse(a.stringNamed("readout", "flatten")),
                            a.doubleNamed("wStd", 1.0), a.doubleNamed("bStd", 0.0));
                }
                case "receptiveFields" -> a.allowOnly("positions", "height", "width", "filter", "depth").has("positions")
                        ? ConvNets.receptiveFields(a.intNamed("positions"), a.intNamed("filter"), a.intNamed("depth", 1))
                        : ConvNets.receptiveFields2d(a.intNamed("height"), a.intNamed("width"), a.intNamed("filter"), a.intNamed("depth", 1));
                default -> throw new DslException("cnn has no word " + a.word());
            };
        } catch (DslException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DslException(a.word() + ": " + e.getMessage());
        }
    }
}
