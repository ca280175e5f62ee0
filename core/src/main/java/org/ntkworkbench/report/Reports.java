package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.file.Path;

/** Human-readable reports of runs. */
public interface Reports {
    /**
     * Writes {@code report.html} into the run directory: its plots, a table of named results and the
     * manifest, readable offline. Returns the path.
     */
    Path writeHtml(RunContext run, String title, String notes) throws IOException;
}
