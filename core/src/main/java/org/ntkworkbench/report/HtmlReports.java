package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@link Reports} as one self-contained HTML page with relative links to the run's PNG plots. */
public final class HtmlReports implements Reports {

    @Override
    public Path writeHtml(RunContext run, String title, String notes) throws IOException {
        run.writeManifest("running", null);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}"
                        + "th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee;margin:.5em 0}"
                        + "pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:12px}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        if (notes != null && !notes.isBlank()) {
            h.append("<p>").append(esc(notes)).append("</p>\n");
        }
        Path tables = run.dir().resolve("tables");
        if (Files.isDirectory(tables)) {
            List<Path> csvs = new ArrayList<>();
            try (Stream<Path> s = Files.list(tables)) {
                s.filter(p -> p.toString().endsWith(".csv")).sorted().forEach(csvs::add);
            }
            if (!csvs.isEmpty()) {
                h.append("<h2>Tables</h2>\n");
            }
            for (Path csv : csvs) {
                appendTable(h, run.dir().relativize(csv).toString(), Tables.read(csv));
            }
        }
        // Run-level results first, then the per-point ones of an experiment (named <point>/<name>).
        Map<String, Object> results = new java.util.LinkedHashMap<>();
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
        if (!results.isEmpty()) {
            h.append("<h2>Results</h2>\n<table><tr><th>name</th><th>value</th></tr>\n");
            results.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>")
                    .append(esc(format(v))).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        List<Path> pngs = new ArrayList<>();
        Path plots = run.dir().resolve("plots");
        if (Files.isDirectory(plots)) {
            try (Stream<Path> s = Files.list(plots)) {
                s.filter(p -> p.toString().endsWith(".png")).sorted().forEach(pngs::add);
            }
        }
        if (!pngs.isEmpty()) {
            h.append("<h2>Plots</h2>\n");
            for (Path p : pngs) {
                String rel = run.dir().relativize(p).toString();
                String svg = rel.substring(0, rel.length() - 4) + ".svg";
                h.append("<figure><img src=\"").append(esc(rel)).append("\" alt=\"").append(esc(p.getFileName().toString()))
                        .append("\"><figcaption>").append(esc(p.getFileName().toString()))
                        .append(" (<a href=\"").append(esc(svg)).append("\">SVG</a>)</figcaption></figure>\n");
            }
        }
        h.append("<h2>Manifest</h2>\n<pre>")
                .append(esc(Files.readString(run.dir().resolve("manifest.json"))))
                .append("</pre>\n</body></html>\n");
        Path out = run.dir().resolve("report.html");
        RunDirectory.writeAtomically(out, h.toString());
        return out;
    }

    private static void appendTable(StringBuilder h, String file, List<List<String>> lines) {
        if (lines.isEmpty()) {
            return;
        }
        h.append("<h3>").append(esc(file)).append("</h3>\n<table><tr>");
        lines.get(0).forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> row : lines.subList(1, lines.size())) {
            h.append("<tr>");
            row.forEach(c -> h.append("<td>").append(esc(formatCell(c))).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
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
            return Math.abs(d) >= 1e-3 && Math.abs(d) < 1e5 || d == 0 ? String.format("%.6g", d) : String.format("%.4e", d);
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
