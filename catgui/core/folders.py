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

import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import folder_cache, folder_scan, images
from catgui.core.errors import CatguiError
from catgui.core.folder_images import ClassFolder, FolderImages, content_sha256
from catgui.core.folder_scan import CAT, CLASS_NAMES, NON_CAT, Skipped, class_of
from catgui.core.parallel import default_workers, map_in_order
from catgui.core.steps import run_to_end

__all__ = [
    "CAT",
    "CLASS_NAMES",
    "NON_CAT",
    "ClassFolder",
    "FolderImages",
    "FolderImport",
    "ImportProgress",
    "Skipped",
    "class_of",
    "content_sha256",
    "import_folder",
]


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


class FolderImport:
    """Import ``folder`` (class subfolders inside) into arrays, with progress and a cache.

    ``require_both`` demands a cat and a non-cat folder (a training folder); test folders
    and the corrections folder may hold one class, and the corrections folder may be
    missing (``missing_ok``).

    :meth:`steps` yields progress and returns the :class:`FolderImages` (the generator
    convention of :mod:`catgui.core.steps`; stop whenever you like, nothing is cached
    then); :meth:`run` imports to the end without watching.
    """

    def __init__(
        self,
        folder: str | os.PathLike,
        require_both: bool = True,
        use_cache: bool = True,
        cache_dir: str | os.PathLike | None = None,
        workers: int | None = None,
        missing_ok: bool = False,
    ) -> None:
        self.folder = Path(folder).expanduser().absolute()
        self.require_both = require_both
        self.missing_ok = missing_ok
        self.use_cache = use_cache
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        #: Decoding threads (default: up to 4, one per processor); results keep file order.
        self.workers = max(1, workers) if workers is not None else default_workers()
        #: Set when the cache could not be written (the import itself succeeded).
        self.cache_warning: str | None = None

    def run(self) -> FolderImages:
        """Import to the end without watching; return the result."""
        return run_to_end(self.steps())

    def steps(self) -> Generator[ImportProgress, None, FolderImages]:
        """Scan, then decode one file per step (or read the cache in one step); return
        the imported pictures."""
        scan = folder_scan.scan(self.folder, self.require_both, self.missing_ok)
        total = len(scan.candidates)
        cache = folder_cache.path_for(self.folder, self.cache_dir) if self.use_cache else None
        if cache is not None:
            cached = folder_cache.read(cache, self.folder, scan.fingerprint)
            if cached is not None:
                yield ImportProgress(total, total, None)
                return cached
        yield ImportProgress(0, total, None)
        x = np.empty((total, images.SIZE, images.SIZE, 3), dtype=np.uint8)
        y = np.empty(total, dtype=np.int64)
        files: list[str] = []
        skipped = list(scan.skipped)
        kept = 0
        decoded = map_in_order(
            _decode, [self.folder / rel for rel, _ in scan.candidates], self.workers
        )
        for done, ((rel, label), (pixels, problem)) in enumerate(
            zip(scan.candidates, decoded), start=1
        ):
            if pixels is None:
                skipped.append(Skipped(rel, problem))
            else:
                x[kept], y[kept] = pixels, label
                files.append(rel)
                kept += 1
            yield ImportProgress(done, total, self.folder / rel)
        if kept < total:
            x, y = x[:kept].copy(), y[:kept].copy()
        counts = {name: 0 for name, _ in scan.class_folders}
        for rel in files:
            counts[rel.split("/", 1)[0]] += 1
        result = FolderImages(
            folder=self.folder,
            x=x,
            y=y,
            files=tuple(files),
            skipped=tuple(sorted(skipped, key=lambda s: s.path)),
            class_folders=tuple(ClassFolder(n, lab, counts[n]) for n, lab in scan.class_folders),
            ignored_folders=tuple(scan.ignored),
            fingerprint=scan.fingerprint,
        )
        if cache is not None and total and not folder_cache.write(cache, result):
            self.cache_warning = f"{cache}: the import cache could not be written"
        return result


def _decode(path: Path) -> tuple[np.ndarray | None, str]:
    try:
        return images.load(path).pixels, ""
    except CatguiError as exc:
        return None, str(exc)


def import_folder(folder: str | os.PathLike, require_both: bool = True) -> FolderImages:
    """Import ``folder`` to the end (cached); see :class:`FolderImport`."""
    return FolderImport(folder, require_both=require_both).run()
