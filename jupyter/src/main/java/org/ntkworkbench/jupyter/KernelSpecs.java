package org.ntkworkbench.jupyter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ntkworkbench.io.AtomicFiles;

/**
 * Jupyter kernel specs: {@code <kernels dir>/ntk-workbench/kernel.json} whose argv starts the kernel
 * through the {@code ntk} launcher ({@code ntk jupyter kernel {connection_file}}).
 */
public final class KernelSpecs {
    private KernelSpecs() {}

    /** The kernel spec's directory name (what {@code jupyter kernelspec list} and notebooks call it). */
    public static final String NAME = "ntk-workbench";

    /**
     * The kernels directory: {@code --prefix P} gives {@code P/share/jupyter/kernels}; {@code user} gives
     * {@code $JUPYTER_DATA_DIR/kernels} or {@code $XDG_DATA_HOME/jupyter/kernels} ({@code ~/.local/share}
     * by default); else the system-wide {@code /usr/local/share/jupyter/kernels}.
     */
    public static Path kernelsDir(boolean user, Path prefix) {
        if (prefix != null) {
            return prefix.resolve("share/jupyter/kernels");
        }
        if (user) {
            String data = System.getenv("JUPYTER_DATA_DIR");
            if (data != null && !data.isBlank()) {
                return Path.of(data, "kernels");
            }
            String xdg = System.getenv("XDG_DATA_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
            return base.resolve("jupyter/kernels");
        }
        return Path.of("/usr/local/share/jupyter/kernels");
    }

    /** The kernel.json text for a launcher at {@code ntk} (absolute path). */
    public static String kernelJson(Path ntk) {
        List<String> argv = List.of(ntk.toAbsolutePath().toString(), "jupyter", "kernel", "{connection_file}");
        StringBuilder b = new StringBuilder("{\n  \"argv\": [");
        for (int i = 0; i < argv.size(); i++) {
            b.append(i > 0 ? ", " : "").append('"').append(argv.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append("],\n  \"display_name\": \"").append(NtkKernel.DISPLAY_NAME)
                .append("\",\n  \"language\": \"groovy\",\n  \"interrupt_mode\": \"message\"\n}\n").toString();
    }

    /** Writes the kernel spec for launcher {@code ntk} into {@code kernelsDir}; returns its directory. */
    public static Path install(Path kernelsDir, Path ntk) throws IOException {
        Path dir = Files.createDirectories(kernelsDir.resolve(NAME));
        AtomicFiles.writeString(dir.resolve("kernel.json"), kernelJson(ntk));
        return dir;
    }
}
