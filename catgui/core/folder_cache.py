"""The cache of imported folders: one ``.npz`` per folder in ``user_data_dir()/cache/``.

The file is named after a hash of the folder's absolute path, so each folder has exactly
one cache file (rebuilt in place, never piling up). It holds the (m, 64, 64, 3) uint8
images, labels, relative file names, the skipped files with reasons and the fingerprint
of every file's (relative path, size, mtime) the import saw; a cache whose fingerprint
differs from the folder's current one is not used. Writes are atomic (a fresh temporary
file in the same folder, then ``os.replace``).

A cache file is never trusted: it is read only if it is a regular file, through
:mod:`catgui.core.checked_npz` (every array's declared size and header checked before a
byte is inflated, nothing unpickled), and its record carries a SHA-256 over the folder,
the fingerprint, the pictures, the labels and the file names: a file whose labels or
pictures were changed (or that belongs to another folder) is not used, but rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from catgui.core import atomic, checked_npz
from catgui.core.errors import CatguiError
from catgui.core.folder_images import ClassFolder, FolderImages
from catgui.core.folder_scan import Skipped
from catgui.core.paths import user_data_dir

FORMAT = "catgui-folder-cache"
#: The most one cached array may hold (the pictures of about 350,000 files), and the record.
ARRAY_LIMIT = 4 << 30
META_LIMIT = 64 << 20


def cache_dir() -> Path:
    """``user_data_dir()/cache`` (not created here)."""
    return user_data_dir() / "cache"


def path_for(folder: Path, directory: Path | None = None) -> Path:
    """The cache file of ``folder`` (an absolute path)."""
    key = hashlib.sha256(os.fsencode(str(folder))).hexdigest()[:24]
    return (directory or cache_dir()) / f"folder-{key}.npz"


def read(path: Path, folder: Path, fingerprint: str) -> FolderImages | None:
    """The cached import of ``folder`` if ``path`` holds one with this ``fingerprint``.

    A missing, stale, foreign or damaged cache file gives ``None`` (the caller imports
    afresh and overwrites it); it is never an error the user has to deal with.
    """
    if not path.is_file():
        return None
    try:
        data = checked_npz.read(
            path, what="cache file", limit=ARRAY_LIMIT, limits={"meta": META_LIMIT}
        )
        record = data["meta"]
        if record.ndim != 0 or record.dtype.kind != "U":
            return None
        meta = json.loads(str(record[()]))
        if (
            not isinstance(meta, dict)
            or meta.get("format") != FORMAT
            or meta.get("fingerprint") != fingerprint
            or meta.get("folder") != str(folder)
        ):
            return None
        x, y, names = data["x"], data["y"], data["files"]
        if x.dtype != np.uint8 or x.ndim != 4 or x.shape[1:] != (64, 64, 3):
            return None
        if y.ndim != 1 or y.dtype.kind not in "iu" or names.ndim != 1 or names.dtype.kind != "U":
            return None
        if len(y) != len(x) or len(names) != len(x) or not set(np.unique(y)) <= {0, 1}:
            return None
        if meta.get("digest") != _digest(meta, x, y, names):
            return None
        files = tuple(str(f) for f in names)
        return _images(folder, meta, x, y, files, fingerprint)
    except (CatguiError, KeyError, TypeError, ValueError, RecursionError, MemoryError):
        return None


def _images(
    folder: Path, meta: dict, x: np.ndarray, y: np.ndarray, files: tuple, fingerprint: str
) -> FolderImages:
    return FolderImages(
        folder=folder,
        x=x,
        y=y.astype(np.int64),
        files=files,
        skipped=tuple(Skipped(p, r) for p, r in meta["skipped"]),
        class_folders=tuple(ClassFolder(n, int(lab), int(c)) for n, lab, c in meta["classes"]),
        ignored_folders=tuple(meta["ignored"]),
        fingerprint=fingerprint,
        from_cache=True,
    )


def _digest(meta: dict, x: np.ndarray, y: np.ndarray, files: np.ndarray) -> str:
    """SHA-256 over what the cache says: folder, fingerprint, pictures, labels, names."""
    digest = hashlib.sha256(FORMAT.encode())
    listed = json.dumps([meta["skipped"], meta["classes"], meta["ignored"]])
    for text in (meta["folder"], meta["fingerprint"], listed):
        digest.update(text.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(np.ascontiguousarray(x, dtype=np.uint8))
    digest.update(np.asarray(y, dtype="<i8").tobytes())
    for name in files:
        digest.update(str(name).encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def write(path: Path, result: FolderImages) -> bool:
    """Store ``result`` atomically; ``False`` if the cache folder is not writable.

    A cache that cannot be written only costs time on the next import, so it is not an
    error; the caller may tell the user.
    """
    meta = {
        "format": FORMAT,
        "folder": str(result.folder),
        "fingerprint": result.fingerprint,
        "skipped": [[s.path, s.reason] for s in result.skipped],
        "classes": [[c.name, c.label, c.images] for c in result.class_folders],
        "ignored": list(result.ignored_folders),
    }
    files = np.array(result.files, dtype=np.str_) if result.files else np.zeros(0, dtype="<U1")
    meta["digest"] = _digest(meta, result.x, result.y, files)
    arrays = dict(x=result.x, y=result.y, files=files, meta=np.array(json.dumps(meta)))
    try:
        atomic.write(path, lambda f: np.savez(f, **arrays), overwrite=True, durable=False)
    except CatguiError:
        return False
    return True
