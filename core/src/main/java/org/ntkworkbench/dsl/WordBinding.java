package org.ntkworkbench.dsl;

import java.util.ArrayList;
import java.util.List;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.WordInfo;

/**
 * A core DSL word as data: its documentation and either the word itself ({@link #instance}) or the class Guice
 * constructs with its injected services ({@link #type}). {@link #core()} lists every core word once; the core
 * Guice module binds them in a loop ({@code DslBindings.addWord}) and the core-only workbench of {@code ntk kernel},
 * {@code spectrum} and {@code eigen} (no plugins, no injector) reads the same list, so the two cannot differ.
 *
 * @param info     name, usage and summary
 * @param instance the word, or null when Guice constructs it
 * @param type     the class Guice constructs (with {@code @Inject} services), or null when {@code instance} is given
 */
public record WordBinding(WordInfo info, DslWord instance, Class<? extends DslWord> type) {

    /** A word that needs nothing injected. */
    public static WordBinding of(WordInfo info, DslWord instance) {
        return new WordBinding(info, instance, null);
    }

    /** A word Guice constructs (its constructor takes services). */
    public static WordBinding of(WordInfo info, Class<? extends DslWord> type) {
        return new WordBinding(info, null, type);
    }

    /** Every core word, in the order the core module bound them before session 7 (fresh word instances on each call). */
    public static List<WordBinding> core() {
        List<WordBinding> out = new ArrayList<>();
        CoreWords.words(out);
        DataWords.words(out);
        PredictWords.words(out);
        LayerWords.words(out);
        SpectrumWords.words(out);
        TrainWords.words(out);
        ResidualWords.words(out);
        out.add(of(ConsistencyWord.INFO, ConsistencyWord.class));
        out.add(of(MonteCarloKernelWord.INFO, new MonteCarloKernelWord()));
        ExperimentWords.words(out);
        return out;
    }
}
