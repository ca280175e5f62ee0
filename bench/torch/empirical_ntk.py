#!/usr/bin/env python3
"""PyTorch/functorch reference for `ntk bench` (issue 13): the empirical NTK Theta(x, x) = J J^T of the
bias-free ReLU MLP of bench/numpy/empirical_ntk.py (NTK parameterization, one output, weights from NumPy's
generator with the seed, inputs on the unit sphere) by functorch's two methods of its NTK tutorial:
Jacobian contraction (vmap(jacrev) per example, then sum over layers of J1 J2^T) and NTK-vector products
(vjp of the batch against basis vectors, then jvp: one column of Theta per basis vector, vmapped in chunks).
Compare with `empirical_ntk_ratio` (our structured derivatives and Jacobian contraction) at the same sizes.
Prints one JSON object: seconds_jacobian_contraction, seconds_ntk_vector_products, max_rel_difference
(between the two), trace (of Theta, to compare with ours), torch, threads.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
from functorch import jacrev, jvp, vjp, vmap


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--d", type=int, default=64)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--depth", type=int, default=2)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--wstd", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--chunk", type=int, default=100, help="basis vectors per vmap in NTK-vector products")
    a = p.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    sizes = [a.d] + [a.width] * a.depth + [1]
    rng = np.random.default_rng(a.seed)
    params = tuple(torch.tensor(rng.standard_normal((m, n)), dtype=torch.float64) for m, n in zip(sizes[:-1], sizes[1:]))
    rng = np.random.default_rng(a.seed + 1)
    x = rng.standard_normal((a.n, a.d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    x = torch.tensor(x, dtype=torch.float64)
    scales = [a.wstd / np.sqrt(m) for m in sizes[:-1]]

    def f(ps, xs):
        h = xs
        for i, w in enumerate(ps):
            h = (h @ w) * scales[i]
            if i < len(ps) - 1:
                h = torch.relu(h)
        return h.reshape(-1)

    def single(ps, xi):
        return f(ps, xi.unsqueeze(0))[0]

    t0 = time.perf_counter()
    jac = vmap(jacrev(single), (None, 0))(params, x)          # per layer (n, fan_in, fan_out)
    theta_j = sum(j.reshape(a.n, -1) @ j.reshape(a.n, -1).T for j in jac)
    tj = time.perf_counter() - t0
    del jac

    t0 = time.perf_counter()
    _, vjp_fn = vjp(lambda ps: f(ps, x), params)

    def column(v):
        (g,) = (vjp_fn(v),)
        _, out = jvp(lambda ps: f(ps, x), (params,), g)
        return out

    eye = torch.eye(a.n, dtype=torch.float64)
    theta_v = torch.cat([vmap(column)(eye[s:s + a.chunk]) for s in range(0, a.n, a.chunk)])
    tv = time.perf_counter() - t0

    print(json.dumps({
        "seconds_jacobian_contraction": tj,
        "seconds_ntk_vector_products": tv,
        "max_rel_difference": float((theta_j - theta_v).abs().max() / theta_j.abs().max()),
        "trace": float(theta_j.trace()),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
