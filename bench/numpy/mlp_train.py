#!/usr/bin/env python3
"""NumPy reference for the `mlp_train` benchmark of NTK Workbench.

A multilayer perceptron in the NTK parameterization (DESIGN.md): every dense layer computes
z = (w_std / sqrt(fan_in)) h W with W ~ N(0, 1) and no bias (b_std = 0), ReLU between layers,
one linear output unit. Loss mse = (1/2n) sum_i (f(x_i) - y_i)^2 over a batch of n examples.
Each step is a full forward pass, the backward pass in closed form, and the plain gradient step
theta <- theta - lr * grad (gd on a fixed batch = one sgd step).

Default sizes: d = 64 inputs, two hidden layers of width 1024, batch 256. The script runs
`--warmup` untimed steps, then `--steps` timed ones, and prints one JSON object on its last line:
steps_per_second, seconds_per_step, gflops (6 * batch * sum(fan_in * fan_out) flops per step),
loss_first, loss_last, and the NumPy version and BLAS. With --gradcheck it also reports the largest
relative error of the analytic gradient against central finite differences (small sizes only).
"""
import argparse
import json
import sys
import time

import numpy as np


def init(sizes, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]


def forward(params, x, w_std):
    """Returns the output and the cache of (input h, pre-activation z, scale) per layer."""
    h = x
    cache = []
    for i, w in enumerate(params):
        scale = w_std / np.sqrt(w.shape[0])
        z = (h @ w) * scale
        cache.append((h, z, scale))
        h = np.maximum(z, 0.0) if i < len(params) - 1 else z
    return h, cache


def loss_and_grads(params, x, y, w_std):
    f, cache = forward(params, x, w_std)
    n = x.shape[0]
    r = f - y
    loss = 0.5 * float(np.sum(r * r)) / n
    delta = r / n  # dL/df
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        h, z, scale = cache[i]
        if i < len(params) - 1:
            delta = delta * (z > 0)  # through the ReLU after layer i
        grads[i] = (h.T @ delta) * scale
        if i > 0:
            delta = (delta @ params[i].T) * scale
    return loss, grads


def gradcheck(params, x, y, w_std, h=1e-5, probes=20, seed=1):
    """Max relative error of the analytic gradient against central differences at random entries."""
    _, grads = loss_and_grads(params, x, y, w_std)
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(probes):
        layer = int(rng.integers(len(params)))
        idx = tuple(int(rng.integers(s)) for s in params[layer].shape)
        keep = params[layer][idx]
        params[layer][idx] = keep + h
        up, _ = loss_and_grads(params, x, y, w_std)
        params[layer][idx] = keep - h
        down, _ = loss_and_grads(params, x, y, w_std)
        params[layer][idx] = keep
        fd = (up - down) / (2 * h)
        an = grads[layer][idx]
        worst = max(worst, abs(fd - an) / max(abs(fd), abs(an), 1e-6))
    return worst


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
    p.add_argument("--width", type=int, default=1024)
    p.add_argument("--depth", type=int, default=2, help="number of hidden layers")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--lr", type=float, default=0.5)
    p.add_argument("--wstd", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--gradcheck", type=int, default=0)
    a = p.parse_args(argv)

    sizes = [a.d] + [a.width] * a.depth + [1]
    params = init(sizes, a.seed)
    rng = np.random.default_rng(a.seed + 1)
    x = rng.standard_normal((a.batch, a.d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)  # inputs on the unit sphere
    y = np.sin(3.0 * x[:, :1])

    out = {}
    if a.gradcheck:
        out["gradcheck_max_rel_error"] = gradcheck(params, x, y, a.wstd)

    def step():
        loss, grads = loss_and_grads(params, x, y, a.wstd)
        for w, g in zip(params, grads):
            w -= a.lr * g
        return loss

    losses = [step() for _ in range(a.warmup)]
    t0 = time.perf_counter()
    for _ in range(a.steps):
        losses.append(step())
    seconds = time.perf_counter() - t0
    flops = 6.0 * a.batch * sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
    out.update({
        "steps_per_second": a.steps / seconds,
        "seconds_per_step": seconds / a.steps,
        "gflops": flops * a.steps / seconds * 1e-9,
        "loss_first": losses[0],
        "loss_last": losses[-1],
        "numpy": np.__version__,
        "blas": blas_name(),
    })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
