package org.ntkworkbench.fit;

import org.ntkworkbench.tensor.Tensor;

/**
 * The kernel blocks a fit needs, for one kernel ({@code nngp} or {@code ntk}): the symmetric
 * train-train matrix {@code (n, n)} and the test-train matrix {@code (m, n)}.
 */
public record KernelBlocks(String kernel, Tensor trainTrain, Tensor testTrain) {}
