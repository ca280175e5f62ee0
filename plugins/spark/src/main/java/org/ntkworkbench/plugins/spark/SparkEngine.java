package org.ntkworkbench.plugins.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ntkworkbench.spectrum.BlockKrylovEigensolver;
import org.ntkworkbench.spectrum.EigenDecomposition;
import org.ntkworkbench.spectrum.SymmetricOperator;
import org.ntkworkbench.spectrum.TopKOptions;
import org.ntkworkbench.spi.ComputeEngine;
import org.ntkworkbench.tensor.Blas;
import org.ntkworkbench.tensor.Tensor;
import scala.Tuple2;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The Spark engine: one {@link JavaSparkContext} (default master {@code local[*]}, embedded) on
 * which kernels are computed as tiles, one task per tile, with the core's own kernel code, and solves
 * and spectra run as one Spark job per operator application over the cached tiles.
 *
 * <p>Set-up that matters (shared/STACK.md): the driver and every executor listen on 127.0.0.1 only;
 * no web UI; executors get the JVM flags (add-opens, native access), {@code LD_LIBRARY_PATH} for the
 * native BLAS and this JVM's class path ({@code spark.executor.extraClassPath}) when the master is on
 * this machine, or the class path's jars ({@code spark.jars}) when it is not.
 */
public final class SparkEngine implements ComputeEngine {
    /** JVM options executors need on JDK 25 (what spark-submit adds) plus the workbench's own. */
    public static final List<String> JVM_FLAGS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Dsmile.linalg.backend=native");

    /**
     * What makes one Spark core one thread of computation in an executor JVM: the kernel code splits its rows
     * over the common fork-join pool (parallel streams), sized by the processors the JVM sees, not by the
     * cores Spark gave the executor; with parallelism 0 a task computes on its own thread only, and c
     * concurrent tasks use c cores. Without it a "1-core" executor computed every tile on two threads (the
     * task thread and one pool worker: measured, docs/scale.md). OpenBLAS likewise gets one thread per task
     * ({@code spark.executorEnv.OPENBLAS_NUM_THREADS=1}, unless the options set it).
     */
    public static final String ONE_THREAD_PER_TASK = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=0";

    /** Engine option (not a Spark setting): {@code false} ships no classes to executors (tests of a missing plugin jar). */
    public static final String SHIP_CLASSES = "ntk.shipClasses";
    /**
     * Engine option: seconds a job may wait without any executor before it is cancelled (default: 60 s
     * stretched by the machine's load per core, up to 10×, when the job starts; executors are JVMs that
     * start slowly on a busy machine).
     */
    public static final String EXECUTOR_TIMEOUT = "ntk.executorTimeoutSeconds";
    /**
     * Engine option: tile size (rows and columns of one task's tile; default: the system property of the same
     * name, else 1024; {@code NTK_JAVA_OPTS=-Dntk.tile=2048} for the engine that commands and scripts open).
     */
    public static final String TILE = "ntk.tile";
    /**
     * Engine option: {@code false} sends every tile's arrays to the driver through Spark (what executors on
     * other machines must do); default {@code true}: tasks on the driver's machine place their tiles in the
     * output themselves and only an acknowledgement travels.
     */
    public static final String DIRECT = "ntk.direct";
    /** Below this many bytes of whole vectors per operator application, partial products skip the shuffle. */
    static final long DIRECT_REDUCE_BYTES = 64L << 20;
    /** {@link #DIRECT_REDUCE_BYTES} of this engine (benchmarks set 0 to measure the shuffle at small n). */
    volatile long directReduceBytes = DIRECT_REDUCE_BYTES;

    private final String master;
    private final JavaSparkContext jsc;
    private final int tile;
    /** Fixed {@link #EXECUTOR_TIMEOUT}, or 0: 60 s stretched by the load at each job. */
    private final long executorTimeout;
    private final boolean local;
    /** Tasks may place tiles themselves ({@link #DIRECT}; tests switch it to cover both paths). */
    volatile boolean direct;
    /** Executors share this machine's files: local mode or a loopback master. */
    private final boolean sameMachine;
    /** Per-tile compute seconds of the last kernel job, and bytes of its results (for the benchmarks). */
    private volatile double[] lastTileSeconds = new double[0];
    private volatile double lastPlaceSeconds;
    private volatile double lastFinishSeconds;
    private volatile long lastResultBytes;
    private volatile long lastShuffleBytes;
    /** Spark's own task metrics, summed over this engine's jobs (for the benchmarks). */
    private final TaskTotals totals = new TaskTotals();
    /** Test hook: sees every tile as it arrives on the driver (e.g. to kill a worker mid-job). */
    volatile Consumer<Tile> onTile = t -> {};

    /** Opens {@code master} (null: {@code local[*]}) with default options. */
    public SparkEngine(String master) {
        this(master, Map.of());
    }

    /**
     * Opens {@code master} with extra settings: Spark's own ({@code spark.*}) and this engine's
     * ({@link #SHIP_CLASSES}, {@link #EXECUTOR_TIMEOUT}, {@link #TILE}).
     */
    public SparkEngine(String master, Map<String, String> options) {
        this.master = master == null || master.isBlank() ? "local[*]" : master.trim();
        this.local = this.master.startsWith("local");
        String t = options.getOrDefault(TILE, System.getProperty(TILE, "1024"));
        try {
            this.tile = Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TILE + "=" + t + ": expected a whole number of rows per tile");
        }
        this.executorTimeout = Long.parseLong(options.getOrDefault(EXECUTOR_TIMEOUT, "0"));
        this.direct = !"false".equals(options.get(DIRECT));
        this.sameMachine = local || loopback(this.master);
        if (!local) {
            probe(this.master);
        }
        quietLogs();
        SparkConf conf = new SparkConf().setMaster(this.master).setAppName("ntk")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.maxResultSize", "0") // tiles stream to disk on the driver, one at a time
                // Each result thread holds one deserialised tile (8·A·t² bytes) while it is placed: two keep
                // the driver's heap bounded and are enough to keep up with the placing (memory bandwidth).
                .set("spark.resultGetter.threads", "2")
                .set("spark.task.maxFailures", "4")
                .set("spark.executor.extraJavaOptions", String.join(" ", JVM_FLAGS) + " " + ONE_THREAD_PER_TASK)
                .set("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            conf.set("spark.executorEnv.LD_LIBRARY_PATH", ld);
        }
        if (!local && !"false".equals(options.get(SHIP_CLASSES))) {
            if (loopback(this.master)) {
                conf.set("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, ClassPath.entries()));
            } else {
                conf.setJars(ClassPath.jars().toArray(String[]::new));
            }
        }
        options.forEach((k, v) -> {
            if (k.startsWith("spark.")) {
                conf.set(k, v);
            }
        });
        try {
            this.jsc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("Only one SparkContext")) {
                throw new IllegalStateException("another Spark engine is open in this JVM; close it first (one SparkContext per JVM)");
            }
            throw new IllegalArgumentException("--master " + this.master + ": Spark could not start: " + oneLine(e));
        }
        jsc.sc().addSparkListener(totals);
    }

    /** Spark's task metrics summed over this engine's jobs so far (see {@link TaskTotals}). */
    public TaskTotals taskTotals() {
        return totals;
    }

    @Override
    public String description() {
        return "spark " + master;
    }

    /** The Spark context (for tests and benchmarks). */
    public JavaSparkContext context() {
        return jsc;
    }

    /** Tile size in rows/columns. */
    public int tile() {
        return tile;
    }

    /** Seconds the last kernel job's tasks spent placing their own tiles in the output (wall, summed over tiles). */
    public double lastPlaceSeconds() {
        return lastPlaceSeconds;
    }

    /** Seconds the last kernel written to files took to finish after its last tile: flush to disk, then rename or pack. */
    public double lastFinishSeconds() {
        return lastFinishSeconds;
    }

    /** Per-tile compute seconds (wall, inside the task) of the last kernel job. */
    public double[] lastTileSeconds() {
        return lastTileSeconds.clone();
    }

    /** Bytes of tile arrays sent to the driver through Spark by the last kernel job (0 when tasks placed them). */
    public long lastResultBytes() {
        return lastResultBytes;
    }

    /** Bytes shuffled (partial products) by the last distributed operator application. */
    public long lastShuffleBytes() {
        return lastShuffleBytes;
    }

    // ---- kernels ----------------------------------------------------------------------------

    @Override
    public Map<String, Tensor> kernel(String model, Tensor x1, Tensor x2, List<String> get, Map<String, Tensor> params) {
        TileJob job = job(model, x1, x2, get, params);
        try (TileSink.InMemory sink = new TileSink.InMemory(job)) {
            streamTiles(job, sink, null);
            return sink.finish();
        }
    }

    @Override
    public void kernelToFile(String model, Tensor x1, Tensor x2, List<String> get, Map<String, Tensor> params, Path out)
            throws IOException {
        TileJob job = job(model, x1, x2, get, params);
        TileSink.Files2 sink = new TileSink.Files2(job, out);
        try {
            streamTiles(job, sink, direct && sameMachine ? sink.target() : null);
            long f0 = System.nanoTime();
            sink.finish();
            lastFinishSeconds = (System.nanoTime() - f0) * 1e-9;
        } finally {
            sink.abort();
        }
    }

    private TileJob job(String model, Tensor x1, Tensor x2, List<String> get, Map<String, Tensor> params) {
        for (String g : get) {
            if (!g.equals("nngp") && !g.equals("ntk")) {
                throw new IllegalArgumentException("get " + g + ": expected nngp and/or ntk");
            }
        }
        if (get.isEmpty()) {
            throw new IllegalArgumentException("get: name nngp and/or ntk");
        }
        model = shippable(model);
        // Fail on the driver, in one line, for a model the executors could not build either.
        TileComputer.model(model);
        return new TileJob(model, x1, x2, params, get.contains("nngp"), get.contains("ntk"), tile);
    }

    /**
     * Runs one task per tile; each tile reaches {@code sink} on the driver, placed by the task itself when
     * it can reach the output (local mode: the sink in this JVM; {@code files}: the temporary NPY files
     * on this machine), else sent whole and placed as it arrives. Either way the driver counts every
     * tile before the sink may finish.
     */
    private void streamTiles(TileJob job, TileSink sink, TileSink.FileTarget files) {
        List<int[]> coords = job.tiles();
        Broadcast<TileJob> b = jsc.broadcast(job);
        String sinkId = local && direct ? sink.publish() : null;
        TileSink.FileTarget target = sinkId == null ? files : null;
        boolean executors = !local;
        try {
            JavaRDD<Tile> tiles = jsc.parallelize(coords, Math.max(1, coords.size())).map(c -> {
                TileJob j = b.value();
                Tile t = TileComputer.inTask(executors, j, c[0], c[1]);
                TileSink here = TileSink.published(sinkId);
                long p0 = System.nanoTime();
                if (here != null) {
                    here.write(t);
                    return t.placed((System.nanoTime() - p0) * 1e-9);
                }
                if (target != null) {
                    target.write(j, t);
                    return t.placed((System.nanoTime() - p0) * 1e-9);
                }
                return t;
            });
            double[] seconds = new double[coords.size()];
            long[] bytes = {0};
            int[] k = {0};
            double[] place = {0};
            runJob(tiles, t -> {
                if (t.placed) {
                    sink.ack(t);
                } else {
                    sink.accept(t);
                }
                onTile.accept(t);
                if (k[0] < seconds.length) {
                    seconds[k[0]++] = t.seconds;
                }
                bytes[0] += t.bytes();
                place[0] += t.placeSeconds;
            });
            lastTileSeconds = java.util.Arrays.copyOf(seconds, k[0]);
            lastResultBytes = bytes[0];
            lastPlaceSeconds = place[0];
        } finally {
            if (sinkId != null) {
                sink.unpublish();
            }
            b.destroy();
        }
    }

    private JavaRDD<Tile> tileRdd(Broadcast<TileJob> b, List<int[]> coords) {
        boolean executors = !local;
        return jsc.parallelize(coords, Math.max(1, coords.size())).map(c -> TileComputer.inTask(executors, b.value(), c[0], c[1]));
    }

    // ---- running jobs: results streamed to the driver, failures in one line --------------------

    private static final class FirstOf extends AbstractFunction2<TaskContext, scala.collection.Iterator<Tile>, Tile> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Tile apply(TaskContext context, scala.collection.Iterator<Tile> it) {
            return it.hasNext() ? it.next() : null;
        }
    }

    private static final class Handler extends AbstractFunction2<Object, Tile, BoxedUnit> {
        private final Consumer<Tile> sink;

        Handler(Consumer<Tile> sink) {
            this.sink = sink;
        }

        @Override
        public BoxedUnit apply(Object partition, Tile t) {
            if (t != null) {
                sink.accept(t);
            }
            return BoxedUnit.UNIT;
        }
    }

    private void runJob(JavaRDD<Tile> rdd, Consumer<Tile> handler) {
        List<Object> parts = new ArrayList<>();
        for (int i = 0; i < rdd.getNumPartitions(); i++) {
            parts.add(i);
        }
        guarded(() -> jsc.sc().runJob(rdd.rdd(), new FirstOf(), scala.jdk.javaapi.CollectionConverters.asScala(parts).toSeq(),
                new Handler(handler), scala.reflect.ClassTag$.MODULE$.apply(Tile.class)));
    }

    /**
     * Runs {@code body} (Spark jobs) with a watchdog that cancels it when no executor has been alive for
     * {@link #EXECUTOR_TIMEOUT} seconds (every worker gone: Spark itself would wait forever), and turns
     * Spark's multi-line failures into one line naming the cause.
     */
    private <T> T guarded(java.util.function.Supplier<T> body) {
        AtomicReference<String> cancelled = new AtomicReference<>();
        Thread watchdog = null;
        if (!local) {
            long timeout = executorTimeout > 0 ? executorTimeout : Load.seconds(60);
            watchdog = new Thread(() -> {
                long lastSeen = System.nanoTime();
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(500);
                        // getExecutorInfos includes the driver
                        if (jsc.sc().statusTracker().getExecutorInfos().length > 1) {
                            lastSeen = System.nanoTime();
                        } else if (System.nanoTime() - lastSeen > timeout * 1_000_000_000L) {
                            cancelled.set("no executor alive for " + timeout + " s on " + master + " (" + Load.describe()
                                    + "; workers stopped or dead? see ntk cluster status)");
                            jsc.sc().cancelAllJobs();
                            return;
                        }
                    }
                } catch (InterruptedException ignored) {
                    // job done
                }
            }, "ntk-spark-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        try {
            return body.get();
        } catch (Exception e) { // Spark throws its checked SparkException from Scala code
            if (cancelled.get() != null) {
                throw new IllegalStateException(cancelled.get());
            }
            throw translate(e);
        } finally {
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
    }

    private void guarded(Runnable body) {
        guarded(() -> {
            body.run();
            return null;
        });
    }

    /** One line naming the cause of a failed Spark job. */
    static RuntimeException translate(Throwable e) {
        Throwable root = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            root = c;
            if (c instanceof IllegalArgumentException && !(c instanceof NumberFormatException && c != e)) {
                return new IllegalArgumentException(firstLine(c.getMessage()), e);
            }
        }
        String all = String.valueOf(e.getMessage());
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(ClassNotFoundException|NoClassDefFoundError):? ([\\w.$/]+)").matcher(all);
        if (root instanceof ClassNotFoundException || root instanceof NoClassDefFoundError || m.find()) {
            String cls = m.find(0) ? m.group(2) : String.valueOf(root.getMessage());
            return new IllegalStateException("the executors cannot load class " + cls.replace('/', '.')
                    + ": the workbench's jars (core, plugins) are missing on the executors; ship them with spark.jars or put them on the workers' class path", e);
        }
        java.util.regex.Matcher iae = java.util.regex.Pattern.compile("java\\.lang\\.IllegalArgumentException: ([^\\n]*)").matcher(all);
        if (iae.find()) {
            return new IllegalArgumentException(iae.group(1).trim(), e);
        }
        return new IllegalStateException("spark job failed: " + firstLine(all), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root == e ? String.valueOf(e.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    // ---- distributed operator over cached tiles ---------------------------------------------

    /** A symmetric kernel cached as tiles on the executors (upper triangle), applied as Spark jobs. */
    final class CachedKernel implements AutoCloseable {
        final TileJob job;
        final Broadcast<TileJob> bjob;
        final JavaRDD<Tile> tiles;

        CachedKernel(TileJob job) {
            this.job = job;
            this.bjob = jsc.broadcast(job);
            this.tiles = tileRdd(bjob, job.tiles()).persist(StorageLevel.MEMORY_AND_DISK());
            long count = guarded(() -> tiles.count());
            if (count != job.tiles().size()) {
                throw new IllegalStateException("cached " + count + " of " + job.tiles().size() + " tiles");
            }
        }

        /** The diagonal of the kernel {@code which} (from the diagonal tiles only). */
        double[] diagonal(String which) {
            int n = job.n1();
            double[] d = new double[n];
            List<Tuple2<Integer, double[]>> parts = guarded(() -> tiles.filter(Tile::diagonal).map(t -> {
                double[] a = t.get(which), out = new double[t.rows];
                for (int i = 0; i < t.rows; i++) {
                    out[i] = a[i * t.cols + i];
                }
                return new Tuple2<>(t.r0, out);
            }).collect());
            for (Tuple2<Integer, double[]> p : parts) {
                System.arraycopy(p._2(), 0, d, p._1(), p._2().length);
            }
            return d;
        }

        /** {@code out = K V} for {@code count} vectors ({@code (count, n)} row-major), one Spark job. */
        void apply(String which, double[] vectors, int count, double[] out) {
            int n = job.n1();
            Broadcast<double[]> bv = jsc.broadcast(vectors);
            try {
                long wholeVectors = (long) job.tiles().size() * count * n * 8L;
                if (wholeVectors <= directReduceBytes) {
                    // Small n: each task returns its contribution as a whole (count, n) array and the
                    // driver adds them as they arrive: one stage, no shuffle (iterations are latency-bound).
                    double[] total = guarded(() -> tiles.map(t -> {
                        double[] o = new double[count * n], a = t.get(which), v = bv.value();
                        addInto(o, times(a, t.rows, t.cols, false, v, count, n, t.c0), count, n, t.r0);
                        if (t.bi != t.bj) {
                            addInto(o, times(a, t.rows, t.cols, true, v, count, n, t.r0), count, n, t.c0);
                        }
                        return o;
                    }).reduce(SparkEngine::sum));
                    System.arraycopy(total, 0, out, 0, count * n);
                    lastShuffleBytes = 0;
                    return;
                }
                // Large n: partial products keyed by row block, summed where they land (a shuffle), so
                // neither a tile nor the pile of partial products ever reaches the driver whole.
                JavaPairRDD<Integer, double[]> parts = tiles.flatMapToPair(t -> {
                    double[] a = t.get(which), v = bv.value();
                    List<Tuple2<Integer, double[]>> o = new ArrayList<>(2);
                    o.add(new Tuple2<>(t.bi, times(a, t.rows, t.cols, false, v, count, n, t.c0)));
                    if (t.bi != t.bj) {
                        o.add(new Tuple2<>(t.bj, times(a, t.rows, t.cols, true, v, count, n, t.r0)));
                    }
                    return o.iterator();
                }).reduceByKey(SparkEngine::addInPlace, Math.max(1, Math.min(job.rowBlocks(), 2 * jsc.defaultParallelism())));
                Map<Integer, double[]> blocks = guarded(() -> parts.collectAsMap());
                assemble(blocks, count, n, job.tile, out);
                long blocksOut = job.tiles().size() * 2L - job.rowBlocks();
                lastShuffleBytes = blocksOut * 8L * count * job.tile;
            } finally {
                bv.destroy();
            }
        }

        @Override
        public void close() {
            tiles.unpersist(false);
            bjob.destroy();
        }
    }

    /**
     * {@code a += b}, returning {@code a}: the shuffle's merge of two partial products of one row block. Spark lets
     * a merge modify its first argument, and here it is always this job's own array (fresh from a product or from
     * reading the shuffle), so no new (k, t) array is allocated per merge (4 MB each at k = 512, t = 1024).
     */
    static double[] addInPlace(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /**
     * {@code (count, rows)} = V[:, c0:c0+cols] · Aᵀ (A {@code rows×cols}); with {@code transposed}, the
     * mirror tile's contribution {@code (count, cols)} = V[:, c0:c0+rows] · A.
     */
    static double[] times(double[] a, int rows, int cols, boolean transposed, double[] v, int count, int n, int c0) {
        int inner = transposed ? rows : cols, outer = transposed ? cols : rows;
        double[] sub = new double[count * inner];
        for (int c = 0; c < count; c++) {
            System.arraycopy(v, c * n + c0, sub, c * inner, inner);
        }
        double[] out = new double[count * outer];
        Blas.gemm(false, !transposed, count, outer, inner, 1.0, sub, a, 0.0, out);
        return out;
    }

    /** Adds a {@code (count, len)} block into columns {@code [c0, c0 + len)} of the {@code (count, n)} array {@code o}. */
    static void addInto(double[] o, double[] block, int count, int n, int c0) {
        int len = block.length / count;
        for (int c = 0; c < count; c++) {
            for (int i = 0; i < len; i++) {
                o[c * n + c0 + i] += block[c * len + i];
            }
        }
    }

    static double[] sum(double[] a, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    private static void assemble(Map<Integer, double[]> blocks, int count, int n, int tile, double[] out) {
        java.util.Arrays.fill(out, 0, count * n, 0.0);
        for (Map.Entry<Integer, double[]> e : blocks.entrySet()) {
            int r0 = e.getKey() * tile, rows = e.getValue().length / count;
            for (int c = 0; c < count; c++) {
                System.arraycopy(e.getValue(), c * rows, out, c * n + r0, rows);
            }
        }
    }

    /** Caches the symmetric kernel of {@code x} as tiles on the executors. */
    CachedKernel cache(String model, Tensor x, List<String> get, Map<String, Tensor> params) {
        return new CachedKernel(job(model, x, null, get, params));
    }

    // ---- solves and spectra --------------------------------------------------------------------

    @Override
    public Map<String, Tensor> fit(String model, Tensor xTrain, Tensor y, Tensor xTest, List<String> get,
                                   Map<String, Tensor> params, double diagReg, double tol) {
        int n = xTrain.dim(0), m = xTest.dim(0);
        Tensor y2 = y.rank() == 1 ? y.reshape(n, 1) : y;
        if (y2.rank() != 2 || y2.dim(0) != n) {
            throw new IllegalArgumentException("y " + y.shapeString() + ": expected (" + n + ") or (" + n + ", k) targets");
        }
        int k = y2.dim(1);
        // (k, n): one right-hand side per output, laid out as the operator's vectors
        double[] b = transpose(y2.data(), n, k);
        Map<String, double[]> alphas = new HashMap<>();
        try (CachedKernel K = cache(model, xTrain, get, params)) {
            for (String which : get) {
                double[] diag = K.diagonal(which);
                double mean = 0;
                for (double d : diag) {
                    mean += d / n;
                }
                double shift = diagReg * mean;
                alphas.put(which, ConjugateGradients.solve((v, c, o) -> {
                    K.apply(which, v, c, o);
                    for (int j = 0; j < c; j++) {
                        for (int i = 0; i < n; i++) {
                            o[j * n + i] += shift * v[j * n + i];
                        }
                    }
                }, diag, shift, b, k, n, tol, 10 * n + 100));
            }
        }
        // Test rows against the training columns, tile by tile: each task multiplies its tile by α.
        TileJob test = job(model, xTest, xTrain, get, params);
        Broadcast<TileJob> bt = jsc.broadcast(test);
        Broadcast<Map<String, double[]>> ba = jsc.broadcast(alphas);
        try {
            Map<Integer, Map<String, double[]>> rows = guarded(() -> tileRdd(bt, test.tiles()).mapToPair(t -> {
                Map<String, double[]> o = new HashMap<>();
                for (String which : get) {
                    o.put(which, times(t.get(which), t.rows, t.cols, false, ba.value().get(which), k, n, t.c0));
                }
                return new Tuple2<>(t.bi, o);
            }).reduceByKey((p, q) -> {
                Map<String, double[]> s = new HashMap<>();
                p.forEach((w, v) -> s.put(w, sum(v, q.get(w))));
                return s;
            }).collectAsMap());
            Map<String, Tensor> out = new java.util.LinkedHashMap<>();
            for (String which : get) {
                double[] pred = new double[k * m];
                Map<Integer, double[]> blocks = new HashMap<>();
                rows.forEach((bi, mp) -> blocks.put(bi, mp.get(which)));
                assemble(blocks, k, m, test.tile, pred);
                out.put(which, Tensor.of(transpose(pred, k, m), m, k));
            }
            return out;
        } finally {
            bt.destroy();
            ba.destroy();
        }
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    @Override
    public EigenDecomposition topEigen(String model, Tensor x, String which, Map<String, Tensor> params, int k, boolean vectors,
                                       double tol) {
        try (CachedKernel K = cache(model, x, List.of(which), params)) {
            int n = x.dim(0);
            SymmetricOperator op = new SymmetricOperator() {
                @Override
                public int size() {
                    return n;
                }

                @Override
                public void apply(double[] v, int count, double[] out) {
                    K.apply(which, v, count, out);
                }
            };
            return BlockKrylovEigensolver.solve(op, k, vectors, TopKOptions.defaults().withTolerance(tol));
        }
    }

    // ---- independent tasks (experiment points) -------------------------------------------------

    @Override
    public <R extends Serializable> List<R> map(int count, SerializableIntFunction<R> task) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            idx.add(i);
        }
        return guarded(() -> jsc.parallelize(idx, Math.max(1, count)).map(task::apply).collect());
    }

    @Override
    public org.ntkworkbench.spi.PointExecutor points() {
        return new SparkPointExecutor(this, local);
    }

    @Override
    public void close() {
        jsc.stop();
    }

    /**
     * The model as text the executors can evaluate: a model file ({@code --model net.groovy}) is read
     * here, since executors on other machines do not have it (same rule as ModelExpressions.parse).
     */
    static String shippable(String model) {
        if (model.endsWith(".groovy") || (model.length() < 250 && !model.contains("(") && java.nio.file.Files.isRegularFile(Path.of(model)))) {
            try {
                return java.nio.file.Files.readString(Path.of(model));
            } catch (IOException e) {
                throw new IllegalArgumentException("--model " + model + ": cannot read: " + e.getMessage());
            }
        }
        return model;
    }

    // ---- set-up helpers ----------------------------------------------------------------------

    /** Fails fast, in one line, when a {@code spark://host:port} master does not accept connections. */
    static void probe(String master) {
        if (!master.startsWith("spark://")) {
            throw new IllegalArgumentException("--master " + master + ": expected local[N], local[*] or spark://HOST:PORT");
        }
        for (String hp : master.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hp);
            if (u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("--master " + master + ": expected spark://HOST:PORT");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 3000);
                return;
            } catch (IOException e) {
                // try the next master of a list
            }
        }
        throw new IllegalArgumentException("--master " + master + ": unreachable (nothing accepts connections there; start one with ntk cluster start)");
    }

    private static boolean loopback(String master) {
        String hp = master.substring("spark://".length());
        return hp.startsWith("127.") || hp.startsWith("localhost");
    }

    /** Spark logs at INFO; through slf4j-simple that would flood stderr. Keep warnings, except the scheduler's per-task ones. */
    static void quietLogs() {
        for (String p : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "io.netty", "org.apache.commons")) {
            System.setProperty("org.slf4j.simpleLogger.log." + p, System.getProperty("org.slf4j.simpleLogger.log." + p, "warn"));
        }
        // Advice about SPARK_LOCAL_IP and Hadoop's native library: we bind to 127.0.0.1 and need no Hadoop.
        // Lost tasks are logged with stack traces; the engine reports the cause in one line instead.
        for (String p : List.of("org.apache.spark.util.Utils", "org.apache.hadoop.util.NativeCodeLoader",
                "org.apache.spark.scheduler", "org.apache.spark.executor", "org.apache.spark.storage")) {
            System.setProperty("org.slf4j.simpleLogger.log." + p, System.getProperty("org.slf4j.simpleLogger.log." + p, "error"));
        }
    }
}
