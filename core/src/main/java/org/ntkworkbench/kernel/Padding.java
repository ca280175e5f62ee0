package org.ntkworkbench.kernel;

/**
 * Padding of convolution and pooling windows (as in TensorFlow/JAX). For input length {@code L},
 * window {@code f} and stride {@code s}:
 * VALID: output {@code ⌊(L − f)/s⌋ + 1}, no padding;
 * SAME: output {@code ⌈L/s⌉}, zero padding {@code P = max((out − 1)s + f − L, 0)} split
 * {@code ⌊P/2⌋} before and the rest after;
 * CIRCULAR: as SAME but the padding wraps around (periodic signals).
 */
public enum Padding {
    VALID, SAME, CIRCULAR;

    /** Parses {@code 'VALID'}, {@code 'SAME'} or {@code 'CIRCULAR'} (case-insensitive). */
    public static Padding parse(String s) {
        try {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("padding '" + s + "' is not VALID, SAME or CIRCULAR");
        }
    }
}
