"""The cache of imported folders: one ``.npz`` per folder in ``user_data_dir()/cache/``.

The file is named after a hash of the folder's absolute path, so each folder has exactly
one cache file (rebuilt in place, never piling up). It holds the (m, 64, 64, 3) uint8
images, labels, relative file names, the skipped files with reasons and the fingerprint
of every file's (relative path, size, mtime) the import saw; a cache whose fingerprint
differs from the folder's current one is not used. Writes are atomic (temporary file in
the same folder, then ``os.replace``); files are read with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from catgui.core import atomic
from catgui.core.errors import CatguiError
from catgui.core.folder_images import ClassFolder, FolderImages
from catgui.core.folder_scan import Skipped
from catgui.core.paths import user_data_dir

FORMAT = "catgui-folder-cache"


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
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"][()]))
            if (
                meta.get("format") != FORMAT
                or meta.get("fingerprint") != fingerprint
                or meta.get("folder") != str(folder)
            ):
                return None
            x, y = data["x"], data["y"]
            files = tuple(str(f) for f in data["files"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if x.dtype != np.uint8 or x.ndim != 4 or x.shape[1:] != (64, 64, 3):
        return None
    if len(y) != len(x) or len(files) != len(x):
        return None
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
    arrays = dict(x=result.x, y=result.y, files=files, meta=np.array(json.dumps(meta)))
    try:
        atomic.write(path, lambda f: np.savez(f, **arrays), overwrite=True, durable=False)
    except CatguiError:
        return False
    return True
