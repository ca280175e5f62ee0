#!/usr/bin/env python3
"""Reference numbers for `ntk fit` on Fashion-MNIST (docs/benchmarks.md): the same FC ReLU NTK in
NumPy (kernel + Cholesky solve, timed) and scikit-learn's RBF SVC (C=10, gamma='scale') on the same
subset: first N_TRAIN train / first N_TEST test images, each image standardised to mean 0, variance 1.

Usage: /usr/bin/python3 fashion_mnist_reference.py [DATA_DIR] [N_TRAIN] [N_TEST] [DEPTH] [B_STD] [DIAG_REG] [OUT.json]
Model: serial(dense(512, bStd: B_STD), relu()) * DEPTH, dense(1, bStd: B_STD), NTK parameterisation, wStd = 1.
NTK_REFERENCE_SKIP_SVC=1 leaves out the SVC (timing runs: /work/notes/measure-perf.sh).
"""
import gzip, json, os, sys, time
import numpy as np

def idx(path):
    with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * a: 8 + 4 * a], 'big') for a in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)

def standardise(x):
    x = x.reshape(len(x), -1).astype(np.float64)
    m = x.mean(axis=1, keepdims=True)
    s = x.std(axis=1, keepdims=True)
    return (x - m) / np.where(s > 0, s, 1)

def ntk_relu(x1, x2, depth, b, same=False):
    """NNGP and NTK of depth ReLU layers, dense widths → ∞, NTK parameterisation, wStd = 1.
    same: x1 is x2, so the diagonal cosine is exactly 1 (arccos would turn its rounding into a 1e-8 error)."""
    d = x1.shape[1]
    k12 = x1 @ x2.T / d + b * b
    k11 = np.einsum('ij,ij->i', x1, x1) / d + b * b
    k22 = np.einsum('ij,ij->i', x2, x2) / d + b * b
    t12 = k12.copy()
    for _ in range(depth):
        norm = np.sqrt(np.outer(k11, k22))
        c = np.clip(k12 / norm, -1, 1)
        if same:
            np.fill_diagonal(c, 1.0)
        th = np.arccos(c)
        e = norm * (np.sin(th) + (np.pi - th) * c) / (2 * np.pi)
        edot = (np.pi - th) / (2 * np.pi)
        k12 = e + b * b
        t12 = k12 + t12 * edot
        k11 = k11 / 2 + b * b
        k22 = k22 / 2 + b * b
    return k12, t12

def main():
    a = sys.argv[1:]
    root = a[0] if len(a) > 0 else '/usr/share/datasets/fashion-mnist'
    n, m = (int(a[1]) if len(a) > 1 else 5000), (int(a[2]) if len(a) > 2 else 2000)
    depth = int(a[3]) if len(a) > 3 else 2
    b = float(a[4]) if len(a) > 4 else 0.1
    reg = float(a[5]) if len(a) > 5 else 1e-4
    out = a[6] if len(a) > 6 else None
    xtr = standardise(idx(root + '/train-images-idx3-ubyte.gz')[:n])
    ytr = idx(root + '/train-labels-idx1-ubyte.gz')[:n].astype(int)
    xte = standardise(idx(root + '/t10k-images-idx3-ubyte.gz')[:m])
    yte = idx(root + '/t10k-labels-idx1-ubyte.gz')[:m].astype(int)
    res = {'n_train': n, 'n_test': m, 'depth': depth, 'b_std': b, 'diag_reg': reg, 'numpy': np.__version__}
    t0, c0 = time.perf_counter(), time.process_time()
    _, ktt = ntk_relu(xtr, xtr, depth, b, True)
    _, kst = ntk_relu(xte, xtr, depth, b)
    t1, c1 = time.perf_counter(), time.process_time()
    ktt[np.diag_indices(n)] += reg * np.mean(np.diag(ktt))
    import scipy.linalg as sl
    c = sl.cho_factor(ktt, lower=True, check_finite=False)
    alpha = sl.cho_solve(c, np.eye(10)[ytr], check_finite=False)
    pred = kst @ alpha
    t2, c2 = time.perf_counter(), time.process_time()
    # Wall seconds and process CPU seconds (all threads): on a shared machine the CPU time is what compares.
    res.update(numpy_kernel_s=t1 - t0, numpy_solve_s=t2 - t1, numpy_total_s=t2 - t0,
               numpy_kernel_cpu_s=c1 - c0, numpy_solve_cpu_s=c2 - c1, numpy_total_cpu_s=c2 - c0,
               accuracy_ntk_numpy=float(np.mean(pred.argmax(1) == yte)))
    try:
        if os.environ.get('NTK_REFERENCE_SKIP_SVC') == '1':
            raise ImportError('skipped')
        from sklearn.svm import SVC
        t3 = time.perf_counter()
        svc = SVC(C=10, kernel='rbf', gamma='scale').fit(xtr, ytr)
        res['accuracy_svc_rbf'] = float(np.mean(svc.predict(xte) == yte))
        res['svc_s'] = time.perf_counter() - t3
    except ImportError:
        res['accuracy_svc_rbf'] = None
    s = json.dumps(res, indent=1)
    print(s)
    if out:
        open(out, 'w').write(s)

if __name__ == '__main__':
    main()
