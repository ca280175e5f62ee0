package org.ntkworkbench.spi;

import java.io.Serializable;
import java.util.Map;

/**
 * What identifies one point of an experiment outside the JVM that declared it: enough for a remote
 * {@link PointExecutor} to re-run the same script with the same parameters for this one point, and for
 * the point's files to land in the same run directory.
 *
 * @param experiment       the experiment's name
 * @param point            the point's name, e.g. {@code width=64}
 * @param index            the point's index in the experiment's declared order
 * @param seed             the point's seed
 * @param runDir           the run directory (absolute path); the point writes into {@code points/<point>/}
 * @param script           the script's path as given on the command line
 * @param scriptSha256     the SHA-256 of the script text, or empty when there is no script file
 * @param scriptParameters the script's {@code -P} parameters (without {@code threads})
 */
public record PointJob(String experiment, String point, int index, long seed, String runDir, String script,
                       String scriptSha256, Map<String, Object> scriptParameters) implements Serializable {

    /** Copies {@code scriptParameters} (in order, read-only). */
    public PointJob {
        scriptParameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scriptParameters));
    }
}
