"""Backbone features kept on disk, one small file per picture, so a picture is run once.

A picture's entry is named by the SHA-256 of its prepared 224 x 224 square (so the same
picture from any file or data set is found again) in a folder named by the backbone
weights' SHA-256 and :data:`VERSION` of the preparation and of the entry's layout: other
weights or another preparation never read these numbers.

An entry is never trusted. It is :data:`MAGIC`, a SHA-256 over the magic, the entry's
name and its numbers, then the 1280 pooled features and the 1000 logits as little-endian
float32 (9,160 bytes in all). It is read only if it is a regular file of exactly that
size (a FIFO, a device or a file of another size is never read into, and never blocks),
its digest matches its name and its numbers (an entry copied under another name, cut
short, bit-flipped or edited fails), and every number is finite. Anything doubtful is
removed and computed again, so a cache can cost time but never change an answer or
stop a run. Entries are written to a fresh temporary file and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

import numpy as np

from catgui.core import atomic
from catgui.core.backbone import efficientnet
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir
from catgui.core.regular_files import open_regular

#: Changes whenever the squares are prepared differently (resampling, normalisation) or
#: an entry is laid out differently (2: magic + digest + raw float32, was ``.npy``).
VERSION = 2
WIDTH = efficientnet.FEATURES + efficientnet.CLASSES
MAGIC = b"catgui-features\x00"
DTYPE = np.dtype("<f4")
DIGEST = hashlib.sha256().digest_size
#: The one size an entry can have.
ENTRY_BYTES = len(MAGIC) + DIGEST + WIDTH * DTYPE.itemsize
SUFFIX = ".features"


def folder(sha256: str) -> Path:
    """``user_data_dir()/cache/features/<weights>-v<VERSION>``; the first time in a process,
    older versions' entries there are removed (:func:`forget_older_versions`)."""
    root = user_data_dir() / "cache" / "features"
    if root not in _tidied:
        _tidied.add(root)
        forget_older_versions(root)
    return root / f"{sha256[:16]}-v{VERSION}"


#: The cache folders already rid of older versions in this process.
_tidied: set[Path] = set()


#: An entry's file name in any version: 64 hex digits and the version's suffix.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.(npy|features)")
_FOLDER_NAME = re.compile(r"([0-9a-f]{16})-v([0-9]+)")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")


def forget_older_versions(root: Path | None = None) -> int:
    """Remove the entries of older versions (below :data:`VERSION`: never read again), and
    their folders once empty; how many entries went.

    Only what catgui wrote is removed: in ``root`` (default ``user_data_dir()/cache/
    features``), folders named ``<16 hex>-v<n>`` with ``n`` below :data:`VERSION`, their
    two-hex-digit shards, and in those regular files named like an entry. A symbolic link
    is never followed (only a link at an entry's name is unlinked, as :func:`drop` does);
    anything else found there stays, and so does its folder. Errors are ignored: this
    only frees space.
    """
    root = root if root is not None else user_data_dir() / "cache" / "features"
    removed = 0
    try:
        folders = [e for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for top in folders:
        match = _FOLDER_NAME.fullmatch(top.name)
        if match is None or int(match.group(2)) >= VERSION:
            continue
        try:
            shards = [e for e in os.scandir(top.path) if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        for shard in shards:
            if _SHARD_NAME.fullmatch(shard.name) is None:
                continue
            try:
                entries = list(os.scandir(shard.path))
            except OSError:
                continue
            for entry in entries:
                if _ENTRY_NAME.fullmatch(entry.name) and not entry.is_dir(follow_symlinks=False):
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except OSError:
                        pass
            with contextlib.suppress(OSError):
                os.rmdir(shard.path)  # only if empty
        with contextlib.suppress(OSError):
            os.rmdir(top.path)
    return removed


def key(square: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(square, dtype=np.uint8).tobytes()).hexdigest()


def entry_path(where: Path, name: str) -> Path:
    return where / name[:2] / f"{name}{SUFFIX}"


def _digest(name: str, payload: bytes) -> bytes:
    return hashlib.sha256(MAGIC + name.encode("ascii", "replace") + b"\x00" + payload).digest()


def encode(name: str, entry: np.ndarray) -> bytes:
    """The bytes of the entry ``name`` holding ``entry`` (``(2280,)`` numbers)."""
    payload = np.ascontiguousarray(entry, dtype=DTYPE).tobytes()
    if len(payload) != WIDTH * DTYPE.itemsize:
        raise ValueError(f"a feature entry holds {WIDTH} numbers, got {np.size(entry)}")
    return MAGIC + _digest(name, payload) + payload


def decode(name: str, data: bytes) -> np.ndarray | None:
    """The ``(2280,)`` float32 numbers of an entry's bytes, or ``None`` if they are doubtful."""
    if len(data) != ENTRY_BYTES or not data.startswith(MAGIC):
        return None
    digest = data[len(MAGIC) : len(MAGIC) + DIGEST]
    payload = data[len(MAGIC) + DIGEST :]
    if digest != _digest(name, payload):
        return None
    numbers = np.frombuffer(payload, dtype=DTYPE).astype(np.float32)
    return numbers if np.all(np.isfinite(numbers)) else None


def read(where: Path, name: str) -> np.ndarray | None:
    """The ``(2280,)`` entry, or ``None`` when absent or doubtful (a doubtful one is removed)."""
    path = entry_path(where, name)
    try:
        st = os.lstat(path)
    except OSError:
        return None  # absent (or its folder unreadable): compute it
    data = None
    try:
        with open_regular(path, "a cache entry") as (f, size):
            if size == ENTRY_BYTES:
                data = f.read(ENTRY_BYTES + 1)
    except CatguiError:
        pass
    entry = decode(name, data) if data is not None else None
    if entry is None:
        drop(path, st)
    return entry


def drop(path: Path, seen: os.stat_result | None = None) -> None:
    """Remove a doubtful entry's name (a file, a FIFO, a symbolic link: never what it
    points to), so the next write puts a good one in its place."""
    try:
        if seen is None or os.lstat(path).st_ino == seen.st_ino:
            os.unlink(path)
    except OSError:
        pass


def write(where: Path, name: str, entry: np.ndarray) -> None:
    """Store an entry; a cache that cannot be written is only slower, never an error."""
    data = encode(name, entry)
    try:
        atomic.write(
            entry_path(where, name), lambda f: f.write(data), overwrite=True, durable=False
        )
    except CatguiError:
        pass
