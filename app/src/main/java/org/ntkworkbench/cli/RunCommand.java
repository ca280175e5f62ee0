package org.ntkworkbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ntkworkbench.dsl.ScriptRunner;
import org.ntkworkbench.runtime.Workbench;
import org.ntkworkbench.spi.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ntk run SCRIPT [--out DIR] [-Pkey=value …] [--resume] [--debug]}. */
@Command(name = "run", description = "Run an experiment script; results land in a run directory.")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @picocli.CommandLine.Mixin
    MemoryOption memoryOption;

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The Groovy experiment script.")
    Path script;

    @Option(names = "--out", paramLabel = "DIR", description = "Parent of the run directory (default: runs).")
    Path out = Path.of("runs");

    @Option(names = "-P", paramLabel = "key=value", description = "A script parameter, typed (integer, number, true/false, a,b list, text).")
    List<String> params = new ArrayList<>();

    @Option(names = "--resume", description = "Continue in the latest run directory of this script (under --out): steps whose outputs exist are skipped;"
            + " an experiment skips its complete points and continues the others after their last completed stage.")
    boolean resume;

    @Override
    public Integer call() {
        Map<String, Object> typed;
        try {
            typed = org.ntkworkbench.dsl.Parameters.parse(params);
        } catch (IllegalArgumentException e) {
            System.err.println("ntk run: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Workbench wb = root.workbench();
        ScriptRunner.Outcome o = new ScriptRunner(wb, System.out, System.err).run(script, typed, out, resume, root.debug);
        return o.exitCode();
    }
}
