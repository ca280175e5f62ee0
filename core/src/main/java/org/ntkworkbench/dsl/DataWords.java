package org.ntkworkbench.dsl;

import java.util.List;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.ntkworkbench.data.Datasets;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.Values;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.tensor.Tensor;

/** DSL words for data: samplers, and saving/loading arrays. Thin sugar over {@link Datasets} and {@link ArrayIO}. */
public final class DataWords {
    private DataWords() {}

    /** Adds every data word to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(new WordInfo("sphere", "sphere(n, dim: d, seed: 0)",
                "n points uniform on the unit sphere S^{d-1}, as an (n, d) Tensor."), Sampler.class));
        out.add(WordBinding.of(new WordInfo("gaussian", "gaussian(n, dim: d, seed: 0)",
                "n standard normal points in R^d, as an (n, d) Tensor."), Sampler.class));
        out.add(WordBinding.of(new WordInfo("uniform", "uniform(n, lo: -1, hi: 1, seed: 0)",
                "n points uniform on [lo, hi), as an (n, 1) Tensor."), Sampler.class));
        out.add(WordBinding.of(new WordInfo("grid", "grid(n, lo: -1, hi: 1)",
                "n equally spaced points from lo to hi, as an (n, 1) Tensor."), Sampler.class));
        out.add(WordBinding.of(new WordInfo("circle", "circle(n, density: [4, 2, 1], seed: 0)",
                "n points on the unit circle with a piecewise-constant density over equal arcs; a CircleSample (points, angles, pieces)."),
                Sampler.class));
        out.add(WordBinding.of(new WordInfo("signals", "signals(n, positions: p, channels: c, seed: 0)",
                "n normalised multi-channel signals (n, p, c), each position uniform on S^{c-1}."), Sampler.class));
        out.add(WordBinding.of(new WordInfo("save", "save(name, tensor | [name: tensor, ...])",
                "Writes arrays/<name>.npy (or .npz for a map) into the run directory; returns the path."), Save.class));
        out.add(WordBinding.of(new WordInfo("load", "load('A.npy' | 'A.npz:NAME' | 'A.npz')",
                "Reads an array (or all arrays of an NPZ as a map)."), Load.class));
    }

    /** The sampling words; which one is decided by the word's name. */
    static final class Sampler implements DslWord {
        private final Datasets data;

        @Inject
        Sampler(Datasets data) {
            this.data = data;
        }

        @Override
        public Object call(DslArgs a) {
            int n = a.intArg(0);
            if (n < 1) {
                throw new DslException(a.word() + ": n must be positive, got " + n);
            }
            long seed = a.intNamed("seed", 0);
            try {
                return switch (a.word()) {
                    case "sphere" -> data.sphere(n, a.allowOnly("dim", "seed").intNamed("dim"), seed);
                    case "gaussian" -> data.gaussian(n, a.allowOnly("dim", "seed").intNamed("dim"), seed);
                    case "uniform" -> data.uniform(n, a.allowOnly("lo", "hi", "seed").doubleNamed("lo", -1),
                            a.doubleNamed("hi", 1), seed);
                    case "grid" -> data.grid(n, a.allowOnly("lo", "hi").doubleNamed("lo", -1), a.doubleNamed("hi", 1));
                    case "circle" -> data.circle(n, Values.doubles("circle", "density",
                            a.allowOnly("density", "seed").named().getOrDefault("density", java.util.List.of(1))), seed);
                    case "signals" -> data.signals(n, a.allowOnly("positions", "channels", "seed").intNamed("positions"),
                            a.intNamed("channels"), seed);
                    default -> throw new DslException("no sampler named " + a.word());
                };
            } catch (DslException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new DslException(a.word() + ": " + e.getMessage());
            }
        }
    }

    /** {@code save(name, tensor)}. */
    static final class Save implements DslWord {
        private final ArrayIO io;
        private final CurrentRun run;

        @Inject
        Save(ArrayIO io, CurrentRun run) {
            this.io = io;
            this.run = run;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object call(DslArgs a) {
            a.allowOnly();
            if (a.count() != 2 || !(a.positional(0) instanceof CharSequence)) {
                throw new DslException("save: expected save(name, tensor) or save(name, [key: tensor, ...])");
            }
            String name = a.positional(0).toString();
            try {
                if (a.positional(1) instanceof Map<?, ?> m) {
                    Map<String, Tensor> arrays = new java.util.LinkedHashMap<>();
                    m.forEach((k, v) -> arrays.put(String.valueOf(k), Values.tensor("save", "array " + k, v)));
                    Path p = run.get().arraysDir().resolve(name + ".npz");
                    io.writeNpz(p, arrays);
                    return p;
                }
                Path p = run.get().arraysDir().resolve(name + ".npy");
                io.writeNpy(p, Values.tensor("save", "argument 2", a.positional(1)));
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("save " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code load(spec)}. */
    static final class Load implements DslWord {
        private final ArrayIO io;

        @Inject
        Load(ArrayIO io) {
            this.io = io;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly();
            String spec = String.valueOf(a.positional(0));
            try {
                if (spec.endsWith(".npz")) {
                    var all = io.readNpz(Path.of(spec));
                    return all.size() == 1 ? all.values().iterator().next() : all;
                }
                return io.readArray(spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
    }
}
