package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.file.Path;

/** Human-readable reports of runs. */
public interface Reports {
    /**
     * Writes {@code report.html} into the run directory: its notes, tables, a table of named results
     * with their descriptions and units, its plots with their notes, links to its arrays and the
     * manifest, readable offline. Returns the path. The run remembers the title and notes, so that
     * {@link #finish} can write the page again once the run has ended.
     */
    Path writeHtml(RunContext run, String title, String notes) throws IOException;

    /**
     * Called by the runner after the final manifest ({@code ok} or {@code failed}) is written: writes the
     * report again, if the run wrote one, so that it shows the final manifest. Returns the path or null.
     */
    default Path finish(RunContext run) throws IOException {
        return null;
    }
}
