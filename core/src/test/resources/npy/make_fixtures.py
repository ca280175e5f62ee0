#!/usr/bin/env python3
"""Generates the NPY/NPZ fixtures for org.ntkworkbench.io specs (NpyReaderSpec, NpzSpec, NpyWriterSpec).

Run once from this directory with NumPy installed:  python3 make_fixtures.py
The generated files are committed, so the tests need no Python. Every array is a simple formula
(arange-based) that the specs recompute independently; the expect_*.npy files are what np.save
writes for arrays the specs rebuild in Java, to compare our writer byte for byte.
"""
import numpy as np
from numpy.lib import format as npformat


def base(n):
    """arange(n) * 0.25 - 2: exact binary fractions, so every dtype conversion is exact."""
    return np.arange(n, dtype=np.float64) * 0.25 - 2.0


def save_version(name, arr, version):
    with open(name, "wb") as f:
        npformat.write_array(f, arr, version=version)


# --- readable dtypes (C order, format 1.0) ---
np.save("f8_2x3x4.npy", base(24).reshape(2, 3, 4))
np.save("f4_3x2.npy", base(6).astype("<f4").reshape(3, 2))
np.save("i8_5.npy", np.arange(5, dtype="<i8") * 1000000007 - 3)
np.save("i4_2x2.npy", np.arange(4, dtype="<i4").reshape(2, 2) - 2)
np.save("i2_4.npy", np.array([-32768, -1, 0, 32767], dtype="<i2"))
np.save("i1_5.npy", np.array([-128, -1, 0, 1, 127], dtype="i1"))
np.save("u1_4.npy", np.array([0, 1, 128, 255], dtype="u1"))
np.save("u2_3.npy", np.array([0, 1, 65535], dtype="<u2"))
np.save("u4_3.npy", np.array([0, 1, 4294967295], dtype="<u4"))
np.save("u8_2.npy", np.array([1, 2**63 + 2**11], dtype="<u8"))  # both exact in float64
np.save("b1_6.npy", np.arange(6) % 3 == 0)
np.save("scalar.npy", np.array(3.25))
np.save("empty_0x3.npy", np.zeros((0, 3)))

# --- Fortran order (header fortran_order: True) ---
np.save("fortran_f8_2x3x4.npy", np.asfortranarray(base(24).reshape(2, 3, 4)))
np.save("fortran_i4_3x5.npy", np.asfortranarray(np.arange(15, dtype="<i4").reshape(3, 5)))

# --- format versions 2.0 and 3.0 ---
save_version("v2_f8_2x3.npy", base(6).reshape(2, 3), (2, 0))
save_version("v3_f8_2x3.npy", base(6).reshape(2, 3), (3, 0))

# --- files we must refuse ---
np.save("bad_bigendian.npy", base(4).astype(">f8"))
np.save("bad_object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save("bad_structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
np.save("bad_complex.npy", np.arange(3, dtype="<c16"))

# --- NPZ: stored (np.savez) and deflated (np.savez_compressed) ---
np.savez("stored.npz", a=base(6).reshape(2, 3), b=np.arange(4, dtype="<i4"))
np.savez_compressed("deflated.npz", x=base(12).reshape(3, 4), kernel=np.eye(3))

# --- what np.save writes, for byte-for-byte comparison with our writer ---
np.save("expect_2x3.npy", np.arange(6, dtype=np.float64).reshape(2, 3) / 7)
np.save("expect_5.npy", np.arange(5, dtype=np.float64) - 2.5)
np.save("expect_scalar.npy", np.array(-0.1))
np.save("expect_1000000x0.npy", np.zeros((1000000, 0)))
# header + newline is 118 bytes, so 10 + 118 is a multiple of 64 and NumPy pads a full 64 spaces
np.save("expect_edge.npy", np.zeros((0,) + (10,) * 8 + (1000000,)))
