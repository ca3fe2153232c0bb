#!/usr/bin/python3
"""Writes fixture.h5, the h5py-written file read by HDF5StorageTests/FixtureTests.swift.

Run from this directory with /usr/bin/python3 (Debian python3-h5py, python3-numpy). The values are
formulas the Swift test recomputes independently:

/                      attrs: format (str) = "mlresnet-fixture", version (int64) = 3,
                              h (float64) = 0.125, steps (int64[]) = [1, 2, 4, 8],
                              times (float64[]) = [0.0, 0.5, 1.0], fixed (fixed-length bytes) = b"ascii-fixed"
/levels/0/a_f32        float32 [2, 3, 4]   = arange(24) / 4
/levels/0/b_f64        float64 [5]         = arange(5) ** 2
/levels/0/c_i32        int32   [3, 2]      = arange(6) - 3
/levels/0/d_i64        int64   [2, 2, 2, 2]= arange(16) * 1_000_000_000_000
/levels/0/e_u8         uint8   [4, 4]      = (arange(16) * 17) % 256
/levels/0/f_scalar     float64 []          = 2.5
/levels/0/g_i16        int16   [3]         = [1, 2, 3]   (a type this module does not read)
/levels/0              attrs: name (str) = "finest", h (float64) = 0.25
/levels/1              (empty group)
/levels/0/a_f32        attrs: unit (str) = "weights", note (str) = "naïve ∂t"  (non-ASCII UTF-8)
"""
import h5py
import numpy as np

with h5py.File("fixture.h5", "w") as f:
    f.attrs["format"] = "mlresnet-fixture"
    f.attrs["version"] = np.int64(3)
    f.attrs["h"] = np.float64(0.125)
    f.attrs["steps"] = np.array([1, 2, 4, 8], dtype=np.int64)
    f.attrs["times"] = np.array([0.0, 0.5, 1.0], dtype=np.float64)
    f.attrs["fixed"] = np.bytes_(b"ascii-fixed")
    level0 = f.create_group("levels/0")
    f.create_group("levels/1")
    level0.attrs["name"] = "finest"
    level0.attrs["h"] = 0.25
    a = level0.create_dataset("a_f32", data=(np.arange(24, dtype=np.float32) / 4).reshape(2, 3, 4))
    a.attrs["unit"] = "weights"
    a.attrs["note"] = "naïve ∂t"
    level0.create_dataset("b_f64", data=np.arange(5, dtype=np.float64) ** 2)
    level0.create_dataset("c_i32", data=(np.arange(6, dtype=np.int32) - 3).reshape(3, 2))
    level0.create_dataset("d_i64", data=(np.arange(16, dtype=np.int64) * 1_000_000_000_000).reshape(2, 2, 2, 2))
    level0.create_dataset("e_u8", data=((np.arange(16) * 17) % 256).astype(np.uint8).reshape(4, 4))
    level0.create_dataset("f_scalar", data=np.float64(2.5))
    level0.create_dataset("g_i16", data=np.array([1, 2, 3], dtype=np.int16))
