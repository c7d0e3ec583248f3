"""The user's corrections: pictures the model got wrong, copied under their true class.

``user_data_dir()/corrections/`` is itself a folder data set (``cat/`` and ``non-cat/``),
which training includes in its training part (never in the test part). A correction is
a *copy*: the original file is only read, never moved or changed.

Copies keep the original name readable and add the first 10 hex digits of the file's
SHA-256: ``IMG_0042-3f2a9c01b7.jpg``. The same picture corrected twice is stored once;
corrected to the other class, it moves to that class (the user changed their mind).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from catgui.core import atomic, images
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir
from catgui.core.regular_files import open_regular

CLASS_DIRS = {True: "cat", False: "non-cat"}
_HASH_DIGITS = 10
_FORMAT_SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "BMP": ".bmp", "GIF": ".gif", "WEBP": ".webp"}
_FORMAT_SUFFIX["TIFF"] = ".tif"


def default_folder() -> Path:
    """``user_data_dir()/corrections`` (evaluated at call time)."""
    return user_data_dir() / "corrections"


@dataclass(frozen=True)
class Correction:
    """One stored correction: the copy at ``path``, labelled ``is_cat``."""

    path: Path
    is_cat: bool

    @property
    def label(self) -> str:
        return "cat" if self.is_cat else "non-cat"

    @property
    def original_name(self) -> str:
        """The original file name, without the content hash catgui added."""
        match = re.fullmatch(rf"(.*)-[0-9a-f]{{{_HASH_DIGITS}}}(\.[^.]*)?", self.path.name)
        return (match.group(1) + (match.group(2) or "")) if match else self.path.name


class Corrections:
    """The corrections folder (``default_folder()`` unless another is given)."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()

    def add(self, path: str | os.PathLike, is_cat: bool) -> Correction:
        """Copy the picture at ``path`` into ``cat/`` or ``non-cat/``; return the entry.

        Raises :class:`CatguiError` if ``path`` is not a picture catgui can read.
        """
        source = Path(path)
        images.load(source)  # refuses anything the model could not use, naming the file
        digest = _sha256(source)
        suffix = source.suffix.lower()
        if suffix not in images.IMAGE_SUFFIXES:
            suffix = _suffix_from_content(source)
        stem = _safe_stem(source.stem)
        name = f"{stem}-{digest[:_HASH_DIGITS]}{suffix}"
        target_dir = self.folder / CLASS_DIRS[bool(is_cat)]
        target = target_dir / name
        for entry in self.list():  # same content already stored?
            if entry.path.name.endswith(f"-{digest[:_HASH_DIGITS]}{entry.path.suffix}"):
                if entry.is_cat == bool(is_cat):
                    return entry
                self.remove(entry)  # corrected the other way now
        _copy_atomic(source, target)
        return Correction(target, bool(is_cat))

    def list(self) -> list[Correction]:
        """Every stored correction, cats first, then by name."""
        found = []
        for is_cat, sub in CLASS_DIRS.items():
            folder = self.folder / sub
            if not folder.is_dir():
                continue
            for item in sorted(folder.iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    found.append(Correction(item, is_cat))
        from natsort import natsort_keygen, ns  # 14 ms: not at start-up

        by_name = natsort_keygen(alg=ns.IGNORECASE)
        return sorted(found, key=lambda c: (not c.is_cat, by_name(c.path.name)))

    def remove(self, entry: Correction) -> None:
        """Delete one stored copy (only ever a file inside the corrections folder)."""
        path = Path(entry.path)
        root = self.folder.resolve()
        if not path.resolve().is_relative_to(root):
            raise CatguiError(f"{path}: not in the corrections folder {self.folder}")
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise CatguiError(f"{path}: cannot remove ({exc.strerror or exc})") from None

    def count(self) -> dict[str, int]:
        """``{"cat": n, "non-cat": k, "total": n + k}``."""
        entries = self.list()
        cats = sum(1 for e in entries if e.is_cat)
        return {"cat": cats, "non-cat": len(entries) - cats, "total": len(entries)}


def add(path: str | os.PathLike, is_cat: bool) -> Correction:
    """Add a correction to the user's corrections folder; see :meth:`Corrections.add`."""
    return Corrections().add(path, is_cat)


def entries() -> list[Correction]:
    """The user's corrections; see :meth:`Corrections.list`."""
    return Corrections().list()


def remove(entry: Correction) -> None:
    """Remove one of the user's corrections."""
    Corrections().remove(entry)


def count() -> int:
    """How many corrections the user has."""
    return Corrections().count()["total"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open_regular(path, "a picture") as (f, _size):
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return digest.hexdigest()


def _safe_stem(stem: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", stem).strip(" .")
    return (cleaned or "picture")[:80]


def _suffix_from_content(path: Path) -> str:
    from PIL import Image

    try:
        with Image.open(path) as img:
            fmt = img.format or ""
    except (OSError, ValueError) as exc:
        raise CatguiError(f"{path}: cannot tell the image format ({exc})") from None
    return _FORMAT_SUFFIX.get(fmt, f".{fmt.lower()}" if fmt else ".img")


def _copy_atomic(source: Path, target: Path) -> None:
    def copy(out) -> None:
        with open_regular(source, "a picture") as (src, _size):
            shutil.copyfileobj(src, out)

    try:
        atomic.write(target, copy, overwrite=True, what="copy")
    except CatguiError as exc:
        raise CatguiError(f"{source} could not be kept in your corrections: {exc}") from None
