package org.ntkworkbench.tensor;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;

/**
 * How many threads OpenBLAS uses, decided once per process (the one place that decides it).
 *
 * <p>Policy: a thread count the user gave wins ({@code -Dntk.blas.threads=N}, else OpenBLAS's own
 * {@code OPENBLAS_NUM_THREADS}, {@code GOTO_NUM_THREADS} or {@code OMP_NUM_THREADS}); otherwise one thread
 * per core, except on a machine that is already busy (one-minute load average at least the number of
 * cores), where OpenBLAS runs on one thread. Why: OpenBLAS threads wait for each other by spinning; when
 * other processes hold the cores, a two-thread call waits for its descheduled partner and burns the waiting
 * time. Measured on the shared 2-core machine at load 20: {@code ntk fit} of 5000/2000 Fashion-MNIST images
 * took 20–22 CPU s with two OpenBLAS threads and 14.6–15.4 CPU s (and less wall time) with one.
 */
public final class BlasThreads {
    private BlasThreads() {}

    private static volatile String decision = "default (not set)";

    /**
     * Applies the policy (idempotent; call after the library is loaded) and returns the decision in words,
     * e.g. {@code "2 (one per core)"}, {@code "1 (machine busy: load 20.3 on 2 cores)"}, {@code "4 (OPENBLAS_NUM_THREADS)"}.
     */
    public static synchronized String applyDefault() {
        int cores = Runtime.getRuntime().availableProcessors();
        String given = System.getProperty("ntk.blas.threads");
        if (given != null && !given.isBlank()) {
            try {
                int n = Integer.parseInt(given.trim());
                if (n >= 1 && set(n)) {
                    return decision = n + " (-Dntk.blas.threads)";
                }
            } catch (NumberFormatException ignored) {
                // fall through to the other sources
            }
        }
        for (String env : new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                return decision = current() + " (" + env + ")"; // OpenBLAS read it when it loaded
            }
        }
        double load = loadAverage();
        if (cores > 1 && load >= cores && set(1)) {
            return decision = String.format("1 (machine busy: load %.1f on %d cores)", load, cores);
        }
        return decision = current() + " (one per core)";
    }

    /**
     * The one-minute load average: the first field of Linux's {@code /proc/loadavg} (the value the JDK's
     * {@code OperatingSystemMXBean} reports there too, to the file's two decimals, at most 0.01 apart), else that
     * bean's value, negative where unknown. Why the file first: initialising the management beans costs ≈ 20–30 ms of start-up CPU on the
     * main thread (cgroup detection, platform bean lookup), for one number.
     */
    static double loadAverage() {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"));
            int end = text.indexOf(' ');
            return Double.parseDouble(end < 0 ? text.trim() : text.substring(0, end));
        } catch (java.io.IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    /** The last decision of {@link #applyDefault()} in words (for run manifests). */
    public static String decision() {
        return decision;
    }

    /** OpenBLAS's current thread count, or -1 where it cannot be asked. */
    public static int current() {
        MethodHandle h = Handles.GET;
        if (h == null) {
            return -1;
        }
        try {
            return (int) h.invokeExact();
        } catch (Throwable e) {
            return -1;
        }
    }

    /** Sets OpenBLAS's thread count; false where the library cannot be reached. */
    public static boolean set(int threads) {
        MethodHandle h = Handles.SET;
        if (h == null || threads < 1) {
            return false;
        }
        try {
            h.invokeExact(threads);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static final class Handles {
        static final MethodHandle GET = handle("openblas_get_num_threads", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle SET = handle("openblas_set_num_threads", FunctionDescriptor.ofVoid(JAVA_INT));

        private static MethodHandle handle(String name, FunctionDescriptor fd) {
            return Blas.Critical.LIB == null ? null
                    : Blas.Critical.LIB.find(name).map(fn -> Linker.nativeLinker().downcallHandle(fn, fd)).orElse(null);
        }
    }
}
