#!/usr/bin/env python3
"""Regenerates the eigvalsh fixture of TwoStageEigenvaluesSpec (run with Debian's /usr/bin/python3, NumPy 1.24).

sym45.npy: a symmetric 45 x 45 float64 matrix (seeded Gaussian, symmetrised, plus a spread diagonal so that the
spectrum has negative, clustered and large eigenvalues); sym45_eigvalsh.npy: np.linalg.eigvalsh of it (LAPACK
dsyevd through NumPy's own OpenBLAS, ascending) - an independent result for the Java two-stage route.
"""
import numpy as np

rng = np.random.default_rng(20261206)
n = 45
g = rng.standard_normal((n, n))
a = (g + g.T) / 2
a += np.diag(np.concatenate([np.full(10, 3.0), np.linspace(-5, 40, n - 10)]))
np.save("sym45.npy", a)
np.save("sym45_eigvalsh.npy", np.linalg.eigvalsh(a))
