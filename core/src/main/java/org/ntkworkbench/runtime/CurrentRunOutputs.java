package org.ntkworkbench.runtime;

import com.google.inject.Inject;
import java.nio.file.Path;
import org.ntkworkbench.report.CurrentRun;
import org.ntkworkbench.spi.RunOutputs;

/** {@link RunOutputs} for plugins: the {@link CurrentRun} of the calling thread, read at each call. */
final class CurrentRunOutputs implements RunOutputs {
    private final CurrentRun current;

    @Inject
    CurrentRunOutputs(CurrentRun current) {
        this.current = current;
    }

    @Override
    public Path dir() {
        return current.get().dir();
    }

    @Override
    public Path plotsDir() {
        return current.get().plotsDir();
    }

    @Override
    public void result(String name, Object value) {
        current.get().result(name, value);
    }

    @Override
    public void log(String line) {
        current.get().log(line);
    }
}
