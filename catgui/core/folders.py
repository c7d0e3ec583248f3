"""Folder data sets: a folder with one subfolder per class, imported into one uint8 array.

Layout::

    my-pictures/
        cat/ (or cats/)                       -> label 1
        non-cat/ (noncat, non_cat, not-cat, notcat, not_cat, other, others, dog, dogs) -> 0

Class folder names are matched case-insensitively, with ``-``, ``_`` and spaces ignored
(``Non Cat`` is ``non-cat``). ``dog``/``dogs`` count as non-cat, so the Kaggle-style
``cat/`` + ``dog/`` layout works as it is; the import reports which folders it used.
Images may lie at any depth below a class folder. Every file goes through
:func:`catgui.core.images.load`, the preprocessing used for classification.

Import is a generator (:meth:`FolderImport.steps`) yielding :class:`ImportProgress` once
per file, so a caller can show progress and stop between files. Memory is bounded: one
``(n, 64, 64, 3)`` uint8 array (12 KB per image) is allocated up front and filled one
decoded picture at a time. The result is cached by :mod:`catgui.core.folder_cache` in
``user_data_dir()/cache/`` and reused while no file has changed (path, size, mtime).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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
}
#: Bump when the cached arrays' meaning changes; old caches are then rebuilt.
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


@dataclass(frozen=True)
class ClassFolder:
    """One class folder that was used: ``name`` as spelt on disk, its label, image count."""

    name: str
    label: int
    images: int = 0


@dataclass(frozen=True)
class ImportProgress:
    """``done`` of ``total`` files handled; ``path`` is the file just handled (or ``None``).

    ``stage`` names what is being imported when several folders are (``"images"``,
    ``"test images"``, ``"corrections"``); empty for a single folder.
    """

    done: int
    total: int
    path: Path | None
    stage: str = ""


@dataclass(frozen=True)
class FolderImages:
    """A whole imported folder.

    ``x`` is (m, 64, 64, 3) uint8, ``y`` (m,) int64 (1 = cat), ``files`` the m relative
    paths (``"cat/a.jpg"``) in the same order.
    """

    folder: Path
    x: np.ndarray
    y: np.ndarray
    files: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    class_folders: tuple[ClassFolder, ...]
    ignored_folders: tuple[str, ...]
    fingerprint: str
    from_cache: bool = False

    def __len__(self) -> int:
        return len(self.y)

    @property
    def cats(self) -> int:
        return int(np.sum(self.y == CAT))

    @property
    def sha256(self) -> str:
        """A fingerprint of the pixels and labels (what the model is trained on)."""
        return content_sha256(self.x, self.y)

    def describe_folders(self) -> str:
        """``"cat/ (1,000 images) -> cat, dog/ (1,000 images) -> non-cat"``."""
        parts = [
            f"{c.name}/ ({c.images:,} images) -> {'cat' if c.label else 'non-cat'}"
            for c in self.class_folders
        ]
        return ", ".join(parts) if parts else "no class folders"


def content_sha256(x: np.ndarray, y: np.ndarray) -> str:
    """SHA-256 of images ``x`` (m, 64, 64, 3) uint8 and labels ``y`` (m,)."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(x, dtype=np.uint8).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()


@dataclass
class _Scan:
    candidates: list[tuple[str, int]] = field(default_factory=list)  # (relative path, label)
    skipped: list[Skipped] = field(default_factory=list)
    class_folders: list[tuple[str, int]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    fingerprint: str = ""


class FolderImport:
    """Import ``folder`` (class subfolders inside) into arrays, with progress and a cache.

    ``require_both`` demands a cat and a non-cat folder (a training or test folder); the
    corrections folder passes ``False`` and may even be missing or empty.

    Use ``for p in job.steps(): ...`` (stop whenever you like; nothing is cached then),
    or :meth:`run`. After the steps end, :attr:`result` holds the :class:`FolderImages`.
    """

    def __init__(
        self,
        folder: str | os.PathLike,
        require_both: bool = True,
        use_cache: bool = True,
        cache_dir: str | os.PathLike | None = None,
    ) -> None:
        self.folder = Path(folder).expanduser().absolute()
        self.require_both = require_both
        self.use_cache = use_cache
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.result: FolderImages | None = None
        #: Set when the cache could not be written (the import itself succeeded).
        self.cache_warning: str | None = None

    def run(self) -> FolderImages:
        """Import to the end without watching; return the result."""
        for _ in self.steps():
            pass
        assert self.result is not None
        return self.result

    def steps(self) -> Iterator[ImportProgress]:
        """Scan, then decode one file per step (or read the cache in one step)."""
        from catgui.core import folder_cache

        scan = self._scan()
        total = len(scan.candidates)
        cache = folder_cache.path_for(self.folder, self.cache_dir) if self.use_cache else None
        if cache is not None:
            cached = folder_cache.read(cache, self.folder, scan.fingerprint)
            if cached is not None:
                self.result = cached
                yield ImportProgress(total, total, None)
                return
        yield ImportProgress(0, total, None)
        x = np.empty((total, images.SIZE, images.SIZE, 3), dtype=np.uint8)
        y = np.empty(total, dtype=np.int64)
        files: list[str] = []
        skipped = list(scan.skipped)
        kept = 0
        for done, (rel, label) in enumerate(scan.candidates, start=1):
            path = self.folder / rel
            try:
                x[kept] = images.load(path).pixels
            except CatguiError as exc:
                skipped.append(Skipped(rel, str(exc)))
            else:
                y[kept] = label
                files.append(rel)
                kept += 1
            yield ImportProgress(done, total, path)
        if kept < total:
            x, y = x[:kept].copy(), y[:kept].copy()
        counts = {name: 0 for name, _ in scan.class_folders}
        for rel in files:
            counts[rel.split("/", 1)[0]] += 1
        self.result = FolderImages(
            folder=self.folder,
            x=x,
            y=y,
            files=tuple(files),
            skipped=tuple(sorted(skipped, key=lambda s: s.path)),
            class_folders=tuple(ClassFolder(n, lab, counts[n]) for n, lab in scan.class_folders),
            ignored_folders=tuple(scan.ignored),
            fingerprint=scan.fingerprint,
        )
        if cache is not None and total and not folder_cache.write(cache, self.result):
            self.cache_warning = f"{cache}: the import cache could not be written"

    def _scan(self) -> _Scan:
        folder = self.folder
        if not folder.exists():
            if self.require_both:
                raise CatguiError(f"{folder}: no such folder")
            return self._finish(_Scan())
        if not folder.is_dir():
            raise CatguiError(f"{folder}: is a file, not a folder of class subfolders")
        scan = _Scan()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise CatguiError(f"{folder}: cannot be read ({exc.strerror or exc})") from None
        for entry in entries:
            if entry.is_dir():
                label = class_of(entry.name)
                if label is None:
                    scan.ignored.append(entry.name)
                else:
                    scan.class_folders.append((entry.name, label))
            else:
                scan.skipped.append(
                    Skipped(entry.name, f"{folder / entry.name}: not inside a class folder")
                )
        labels = {label for _, label in scan.class_folders}
        if self.require_both and labels != {CAT, NON_CAT}:
            missing = "a cat folder (cat/)" if CAT not in labels else "a non-cat folder (non-cat/)"
            found = ", ".join(f"{e.name}/" for e in entries if e.is_dir()) or "no subfolders"
            raise CatguiError(
                f"{folder}: needs one subfolder per class, cat/ (or cats/) and non-cat/ "
                f"(or noncat/, not-cat/, other/, dog/ ...); {missing} is missing "
                f"(found: {found})"
            )
        stats: list[str] = []
        for name, label in scan.class_folders:
            for rel, size, mtime in _walk(folder, name, scan.skipped):
                stats.append(f"{rel}\t{size}\t{mtime}")
                suffix = Path(rel).suffix.lower()
                if suffix in images.IMAGE_SUFFIXES:
                    scan.candidates.append((rel, label))
                else:
                    scan.skipped.append(
                        Skipped(
                            rel, f"{folder / rel}: not an image file ending ({suffix or 'none'})"
                        )
                    )
        scan.fingerprint = _fingerprint(scan, stats)
        return scan

    def _finish(self, scan: _Scan) -> _Scan:
        scan.fingerprint = _fingerprint(scan, [])
        return scan


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


def _fingerprint(scan: _Scan, stats: list[str]) -> str:
    digest = hashlib.sha256()
    header = {
        "cache_version": CACHE_VERSION,
        "preprocessing": images.PREPROCESSING,
        "classes": scan.class_folders,
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for line in stats:
        digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def import_folder(folder: str | os.PathLike, require_both: bool = True) -> FolderImages:
    """Import ``folder`` to the end (cached); see :class:`FolderImport`."""
    return FolderImport(folder, require_both=require_both).run()
