"""Read a legacy (pre-1.6) PyTorch weights file without torch, and without running its code.

Such a file is a run of pickles: a magic number, a protocol number, a system-info record,
the state dict (tensors refer to storages by a persistent id), the list of storage keys,
then for each key in that order an 8-byte little-endian element count and the raw
little-endian data. The state dict is read with an unpickler that allows exactly the
names a state dict needs — ``collections.OrderedDict``, ``torch._utils._rebuild_tensor_v2``
and the ``torch.*Storage`` types, each replaced by a harmless stand-in — and refuses
every other name, so a crafted file cannot run anything.
"""

from __future__ import annotations

import io
import os
import pickle
from collections import OrderedDict
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np

from catgui.core.errors import CatguiError

#: The first pickle of every legacy torch file.
MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001

#: Storage types a state dict may name, and their element types (little-endian).
STORAGE_DTYPES = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


class _StorageType(NamedTuple):
    name: str
    dtype: np.dtype


class _Storage(NamedTuple):
    key: str
    dtype: np.dtype
    numel: int


class _TensorRef(NamedTuple):
    """Where a tensor's numbers are: a storage, an offset, a shape and strides (elements)."""

    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor(storage, offset, shape, stride, *_rest) -> _TensorRef:
    """Stands in for ``torch._utils._rebuild_tensor_v2``: records, builds nothing."""
    if not isinstance(storage, _Storage):
        raise CatguiError("a tensor refers to something that is not a storage")
    return _TensorRef(storage, int(offset), tuple(int(n) for n in shape), tuple(stride))


class _RestrictedUnpickler(pickle.Unpickler):
    """Allows only the names a state dict of plain tensors needs."""

    def __init__(self, file: BinaryIO, where: Path) -> None:
        super().__init__(file)
        self.where = where
        self.storages: dict[str, _Storage] = {}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(name, STORAGE_DTYPES[name])
        raise CatguiError(
            f"{self.where}: refuses to load {module}.{name} (only plain tensors are read)"
        )

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise CatguiError(f"{self.where}: an unknown kind of reference in the state dict")
        _, storage_type, key, _location, numel = pid[:5]
        if not isinstance(storage_type, _StorageType):
            raise CatguiError(f"{self.where}: a storage of an unknown type")
        key = str(key)
        storage = self.storages.setdefault(key, _Storage(key, storage_type.dtype, int(numel)))
        return storage


class _PlainUnpickler(pickle.Unpickler):
    """For the header and key-list pickles: no name at all may be loaded."""

    def __init__(self, file: BinaryIO, where: Path) -> None:
        super().__init__(file)
        self.where = where

    def find_class(self, module: str, name: str) -> Any:
        raise CatguiError(f"{self.where}: refuses to load {module}.{name}")


def load_state_dict(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """The tensors of a legacy torch file as arrays, by name (in the file's order).

    Raises :class:`CatguiError` naming the file for anything that is not such a file of
    plain tensors (a zip-format file, a truncated one, one that names other code).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if data[:4] == b"PK\x03\x04":
        raise CatguiError(f"{path}: a zip-format torch file; catgui reads the legacy format")
    f = io.BytesIO(data)
    try:
        if _PlainUnpickler(f, path).load() != MAGIC_NUMBER:
            raise CatguiError(f"{path}: not a legacy torch file (no magic number)")
        if _PlainUnpickler(f, path).load() != PROTOCOL_VERSION:
            raise CatguiError(f"{path}: an unknown torch file protocol")
        info = _PlainUnpickler(f, path).load()
        if not (isinstance(info, dict) and info.get("little_endian", True)):
            raise CatguiError(f"{path}: a big-endian torch file")
        unpickler = _RestrictedUnpickler(f, path)
        state = unpickler.load()
        keys = _PlainUnpickler(f, path).load()
    except CatguiError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as exc:
        raise CatguiError(f"{path}: not a readable torch file ({exc})") from None
    if not isinstance(state, dict) or not isinstance(keys, list):
        raise CatguiError(f"{path}: holds no state dict of tensors")
    buffers = _read_storages(f, path, [str(k) for k in keys], unpickler.storages)
    out: dict[str, np.ndarray] = {}
    for name, ref in state.items():
        if not isinstance(ref, _TensorRef):
            raise CatguiError(f"{path}: {name!r} is not a tensor")
        out[str(name)] = _tensor(path, name, ref, buffers[ref.storage.key])
    return out


def _read_storages(
    f: io.BytesIO, path: Path, keys: list[str], storages: dict[str, _Storage]
) -> dict[str, np.ndarray]:
    buffers = {}
    for key in keys:
        storage = storages.get(key)
        if storage is None:
            raise CatguiError(f"{path}: storage {key!r} is listed but never used")
        head = f.read(8)
        if len(head) != 8:
            raise CatguiError(f"{path}: the file is truncated")
        numel = int.from_bytes(head, "little")
        if numel != storage.numel:
            raise CatguiError(f"{path}: storage {key!r} holds {numel} numbers, not {storage.numel}")
        raw = f.read(numel * storage.dtype.itemsize)
        if len(raw) != numel * storage.dtype.itemsize:
            raise CatguiError(f"{path}: the file is truncated")
        buffers[key] = np.frombuffer(raw, dtype=storage.dtype)
    return buffers


def _tensor(path: Path, name: str, ref: _TensorRef, buffer: np.ndarray) -> np.ndarray:
    shape, stride, itemsize = ref.shape, ref.stride, buffer.itemsize
    if len(shape) != len(stride) or any(n < 0 for n in shape) or any(s < 0 for s in stride):
        raise CatguiError(f"{path}: tensor {name!r} has a bad shape")
    last = ref.offset + sum((n - 1) * s for n, s in zip(shape, stride) if n > 0)
    if ref.offset < 0 or (all(shape) and last >= buffer.size):
        raise CatguiError(f"{path}: tensor {name!r} reaches past its storage")
    view = np.lib.stride_tricks.as_strided(
        buffer[ref.offset :], shape=shape, strides=[s * itemsize for s in stride], writeable=False
    )
    return np.array(view, dtype=buffer.dtype.newbyteorder("="))
