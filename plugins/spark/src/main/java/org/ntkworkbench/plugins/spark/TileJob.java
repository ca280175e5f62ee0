package org.ntkworkbench.plugins.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * What every task of a tiled kernel needs, shipped once per job as a Spark broadcast: the model as its
 * DSL expression (rebuilt by each executor from the same words), the inputs as plain arrays, the
 * parameters for empirical kernels, and the tiling. Tile {@code (bi, bj)} covers rows
 * {@code [bi·tile, …)} of x1 and columns {@code [bj·tile, …)} of x2; when x2 is x1 only the tiles with
 * {@code bi ≤ bj} exist and the lower triangle is their transpose (symmetric to the last bit).
 */
final class TileJob implements Serializable {
    private static final long serialVersionUID = 1L;

    final String model;
    final double[] x1;
    final int[] shape1;
    /** {@code null} when x2 = x1. */
    final double[] x2;
    final int[] shape2;
    /** {@code null} for the analytic kernels. */
    final LinkedHashMap<String, double[]> params;
    final LinkedHashMap<String, int[]> paramShapes;
    final boolean nngp;
    final boolean ntk;
    final int tile;

    private transient Tensor t1;
    private transient Tensor t2;
    private transient Map<String, Tensor> p;

    TileJob(String model, Tensor x1, Tensor x2, Map<String, Tensor> params, boolean nngp, boolean ntk, int tile) {
        if (tile < 1) {
            throw new IllegalArgumentException("tile size " + tile + " must be >= 1");
        }
        this.model = model;
        this.x1 = x1.data();
        this.shape1 = x1.shape();
        boolean same = x2 == null || x2 == x1;
        this.x2 = same ? null : x2.data();
        this.shape2 = same ? null : x2.shape();
        if (params == null) {
            this.params = null;
            this.paramShapes = null;
        } else {
            this.params = new LinkedHashMap<>();
            this.paramShapes = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                this.params.put(k, v.data());
                this.paramShapes.put(k, v.shape());
            });
        }
        this.nngp = nngp;
        this.ntk = ntk;
        this.tile = tile;
    }

    boolean symmetric() {
        return x2 == null;
    }

    int n1() {
        return shape1[0];
    }

    int n2() {
        return symmetric() ? shape1[0] : shape2[0];
    }

    int rowBlocks() {
        return (n1() + tile - 1) / tile;
    }

    int colBlocks() {
        return (n2() + tile - 1) / tile;
    }

    /** The tiles to compute, as {@code {bi, bj}}, row-block major (upper triangle only when symmetric). */
    List<int[]> tiles() {
        List<int[]> out = new ArrayList<>();
        for (int bi = 0; bi < rowBlocks(); bi++) {
            for (int bj = symmetric() ? bi : 0; bj < colBlocks(); bj++) {
                out.add(new int[] {bi, bj});
            }
        }
        return out;
    }

    synchronized Tensor x1() {
        if (t1 == null) {
            t1 = Tensor.of(x1, shape1);
        }
        return t1;
    }

    synchronized Tensor x2() {
        if (symmetric()) {
            return x1();
        }
        if (t2 == null) {
            t2 = Tensor.of(x2, shape2);
        }
        return t2;
    }

    synchronized Map<String, Tensor> params() {
        if (params == null) {
            return null;
        }
        if (p == null) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            params.forEach((k, v) -> m.put(k, Tensor.of(v, paramShapes.get(k))));
            p = m;
        }
        return p;
    }

    /** Bytes of one tile's result arrays (both kernels). */
    long tileBytes() {
        return 8L * tile * tile * ((nngp ? 1 : 0) + (ntk ? 1 : 0));
    }
}
