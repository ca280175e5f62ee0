#!/usr/bin/env python3
"""NumPy reference for the `analytic_kernel` benchmark of NTK Workbench.

The analytic (infinite-width) NNGP and NTK of a depth-3 ReLU MLP with bias in the NTK
parameterization, serial(dense(., w_std, b_std), relu(), dense(.), relu(), dense(1)), on n Gaussian
inputs of dimension d, by the standard recursion: Sigma0 = x x^T / d, Theta0 = 0; dense:
Sigma' = w^2 Sigma + b^2, Theta' = Sigma' + w^2 Theta; ReLU (arc-cosine kernels):
Sigma' = sqrt(s_i s_j) (sin t + (pi - t) cos t) / (2 pi), Theta' = (pi - t) / (2 pi) * Theta.

Runs `--warmup` untimed evaluations, then `--repeats` timed ones, and prints one JSON object on its
last line: seconds (median wall time), cpu_seconds (median process CPU time, all BLAS threads; a
busy shared machine stretches it much less than the wall time), ntk_diagonal_mean, the NumPy version.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def kernel(x, depth=3, w_std=1.4, b_std=0.1):
    d = x.shape[1]
    k = x @ x.T / d
    theta = np.zeros_like(k)
    w2, b2 = w_std ** 2, b_std ** 2
    for layer in range(depth):
        if layer > 0:
            s = np.sqrt(np.diag(k))
            norm = np.outer(s, s)
            t = np.arccos(np.clip(k / norm, -1.0, 1.0))
            np.fill_diagonal(t, 0.0)
            k = norm * (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi)
            theta = theta * ((np.pi - t) / (2 * np.pi))
        k = w2 * k + b2
        theta = k + w2 * theta
    return k, theta


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, default=64)
    p.add_argument("--n", type=int, default=4000)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    x = np.random.default_rng(a.seed).standard_normal((a.n, a.d))
    for _ in range(a.warmup):
        kernel(x, a.depth)
    times, cpu = [], []
    for _ in range(a.repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        nngp, ntk = kernel(x, a.depth)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(json.dumps({"seconds": statistics.median(times), "cpu_seconds": statistics.median(cpu),
                      "ntk_diagonal_mean": float(np.mean(np.diag(ntk))), "numpy": np.__version__}))


if __name__ == "__main__":
    main(sys.argv[1:])
