package org.ntkworkbench.tensor;

/**
 * A small deterministic generator (SplitMix64) so that seeded draws give the same bits on every run,
 * JVM and thread count. Gaussians by Box–Muller on pairs, so draw {@code i} depends only on the seed
 * and {@code i}.
 */
public final class SeededRandom {
    private long state;

    public SeededRandom(long seed) {
        // Mixed, not linear in the seed: SplitMix64 streams from states that differ by a multiple of its
        // increment overlap (seed s+1 would replay seed s shifted by one draw).
        this.state = mix(mix(seed) ^ 0x632BE59BD9B4E019L);
    }

    /** A generator for an independent stream derived from a seed and a name (e.g. a parameter path). */
    public static SeededRandom derived(long seed, String stream) {
        long h = 1125899906842597L;
        for (int i = 0; i < stream.length(); i++) {
            h = 31 * h + stream.charAt(i);
        }
        return new SeededRandom(mix(seed ^ mix(h)));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    public double nextGaussian() {
        double[] two = new double[2];
        fillGaussian(two);
        return two[0];
    }

    public void fillGaussian(double[] out) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - nextDouble(); // (0, 1]
            double u2 = nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < out.length) {
                out[i + 1] = r * Math.sin(2 * Math.PI * u2);
            }
        }
    }

    public void fillUniform(double[] out, double lo, double hi) {
        for (int i = 0; i < out.length; i++) {
            out[i] = lo + (hi - lo) * nextDouble();
        }
    }
}
