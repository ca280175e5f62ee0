#!/usr/bin/env python3
"""PyTorch reference for `ntk bench` (issue 13): the MLP training step of bench/numpy/mlp_train.py with
PyTorch autograd, float64 on the CPU, the same starting weights (NumPy's generator, seed), data and loss.

A bias-free ReLU MLP in the NTK parameterization (z = (w_std / sqrt(fan_in)) h W, W ~ N(0, 1)), mse
(1/2n) sum (f - y)^2, plain gradient steps theta <- theta - lr * grad on a fixed batch. `--threads`
sets torch's intra-op threads (default: what torch chose). Prints one JSON object on its last line with
steps_per_second, seconds_per_step, gflops, loss_first, loss_last, torch, threads.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch


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
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)

    sizes = [a.d] + [a.width] * a.depth + [1]
    rng = np.random.default_rng(a.seed)
    params = [torch.tensor(rng.standard_normal((m, n)), dtype=torch.float64, requires_grad=True)
              for m, n in zip(sizes[:-1], sizes[1:])]
    rng = np.random.default_rng(a.seed + 1)
    x = rng.standard_normal((a.batch, a.d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = torch.tensor(np.sin(3.0 * x[:, :1]), dtype=torch.float64)
    x = torch.tensor(x, dtype=torch.float64)
    scales = [a.wstd / np.sqrt(m) for m in sizes[:-1]]

    def step():
        h = x
        for i, w in enumerate(params):
            h = (h @ w) * scales[i]
            if i < len(params) - 1:
                h = torch.relu(h)
        loss = 0.5 * ((h - y) ** 2).sum() / a.batch
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for w, g in zip(params, grads):
                w -= a.lr * g
        return float(loss)

    losses = [step() for _ in range(a.warmup)]
    t0 = time.perf_counter()
    for _ in range(a.steps):
        losses.append(step())
    seconds = time.perf_counter() - t0
    flops = 6.0 * a.batch * sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
    print(json.dumps({
        "steps_per_second": a.steps / seconds,
        "seconds_per_step": seconds / a.steps,
        "gflops": flops * a.steps / seconds * 1e-9,
        "loss_first": losses[0],
        "loss_last": losses[-1],
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
