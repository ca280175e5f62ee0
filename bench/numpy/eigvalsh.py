#!/usr/bin/env python3
"""NumPy reference for the `eigvalsh` benchmark of NTK Workbench.

Loads a symmetric matrix from --matrix (an .npy file the Java benchmark writes, so that both sides
decompose exactly the same numbers), runs `--warmup` untimed and `--repeats` timed calls of
np.linalg.eigvalsh (LAPACK dsyevd, eigenvalues only) and prints one JSON object on its last line:
seconds (median), n, lambda_max, lambda_min, the NumPy version and BLAS. With --values-out it saves
the eigenvalues (ascending) there as .npy for the Java side to compare.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return "%s %s" % (blas.get("name", "?"), blas.get("version", ""))
    except Exception:  # older NumPy
        return "unknown"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--matrix", required=True)
    p.add_argument("--values-out", default="")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--warmup", type=int, default=0)
    a = p.parse_args(argv)

    m = np.load(a.matrix)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise SystemExit("eigvalsh.py: %s has shape %s, need a square matrix" % (a.matrix, m.shape))
    m = np.ascontiguousarray(m, dtype=np.float64)
    for _ in range(a.warmup):
        np.linalg.eigvalsh(m)
    times = []
    w = None
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        w = np.linalg.eigvalsh(m)
        times.append(time.perf_counter() - t0)
    if a.values_out:
        np.save(a.values_out, w)
    print(json.dumps({
        "seconds": statistics.median(times),
        "n": int(m.shape[0]),
        "lambda_max": float(w[-1]),
        "lambda_min": float(w[0]),
        "numpy": np.__version__,
        "blas": blas_name(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
