package org.ntkworkbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.ntkworkbench.io.NpyReader;
import org.ntkworkbench.io.Npz;
import org.ntkworkbench.tensor.Tensor;

/**
 * {@code ntk rerun}'s logic, apart from running the command: read a manifest, check that the inputs it recorded are
 * unchanged, build the command line that re-runs it into a new run directory, and compare the new run's results and
 * output files with the recorded ones bit for bit.
 */
public final class Reproduction {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path manifest;
    private final Path folder;
    private final Map<String, Object> json;

    private Reproduction(Path manifest, Map<String, Object> json) {
        this.manifest = manifest.toAbsolutePath().normalize();
        this.folder = this.manifest.getParent();
        this.json = json;
    }

    /** Reads a run's manifest; one-line {@link IllegalArgumentException} when it is missing, unreadable or unfinished. */
    @SuppressWarnings("unchecked")
    public static Reproduction read(Path manifest) {
        if (Files.isDirectory(manifest) && Files.isRegularFile(manifest.resolve("manifest.json"))) {
            manifest = manifest.resolve("manifest.json");
        }
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(manifest + ": no such manifest");
        }
        Map<String, Object> m;
        try {
            m = RunDirectory.JSON.readValue(Files.readString(manifest), Map.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(manifest + ": not a readable manifest (" + firstLine(e.getMessage()) + ")");
        }
        if (m == null || !m.containsKey("status")) {
            throw new IllegalArgumentException(manifest + ": not a run manifest (no status)");
        }
        if (!"ok".equals(m.get("status"))) {
            throw new IllegalArgumentException(manifest + ": the run's status is " + m.get("status")
                    + "; only a run that finished (status ok) has results to reproduce");
        }
        return new Reproduction(manifest, m);
    }

    /** The manifest read, absolute. */
    public Path manifest() {
        return manifest;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Map<String, Object> m, String key) {
        return m != null && m.get(key) instanceof Map<?, ?> x ? (Map<String, Object>) x : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (m != null && m.get(key) instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> x) {
                    out.add((Map<String, Object>) x);
                }
            }
        }
        return out;
    }

    private Map<String, Object> provenance() {
        return map(json, "provenance");
    }

    /**
     * Why the run cannot be re-run as recorded (one line), or null: its script or an input file is missing or its
     * SHA-256 differs from the one recorded.
     */
    public String inputProblem() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> p = provenance();
        Map<String, Object> script = map(p, "script");
        String scriptPath = script != null ? (String) script.get("absolutePath") : legacyScript();
        String scriptSha = script != null ? (String) script.get("sha256") : (String) json.get("scriptSha256");
        if (scriptPath != null) {
            Path f = Path.of(scriptPath);
            if (!Files.isRegularFile(f)) {
                problems.add("script " + f + " is missing");
            } else {
                try {
                    String now = Provenance.scriptSha256(f);
                    if (scriptSha != null && !scriptSha.equals(now)) {
                        problems.add("script " + f + " changed (sha256 " + abbrev(scriptSha) + " recorded, now " + abbrev(now)
                                + (script != null && script.get("text") != null ? "; the recorded text is the manifest's provenance.script.text" : "")
                                + ")");
                    }
                } catch (IOException | RuntimeException e) {
                    problems.add("script " + f + " is unreadable (" + firstLine(e.getMessage()) + ")");
                }
            }
        }
        for (Map<String, Object> in : list(p, "inputs")) {
            Path f = Path.of((String) in.get("path"));
            String role = Objects.toString(in.get("role"), "read");
            String what = ("read".equals(role) ? "input " : role + " ") + f;
            if (!Files.isRegularFile(f)) {
                problems.add(what + " is missing");
                continue;
            }
            String[] h = Provenance.hash(f);
            if (h == null) {
                problems.add(what + " is unreadable");
            } else if (!h[0].equals(in.get("sha256"))) {
                problems.add(what + " changed (sha256 " + abbrev((String) in.get("sha256")) + " recorded, now " + abbrev(h[0]) + ")");
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return (problems.size() == 1 ? "" : problems.size() + " inputs differ from the run's: ") + String.join("; ", problems)
                + "; refusing to re-run " + manifest;
    }

    /** Number of input files recorded (the script counted). */
    public int inputCount() {
        Map<String, Object> p = provenance();
        return list(p, "inputs").size() + (map(p, "script") != null || legacyScript() != null ? 1 : 0);
    }

    /** A manifest from before provenance: its script, when it names a Groovy file. */
    private String legacyScript() {
        if (provenance() != null) {
            return null;
        }
        Object s = json.get("script");
        return s instanceof String str && str.endsWith(".groovy") ? Path.of(str).toAbsolutePath().normalize().toString() : null;
    }

    /**
     * The command line that re-runs the run, its outputs in a new run directory under {@code outParent} (default: beside
     * the recorded run), and where that run's manifest will be (null for {@code ntk run}, whose directory name has the
     * time in it: the session says).
     */
    public record Plan(List<String> argv, String command, Path newManifest, List<String> notes) {}

    /** The plan to re-run; one-line {@link IllegalArgumentException} when the manifest holds no command line. */
    @SuppressWarnings("unchecked")
    public Plan plan(Path outParent) {
        Map<String, Object> cmd = map(provenance(), "command");
        List<String> notes = new ArrayList<>();
        List<String> argv;
        String name;
        String kind;
        Path cwd;
        if (cmd != null && cmd.get("argv") instanceof List<?> a && cmd.get("name") != null) {
            argv = new ArrayList<>((List<String>) a);
            name = (String) cmd.get("name");
            kind = Objects.toString(cmd.get("outputKind"), "directory");
            cwd = Path.of(Objects.toString(cmd.get("cwd"), ""));
        } else if (legacyScript() != null) {
            // A manifest from before provenance: its script and -P parameters are all there is.
            argv = new ArrayList<>(List.of("run", (String) json.get("script")));
            Map<String, Object> params = map(json, "parameters");
            if (params != null) {
                params.forEach((k, v) -> argv.add("-P" + k + "=" + (v instanceof List<?> l
                        ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v))));
            }
            name = "run";
            kind = "parent";
            cwd = Path.of("").toAbsolutePath();
            notes.add("the manifest predates provenance: no input hashes or command line were recorded; re-running its script with its -P parameters");
        } else {
            throw new IllegalArgumentException(manifest + ": no command line recorded (a manifest written before ntk rerun existed, "
                    + "or by a run not started from the command line)");
        }
        if (name.equals("rerun")) {
            throw new IllegalArgumentException(manifest + ": records an ntk rerun, not a run");
        }
        Path here = Path.of("").toAbsolutePath().normalize();
        if (!cwd.toAbsolutePath().normalize().equals(here)) {
            notes.add("the run was made in " + cwd + "; its relative paths are resolved there (paths a script builds itself resolve against "
                    + here + ")");
        }
        // Drop what must not be repeated, make relative paths absolute against the recorded working directory.
        List<String> out = new ArrayList<>();
        String outValue = null;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--resume")) {
                continue;
            }
            if (a.equals("--out") && i + 1 < argv.size()) {
                outValue = argv.get(++i);
                continue;
            }
            if (a.startsWith("--out=")) {
                outValue = a.substring(6);
                continue;
            }
            out.add(absolutize(a, cwd, here));
        }
        Path recordedOut = outValue == null ? null : Provenance.filePart(outValue, cwd);
        Path newManifest;
        Path newOut;
        switch (kind) {
            case "parent" -> {
                // ntk run makes a new <name>-<time> directory under --out: beside the recorded run by default.
                newOut = outParent != null ? outParent.toAbsolutePath().normalize() : folder.getParent();
                newManifest = null;
            }
            case "file" -> {
                String file = recordedOut == null ? "out" : recordedOut.getFileName().toString();
                String stem = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
                Path dir = fresh(outParent != null ? outParent.toAbsolutePath().normalize() : folder, stem + "-rerun");
                newOut = dir.resolve(file);
                newManifest = RunDirectory.sidecarManifest(newOut);
            }
            default -> {
                newOut = fresh(outParent != null ? outParent.toAbsolutePath().normalize() : folder.getParent(),
                        folder.getFileName() + "-rerun");
                newManifest = newOut.resolve("manifest.json");
            }
        }
        out.add("--out");
        out.add(newOut.toString());
        return new Plan(List.copyOf(out), name, newManifest, notes);
    }

    /** {@code base/<name>-<time>[-k]}, not existing yet. */
    private static Path fresh(Path base, String name) {
        String stamp = LocalDateTime.now().format(STAMP);
        Path d = base.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(d); i++) {
            d = base.resolve(name + "-" + stamp + "-" + i);
        }
        return d;
    }

    /** A relative file argument (or {@code --opt=file}) made absolute against {@code cwd} when the working directory moved. */
    private static String absolutize(String a, Path cwd, Path here) {
        if (cwd.toAbsolutePath().normalize().equals(here)) {
            return a;
        }
        String prefix = "";
        String v = a;
        if (a.startsWith("--") && a.indexOf('=') > 0) {
            prefix = a.substring(0, a.indexOf('=') + 1);
            v = a.substring(prefix.length());
        } else if (a.startsWith("-")) {
            return a;
        }
        Path p = Provenance.filePart(v, cwd);
        if (p == null || Path.of(v.contains(".npz:") ? v.substring(0, v.toLowerCase(Locale.ROOT).lastIndexOf(".npz:") + 4) : v).isAbsolute()
                || !Files.exists(p)) {
            return a;
        }
        int npz = v.toLowerCase(Locale.ROOT).lastIndexOf(".npz:");
        return prefix + p + (npz >= 0 ? v.substring(npz + 4) : "");
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * What a comparison found.
     *
     * @param results     results compared
     * @param files       output files compared by SHA-256
     * @param differences what differs (results, data files; empty when reproduced bit for bit)
     * @param notes       what differs but is not a result (plots, environment, new files)
     */
    public record Comparison(int results, int files, List<String> differences, List<String> notes) {
        /** True when every result and output file is equal bit for bit. */
        public boolean identical() {
            return differences.isEmpty();
        }
    }

    /** Compares the run of {@code newManifest} with the recorded one. */
    @SuppressWarnings("unchecked")
    public Comparison compare(Path newManifest) {
        Map<String, Object> now;
        try {
            now = RunDirectory.JSON.readValue(Files.readString(newManifest), Map.class);
        } catch (IOException | RuntimeException e) {
            return new Comparison(0, 0, List.of("the new run's manifest " + newManifest + " is unreadable: " + firstLine(e.getMessage())),
                    List.of());
        }
        List<String> diffs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!"ok".equals(now.get("status"))) {
            diffs.add("status: ok -> " + now.get("status") + (now.get("error") == null ? "" : " (" + now.get("error") + ")"));
        }
        // Results: the same double has the same JSON text (shortest round trip), so equal values parse to equal bits.
        Map<String, Object> r0 = Objects.requireNonNullElse(map(json, "results"), Map.of());
        Map<String, Object> r1 = Objects.requireNonNullElse(map(now, "results"), Map.of());
        Set<String> keys = new LinkedHashSet<>(r0.keySet());
        keys.addAll(r1.keySet());
        for (String k : keys) {
            Object a = r0.get(k);
            Object b = r1.get(k);
            if (!r0.containsKey(k)) {
                diffs.add("result " + k + ": not in the recorded run, now " + b);
            } else if (!r1.containsKey(k)) {
                diffs.add("result " + k + ": " + a + " recorded, missing now");
            } else if (!sameValue(a, b)) {
                diffs.add("result " + k + ": " + a + " recorded, now " + b + delta(a, b));
            }
        }
        // Output files, by SHA-256.
        Path folder1 = newManifest.toAbsolutePath().normalize().getParent();
        Map<String, String> before = outputs(json, folder, notes, true);
        Map<String, String> after = outputs(now, folder1, notes, false);
        int files = 0;
        for (Map.Entry<String, String> e : before.entrySet()) {
            String rel = e.getKey();
            files++;
            String h1 = after.get(rel);
            if (h1 == null) {
                (Provenance.isRendering(rel) ? notes : diffs).add(rel + ": missing in the new run");
                continue;
            }
            Path old = folder.resolve(rel);
            String[] onDisk = Provenance.hash(old);
            if (onDisk != null && !onDisk[0].equals(e.getValue())) {
                diffs.add(rel + ": the recorded run's file was modified after the run (its sha256 no longer matches the manifest)"
                        + (onDisk[0].equals(h1) ? "" : "; " + contentDiff(old, folder1.resolve(rel))));
            }
            if (!h1.equals(e.getValue())) {
                String what = rel + ": differs (sha256 " + abbrev(e.getValue()) + " recorded, now " + abbrev(h1) + ")"
                        + (onDisk != null && onDisk[0].equals(e.getValue()) ? "; " + contentDiff(old, folder1.resolve(rel)) : "");
                (Provenance.isRendering(rel) ? notes : diffs).add(what + (Provenance.isRendering(rel) ? " (a rendering, not a result)" : ""));
            }
        }
        for (String rel : after.keySet()) {
            if (!before.containsKey(rel)) {
                notes.add(rel + ": written by the new run, not by the recorded one");
            }
        }
        // Environment and inputs: not results, but what to look at when results differ.
        Map<String, Object> e0 = map(provenance(), "environment");
        Map<String, Object> e1 = map(map(now, "provenance"), "environment");
        if (e0 != null && e1 != null) {
            for (String k : new TreeSet<>(e0.keySet())) {
                if (!Objects.equals(e0.get(k), e1.get(k))) {
                    notes.add("environment " + k + ": " + e0.get(k) + " -> " + e1.get(k));
                }
            }
        }
        Set<String> in0 = new TreeSet<>();
        Set<String> in1 = new TreeSet<>();
        list(provenance(), "inputs").forEach(i -> in0.add(i.get("path") + " " + i.get("sha256")));
        list(map(now, "provenance"), "inputs").forEach(i -> in1.add(i.get("path") + " " + i.get("sha256")));
        if (provenance() != null && !in0.equals(in1)) {
            Set<String> extra = new TreeSet<>(in1);
            extra.removeAll(in0);
            Set<String> gone = new TreeSet<>(in0);
            gone.removeAll(in1);
            notes.add("the new run read other inputs" + (extra.isEmpty() ? "" : "; also: " + String.join(", ", extra))
                    + (gone.isEmpty() ? "" : "; not: " + String.join(", ", gone)));
        }
        return new Comparison(keys.size(), files, diffs, notes);
    }

    /** Output file -> SHA-256: the recorded hashes, or (a manifest from before provenance) the files on disk now. */
    private Map<String, String> outputs(Map<String, Object> m, Path dir, List<String> notes, boolean recorded) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> p = map(m, "provenance");
        if (p != null) {
            for (Map<String, Object> o : list(p, "outputs")) {
                out.put((String) o.get("path"), (String) o.get("sha256"));
            }
            return out;
        }
        if (m.get("files") instanceof List<?> l) {
            if (recorded) {
                notes.add("the manifest predates provenance: output hashes are those of the recorded files on disk now");
            }
            for (Object f : l) {
                String rel = String.valueOf(f);
                String[] h = Provenance.isVolatile(rel) ? null : Provenance.hash(dir.resolve(rel));
                if (h != null) {
                    out.put(rel, h[0]);
                }
            }
        }
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double) && !(b instanceof Double)) {
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }

    private static String delta(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            double d = Math.abs(x.doubleValue() - y.doubleValue());
            double rel = d / Math.max(Math.abs(x.doubleValue()), Double.MIN_NORMAL);
            return String.format(Locale.ROOT, " (|diff| %.3g, relative %.3g)", d, rel);
        }
        return "";
    }

    /** How two versions of an output differ: per array for NPY/NPZ, the first differing line for text. */
    static String contentDiff(Path a, Path b) {
        String n = a.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (n.endsWith(".npy")) {
                return arrayDiff(NpyReader.read(a), NpyReader.read(b));
            }
            if (n.endsWith(".npz")) {
                Map<String, Tensor> x = Npz.read(a);
                Map<String, Tensor> y = Npz.read(b);
                List<String> parts = new ArrayList<>();
                Set<String> names = new LinkedHashSet<>(x.keySet());
                names.addAll(y.keySet());
                for (String k : names) {
                    if (!x.containsKey(k) || !y.containsKey(k)) {
                        parts.add(k + " only in " + (x.containsKey(k) ? "the recorded" : "the new") + " file");
                    } else {
                        String d = arrayDiff(x.get(k), y.get(k));
                        if (!d.equals("equal")) {
                            parts.add(k + " " + d);
                        }
                    }
                }
                return parts.isEmpty() ? "arrays equal (the files differ in layout only)" : String.join(", ", parts);
            }
            if (n.endsWith(".csv") || n.endsWith(".txt") || n.endsWith(".json")) {
                List<String> la = Files.readAllLines(a);
                List<String> lb = Files.readAllLines(b);
                for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                    String x = i < la.size() ? la.get(i) : "(end)";
                    String y = i < lb.size() ? lb.get(i) : "(end)";
                    if (!x.equals(y)) {
                        return "first difference at line " + (i + 1) + ": '" + clip(x) + "' vs '" + clip(y) + "'";
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "not compared (" + firstLine(e.getMessage()) + ")";
        }
        return "bytes differ";
    }

    private static String arrayDiff(Tensor x, Tensor y) {
        if (!java.util.Arrays.equals(x.shape(), y.shape())) {
            return "shape " + x.shapeString() + " -> " + y.shapeString();
        }
        double[] a = x.data();
        double[] b = y.data();
        long differ = 0;
        double max = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                differ++;
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            scale = Math.max(scale, Math.abs(a[i]));
        }
        if (differ == 0) {
            return "equal";
        }
        return String.format(Locale.ROOT, "%d of %d entries differ, max |diff| %.3g (relative to max |entry| %.3g)", differ, a.length, max,
                scale == 0 ? max : max / scale);
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static String abbrev(String sha) {
        return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) + "..." : sha;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
