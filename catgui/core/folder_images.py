"""What importing a folder gives: the images, their labels and files, what was skipped.

:mod:`catgui.core.folders` makes a :class:`FolderImages`; :mod:`catgui.core.folder_cache`
stores one and reads it back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core.folder_scan import CAT, Skipped
from catgui.core.words import counted

__all__ = ["ClassFolder", "FolderImages", "content_sha256"]


@dataclass(frozen=True)
class ClassFolder:
    """One class folder that was used: ``name`` as spelt on disk, its label, image count."""

    name: str
    label: int
    images: int = 0


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
            f"{c.name}/ ({counted(c.images, 'image')}) -> {'cat' if c.label else 'non-cat'}"
            for c in self.class_folders
        ]
        return ", ".join(parts) if parts else "no class folders"


def content_sha256(x: np.ndarray, y: np.ndarray) -> str:
    """SHA-256 of images ``x`` (m, 64, 64, 3) uint8 and labels ``y`` (m,)."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(x, dtype=np.uint8).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()
