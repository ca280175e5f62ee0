#!/usr/bin/env python3
"""PyTorch reference for the `eigvalsh` benchmark of NTK Workbench (session 6).

The same as bench/numpy/eigvalsh.py with torch.linalg.eigvalsh (LAPACK syevd through torch's CPU backend,
float64, eigenvalues only) instead of np.linalg.eigvalsh: loads the symmetric matrix the Java benchmark wrote
(--matrix .npy), runs `--warmup` untimed and `--repeats` timed calls and prints one JSON object on its last
line: seconds (median), n, lambda_max, lambda_min, torch, threads. With --values-out it saves the eigenvalues
(ascending) there as .npy for the Java side to compare. `--threads` sets torch's intra-op threads.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--matrix", required=True)
    p.add_argument("--values-out", default="")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    a = p.parse_args(argv)
    if a.threads > 0:
        torch.set_num_threads(a.threads)

    m = np.load(a.matrix)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise SystemExit("eigvalsh.py: %s has shape %s, need a square matrix" % (a.matrix, m.shape))
    t = torch.from_numpy(np.ascontiguousarray(m, dtype=np.float64))
    for _ in range(a.warmup):
        torch.linalg.eigvalsh(t)
    times = []
    w = None
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        w = torch.linalg.eigvalsh(t)
        times.append(time.perf_counter() - t0)
    w = w.numpy()
    if a.values_out:
        np.save(a.values_out, w)
    print(json.dumps({
        "seconds": statistics.median(times),
        "n": int(m.shape[0]),
        "lambda_max": float(w[-1]),
        "lambda_min": float(w[0]),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
