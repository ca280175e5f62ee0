package org.ntkworkbench.dsl;

import com.google.inject.Inject;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.io.ArrayIO;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.report.Reports;
import org.ntkworkbench.spi.DslArgs;
import org.ntkworkbench.spi.DslException;
import org.ntkworkbench.spi.DslWord;
import org.ntkworkbench.spi.PointExecutor;
import org.ntkworkbench.spi.PointJob;
import org.ntkworkbench.spi.WordInfo;
import org.ntkworkbench.train.Training;

/** The {@code experiment} word: declarative sweeps with per-point stages, caching, resume and a report. */
public final class ExperimentWords {
    private ExperimentWords() {}

    public static final WordInfo EXPERIMENT = new WordInfo("experiment",
            "experiment('name') { grid width: [64, 256], seed: 0..2; data { p -> [x: x, y: y] }; model { p -> net }; "
                    + "train { p, ctx -> [steps: 200, lr: 0.5] }; analyse { p, ctx -> [err: e] }; report { table(…); plot(…) } }",
            "Runs one point per parameter combination (in parallel, each with its explicit seed p.seed) through the stages "
                    + "data, model, train, analyse into `points/<point>/` (arrays, params.npz, status.json), then the report stage "
                    + "over all points; results go to manifest.json as `<point>/<name>`; --resume skips completed points and stages.");

    /**
     * The words inside {@code experiment { … }} and its report stage, for the DSL reference (they are not
     * top-level words).
     */
    public static final List<WordInfo> BLOCK_WORDS = List.of(
            new WordInfo("grid", "grid(width: [64, 256, 1024], seed: 0..2)",
                    "Sweeps every combination of the given axes (lists, ranges or single values: numbers, strings, booleans); "
                            + "several grid/sweep calls multiply. Points are named width=64_seed=0."),
            new WordInfo("sweep", "sweep(seed: 0..4) | sweep(lr: [0.1, 1], steps: [1000, 100])",
                    "One axis; several axes of equal length are paired, not crossed."),
            new WordInfo("threads", "threads 2",
                    "Points computed at once (default: half the processors, at least 1; -Pthreads=N overrides). "
                            + "Results do not depend on it."),
            new WordInfo("engine", "engine 'spark' | engine 'spark', master: 'spark://127.0.0.1:7077'",
                    "Computes the points as tasks of that engine (plugins/spark; default master local[*]) into the same run directory, "
                            + "with the same resume and report; -Pengine=spark and -Pmaster=URL override. Results do not depend on it."),
            new WordInfo("notes", "notes 'text'", "A paragraph for report.html."),
            new WordInfo("data", "data { p -> [x: x, y: y, …] }",
                    "The point's data as a map; tensors are saved as `points/<point>/arrays/<key>.npy` and reused by --resume. "
                            + "Stages see it as ctx.data (ctx.x for short)."),
            new WordInfo("model", "model { p, ctx -> serial(dense(p.width), relu(), dense(1)) }",
                    "The point's model (a value, rebuilt when a later stage needs it); ctx.model."),
            new WordInfo("train", "train { p, ctx -> [steps: 200, lr: 0.5, loss:, optimizer:, batch:, seed: p.seed, x:, y:] }",
                    "Training options for the Training service (trains ctx.model on the data's x and y, seeded with p.seed), "
                            + "or a TrainingResult of your own train(...), or null; saves params.npz and loss.csv; ctx.training, ctx.params."),
            new WordInfo("analyse", "analyse { p, ctx -> [test_rmse: e, …] }",
                    "The point's named scalar results (analyze is accepted too); saved in status.json, "
                            + "in manifest.json as `<point>/<name>`."),
            new WordInfo("report", "report { r -> table('by_width', groupBy: 'width'); plot('err', series: [mean: series(x: 'width', y: 'err')]) }",
                    "Runs once over all points (r.points, r.ok; failed points included with their error); a returned map "
                            + "adds run results; report.html follows."),
            new WordInfo("table", "table(name) | table(name, groupBy: 'width' | ['a', 'b']) | table(name, rows: [[a: 1], …])",
                    "In report: `tables/<name>.csv`, shown in report.html; per point, or per group with n and each "
                            + "result's mean and sample std; returns the rows."),
            new WordInfo("series", "series(x: 'width', y: 'err', by: 'depth', stat: 'mean'|'median'|'min'|'max'|'std')",
                    "In report: [xs, ys] of a result against a numeric axis over the completed points (or a map "
                            + "'depth=2': [xs, ys] with by:), for plot(series: …)."));

    /** Adds the {@code experiment} word to {@code out} ({@link WordBinding#core}). */
    public static void words(List<WordBinding> out) {
        out.add(WordBinding.of(EXPERIMENT, ExperimentWord.class));
    }

    /** {@code experiment('name') { … }}. */
    static final class ExperimentWord implements DslWord {
        private final CurrentRun current;
        private final Training training;
        private final ArrayIO io;
        private final Reports reports;

        @Inject
        ExperimentWord(CurrentRun current, Training training, ArrayIO io, Reports reports) {
            this.current = current;
            this.training = training;
            this.io = io;
            this.reports = reports;
        }

        @Override
        public Object call(DslArgs a) {
            a.allowOnly("threads", "notes");
            if (a.count() != 2 || !(a.positional(0) instanceof CharSequence) || !(a.positional(1) instanceof Closure<?> body)) {
                throw new DslException("experiment: expected experiment('name') { grid(width: [64, 256]); model { p -> … }; … }");
            }
            String name = a.positional(0).toString();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new DslException("experiment: name '" + name + "' must be letters, digits, '_', '.' or '-'");
            }
            Script script = scriptOf(body);
            ExperimentSpec spec = new ExperimentSpec(name, script, (DslContext) script.getBinding().getVariable(NtkScript.WORKBENCH));
            if (a.has("threads")) {
                spec.threads(a.intNamed("threads"));
            }
            spec.notes = a.stringNamed("notes", "");
            Closure<?> c = (Closure<?>) body.clone();
            c.setDelegate(spec);
            c.setResolveStrategy(Closure.DELEGATE_FIRST);
            c.call();
            if (!spec.stages.containsKey("analyse") && !spec.stages.containsKey("train") && !spec.stages.containsKey("report")) {
                throw new DslException("experiment '" + name + "': declares no train, analyse or report stage, so it would compute nothing");
            }
            PointJob target = PointWorker.target();
            if (target != null) {
                // A worker re-running the script for one point of the driver's run (PointWorker).
                if (name.equals(target.experiment())) {
                    PointWorker.done(new ExperimentRunner(spec, PointWorker.runOf(target, workbench(script)), current, training, io, reports,
                            null).computeOne(target.point()));
                }
                return List.of();
            }
            String engine = runnerParameter(script, "engine", spec.engine);
            PointExecutor executor;
            if (engine == null || engine.equals("local")) {
                executor = new ThreadPoolPointExecutor(threads(script, spec), "experiment-" + name);
            } else {
                try {
                    executor = EngineKernels.engine(engine, runnerParameter(script, "master", spec.master)).points();
                } catch (IllegalArgumentException e) {
                    throw new DslException("experiment '" + name + "': " + e.getMessage());
                }
            }
            ExperimentRunner runner = new ExperimentRunner(spec, current.get(), current, training, io, reports, executor);
            List<PointOutcome> outcomes = runner.run();
            return outcomes;
        }

        private static DslContext workbench(Script script) {
            return (DslContext) script.getBinding().getVariable(NtkScript.WORKBENCH);
        }

        /** {@code -Pkey=value} (a runner parameter), else the block's setting {@code dflt}. */
        private static String runnerParameter(Script script, String key, String dflt) {
            Object p = script.getBinding().hasVariable(NtkScript.PARAMS)
                    && script.getBinding().getVariable(NtkScript.PARAMS) instanceof Map<?, ?> m ? m.get(key) : null;
            return p != null ? p.toString() : dflt;
        }

        /** {@code -Pthreads=N}, else the block's {@code threads n}, else half the processors (BLAS uses the rest). */
        private static int threads(Script script, ExperimentSpec spec) {
            Object p = script.getBinding().hasVariable(NtkScript.PARAMS)
                    && script.getBinding().getVariable(NtkScript.PARAMS) instanceof Map<?, ?> m ? m.get("threads") : null;
            if (p != null) {
                if (!(p instanceof Integer n) || n < 1) {
                    throw new DslException("parameter 'threads' must be a positive integer, got " + DslArgs.describe(p));
                }
                return n;
            }
            if (spec.threads != null) {
                return spec.threads;
            }
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }

        private static Script scriptOf(Closure<?> c) {
            Object o = c.getOwner();
            while (o instanceof Closure<?> outer) {
                o = outer.getOwner();
            }
            if (!(o instanceof Script s)) {
                throw new DslException("experiment: must be called from a script");
            }
            return s;
        }
    }
}
