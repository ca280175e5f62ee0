package org.ntkworkbench.plugins.spark;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Waits that stretch with the machine's load. Starting a JVM (a Spark master, worker or executor) takes a
 * few seconds on an idle machine and minutes when many processes share its cores: a fixed timeout is
 * either far too long for the first or fails the second (measured here: executors not up within 60 s at a
 * load of 33 on 2 cores). A base wait is multiplied by the 1-minute load per core, between 1 and
 * {@value #MAX_FACTOR}, read when the wait starts.
 */
final class Load {
    /** The longest stretch of a base wait (a machine 10 times oversubscribed). */
    static final double MAX_FACTOR = 10;

    private Load() {}

    /** The 1-minute load average divided by the cores (0 when the platform does not tell). */
    static double perCore() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? 0 : l / Runtime.getRuntime().availableProcessors();
    }

    /** {@code base} seconds stretched by the current load per core (factor 1 … {@value #MAX_FACTOR}). */
    static long seconds(long base) {
        return (long) Math.ceil(base * Math.max(1, Math.min(MAX_FACTOR, perCore())));
    }

    /**
     * The wait for {@code property} (a system property in seconds, fixed when set), else {@code base}
     * seconds stretched by the load.
     */
    static long seconds(String property, long base) {
        String v = System.getProperty(property);
        if (v != null && !v.isBlank()) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + property + "=" + v + ": expected whole seconds");
            }
        }
        return seconds(base);
    }

    /** E.g. {@code load 38.0 on 2 cores}, for error messages about waits that ran out. */
    static String describe() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "load %.1f on %d cores", Math.max(0, l), Runtime.getRuntime().availableProcessors());
    }
}
