package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * {@link Reports} as one self-contained HTML page with relative links to the run's plots, tables and
 * arrays. Order: title and status, notes, tables (a table's caption is {@code tables/<name>.txt}), results
 * (name, value, unit, description), plots (caption: the plot's note {@code plots/<name>.txt}), arrays,
 * files, the manifest.
 */
public final class HtmlReports implements Reports {

    @Override
    public Path writeHtml(RunContext run, String title, String notes) throws IOException {
        run.reportWritten(title, notes);
        run.writeManifest("running", null);
        return render(run, title, notes);
    }

    @Override
    public Path finish(RunContext run) throws IOException {
        String[] last = run.lastReport();
        return last == null ? null : render(run, last[0], last[1]);
    }

    private Path render(RunContext run, String title, String notes) throws IOException {
        String manifestText = Files.readString(run.dir().resolve("manifest.json"));
        JsonNode manifest = RunDirectory.JSON.readTree(manifestText);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}"
                        + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left;vertical-align:top}"
                        + "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
                        + "th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee;margin:.5em 0}"
                        + "figcaption{font-size:90%;color:#444}.status{padding:.4em .8em;border-radius:4px;display:inline-block}"
                        + ".ok{background:#e6f4ea}.failed{background:#fce8e6}.running{background:#fef7e0}"
                        + "pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:12px}caption{text-align:left;font-weight:bold;padding:.3em 0}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        appendStatus(h, manifest);
        if (notes != null && !notes.isBlank()) {
            for (String para : notes.strip().split("\\n\\s*\\n")) {
                h.append("<p>").append(esc(para.strip()).replace("\n", "<br>\n")).append("</p>\n");
            }
        }
        appendTables(h, run);
        appendResults(h, run);
        appendPlots(h, run);
        appendArrays(h, run);
        h.append("<h2>Files</h2>\n<p><a href=\"manifest.json\">manifest.json</a>");
        if (Files.exists(run.dir().resolve("log.txt"))) {
            h.append(" · <a href=\"log.txt\">log.txt</a>");
        }
        h.append("</p>\n<h2>Manifest</h2>\n<pre id=\"manifest\">").append(esc(manifestText)).append("</pre>\n</body></html>\n");
        Path out = run.dir().resolve("report.html");
        RunDirectory.writeAtomically(out, h.toString());
        return out;
    }

    private static void appendStatus(StringBuilder h, JsonNode m) {
        String status = m.path("status").asString("unknown");
        h.append("<p class=\"status ").append(esc(status)).append("\">Status: <b>").append(esc(status)).append("</b>");
        JsonNode total = m.path("timings").path("total");
        if (total.isNumber()) {
            h.append(" · ").append(String.format(Locale.ROOT, "%.1f s", total.asDouble()));
        }
        JsonNode started = m.path("started");
        if (!started.isMissingNode() && !started.isNull()) {
            h.append(" · started ").append(esc(started.asString()));
        }
        JsonNode params = m.path("parameters");
        if (params.isObject() && !params.isEmpty()) {
            h.append(" · parameters ").append(esc(params.toString()));
        }
        if ("running".equals(status)) {
            h.append(" (this page was written while the run was in progress; the runner writes it again when the run ends)");
        }
        JsonNode error = m.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            h.append("<br>Error: ").append(esc(error.asString()));
        }
        h.append("</p>\n");
    }

    private static void appendTables(StringBuilder h, RunContext run) throws IOException {
        List<Path> csvs = list(run.dir().resolve("tables"), ".csv");
        if (csvs.isEmpty()) {
            return;
        }
        h.append("<h2>Tables</h2>\n");
        for (Path csv : csvs) {
            List<List<String>> lines = Tables.read(csv);
            if (lines.isEmpty()) {
                continue;
            }
            String rel = run.dir().relativize(csv).toString();
            Path captionFile = Path.of(csv.toString().replaceAll("\\.csv$", ".txt"));
            String caption = Files.exists(captionFile) ? Files.readString(captionFile).strip() : "";
            h.append("<table><caption>").append(esc(caption.isEmpty() ? rel : caption))
                    .append(" <a href=\"").append(esc(rel)).append("\">(CSV)</a></caption>\n<tr>");
            lines.get(0).forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr>\n");
            for (List<String> row : lines.subList(1, lines.size())) {
                h.append("<tr>");
                row.forEach(c -> h.append(isNumber(c) ? "<td class=\"num\">" : "<td>").append(esc(formatCell(c))).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void appendResults(StringBuilder h, RunContext run) {
        // Run-level results first, then the per-point ones of an experiment (named <point>/<name>).
        Map<String, Object> results = new LinkedHashMap<>();
        run.results().forEach((k, v) -> {
            if (!k.contains("/")) {
                results.put(k, v);
            }
        });
        run.results().forEach((k, v) -> {
            if (k.contains("/")) {
                results.put(k, v);
            }
        });
        if (results.isEmpty()) {
            return;
        }
        Map<String, RunContext.ResultInfo> info = run.resultInfo();
        h.append("<h2>Results</h2>\n<table><tr><th>name</th><th>value</th><th>unit</th><th>description</th></tr>\n");
        results.forEach((k, v) -> {
            RunContext.ResultInfo i = info.get(k);
            if (i == null && k.contains("/")) {
                i = info.get(k.substring(k.lastIndexOf('/') + 1));
            }
            h.append("<tr><td><code>").append(esc(k)).append("</code></td><td class=\"num\">").append(esc(format(v)))
                    .append("</td><td>").append(i == null ? "" : esc(i.unit()))
                    .append("</td><td>").append(i == null ? "" : esc(i.description())).append("</td></tr>\n");
        });
        h.append("</table>\n");
    }

    private static void appendPlots(StringBuilder h, RunContext run) throws IOException {
        List<Path> pngs = list(run.dir().resolve("plots"), ".png");
        if (pngs.isEmpty()) {
            return;
        }
        h.append("<h2>Plots</h2>\n");
        for (Path p : pngs) {
            String rel = run.dir().relativize(p).toString();
            String base = rel.substring(0, rel.length() - 4);
            Path noteFile = run.dir().resolve(base + ".txt");
            String note = Files.exists(noteFile) ? Files.readString(noteFile).strip() : "";
            h.append("<figure><img src=\"").append(esc(rel)).append("\" alt=\"").append(esc(p.getFileName().toString()))
                    .append("\"><figcaption>").append(esc(p.getFileName().toString()))
                    .append(" (<a href=\"").append(esc(base + ".svg")).append("\">SVG</a>)");
            if (!note.isEmpty()) {
                h.append("<br>").append(esc(note));
            }
            h.append("</figcaption></figure>\n");
        }
    }

    private static void appendArrays(StringBuilder h, RunContext run) throws IOException {
        List<Path> arrays = new ArrayList<>(list(run.dir().resolve("arrays"), ".npy"));
        arrays.addAll(list(run.dir().resolve("arrays"), ".npz"));
        if (arrays.isEmpty()) {
            return;
        }
        h.append("<h2>Arrays</h2>\n<p>NumPy files (<code>np.load</code>):</p>\n<ul>\n");
        for (Path a : arrays.stream().sorted().toList()) {
            String rel = run.dir().relativize(a).toString();
            h.append("<li><a href=\"").append(esc(rel)).append("\">").append(esc(rel)).append("</a> (")
                    .append(bytes(Files.size(a))).append(")</li>\n");
        }
        h.append("</ul>\n");
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(suffix)).sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static String bytes(long n) {
        return n < 1024 ? n + " B" : n < 1 << 20 ? String.format(Locale.ROOT, "%.1f kB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", n / 1048576.0);
    }

    private static boolean isNumber(String c) {
        try {
            Double.parseDouble(c);
            return !c.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A CSV cell for reading: decimals with a fraction or exponent to 6 significant digits, the rest as written. */
    private static String formatCell(String c) {
        if (c.matches("-?\\d+")) {
            return c;
        }
        try {
            return format(Double.parseDouble(c));
        } catch (NumberFormatException e) {
            return c;
        }
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) >= 1e-3 && Math.abs(d) < 1e5 || d == 0 ? String.format(Locale.ROOT, "%.6g", d)
                    : String.format(Locale.ROOT, "%.4e", d);
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
