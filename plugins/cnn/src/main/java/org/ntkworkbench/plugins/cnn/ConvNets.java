package org.ntkworkbench.plugins.cnn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ntkworkbench.kernel.Padding;
import org.ntkworkbench.nn.Layer;
import org.ntkworkbench.nn.Layers;

/**
 * Circular conv nets on signals (n, p, c) (1-D) or images (n, h, w, c) (2-D, NHWC): {@code depth} blocks
 * conv(channels, filter q (q×q in 2-D), stride 1, CIRCULAR, wStd, bStd) → relu, then a readout (global
 * average pooling or flatten) and dense(1). Their analytic kernels are the core conv kernel rules
 * (CNTK = NTK, CGPK = NNGP).
 */
public final class ConvNets {
    private ConvNets() {}

    /** How the last conv layer's (p, channels) features become the input of the final dense(1). */
    public enum Readout {
        /** Mean over positions: the kernel sums covariances over all position pairs (not a multi-dot-product kernel). */
        GAP,
        /** All p·channels features: the kernel averages same-position covariances (a multi-dot-product kernel). */
        FLATTEN;

        /** Parses {@code 'gap'} or {@code 'flatten'} (case-insensitive). */
        public static Readout parse(String s) {
            return switch (s.toLowerCase()) {
                case "gap" -> GAP;
                case "flatten" -> FLATTEN;
                default -> throw new IllegalArgumentException("readout '" + s + "' is not 'gap' or 'flatten'");
            };
        }
    }

    /** The 1-D model {@code serial([conv(channels, [q], [1], CIRCULAR, wStd, bStd), relu()] × depth, readout, dense(1))}. */
    public static Layer cnn(int channels, int filter, int depth, Readout readout, double wStd, double bStd) {
        return cnn(1, channels, filter, depth, readout, wStd, bStd);
    }

    /**
     * The {@code dim}-D model (1: signals, 2: images) {@code serial([conv(channels, [q]×dim, [1]×dim,
     * CIRCULAR, wStd, bStd), relu()] × depth, readout, dense(1))}.
     */
    public static Layer cnn(int dim, int channels, int filter, int depth, Readout readout, double wStd, double bStd) {
        if (dim != 1 && dim != 2) {
            throw new IllegalArgumentException("cnn: dim must be 1 (signals) or 2 (images), got " + dim);
        }
        if (channels < 1 || filter < 1 || depth < 1) {
            throw new IllegalArgumentException("cnn: channels " + channels + ", filter " + filter + " and depth " + depth
                    + " must all be >= 1");
        }
        int[] window = dim == 1 ? new int[] {filter} : new int[] {filter, filter};
        int[] strides = dim == 1 ? new int[] {1} : new int[] {1, 1};
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            layers.add(Layers.conv(channels, window, strides, Padding.CIRCULAR, wStd, bStd));
            layers.add(Layers.relu());
        }
        layers.add(readout == Readout.GAP ? Layers.globalAvgPool() : Layers.flatten());
        layers.add(Layers.dense(1, wStd, bStd));
        return Layers.serial(layers);
    }

    /**
     * The receptive fields of the outputs of a stack of {@code depth} circular stride-1 convs with filter
     * {@code q} on p positions: the cyclic windows {s, s+1, …, s+w−1} (mod p) with w = min(depth(q−1)+1, p),
     * one per start s (deduplicated; a single field of all positions when w = p). The family does not
     * depend on where each filter is anchored, since it is closed under cyclic shifts.
     */
    public static List<Set<Integer>> receptiveFields(int p, int filter, int depth) {
        if (p < 1 || filter < 1 || depth < 1) {
            throw new IllegalArgumentException("receptive fields: positions " + p + ", filter " + filter + ", depth " + depth
                    + " must all be >= 1");
        }
        int w = (int) Math.min((long) depth * (filter - 1) + 1, p);
        Set<Set<Integer>> fields = new LinkedHashSet<>();
        for (int s = 0; s < p; s++) {
            Set<Integer> f = new TreeSet<>();
            for (int a = 0; a < w; a++) {
                f.add((s + a) % p);
            }
            fields.add(f);
        }
        return List.copyOf(fields);
    }

    /**
     * The receptive fields of a stack of {@code depth} circular stride-1 {@code q×q} convs on an
     * {@code h×w} image (a torus): the windows of side min(depth(q−1)+1, h) by min(depth(q−1)+1, w)
     * at every start, positions numbered row-major ({@code r·w + c}, the order of flattened NHWC pixels).
     */
    public static List<Set<Integer>> receptiveFields2d(int h, int w, int filter, int depth) {
        if (h < 1 || w < 1 || filter < 1 || depth < 1) {
            throw new IllegalArgumentException("receptive fields: image " + h + "x" + w + ", filter " + filter
                    + ", depth " + depth + " must all be >= 1");
        }
        long side = (long) depth * (filter - 1) + 1;
        int sh = (int) Math.min(side, h);
        int sw = (int) Math.min(side, w);
        Set<Set<Integer>> fields = new LinkedHashSet<>();
        for (int r0 = 0; r0 < h; r0++) {
            for (int c0 = 0; c0 < w; c0++) {
                Set<Integer> f = new TreeSet<>();
                for (int a = 0; a < sh; a++) {
                    for (int b = 0; b < sw; b++) {
                        f.add(((r0 + a) % h) * w + (c0 + b) % w);
                    }
                }
                fields.add(f);
            }
        }
        return List.copyOf(fields);
    }

    /** Whether the positions with a non-zero degree all lie in one of the fields. */
    public static boolean isLocal(int[] degrees, List<Set<Integer>> fields) {
        for (Set<Integer> f : fields) {
            boolean inside = true;
            for (int j = 0; j < degrees.length && inside; j++) {
                inside = degrees[j] == 0 || f.contains(j);
            }
            if (inside) {
                return true;
            }
        }
        return false;
    }
}
