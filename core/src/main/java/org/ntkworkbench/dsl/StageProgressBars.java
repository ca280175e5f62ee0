package org.ntkworkbench.dsl;

import java.io.Console;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar per stage counting the points that finished it: stacked bars on a terminal, ASCII
 * lines (printed when the count changes) otherwise. Off with {@code -Dntk.progress=false}.
 */
final class StageProgressBars implements AutoCloseable {
    private final Map<String, ProgressBar> bars = new LinkedHashMap<>();

    /** Bars for {@code stages} counting to {@code points}; none when there are no points or progress is off. */
    StageProgressBars(List<String> stages, int points) {
        if (points == 0 || "false".equals(System.getProperty("ntk.progress"))) {
            return;
        }
        Console console = System.console();
        boolean tty = console != null && console.isTerminal();
        for (String s : stages) {
            ProgressBarConsumer consumer = tty ? new InteractiveConsoleProgressBarConsumer(System.err)
                    : new DelegatingProgressBarConsumer(new ChangedLines(), 80);
            bars.put(s, new ProgressBarBuilder()
                    .setTaskName(String.format("%-7s", s))
                    .setInitialMax(points)
                    .setStyle(tty ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(consumer)
                    .setUpdateIntervalMillis(tty ? 200 : 1000)
                    .continuousUpdate()
                    .build());
        }
    }

    /** One more point finished {@code stage}. */
    void step(String stage) {
        ProgressBar b = bars.get(stage);
        if (b != null) {
            b.step();
        }
    }

    /** A failed point counts as finished for every stage it will not reach. */
    void fail(String stage) {
        for (Map.Entry<String, ProgressBar> e : bars.entrySet()) {
            if (PointStages.ORDER.indexOf(e.getKey()) >= PointStages.ORDER.indexOf(stage)) {
                e.getValue().step();
            }
        }
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
    }

    /** Prints a bar's line only when its text before the timing part changes (no flood in log files). */
    private static final class ChangedLines implements java.util.function.Consumer<String> {
        private String last = "";

        @Override
        public synchronized void accept(String line) {
            int paren = line.indexOf('(');
            String key = paren > 0 ? line.substring(0, paren) : line;
            if (!key.equals(last)) {
                last = key;
                System.err.println(line.strip());
            }
        }
    }
}
