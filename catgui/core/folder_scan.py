"""Scanning a folder data set: class folders, files to decode, files skipped, fingerprint.

Class folder names are matched case-insensitively with ``-``, ``_`` and spaces ignored.
The fingerprint is a SHA-256 of every file's (relative path, size, mtime) plus the
class folders, the preprocessing and :data:`CACHE_VERSION`: any change to the folder
(a file added, removed, renamed, rewritten or touched) changes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catgui.core import images
from catgui.core.errors import CatguiError

CAT, NON_CAT = 1, 0
#: Normalised class-folder names (lower case, without ``-``, ``_`` and spaces) -> label.
CLASS_NAMES = {
    "cat": CAT,
    "cats": CAT,
    "noncat": NON_CAT,
    "noncats": NON_CAT,
    "notcat": NON_CAT,
    "notcats": NON_CAT,
    "other": NON_CAT,
    "others": NON_CAT,
    "dog": NON_CAT,
    "dogs": NON_CAT,
}  #: Bump when the cached arrays' meaning changes; old caches are then rebuilt.
CACHE_VERSION = 1


def class_of(name: str) -> int | None:
    """The label a folder called ``name`` stands for (1 cat, 0 non-cat), or ``None``."""
    key = "".join(ch for ch in name.lower() if ch not in "-_ ")
    return CLASS_NAMES.get(key)


@dataclass(frozen=True)
class Skipped:
    """A file that is not in the data set, and why (the reason names the file)."""

    path: str  # relative to the data-set folder, with "/" separators
    reason: str


@dataclass
class Scan:
    """What a folder holds, before decoding; ``fingerprint`` covers every file's stat."""

    candidates: list[tuple[str, int]] = field(default_factory=list)  # (relative path, label)
    skipped: list[Skipped] = field(default_factory=list)
    class_folders: list[tuple[str, int]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    fingerprint: str = ""


def scan(folder: Path, require_both: bool = True, missing_ok: bool = False) -> Scan:
    """List what ``folder`` holds: class folders, image files to decode, skipped files.

    ``require_both``: a cat and a non-cat folder must be there. ``missing_ok``: a folder
    that does not exist is an empty data set (the corrections folder before the first one).
    """
    if not folder.exists():
        if not missing_ok:
            raise CatguiError(f"{folder}: no such folder")
        found = Scan()
        found.fingerprint = _fingerprint(found, [])
        return found
    if not folder.is_dir():
        raise CatguiError(f"{folder}: is a file, not a folder of class subfolders")
    found = Scan()
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise CatguiError(f"{folder}: cannot be read ({exc.strerror or exc})") from None
    for entry in entries:
        if entry.is_dir():
            label = class_of(entry.name)
            if label is None:
                found.ignored.append(entry.name)
            else:
                found.class_folders.append((entry.name, label))
        else:
            found.skipped.append(
                Skipped(entry.name, f"{folder / entry.name}: not inside a class folder")
            )
    labels = {label for _, label in found.class_folders}
    if require_both and labels != {CAT, NON_CAT}:
        missing = "a cat folder (cat/)" if CAT not in labels else "a non-cat folder (non-cat/)"
        seen = ", ".join(f"{e.name}/" for e in entries if e.is_dir()) or "no subfolders"
        raise CatguiError(
            f"{folder}: needs one subfolder per class, cat/ (or cats/) and non-cat/ "
            f"(or noncat/, not-cat/, other/, dog/ ...); {missing} is missing "
            f"(found: {seen})"
        )
    stats: list[str] = []
    for name, label in found.class_folders:
        for rel, size, mtime in _walk(folder, name, found.skipped):
            stats.append(f"{rel}\t{size}\t{mtime}")
            suffix = Path(rel).suffix.lower()
            if suffix in images.IMAGE_SUFFIXES:
                found.candidates.append((rel, label))
            else:
                found.skipped.append(
                    Skipped(rel, f"{folder / rel}: not an image file ending ({suffix or 'none'})")
                )
    found.fingerprint = _fingerprint(found, stats)
    return found


def _walk(root: Path, class_name: str, skipped: list[Skipped]) -> Iterator[tuple[str, int, int]]:
    """``(relative path, size, mtime_ns)`` of every file below ``root/class_name``, sorted."""
    seen: set[str] = set()
    start = root / class_name

    def report(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else start
        rel = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
        skipped.append(Skipped(rel, f"{where}: cannot be read ({exc.strerror or exc})"))

    for current, dirs, names in os.walk(start, followlinks=True, onerror=report):
        real = os.path.realpath(current)
        if real in seen:  # a symbolic-link loop: each real folder once
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        base = Path(current)
        for name in sorted(names):
            path = base / name
            rel = path.relative_to(root).as_posix()
            try:
                st = path.stat()
            except OSError as exc:
                skipped.append(Skipped(rel, f"{path}: cannot be read ({exc.strerror or exc})"))
                continue
            yield rel, st.st_size, st.st_mtime_ns


def _fingerprint(found: Scan, stats: list[str]) -> str:
    digest = hashlib.sha256()
    header = {
        "cache_version": CACHE_VERSION,
        "preprocessing": images.PREPROCESSING,
        "classes": found.class_folders,
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for line in stats:
        digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()
