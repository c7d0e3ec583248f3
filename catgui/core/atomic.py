"""Writing a file so that its name only ever holds a whole file: the old one or the new one.

The bytes go to a hidden temporary file in the same folder, flushed to disk, then renamed
over the target in one step (or linked to it when an existing file must not be replaced).
Model files and exported models are written this way.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from catgui.core.errors import CatguiError


def write(
    path: Path,
    fill: Callable[[BinaryIO], None],
    overwrite: bool = False,
    what: str = "file",
    durable: bool = True,
) -> Path:
    """Write ``path`` with ``fill(file)``, atomically; without ``overwrite`` an existing
    file is never replaced. Errors are :class:`CatguiError` naming ``path`` (``what``: the
    word for it, such as "model"). ``durable``: flushed to disk before the rename (a
    cache that can be rebuilt skips it: thousands of small files, each fsync'd, are slow)."""
    folder = path.parent
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise CatguiError(f"{path}: cannot be written, {blocker} is a file, not a folder")
    if path.exists() and not overwrite:
        raise CatguiError(f"{path}: a {what} with this name exists already; choose another name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise CatguiError(f"{folder}: cannot write a {what} here ({exc.strerror or exc})") from None
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes 0600; these are ordinary files
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            fill(f)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp_name, path)
        else:
            _link_new(tmp_name, path, what)
        if durable:
            _fsync_folder(folder)
    except OSError as exc:
        _remove_quietly(tmp_name)
        raise CatguiError(
            f"{path}: the {what} could not be saved ({exc.strerror or exc})"
        ) from None
    except BaseException:
        _remove_quietly(tmp_name)
        raise
    return path


def _link_new(tmp_name: str, path: Path, what: str) -> None:
    """Move ``tmp_name`` to ``path`` only if ``path`` does not exist (no race)."""
    try:
        os.link(tmp_name, path)
    except FileExistsError:
        raise CatguiError(f"{path}: a {what} with this name exists already") from None
    except OSError:  # file systems without hard links
        if path.exists():
            raise CatguiError(f"{path}: a {what} with this name exists already") from None
        os.replace(tmp_name, path)
        return
    os.unlink(tmp_name)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass
