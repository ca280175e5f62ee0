package org.ntkworkbench.cli;

import org.ntkworkbench.memory.MemoryPlanner;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --memory GB} for the commands that allocate big arrays (kernel, eigen, fit, run, train): the
 * budget the {@link MemoryPlanner} plans against (default: the JVM heap less 15 %). Set as soon as it is
 * parsed, so every service and DSL word of the run sees it. A mixin rather than a global option
 * because {@code ntk cluster start --memory} already means the memory of each worker.
 */
public final class MemoryOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** The budget given, in GB, or null. */
    private Double gigabytes;

    /** Sets the process-wide planner's budget; a value the heap cannot hold is a one-line usage error. */
    @Option(names = "--memory", paramLabel = "GB",
            description = "Memory budget for big arrays (default: the JVM heap less 15 %%); larger work goes blockwise "
                    + "through memory-mapped files or is refused. Raise the heap with NTK_JAVA_OPTS=-Xmx<N>g.")
    void memory(double gb) {
        try {
            MemoryPlanner.setCurrent(MemoryPlanner.ofGigabytes(gb));
            gigabytes = gb;
        } catch (IllegalArgumentException e) {
            // a ParameterException keeps picocli's one-line usage error (exit 2) instead of a wrapped trace
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The {@code --memory} given, in GB (as checked and set on the planner), or null without the option. */
    Double gigabytes() {
        return gigabytes;
    }
}
