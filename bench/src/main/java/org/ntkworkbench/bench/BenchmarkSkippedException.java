package org.ntkworkbench.bench;

/** A {@link Benchmark} cannot run on this machine (e.g. python3 or NumPy missing); the message says why. */
public final class BenchmarkSkippedException extends RuntimeException {
    public BenchmarkSkippedException(String reason) {
        super(reason);
    }
}
