package org.ntkworkbench.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ntkworkbench.model.empirical.EmpiricalNtk;
import org.ntkworkbench.model.empirical.NtkMethod;
import org.ntkworkbench.tensor.Tensor;

/**
 * Structured derivatives against Jacobian contraction on the same empirical NTK (the MLP of
 * {@link EmpiricalNtkBenchmark}, default {@code n = 500}, width 512): reports {@code seconds_structured},
 * {@code seconds_jacobian}, {@code speedup} (their ratio) and {@code max_rel_difference} of the two
 * kernels (max |Δ| / max |Θ|), so that the speed-up is only claimed for equal answers.
 */
public final class EmpiricalNtkRatioBenchmark implements Benchmark {
    private final EmpiricalNtkBenchmark.MlpCache cache = new EmpiricalNtkBenchmark.MlpCache();

    @Override
    public String name() {
        return "empirical_ntk_ratio";
    }

    @Override
    public String description() {
        return "empirical NTK of a ReLU MLP: structured derivatives vs Jacobian contraction (time ratio and agreement)";
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("d", 64);
        p.put("width", 512);
        p.put("depth", 2);
        p.put("n", 500);
        return p;
    }

    @Override
    public Measurement run(Map<String, Object> params) {
        EmpiricalNtkBenchmark.Mlp mlp = cache.get(params);
        long t0 = System.nanoTime();
        Tensor structured = EmpiricalNtk.ntk(mlp.net(), mlp.params(), mlp.x(), null, NtkMethod.STRUCTURED_DERIVATIVES, true);
        double ts = (System.nanoTime() - t0) * 1e-9;
        t0 = System.nanoTime();
        Tensor jacobian = EmpiricalNtk.ntk(mlp.net(), mlp.params(), mlp.x(), null, NtkMethod.JACOBIAN_CONTRACTION, true);
        double tj = (System.nanoTime() - t0) * 1e-9;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("seconds_structured", ts);
        v.put("seconds_jacobian", tj);
        v.put("speedup", tj / ts);
        v.put("max_rel_difference", structured.sub(jacobian).maxAbs() / jacobian.maxAbs());
        return Measurement.of(v);
    }
}
