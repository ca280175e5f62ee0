package org.ntkworkbench.jupyter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.ntkworkbench.runtime.Workbench;

/** Runs the kernel on a Jupyter connection file until the client shuts it down. */
public final class KernelMain {
    private KernelMain() {}

    /**
     * Connects {@link NtkKernel} to the sockets named in {@code connectionFile} and blocks until the
     * client closes the connection. The session's runs go under {@code runsBase}.
     */
    public static void serve(Workbench workbench, Path connectionFile, Path runsBase) throws Exception {
        KernelConnectionProperties props = KernelConnectionProperties.parse(read(connectionFile));
        NtkKernel kernel = NtkKernel.create(workbench, runsBase);
        JupyterConnection connection = new JupyterConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }

    /**
     * {@code KernelMain CONNECTION_FILE [RUNS_DIR]}: starts a workbench (class-path plugins) and serves one
     * session; what {@code ntk jupyter kernel} does without the launcher (used by the notebook test).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: KernelMain CONNECTION_FILE [RUNS_DIR]");
            System.exit(2);
        }
        serve(Workbench.start(java.util.List.of()), Path.of(args[0]), Path.of(args.length > 1 ? args[1] : "runs"));
        System.exit(0);
    }

    private static String read(Path f) throws IOException {
        if (!Files.isReadable(f)) {
            throw new IllegalArgumentException(f + ": cannot read the Jupyter connection file");
        }
        return Files.readString(f);
    }
}
