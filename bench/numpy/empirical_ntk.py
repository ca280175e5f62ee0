#!/usr/bin/env python3
"""NumPy reference for the `empirical_ntk` benchmark of NTK Workbench.

The empirical NTK Theta(x, x) = J J^T of a bias-free ReLU MLP in the NTK parameterization (DESIGN.md:
z = (w_std / sqrt(fan_in)) h W, W ~ N(0, 1)), d inputs, `depth` hidden layers of `width`, one output,
on n points of the unit sphere, by structured derivatives: for each dense layer with input rows h and
pre-activation gradients delta = df/dz (one backward pass), its contribution is
a^2 (h h^T) * (delta delta^T) (Hadamard product), summed over layers. J is never formed.

The script runs `--warmup` untimed evaluations, then `--repeats` timed ones, and prints one JSON object
on its last line: seconds (median), gflop and gflops (the same BLAS flop count as the Java benchmark:
forward 2 n fan_in w per layer, backward 2 n fan_in w per layer but the first, and n (n + 1)(fan_in + w)
for the two symmetric products per layer), kernel_diagonal_mean, the NumPy version and BLAS.
With --check it also reports the largest relative difference from J J^T with J built per example
(small sizes only).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def init(sizes, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]


def structured_ntk(params, x, w_std=1.0):
    """Theta(x, x) = sum_l a_l^2 (h_l h_l^T) * (delta_l delta_l^T) for a scalar-output ReLU MLP."""
    hs, zs, scales = [], [], []
    h = x
    for i, w in enumerate(params):
        a = w_std / np.sqrt(w.shape[0])
        z = (h @ w) * a
        hs.append(h)
        zs.append(z)
        scales.append(a)
        h = np.maximum(z, 0.0) if i < len(params) - 1 else z
    n = x.shape[0]
    delta = np.ones((n, 1))
    theta = np.zeros((n, n))
    for i in range(len(params) - 1, -1, -1):
        if i < len(params) - 1:
            delta = delta * (zs[i] > 0)
        hh = hs[i] @ hs[i].T  # NumPy uses syrk for a @ a.T
        dd = delta @ delta.T
        theta += scales[i] ** 2 * hh * dd
        if i > 0:
            delta = (delta @ params[i].T) * scales[i]
    return theta


def jacobian_ntk(params, x, w_std=1.0):
    """J J^T with J built per example by the chain rule (the slow reference)."""
    rows = []
    for e in range(x.shape[0]):
        h = x[e:e + 1]
        cache = []
        for i, w in enumerate(params):
            a = w_std / np.sqrt(w.shape[0])
            z = (h @ w) * a
            cache.append((h, z, a))
            h = np.maximum(z, 0.0) if i < len(params) - 1 else z
        delta = np.ones((1, 1))
        grads = [None] * len(params)
        for i in range(len(params) - 1, -1, -1):
            h, z, a = cache[i]
            if i < len(params) - 1:
                delta = delta * (z > 0)
            grads[i] = (h.T @ delta * a).ravel()
            if i > 0:
                delta = (delta @ params[i].T) * a
        rows.append(np.concatenate(grads))
    j = np.array(rows)
    return j @ j.T


def flops(n, sizes):
    f = 0.0
    for l, (fan_in, w) in enumerate(zip(sizes[:-1], sizes[1:])):
        f += 2.0 * n * fan_in * w
        if l > 0:
            f += 2.0 * n * fan_in * w
        f += float(n) * (n + 1) * (fan_in + w)
    return f


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return "%s %s" % (blas.get("name", "?"), blas.get("version", ""))
    except Exception:  # older NumPy
        return "unknown"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, default=64)
    p.add_argument("--width", type=int, default=2048)
    p.add_argument("--depth", type=int, default=2, help="number of hidden layers")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", type=int, default=0)
    a = p.parse_args(argv)

    sizes = [a.d] + [a.width] * a.depth + [1]
    params = init(sizes, a.seed)
    rng = np.random.default_rng(a.seed + 1)
    x = rng.standard_normal((a.n, a.d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)  # inputs on the unit sphere

    out = {}
    if a.check:
        s = structured_ntk(params, x)
        j = jacobian_ntk(params, x)
        out["check_max_rel_difference"] = float(np.max(np.abs(s - j)) / np.max(np.abs(j)))

    for _ in range(a.warmup):
        structured_ntk(params, x)
    times = []
    theta = None
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        theta = structured_ntk(params, x)
        times.append(time.perf_counter() - t0)
    seconds = statistics.median(times)
    f = flops(a.n, sizes)
    out.update({
        "seconds": seconds,
        "gflop": f * 1e-9,
        "gflops": f / seconds * 1e-9,
        "kernel_diagonal_mean": float(np.mean(np.diag(theta))),
        "numpy": np.__version__,
        "blas": blas_name(),
    })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
