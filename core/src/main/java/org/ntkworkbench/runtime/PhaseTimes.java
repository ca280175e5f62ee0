package org.ntkworkbench.runtime;

import java.time.Duration;

/**
 * Start-up and phase timings for measuring the CLI: with {@code -Dntk.times=true} (e.g.
 * {@code NTK_JAVA_OPTS=-Dntk.times=true ./ntk kernel ...}) each {@link #mark} prints one stderr line with the
 * wall and process CPU seconds since the previous mark (the first mark counts from the JVM's start), and the CPU
 * seconds of the marking thread since its own previous mark (its name in brackets): on two busy cores the process
 * CPU of a phase includes background threads (JIT, warm-ups), while the marking thread's CPU is the critical path.
 * Off by default, when a mark costs one field read.
 */
public final class PhaseTimes {
    private PhaseTimes() {}

    private static final boolean ON = Boolean.getBoolean("ntk.times");
    private static long lastWall = -1;
    private static long lastCpu;
    private static final ThreadLocal<long[]> LAST_THREAD_CPU = ThreadLocal.withInitial(() -> new long[1]);

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
        System.err.printf(java.util.Locale.ROOT, "ntk times: %-34s wall %6.3f s  cpu %6.3f s  thread %6.3f s (%s)%n", phase, dw,
                (cpu - lastCpu) * 1e-9, (threadCpu - lastThread[0]) * 1e-9, Thread.currentThread().getName());
        lastThread[0] = threadCpu;
        lastWall = System.nanoTime();
        lastCpu = cpu;
    }
}
