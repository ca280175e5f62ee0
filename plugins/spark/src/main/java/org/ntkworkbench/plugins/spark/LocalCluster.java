package org.ntkworkbench.plugins.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ntkworkbench.spi.ArrayFiles;
import org.ntkworkbench.spi.ClusterControl;

/**
 * A real Spark standalone cluster on 127.0.0.1 made of child JVMs started from this JVM's own class
 * path (no Spark distribution needed): one {@code org.apache.spark.deploy.master.Master} and N
 * {@code org.apache.spark.deploy.worker.Worker}s, every port chosen free and bound to the loopback
 * address only ({@code --host 127.0.0.1}, {@code SPARK_LOCAL_IP=127.0.0.1}). The workers start
 * executors through Spark's launcher, which needs {@code SPARK_HOME} with a {@code jars/} folder (links
 * to the class path's jars) and a {@code RELEASE} file, and {@code SPARK_SCALA_VERSION=2.13}.
 *
 * <p>State ({@code cluster.properties}: URL, ports, pids) and logs live in the state directory; stop
 * kills exactly the recorded pids (and the executors they started), after checking each is still
 * one of ours.
 */
public final class LocalCluster implements ClusterControl {
    static final String STATE = "cluster.properties";
    private static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
    private static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Override
    public String start(Path stateDir, int workers, int cores, int memoryGb) throws IOException {
        if (workers < 1 || cores < 1 || memoryGb < 1) {
            throw new IllegalArgumentException("cluster start: --workers, --cores and --memory must be >= 1 (got "
                    + workers + ", " + cores + ", " + memoryGb + ")");
        }
        Files.createDirectories(stateDir);
        Optional<Properties> old = read(stateDir);
        if (old.isPresent() && !alive(old.get()).isEmpty()) {
            throw new IllegalArgumentException("a cluster is already running at " + old.get().getProperty("url") + " (state in "
                    + stateDir + "); run ntk cluster stop first");
        }
        Path sparkHome = sparkHome(stateDir);
        Path logs = Files.createDirectories(stateDir.resolve("logs"));
        int port = freePort(), ui = freePort();
        String url = "spark://127.0.0.1:" + port;
        Properties state = new Properties();
        state.setProperty("url", url);
        state.setProperty("masterWebUi", "http://127.0.0.1:" + ui);
        List<Process> started = new ArrayList<>();
        try {
            Process master = launch(sparkHome, logs.resolve("master.log"), "-Xmx512m -Dspark.master.rest.enabled=false", MASTER_CLASS,
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(ui));
            started.add(master);
            state.setProperty("master.pid", String.valueOf(master.pid()));
            awaitPort(master, port, logs.resolve("master.log"));
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(stateDir.resolve("work-" + w));
                Process worker = launch(sparkHome, logs.resolve("worker-" + w + ".log"), "-Xmx256m", WORKER_CLASS, url,
                        "--host", "127.0.0.1", "--port", String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()),
                        "--cores", String.valueOf(cores), "--memory", memoryGb + "g", "--work-dir", work.toString());
                started.add(worker);
                state.setProperty("worker." + w + ".pid", String.valueOf(worker.pid()));
            }
            state.setProperty("workers", String.valueOf(workers));
            write(stateDir, state);
            awaitWorkers(state, workers, started, logs);
            return url;
        } catch (IOException | RuntimeException e) {
            for (Process p : started) {
                kill(p.toHandle());
            }
            Files.deleteIfExists(stateDir.resolve(STATE));
            throw e;
        }
    }

    @Override
    public String stop(Path stateDir) throws IOException {
        Optional<Properties> state = read(stateDir);
        if (state.isEmpty()) {
            return "no cluster recorded in " + stateDir;
        }
        int stopped = 0;
        // Workers first (they take their executors down), then the master.
        List<String> keys = new ArrayList<>(pids(state.get()).keySet());
        java.util.Collections.reverse(keys);
        for (String role : keys) {
            Optional<ProcessHandle> h = ours(pids(state.get()).get(role));
            if (h.isPresent()) {
                kill(h.get());
                stopped++;
            }
        }
        Files.deleteIfExists(stateDir.resolve(STATE));
        return "stopped " + stopped + " process" + (stopped == 1 ? "" : "es") + " of the cluster at " + state.get().getProperty("url");
    }

    @Override
    public String status(Path stateDir) throws IOException {
        Optional<Properties> state = read(stateDir);
        if (state.isEmpty()) {
            return "no cluster recorded in " + stateDir;
        }
        StringBuilder sb = new StringBuilder(state.get().getProperty("url"));
        int aliveWorkers = aliveWorkers(state.get());
        sb.append(aliveWorkers >= 0 ? " (" + aliveWorkers + " workers registered)" : " (master not answering)");
        for (Map.Entry<String, Long> e : pids(state.get()).entrySet()) {
            sb.append('\n').append(e.getKey()).append(" pid ").append(e.getValue()).append(ours(e.getValue()).isPresent() ? " running" : " gone");
        }
        return sb.toString();
    }

    /** The recorded pids by role ({@code master}, {@code worker.0}, …), master first. */
    public static Map<String, Long> pids(Path stateDir) throws IOException {
        return read(stateDir).map(LocalCluster::pids).orElse(Map.of());
    }

    /** The master URL recorded in {@code stateDir}. */
    public static Optional<String> url(Path stateDir) throws IOException {
        return read(stateDir).map(p -> p.getProperty("url"));
    }

    // ---- processes -------------------------------------------------------------------------

    private Process launch(Path sparkHome, Path log, String heap, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(heap.split(" ")));
        cmd.addAll(SparkEngine.JVM_FLAGS);
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, ClassPath.entries()));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    /** {@code stateDir/spark-home}: {@code jars/} linking the class path's jars, and an empty {@code RELEASE}. */
    private static Path sparkHome(Path stateDir) throws IOException {
        Path home = stateDir.resolve("spark-home"), jars = home.resolve("jars");
        Files.createDirectories(jars);
        try (var old = Files.list(jars)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        for (String jar : ClassPath.jars()) {
            Path src = Path.of(jar), link = jars.resolve(src.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !src.getFileName().toString().startsWith("surefire")) {
                Files.createSymbolicLink(link, src);
            }
        }
        if (!Files.exists(home.resolve("RELEASE"))) {
            Files.writeString(home.resolve("RELEASE"), "");
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(Process p, int port, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Spark master exited at start (code " + p.exitValue() + "): " + lastError(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT.toSeconds()
                + " s; see " + log);
    }

    private static void awaitWorkers(Properties state, int workers, List<Process> started, Path logs) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < started.size(); i++) {
                if (!started.get(i).isAlive()) {
                    Path log = i == 0 ? logs.resolve("master.log") : logs.resolve("worker-" + (i - 1) + ".log");
                    throw new IllegalStateException((i == 0 ? "the master" : "worker " + (i - 1)) + " exited at start: " + lastError(log));
                }
            }
            if (aliveWorkers(state) >= workers) {
                return;
            }
            sleep(300);
        }
        throw new IllegalStateException("only " + Math.max(0, aliveWorkers(state)) + " of " + workers + " workers registered within "
                + START_TIMEOUT.toSeconds() + " s; see " + logs);
    }

    /** Workers the master reports alive (from its JSON page), or -1 when it does not answer. */
    static int aliveWorkers(Properties state) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(state.getProperty("masterWebUi") + "/json/"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(r.body());
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                if (l.contains("Exception") || l.contains("Error") || l.contains("ERROR")) {
                    return l.trim();
                }
            }
            return lines.isEmpty() ? "(empty log " + log + ")" : lines.get(lines.size() - 1).trim() + " (see " + log + ")";
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** Terminates {@code h} and its descendants (the executors a worker started): TERM, then KILL after 10 s. */
    static void kill(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
        all.add(h);
        for (ProcessHandle p : all) {
            p.destroy();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    /** The live process {@code pid} if it is still a Spark master/worker JVM (pids get reused). */
    static Optional<ProcessHandle> ours(Long pid) {
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> {
            String cmd = commandLine(h);
            return cmd == null || cmd.contains(MASTER_CLASS) || cmd.contains(WORKER_CLASS);
        });
    }

    /** The full command line ({@code /proc/PID/cmdline}: ProcessHandle.Info truncates long class paths), or null. */
    private static String commandLine(ProcessHandle h) {
        Path proc = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return new String(Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException e) {
            // fall back to what the JDK knows
        }
        return h.info().commandLine().orElse(null);
    }

    private static List<Long> alive(Properties state) {
        return pids(state).values().stream().filter(p -> ours(p).isPresent()).toList();
    }

    private static Map<String, Long> pids(Properties state) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (state.getProperty("master.pid") != null) {
            out.put("master", Long.parseLong(state.getProperty("master.pid")));
        }
        int workers = Integer.parseInt(state.getProperty("workers", "64"));
        for (int w = 0; w < workers; w++) {
            String p = state.getProperty("worker." + w + ".pid");
            if (p != null) {
                out.put("worker." + w, Long.parseLong(p));
            }
        }
        return out;
    }

    private static Optional<Properties> read(Path stateDir) throws IOException {
        Path f = stateDir.resolve(STATE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return Optional.of(p);
    }

    private static void write(Path stateDir, Properties p) throws IOException {
        ArrayFiles.writeAtomically(stateDir.resolve(STATE), (OutputStream out) -> p.store(out, "ntk cluster (pids are stopped by ntk cluster stop)"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cluster");
        }
    }

    @SuppressWarnings("unused")
    private static Map<String, String> env() {
        return new HashMap<>(System.getenv());
    }
}
