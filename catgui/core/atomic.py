"""Writing a file so that its name only ever holds a whole file: the old one or the new one.

The bytes go to a hidden temporary file in the same folder, flushed to disk, then renamed
over the target in one step (or linked to it when an existing file must not be replaced).
Model files, exported models, caches, copies of corrections and the desktop files are
written this way.

The temporary file is always made fresh (``mkstemp``: a new random name, ``O_EXCL``), so a
file or symbolic link planted in the folder is never opened or written through; a symbolic
link at the target's own name is replaced, never followed. A temporary file left behind
by a process that was killed (``.NAME.XXXXXXXX.partial``) is removed by the next write to
that folder, once it is :data:`STALE_AFTER` seconds old and belongs to this user.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from catgui.core.errors import CatguiError
from catgui.core.regular_files import kind_of

PARTIAL_SUFFIX = ".partial"
#: How old a temporary file must be before a later write takes it for a dead process's
#: leftover (no write of catgui takes this long).
STALE_AFTER = 3600.0
#: What :func:`tempfile.mkstemp` makes here: ``.`` + stem + ``.`` + 8 random characters.
_OURS = re.compile(r"^\..*\.[a-z0-9_]{8}" + re.escape(PARTIAL_SUFFIX) + "$")
_swept: set[str] = set()
_swept_lock = threading.Lock()


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
        sweep(folder)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=PARTIAL_SUFFIX, dir=folder)
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


def check_target(path: Path, what: str = "file") -> None:
    """Refuse a target that names something other than a file or a folder.

    ``path`` as the user gave it (before a suffix is added): ``/dev/full``, a FIFO or a
    socket is refused with what it is, rather than written beside as ``/dev/full.npz``.
    """
    try:
        st = os.stat(path)
    except OSError:
        return  # absent (or a dangling link): writing it says what is wrong
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise CatguiError(
            f"{path}: not a regular file ({kind_of(st.st_mode)}); "
            f"give a file name or a folder for the {what}"
        )


def check_writable(path: Path, what: str = "file") -> None:
    """Fail now, before the work, if a ``what`` could not be written at ``path``.

    A real trial (a fresh temporary file made and removed in the folder, or in the
    nearest folder that exists), since permission bits do not tell for root, read-only
    mounts or full disks.
    """
    check_target(path, what)
    folder = path if path.is_dir() else path.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return
    if not existing.is_dir():
        raise CatguiError(f"{path}: cannot be written, {existing} is a file, not a folder")
    try:
        fd, name = tempfile.mkstemp(prefix=".catgui-check.", suffix=PARTIAL_SUFFIX, dir=existing)
    except OSError as exc:
        raise CatguiError(
            f"{existing}: cannot write a {what} here ({exc.strerror or exc})"
        ) from None
    os.close(fd)
    _remove_quietly(name)


def sweep(folder: Path, now: float | None = None, once: bool = True) -> list[Path]:
    """Remove this user's stale temporary files from ``folder``; return those removed.

    Only names :func:`write` makes, only regular files (never what a symbolic link points
    to), only this user's, and only those untouched for :data:`STALE_AFTER` seconds (a
    write in progress elsewhere is left alone). ``once``: a folder is swept once per
    process (a cache writes thousands of files into a few folders).
    """
    key = os.path.abspath(folder)
    if once:
        with _swept_lock:
            if key in _swept:
                return []
            _swept.add(key)
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        if not _OURS.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or (uid is not None and st.st_uid != uid):
            continue
        if now - st.st_mtime < STALE_AFTER:
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


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
