"""Reads a MultilevelResNet level archive (HDF5) with numpy and h5py only.

Layout (written by the Swift ``LevelArchive``; ℓ = 0 is the finest level; ``s`` a network stage;
tensors float32 in PyTorch's names and OIHW order)::

    /                                    attrs: format, format_version, levels (the indices ℓ),
                                                input_shape [H, W, C], class_count, stage_channels,
                                                integrator(s), batch_norm_momentum/epsilon, dataset, seed, …
    /integrator/a, b, c                  one Butcher tableau, or /integrator/<s>/… per stage (per_stage = 1)
    /run                                 attrs: the run's configuration flattened (dotted names) and
                                                ``configuration``, the whole configuration as JSON text
    /levels/<ℓ>/                         attrs: level, steps_per_stage N, h, T, cycle, epochs, …
    /levels/<ℓ>/stem/weight              [C_0, C_in, 3, 3]
    /levels/<ℓ>/stages/<s>/<field>       [N, …]  conv1.weight [N, C, C, 3, 3], bn1.running_var [N, C], …
    /levels/<ℓ>/stages/<s>/t             [N]     float64, the step start times t_n = n h
    /levels/<ℓ>/connectors/<s>/<field>   s ≥ 1: bn1.*, conv1.weight [C_s, C_{s−1}, 3, 3], bn2.*,
                                                conv2.weight, shortcut.weight [C_s, C_{s−1}, 1, 1]
    /levels/<ℓ>/head/<field>             bn.*, linear.weight [K, C_last], linear.bias [K]

The result is plain Python (:mod:`mlresnet.records`); units: ``t``, ``h`` and ``T`` depth-time.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from typing import Any, Dict, List, Optional, Sequence

import h5py
import numpy as np

from .errors import ArchiveError
from .methods import Method, MethodKind, Tableau
from .records import CONNECTOR_FIELDS, HEAD_FIELDS, STEP_FIELDS, Archive, Level, Stage

#: The root attribute ``format`` of a level archive.
FORMAT_NAME = "MultilevelResNet.LevelArchive"
#: The newest ``format_version`` this reader understands (the Swift writer's ``LevelArchive.formatVersion``).
FORMAT_VERSION = 1


def load_archive(path: str, verify_checksums: bool = True) -> Archive:
    """Reads every level of a level archive.

    Args:
        path: the ``.h5`` file written by ``mlresnet train``/``compare`` (``levels.h5``, ``multilevel.h5``, …).
        verify_checksums: compare each dataset with its ``crc32`` attribute (``zlib.crc32`` of its bytes)
            when present; the root's manifest checksum is not checked here.

    Returns:
        The :class:`Archive`, levels ordered by numeric ℓ (never by h5py's alphabetical group order,
        where ``"10"`` comes before ``"2"``).

    Raises:
        FileNotFoundError, IsADirectoryError, PermissionError: no readable file at ``path``.
        ArchiveError: a sealed file whose seal does not match (damaged, truncated or edited after it was
            written: see :func:`verify_seal`), not an HDF5 file, not a level archive, a newer format version,
            a missing group, dataset or attribute, ``level_index`` disagreeing with ``levels``, a dataset of
            the wrong shape or dtype, an invalid tableau, or a checksum mismatch; the message names the file
            and the object.
    """
    verify_seal(path)
    try:
        file = h5py.File(path, "r")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except OSError as error:
        raise ArchiveError(str(path), "/", f"not an HDF5 file ({error})") from None
    with file:
        return _Reader(str(path), file, verify_checksums).archive()


#: The magic at byte 0 of a sealed file (``HDF5FileSeal`` in ``Sources/HDF5Storage/HDF5FileSeal.swift``).
SEAL_MAGIC = b"MLRSEAL\n"
#: The bytes before the HDF5 superblock of a sealed file (its HDF5 user block).
SEAL_BLOCK = 512


def verify_seal(path: str) -> bool:
    """Checks the whole-file seal of a file ``mlresnet`` wrote, before libhdf5 reads any byte of it.

    Layout of the 512-byte user block's first 32 bytes (little-endian): magic ``MLRSEAL\\n`` (8), seal version 1
    (u32), user block size 512 (u32), file length (u64), CRC-32 of bytes [512, length) (u32), CRC-32 of the
    first 28 bytes (u32). libhdf5 crashes on some damaged files (h5py then takes the Python process down),
    so a sealed file is verified whole first, as the Swift reader does.

    Args:
        path: the file.

    Returns:
        ``True`` when the seal was verified, ``False`` for a file without one (written by h5py, another
        tool or an older version: nothing can be checked).

    Raises:
        FileNotFoundError, IsADirectoryError, PermissionError: no readable file at ``path``.
        ArchiveError: a damaged seal header, another seal version, a length that is not the file's
            (truncated or extended), or a CRC-32 that differs (damaged or modified after it was written).
    """
    with open(path, "rb") as f:
        header = f.read(32)
        if header[:8] != SEAL_MAGIC:
            return False
        if len(header) < 32 or zlib.crc32(header[:28]) != struct.unpack_from("<I", header, 28)[0]:
            raise ArchiveError(str(path), "/", "its seal header (the first 32 bytes) is damaged")
        version, block, length, stored = struct.unpack_from("<IIQI", header, 8)
        if version != 1 or block != SEAL_BLOCK:
            raise ArchiveError(str(path), "/", f"seal version {version} with a {block}-byte block; this reader "
                               f"knows version 1 with {SEAL_BLOCK} bytes")
        actual = os.fstat(f.fileno()).st_size
        if length != actual:
            raise ArchiveError(str(path), "/", f"truncated or extended: its seal records {length} bytes, "
                               f"the file has {actual}")
        f.seek(SEAL_BLOCK)
        computed = 0
        for chunk in iter(lambda: f.read(1 << 20), b""):
            computed = zlib.crc32(chunk, computed)
        if computed != stored:
            raise ArchiveError(str(path), "/", f"corrupt or modified after it was written: the CRC-32 "
                               f"{computed:#010x} of its bytes does not match its seal ({stored:#010x})")
    return True


class _Reader:
    def __init__(self, path: str, file: h5py.File, verify: bool):
        self.path, self.file, self.verify = path, file, verify

    def error(self, obj: str, message: str) -> ArchiveError:
        return ArchiveError(self.path, obj, message)

    # Objects and attributes

    def group(self, name: str) -> h5py.Group:
        obj = self.file.get(name)
        if not isinstance(obj, h5py.Group):
            raise self.error("/" + name.lstrip("/"), "missing group" if obj is None else "expected a group")
        return obj

    def attr(self, obj: h5py.HLObject, name: str):
        if name not in obj.attrs:
            raise self.error(obj.name, f"missing attribute '{name}'")
        return _decode(obj.attrs[name])

    def dataset(self, group: h5py.Group, name: str, shape: Sequence[int], dtype=np.float32) -> np.ndarray:
        full = f"{group.name.rstrip('/')}/{name}"
        obj = group.get(name)
        if not isinstance(obj, h5py.Dataset):
            raise self.error(full, "missing dataset" if obj is None else "expected a dataset")
        if obj.dtype != np.dtype(dtype):
            raise self.error(full, f"dtype {obj.dtype}, expected {np.dtype(dtype)}")
        if tuple(obj.shape) != tuple(shape):
            raise self.error(full, f"shape {list(obj.shape)}, expected {list(shape)}")
        values = obj[()]
        if self.verify and "crc32" in obj.attrs:
            stored = int(obj.attrs["crc32"]) & 0xFFFF_FFFF
            computed = zlib.crc32(np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<")).tobytes())
            if stored != computed:
                raise self.error(full, f"checksum mismatch: stored crc32 {stored:08x}, computed {computed:08x} "
                                       "(the file is damaged)")
        if values.dtype.kind == "f" and not np.all(np.isfinite(values)):
            raise self.error(full, f"{int(np.count_nonzero(~np.isfinite(values)))} of {values.size} values are NaN or ±∞")
        return values

    # The archive

    def archive(self) -> Archive:
        root = self.file["/"]
        attrs = {name: _decode(value) for name, value in root.attrs.items()}
        found = attrs.get("format", "(no format attribute)")
        if found != FORMAT_NAME:
            raise self.error("/", f"format '{found}', expected '{FORMAT_NAME}'")
        version = int(self.attr(root, "format_version"))
        if not 1 <= version <= FORMAT_VERSION:
            raise self.error("/", f"format_version {version}; this reader supports 1…{FORMAT_VERSION}")
        stage_channels = tuple(int(c) for c in self.attr(root, "stage_channels"))
        methods = self.methods(len(stage_channels))
        indices = [int(i) for i in np.atleast_1d(self.attr(root, "levels"))]
        if len(set(indices)) != len(indices) or not indices:
            raise self.error("/", f"attribute 'levels' {indices}: expected distinct level indices, at least one")
        if "level_index" in self.file:
            listed = [int(i) for i in np.atleast_1d(self.file["level_index"][()])]
            if listed != sorted(indices):
                raise self.error("/level_index", f"{listed} disagrees with the root attribute 'levels' {indices}")
        levels = sorted((self.level(index, methods) for index in indices), key=lambda level: level.index)
        run: Dict[str, Any] = {}
        configuration = None
        if "run" in self.file:
            group = self.group("run")
            run = {name: _decode(value) for name, value in group.attrs.items()}
            if "configuration" in run:
                try:
                    configuration = json.loads(run["configuration"])
                except (TypeError, json.JSONDecodeError) as error:
                    raise self.error("/run", f"attribute 'configuration' is not JSON text: {error}") from None
        return Archive(self.path, levels, methods, attrs, run, configuration)

    # Methods (/integrator)

    def methods(self, stage_count: int) -> List[Method]:
        group = self.group("integrator")
        if int(self.attr(group, "per_stage")) == 0:
            return [self.method(group)] * stage_count
        return [self.method(self.group(f"integrator/{s}")) for s in range(stage_count)]

    def method(self, group: h5py.Group) -> Method:
        name, order = str(self.attr(group, "name")), int(self.attr(group, "order"))
        if "kind" in group.attrs:
            parameters = tuple(float(p) for p in np.atleast_1d(group.attrs["parameters"])) \
                if "parameters" in group.attrs else ()
            return MethodKind(str(self.attr(group, "kind")), name, order, parameters)
        b = group.get("b")
        if not isinstance(b, h5py.Dataset) or len(b.shape) != 1 or b.shape[0] < 1:
            raise self.error(group.name + "/b", "missing, or not a vector [s]")
        s = b.shape[0]
        a = self.dataset(group, "a", (s, s), np.float64)
        b = self.dataset(group, "b", (s,), np.float64)
        c = self.dataset(group, "c", (s,), np.float64)
        b_hat, embedded = None, None
        if "b_hat" in group:
            b_hat = self.dataset(group, "b_hat", (s,), np.float64)
            embedded = int(self.attr(group, "embedded_order"))
        return Tableau(name, order, a, b, c, b_hat, embedded)

    # Levels

    def level(self, index: int, methods: List[Method]) -> Level:
        group = self.group(f"levels/{index}")
        a = lambda name: self.attr(group, name)  # noqa: E731
        stored = int(a("level"))
        if stored != index:
            raise self.error(group.name, f"attribute level = {stored}, expected {index}")
        N, h, T = int(a("steps_per_stage")), float(a("h")), float(a("T"))
        input_shape = tuple(int(x) for x in a("input_shape"))
        channels = tuple(int(c) for c in a("stage_channels"))
        class_count = int(a("class_count"))
        names = list(a("integrators"))
        if names != [m.name for m in methods]:
            raise self.error(group.name, f"integrators {names} differ from /integrator's {[m.name for m in methods]}")
        if len(input_shape) != 3:
            raise self.error(group.name, f"input_shape {list(input_shape)}, expected [H, W, C]")
        stem = {"weight": self.dataset(group, "stem/weight", (channels[0], input_shape[2], 3, 3))}
        stages = [self.stage(group, s, c, channels[s - 1] if s > 0 else None, N, h, T, methods[s])
                  for s, c in enumerate(channels)]
        last = channels[-1]
        head_shapes = {"linear.weight": (class_count, last), "linear.bias": (class_count,)}
        head = {name: self.dataset(group, f"head/{name}", head_shapes.get(name, (last,))) for name in HEAD_FIELDS}
        return Level(index=index, N=N, h=h, T=T, cycle=int(a("cycle")), epochs=int(a("epochs")),
                     test_accuracy=float(a("test_accuracy")), wall_seconds=float(a("wall_seconds")),
                     input_shape=input_shape, class_count=class_count, stage_channels=channels,
                     batch_norm_momentum=float(a("batch_norm_momentum")),
                     batch_norm_epsilon=float(a("batch_norm_epsilon")), stem=stem, stages=stages, head=head,
                     attrs={name: _decode(value) for name, value in group.attrs.items()})

    def stage(self, level: h5py.Group, s: int, c: int, previous: Optional[int], N: int, h: float, T: float,
              method: Method) -> Stage:
        group = self.group(f"{level.name}/stages/{s}")
        name = self.attr(group, "integrator")
        if name != method.name:
            raise self.error(group.name, f"integrator '{name}', expected '{method.name}' (from /integrator)")
        theta = {f: self.dataset(group, f, (N, c, c, 3, 3) if f.endswith("weight") and f.startswith("conv")
                                 else (N, c)) for f in STEP_FIELDS}
        if "t_edges" in group:
            t_edges = self.dataset(group, "t_edges", (N + 1,), np.float64)
            t = t_edges[:-1].copy()
        else:
            t = self.dataset(group, "t", (N,), np.float64)
            t_edges = np.append(t, t[0] + T)
        connector = None
        if s > 0:
            cg = self.group(f"{level.name}/connectors/{s}")
            weights = {"conv1.weight": (c, previous, 3, 3), "conv2.weight": (c, c, 3, 3),
                       "shortcut.weight": (c, previous, 1, 1)}
            norms = {"bn1": (previous,), "bn2": (c,)}  # bn1 normalizes the input C_{s−1}, bn2 conv1's output C_s
            connector = {f: self.dataset(cg, f, weights[f] if f in weights else norms[f.split(".")[0]])
                         for f in CONNECTOR_FIELDS}
        return Stage(index=s, channels=c, N=N, h=h, T=T, method=method, t=t, t_edges=t_edges, theta=theta,
                     connector=connector)


def _decode(value):
    """An attribute as plain Python: str for strings (also fixed-length bytes), list of str for string
    arrays, a numpy array for numeric arrays, int/float for numeric scalars."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in ("S", "O", "U"):
            return [_decode(v) for v in value.tolist()]
        return value
    if isinstance(value, np.generic):
        return value.item()
    return value
