package org.ntkworkbench.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ntkworkbench.io.AtomicFiles;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@link RunContext} of DESIGN.md, on disk. Files are written to temporary names and renamed. */
public final class RunDirectory implements RunContext {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final String name;
    private final Path base;
    private final String script;
    private final String scriptSha256;
    private final Map<String, Object> parameters;
    private final List<String> plugins;
    private final LocalDateTime started = LocalDateTime.now();
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Long> seeds = new LinkedHashMap<>();
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private final Map<String, ResultInfo> resultInfo = new LinkedHashMap<>();
    private String[] lastReport;
    private Path dir;
    private BufferedWriter log;

    /**
     * @param base       parent of run directories ({@code runs} or {@code --out DIR})
     * @param scriptText the script source, hashed into the manifest (may be empty)
     */
    public RunDirectory(String name, Path base, String script, String scriptText, Map<String, Object> parameters,
                        List<String> plugins) {
        this.name = name;
        this.base = base;
        this.script = script;
        this.scriptSha256 = sha256(scriptText);
        this.parameters = new LinkedHashMap<>(parameters);
        this.plugins = List.copyOf(plugins);
    }

    /** Uses an existing directory as the run directory (for {@code --resume}). */
    public RunDirectory reuse(Path existing) {
        this.dir = existing;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /** The script path as given on the command line (for {@code file:line} messages). */
    public String script() {
        return script;
    }

    /** The {@code -P} parameters of this run, typed. */
    public Map<String, Object> parameters() {
        return new LinkedHashMap<>(parameters);
    }

    /** SHA-256 of the script text. */
    public String scriptSha256() {
        return scriptSha256;
    }

    @Override
    public synchronized Path dir() {
        if (dir == null) {
            try {
                Files.createDirectories(base);
                String stamp = started.format(STAMP);
                Path d = base.resolve(name + "-" + stamp);
                for (int i = 2; Files.exists(d); i++) {
                    d = base.resolve(name + "-" + stamp + "-" + i);
                }
                dir = Files.createDirectories(d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create run directory under " + base + ": " + e.getMessage(), e);
            }
        }
        return dir;
    }

    @Override
    public synchronized void result(String key, Object value) {
        results.put(key, RunContext.resultValue(key, value));
    }

    @Override
    public synchronized Map<String, Object> results() {
        return new LinkedHashMap<>(results);
    }

    @Override
    public synchronized void describeResult(String key, String description, String unit) {
        resultInfo.put(key, new ResultInfo(description == null ? "" : description, unit == null ? "" : unit));
    }

    @Override
    public synchronized Map<String, ResultInfo> resultInfo() {
        return new LinkedHashMap<>(resultInfo);
    }

    @Override
    public synchronized void reportWritten(String title, String notes) {
        lastReport = new String[] {title, notes};
    }

    @Override
    public synchronized String[] lastReport() {
        return lastReport == null ? null : lastReport.clone();
    }

    @Override
    public synchronized void seed(String what, long seed) {
        seeds.put(what, seed);
    }

    @Override
    public synchronized void timing(String stage, double seconds) {
        timings.put(stage, seconds);
    }

    @Override
    public synchronized void log(String line) {
        try {
            if (log == null) {
                log = Files.newBufferedWriter(dir().resolve("log.txt"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            log.write(line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log.txt: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void writeManifest(String status, String error) throws IOException {
        Map<String, Double> t = new LinkedHashMap<>(timings);
        t.put("total", (System.nanoTime() - startNanos) / 1e9);
        Manifest m = new Manifest(name, script, scriptSha256, parameters, seeds, Versions.current(), plugins,
                started.toString(), t, status, error, results, new LinkedHashMap<>(resultInfo), listFiles());
        writeAtomically(dir().resolve("manifest.json"), JSON.writeValueAsString(m));
        if (log != null && !"running".equals(status)) {
            log.close();
            log = null;
        }
    }

    private List<String> listFiles() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir())) {
            s.filter(Files::isRegularFile)
                    .map(p -> dir().relativize(p).toString())
                    .filter(p -> !p.equals("manifest.json") && !p.startsWith("."))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /** Writes text to a temporary file beside {@code target} and renames it into place. */
    public static void writeAtomically(Path target, String text) throws IOException {
        AtomicFiles.writeString(target, text);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
