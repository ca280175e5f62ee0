package org.ntkworkbench.tensor;

/**
 * Start-up check that the native BLAS and LAPACK really load and compute: one dgemm and one dsyevd
 * on tiny matrices with known answers. Smile would otherwise fall back silently to pure Java.
 */
public final class NativeCheck {
    private NativeCheck() {}

    /** Thrown when OpenBLAS cannot be loaded or computes a wrong answer. */
    public static final class NativeLibraryException extends RuntimeException {
        public NativeLibraryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static volatile boolean verified;

    /**
     * Runs the check once per JVM; throws {@link NativeLibraryException} with a clear message. Synchronized: a caller
     * waits for a check under way on another thread (the CLI starts one early in the background, see
     * {@link #verifyInBackground}) and repeats it if that one failed.
     */
    public static synchronized void verify() {
        if (verified) {
            return;
        }
        String backend = System.getProperty("smile.linalg.backend");
        if (!"native".equals(backend)) {
            throw new NativeLibraryException("the JVM must run with -Dsmile.linalg.backend=native "
                    + "(otherwise Smile silently falls back to slow pure-Java linear algebra); use ./ntk", null);
        }
        try {
            double[] c = new double[4];
            Blas.gemm(false, false, 2, 2, 2, 1.0, new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, 0.0, c);
            if (c[0] != 19 || c[1] != 22 || c[2] != 43 || c[3] != 50) {
                throw new NativeLibraryException("native dgemm returned a wrong product", null);
            }
            double[] w = Lapack.syevd(new double[] {2, 1, 1, 2}, 2, false).values();
            if (Math.abs(w[0] - 1) > 1e-12 || Math.abs(w[1] - 3) > 1e-12) {
                throw new NativeLibraryException("native dsyevd returned wrong eigenvalues", null);
            }
        } catch (NativeLibraryException e) {
            throw e;
        } catch (Throwable e) {
            throw new NativeLibraryException("cannot load native OpenBLAS (BLAS/LAPACK): " + rootMessage(e)
                    + "; LD_LIBRARY_PATH=" + System.getenv("LD_LIBRARY_PATH")
                    + " must contain libopenblas.so (the build unpacks it into core/target/native; start through ./ntk)", e);
        }
        verified = true;
    }

    /**
     * Starts {@link #verify} on a background daemon thread, so that loading OpenBLAS and linking its calls overlaps
     * other start-up work; errors are dropped here (the caller's own {@link #verify} repeats the check and throws).
     * After a successful check the thread also links {@link BlasThreads}' two calls (about 20 ms of CPU spent
     * generating their stub classes), which the workbench's start otherwise did on the main thread right after
     * waiting for the check; {@link BlasThreads#applyDefault} still decides, on the caller's thread.
     */
    public static void verifyInBackground() {
        Thread t = new Thread(() -> {
            try {
                verify();
                BlasThreads.current();
            } catch (RuntimeException | LinkageError ignored) {
                // the caller's verify() reports it
            }
        }, "ntk-native-check");
        t.setDaemon(true);
        t.start();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
