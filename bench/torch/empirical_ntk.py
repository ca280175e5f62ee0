#!/usr/bin/env python3
"""PyTorch/functorch reference for `ntk bench empirical_ntk_torch` (issue 13 item 5).

The empirical NTK Theta(x, x) = J J^T of a bias-free ReLU MLP in the NTK parameterization
(z = (w_std / sqrt(fan_in)) h W, one output), computed by the two methods of PyTorch's "Neural Tangent
Kernels" tutorial (functorch 0.2 / torch 1.13 names: functorch.jacrev, vjp, jvp, vmap):

  jacobian_contraction       the tutorial's empirical_ntk_jacobian_contraction: vmap(jacrev(fnet_single))
                             per example, each parameter's Jacobian flattened, einsum('Naf,Mbf->NMab')
                             summed over parameters. x1 = x2 here, so the Jacobian is built once.
  ntk_vector_products        the tutorial's empirical_ntk_ntk_vps: per pair of examples, vjp at x1 against
                             each output basis vector, then jvp at x2 with that cotangent; vmapped over
                             x2. The tutorial also vmaps over x1; that outer vmap is replaced by a loop over
                             the rows of x1, because in torch 1.13 on the CPU it makes matmul's batching rule
                             copy the weight tangents once per (row, column) pair (4 rows x 100 columns of a
                             d=64, 512x2 MLP: 24.7 s, 94 % in aten::copy_, against 0.55 s looped).
  ntk_vector_products_batch  the same vjp-then-jvp product on the whole batch, one column of Theta per
                             basis vector e_j of the batch output (Theta e_j = J (J^T e_j)), vmapped over
                             chunks of basis vectors: the form of our NTK_VECTOR_PRODUCTS method.

The network, parameters and inputs come from `--data DIR` (x.npy (n, d) and w0.npy, w1.npy, ... the
standard-normal weights (fan_in, fan_out) as `ntk bench` writes them from our own initialisation), so
the kernels can be compared with ours entry by entry; without --data they are drawn from NumPy's
generator with --seed at the --d/--width/--depth/--n sizes.

Every method first runs once on two examples, untimed (functorch's first-call costs). Each method has a
time budget (`--budget` seconds): the vector-product methods stop after the chunk whose elapsed time plus
projected remainder exceeds it; the Jacobian contraction is first timed on min(n, max(16, n/4)) examples and
not run when its projection (Jacobian linear in n, contraction quadratic) exceeds the budget or its Jacobian
would need more than --max-gb. A method stopped or not run is named with the reason in
`over_budget_<method>` (a string); the others report seconds_<method> and cpu_seconds_<method>
(process CPU time over all threads). With --save DIR each finished kernel is written to
DIR/theta_<method>.npy. Prints one JSON object on its last line.
"""
import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import functorch  # noqa: E402
from functorch import jacrev, jvp, vjp, vmap  # noqa: E402

T_IMPORTED = time.perf_counter()

METHODS = ("jacobian_contraction", "ntk_vector_products", "ntk_vector_products_batch")


class OverBudget(Exception):
    pass


def load(a):
    if a.data:
        x = np.load(os.path.join(a.data, "x.npy"))
        ws = []
        while os.path.exists(os.path.join(a.data, "w%d.npy" % len(ws))):
            ws.append(np.load(os.path.join(a.data, "w%d.npy" % len(ws))))
        if not ws:
            raise SystemExit("no w0.npy in " + a.data)
    else:
        sizes = [a.d] + [a.width] * a.depth + [1]
        rng = np.random.default_rng(a.seed)
        ws = [rng.standard_normal((m, k)) for m, k in zip(sizes[:-1], sizes[1:])]
        rng = np.random.default_rng(a.seed + 1)
        x = rng.standard_normal((a.n, a.d))
        x /= np.linalg.norm(x, axis=1, keepdims=True)
    params = tuple(torch.tensor(w, dtype=torch.float64) for w in ws)
    return torch.tensor(x, dtype=torch.float64), params


def make_net(params, w_std):
    scales = [w_std / float(np.sqrt(w.shape[0])) for w in params]
    last = len(params) - 1

    def fnet(ps, xs):
        """The batch's outputs (n, 1)."""
        h = xs
        for i, w in enumerate(ps):
            h = (h @ w) * scales[i]
            if i < last:
                h = torch.relu(h)
        return h

    def fnet_single(ps, xi):
        """One example's outputs (1,): the tutorial's fnet_single."""
        return fnet(ps, xi.unsqueeze(0)).squeeze(0)

    return fnet, fnet_single


def jacobian_contraction(fnet_single, params, x):
    """The tutorial's empirical_ntk_jacobian_contraction with x1 = x2 (one Jacobian): returns Theta and the
    seconds of its two parts (Jacobians, contraction)."""
    t0 = time.perf_counter()
    jac = vmap(jacrev(fnet_single), (None, 0))(params, x)
    jac = [j.flatten(2) for j in jac]
    t1 = time.perf_counter()
    result = torch.stack([torch.einsum("Naf,Mbf->NMab", j, j) for j in jac]).sum(0)
    return result[:, :, 0, 0], t1 - t0, time.perf_counter() - t1


def ntk_vector_products(fnet_single, params, x, budget, t_start):
    """The tutorial's empirical_ntk_ntk_vps, vmapped over x2 and looped over the rows of x1."""

    def get_ntk(x1, x2):
        def func_x1(ps):
            return fnet_single(ps, x1)

        def func_x2(ps):
            return fnet_single(ps, x2)

        output, vjp_fn = vjp(func_x1, params)

        def get_ntk_slice(vec):
            vjps = vjp_fn(vec)
            _, jvps = jvp(func_x2, (params,), vjps)
            return jvps

        basis = torch.eye(output.numel(), dtype=output.dtype, device=output.device).view(output.numel(), -1)
        return vmap(get_ntk_slice)(basis)

    row = vmap(get_ntk, (None, 0))
    n = x.shape[0]
    rows = []
    for i in range(n):
        rows.append(row(x[i], x)[:, 0, 0])
        check_budget(t_start, i + 1, n, budget, "rows of x1")
    return torch.stack(rows)


def ntk_vector_products_batch(fnet, params, x, budget, t_start, chunk):
    """Theta e_j = J (J^T e_j) on the whole batch, vmapped over chunks of basis vectors e_j."""

    def f(ps):
        return fnet(ps, x)[:, 0]

    _, vjp_fn = vjp(f, params)

    def column(v):
        (g,) = vjp_fn(v)
        _, out = jvp(f, (params,), (g,))
        return out

    n = x.shape[0]
    eye = torch.eye(n, dtype=torch.float64)
    cols = []
    done = 0
    first = max(1, min(chunk, 4))  # a small first chunk, so that an over-budget size stops early
    while done < n:
        k = min(first if done == 0 else chunk, n - done)
        cols.append(vmap(column)(eye[done:done + k]))
        done += k
        check_budget(t_start, done, n, budget, "basis vectors")
    return torch.cat(cols)


def check_budget(t_start, done, total, budget, what):
    elapsed = time.perf_counter() - t_start
    projected = elapsed * total / done
    if done < total and projected > budget:
        raise OverBudget("stopped after %d of %d %s (%.1f s); projected %.0f s > budget %.0f s"
                         % (done, total, what, elapsed, projected, budget))


def save(directory, name, theta):
    path = os.path.join(directory, "theta_%s.npy" % name)
    tmp = path + ".tmp.npy"
    np.save(tmp, theta.numpy())
    os.replace(tmp, path)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=None, help="folder with x.npy and w0.npy, w1.npy, ... (from ntk bench)")
    p.add_argument("--d", type=int, default=64)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--depth", type=int, default=2)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--wstd", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's choice)")
    p.add_argument("--methods", default=",".join(METHODS))
    p.add_argument("--budget", type=float, default=60.0, help="seconds per method")
    p.add_argument("--max-gb", type=float, default=6.0, help="largest Jacobian (GB) the contraction may build")
    p.add_argument("--chunk", type=int, default=50, help="basis vectors per vmap in ntk_vector_products_batch")
    p.add_argument("--save", default=None, help="write theta_<method>.npy into this folder")
    a = p.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    methods = [m for m in a.methods.split(",") if m]
    for m in methods:
        if m not in METHODS:
            raise SystemExit("unknown method %s; known: %s" % (m, ", ".join(METHODS)))

    x, params = load(a)
    n = x.shape[0]
    n_params = sum(w.numel() for w in params)
    fnet, fnet_single = make_net(params, a.wstd)
    out = {"n": n, "parameters": n_params}

    for m in methods:
        # untimed first call on two examples: functorch's tracing and the allocator's first requests
        warm = x[:2]
        if m == "jacobian_contraction":
            jacobian_contraction(fnet_single, params, warm)
        elif m == "ntk_vector_products":
            ntk_vector_products(fnet_single, params, warm, float("inf"), time.perf_counter())
        else:
            ntk_vector_products_batch(fnet, params, warm, float("inf"), time.perf_counter(), a.chunk)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            if m == "jacobian_contraction":
                gb = 8.0 * n * n_params / 1e9
                if gb > a.max_gb:
                    raise OverBudget("its Jacobian (%d x %d) needs %.1f GB > --max-gb %.1f" % (n, n_params, gb, a.max_gb))
                n0 = min(n, max(16, n // 4))  # big enough that fixed costs do not inflate the projection
                if n0 < n:
                    _, tj, tc = jacobian_contraction(fnet_single, params, x[:n0])
                    projected = tj * n / n0 + tc * (n / n0) ** 2
                    if projected > a.budget:
                        raise OverBudget("projected %.0f s (from n = %d: Jacobians %.2f s, contraction %.2f s) > budget %.0f s"
                                         % (projected, n0, tj, tc, a.budget))
                    t0, c0 = time.perf_counter(), time.process_time()
                theta, tj, tc = jacobian_contraction(fnet_single, params, x)
                out["seconds_jacobians"] = tj
                out["seconds_contraction"] = tc
            elif m == "ntk_vector_products":
                theta = ntk_vector_products(fnet_single, params, x, a.budget, t0)
            else:
                theta = ntk_vector_products_batch(fnet, params, x, a.budget, t0, a.chunk)
        except OverBudget as e:
            out["over_budget_" + m] = str(e)
            continue
        out["seconds_" + m] = time.perf_counter() - t0
        out["cpu_seconds_" + m] = time.process_time() - c0
        out["trace_" + m] = float(theta.trace())
        if a.save:
            save(a.save, m, theta)
        del theta

    ru = resource.getrusage(resource.RUSAGE_SELF)
    out.update({
        "import_seconds": T_IMPORTED - T_START,
        "process_seconds": time.perf_counter() - T_START,
        "process_cpu_seconds": ru.ru_utime + ru.ru_stime,
        "max_rss_gb": ru.ru_maxrss / 1e6,
        "torch": torch.__version__,
        "functorch": getattr(functorch, "__version__", "?"),
        "threads": torch.get_num_threads(),
        "budget": a.budget,
    })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
