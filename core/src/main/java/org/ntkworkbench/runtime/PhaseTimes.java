package org.ntkworkbench.runtime;

import java.time.Duration;

/**
 * Start-up and phase timings for measuring the CLI: with {@code -Dntk.times=true} (e.g.
 * {@code NTK_JAVA_OPTS=-Dntk.times=true ./ntk kernel ...}) each {@link #mark} prints one stderr line with the
 * wall and process CPU seconds since the previous mark (the first mark counts from the JVM's start), and the CPU
 * seconds of the marking thread since its own previous mark (its name in brackets): on two busy cores the process
 * CPU of a phase includes background threads (JIT, warm-ups), while the marking thread's CPU is the critical path.
 * On Linux the line ends with the seconds the marking thread was ready to run but waited for a core (its run-queue
 * wait from {@code /proc/thread-self/schedstat}): wall minus thread CPU minus that wait is the time it was blocked
 * (I/O, locks, joins), so a slow phase says whether it computed, starved or waited (session 7).
 * Off by default, when a mark costs one field read.
 */
public final class PhaseTimes {
    private PhaseTimes() {}

    private static final boolean ON = Boolean.getBoolean("ntk.times");
    private static long lastWall = -1;
    private static long lastCpu;
    private static final ThreadLocal<long[]> LAST_THREAD_CPU = ThreadLocal.withInitial(() -> new long[1]);
    private static final ThreadLocal<long[]> LAST_RUN_QUEUE = ThreadLocal.withInitial(() -> new long[1]);
    private static final java.nio.file.Path SCHEDSTAT = java.nio.file.Path.of("/proc/thread-self/schedstat");

    /** True when timings are printed. */
    public static boolean on() {
        return ON;
    }

    /** Prints the wall and CPU seconds spent since the last mark (or since the JVM started) in {@code phase}. */
    public static synchronized void mark(String phase) {
        if (!ON) {
            return;
        }
        long wall = System.nanoTime();
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        double dw = lastWall < 0 ? java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1e-3 : (wall - lastWall) * 1e-9;
        long threadCpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long[] lastThread = LAST_THREAD_CPU.get();
        long runQueue = runQueueNanos();
        long[] lastQueue = LAST_RUN_QUEUE.get();
        String waited = waited(runQueue < 0 ? -1 : runQueue - lastQueue[0]);
        System.err.printf(java.util.Locale.ROOT, "ntk times: %-34s wall %6.3f s  cpu %6.3f s  thread %6.3f s (%s)%s%n", phase, dw,
                (cpu - lastCpu) * 1e-9, (threadCpu - lastThread[0]) * 1e-9, Thread.currentThread().getName(), waited);
        lastThread[0] = threadCpu;
        lastQueue[0] = Math.max(0, runQueue);
        lastWall = System.nanoTime();
        lastCpu = cpu;
    }

    /** The line's run-queue field for {@code nanos} of waiting, empty where the wait is unknown (negative). */
    static String waited(long nanos) {
        return nanos < 0 ? "" : String.format(java.util.Locale.ROOT, "  waited for a core %6.3f s", nanos * 1e-9);
    }

    /**
     * Nanoseconds the calling thread has spent runnable but not running since it started (the second field of
     * Linux's {@code /proc/thread-self/schedstat}), or -1 where that file is missing or unreadable.
     */
    static long runQueueNanos() {
        try {
            String[] f = java.nio.file.Files.readString(SCHEDSTAT).trim().split("\\s+");
            return f.length >= 2 ? Long.parseLong(f[1]) : -1;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
