"""``library export``: the listed files copied or linked into one folder.

Originals are only ever read: a copy is written to a fresh temporary name in the target
folder and then linked to its final name (never over an existing file); a link is a new
symlink. Names that collide get a suffix (``cat.jpg``, ``cat-2.jpg``, ...). A file that
cannot be copied is reported with its cause; the others go on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catgui.core.errors import CatguiError


@dataclass
class Exported:
    written: list[tuple[str, str]] = field(default_factory=list)  # (original, new)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (original, why)


def export_steps(
    paths: Iterable[str], folder: str | os.PathLike, link: bool = False
) -> Generator[int, None, Exported]:
    """Copy (or symlink, with ``link``) each file into ``folder``; yields files done."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatguiError(f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    result = Exported()
    for done, original in enumerate(paths, 1):
        try:
            target = _place(Path(original), folder, link)
            result.written.append((original, str(target)))
        except OSError as exc:
            result.failed.append((original, exc.strerror or str(exc)))
        yield done
    return result


def _place(original: Path, folder: Path, link: bool) -> Path:
    stem, suffix = original.stem, original.suffix
    if link:
        for n in range(1, 100_000):
            target = folder / (original.name if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.symlink(original, target)
                return target
            except FileExistsError:
                continue
        raise FileExistsError(f"too many files named like {original.name}")
    fd, tmp = tempfile.mkstemp(prefix=".catgui-export.", suffix=".partial", dir=folder)
    try:
        with open(original, "rb") as src, os.fdopen(fd, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        shutil.copystat(original, tmp)
        for n in range(1, 100_000):
            target = folder / (original.name if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, target)  # never replaces an existing name
                return target
            except FileExistsError:
                continue
        raise FileExistsError(f"too many files named like {original.name}")
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
