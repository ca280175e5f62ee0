package org.ntkworkbench.fit;

import java.util.List;
import java.util.Map;
import org.ntkworkbench.tensor.Tensor;

/**
 * What a fit gives: predictions {@code (m, k)} under DESIGN.md's names ({@code ntk}, {@code nngp},
 * {@code ntk_t1000}, …), metrics ({@code accuracy_ntk}, {@code rmse_nngp_t1000}, …; empty without test
 * targets), confusion matrices (rows: true class, columns: predicted; classification with test labels),
 * stage timings in seconds, the diagonal value added to each kernel and the solver's notes.
 */
public record FitResult(Map<String, Tensor> predictions, Map<String, Double> metrics, Map<String, int[][]> confusion,
                        Map<String, Double> timings, Map<String, Double> diagonalAdded, List<String> notes) {}
