package org.ntkworkbench.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Versions that go into every manifest: the workbench, Smile, OpenBLAS, Groovy, the JVM and the OS.
 *
 * @param openblas the Maven artifact version the build unpacked
 */
public record Versions(String workbench, String smile, String openblas, String groovy, String java, String os) {

    /** Read from {@code ntk-version.properties}, written by the build. */
    public static Versions current() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/org/ntkworkbench/ntk-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // Versions are informative; an unreadable file leaves "unknown".
        }
        return new Versions(p.getProperty("workbench", "unknown"), p.getProperty("smile", "unknown"),
                p.getProperty("openblas", "unknown"), groovyVersion(),
                Runtime.version().toString(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /**
     * What {@code GroovySystem.getVersion()} returns, read from the same release file without initialising the Groovy
     * runtime (its meta-class registry costs about a CPU second at start-up, and {@code ntk --version} or
     * {@code ntk kernel} need none of it).
     */
    private static String groovyVersion() {
        return org.codehaus.groovy.util.ReleaseInfo.getVersion();
    }
}
