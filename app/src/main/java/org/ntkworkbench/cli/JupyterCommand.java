package org.ntkworkbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ntkworkbench.jupyter.KernelMain;
import org.ntkworkbench.jupyter.KernelSpecs;
import org.ntkworkbench.jupyter.NtkKernel;
import org.ntkworkbench.spi.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ntk jupyter install [--user] [--prefix DIR]} and {@code ntk jupyter kernel CONNECTION_FILE} (started by Jupyter). */
@Command(name = "jupyter", description = "The Jupyter kernel \"" + NtkKernel.DISPLAY_NAME + "\".",
        subcommands = {JupyterCommand.Install.class, JupyterCommand.Kernel.class})
final class JupyterCommand implements Callable<Integer> {

    @ParentCommand
    NtkCommand root;

    @Override
    public Integer call() {
        System.err.println("ntk jupyter: expected a subcommand: install [--user] [--prefix DIR] | kernel CONNECTION_FILE");
        return ExitCodes.BAD_INPUT;
    }

    /** Writes the kernel spec. */
    @Command(name = "install", description = "Register the kernel \"" + NtkKernel.DISPLAY_NAME + "\" with Jupyter "
            + "(kernel.json starting this ntk launcher).")
    static final class Install implements Callable<Integer> {
        @ParentCommand
        JupyterCommand jupyter;

        @Option(names = "--user", description = "Install for the current user (~/.local/share/jupyter/kernels), not system-wide.")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Install into DIR/share/jupyter/kernels (e.g. a virtualenv).")
        Path prefix;

        @Override
        public Integer call() throws Exception {
            Path ntk = Path.of(System.getProperty("ntk.home", ".")).resolve("ntk").toAbsolutePath().normalize();
            if (!Files.isExecutable(ntk)) {
                System.err.println("ntk jupyter install: no executable launcher at " + ntk + " (run it as ./ntk jupyter install)");
                return ExitCodes.BAD_INPUT;
            }
            Path kernels = KernelSpecs.kernelsDir(user, prefix);
            try {
                Path dir = KernelSpecs.install(kernels, ntk);
                System.out.println("installed kernel spec '" + KernelSpecs.NAME + "' (" + NtkKernel.DISPLAY_NAME + ") in " + dir);
                System.out.println("start: jupyter notebook (choose \"" + NtkKernel.DISPLAY_NAME + "\"), or jupyter nbconvert --execute"
                        + " --ExecutePreprocessor.kernel_name=" + KernelSpecs.NAME + " NOTEBOOK.ipynb");
                return ExitCodes.OK;
            } catch (java.nio.file.AccessDeniedException e) {
                System.err.println("ntk jupyter install: cannot write " + kernels + " (permission denied); use --user or --prefix DIR");
                return ExitCodes.BAD_INPUT;
            }
        }
    }

    /** Serves one kernel session (Jupyter starts this through kernel.json). */
    @Command(name = "kernel", description = "Run the kernel on a Jupyter connection file (Jupyter starts this).")
    static final class Kernel implements Callable<Integer> {
        @ParentCommand
        JupyterCommand jupyter;

        @Parameters(paramLabel = "CONNECTION_FILE")
        Path connectionFile;

        @Option(names = "--runs", paramLabel = "DIR", description = "Parent of the session's run directory (default: $NTK_NOTEBOOK_RUNS or runs).")
        Path runs;

        @Override
        public Integer call() throws Exception {
            String env = System.getenv("NTK_NOTEBOOK_RUNS");
            Path base = runs != null ? runs : env != null && !env.isBlank() ? Path.of(env) : Path.of("runs");
            KernelMain.serve(jupyter.root.workbench(), connectionFile, base);
            return ExitCodes.OK;
        }
    }
}
