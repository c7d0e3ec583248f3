"""Find the picture files under the folders a scan is given, and what stood in the way.

Folder symlinks are followed, once: a folder reached again (a symlink loop, or two links
to one folder) is reported, not walked twice. A folder or file that cannot be read, a
dangling or looping symlink, is a :class:`Problem` with its cause in words; the walk goes
on. Files are picked by ending (:data:`catgui.core.images.IMAGE_SUFFIXES`); a file given
by name is taken whatever its name.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from catgui.core.images import IMAGE_SUFFIXES


@dataclass(frozen=True)
class Found:
    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Problem:
    path: str
    error: str


def stored(path: str) -> str | bytes:
    """A path as SQLite can keep it: the text, or its raw bytes when the name is not
    valid UTF-8 (Linux allows any bytes; Python carries them as lone surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def loaded(value: str | bytes) -> str:
    """A path read back from the index (the inverse of :func:`stored`)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def absolute(path: str | os.PathLike) -> str:
    """The path as the index keeps it: absolute and normalised, symlinks kept as named."""
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def walk(roots: Iterable[str | os.PathLike]) -> Iterator[Found | Problem]:
    """Every picture file under ``roots`` (files or folders), in a stable order."""
    seen: set[tuple[int, int]] = set()
    for root in roots:
        path = absolute(root)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            yield Problem(path, "not found (no such file or folder; a disk not mounted?)")
            continue
        except OSError as exc:
            yield Problem(path, _why(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _folder(path, info, seen)
        else:
            yield from _file(path, named=True)


def _folder(
    path: str, info: os.stat_result, seen: set[tuple[int, int]]
) -> Iterator[Found | Problem]:
    key = (info.st_dev, info.st_ino)
    if key in seen:
        yield Problem(
            path,
            f"a symlink loop or second link to a folder already scanned ({os.path.realpath(path)})",
        )
        return
    seen.add(key)
    try:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield Problem(path, f"the folder cannot be read ({exc.strerror or exc})")
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError as exc:
            yield Problem(entry.path, _why(exc))
            continue
        if is_dir:
            try:
                sub = os.stat(entry.path)
            except OSError as exc:
                yield Problem(entry.path, _why(exc))
                continue
            yield from _folder(entry.path, sub, seen)
        elif os.path.splitext(entry.name)[1].lower() in IMAGE_SUFFIXES:
            yield from _file(entry.path, named=False)


def _file(path: str, named: bool) -> Iterator[Found | Problem]:
    try:
        info = os.stat(path)
    except OSError as exc:
        yield Problem(path, _why(exc))
        return
    if not stat.S_ISREG(info.st_mode):
        if named or os.path.exists(path):
            yield Problem(path, "not a regular file")
        return
    yield Found(path, info.st_size, info.st_mtime_ns)


def _why(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "a symlink loop (the link points back to itself)"
    if exc.errno == errno.ENOENT and os.path.islink(exc.filename or ""):
        return "a broken symlink (what it points to does not exist)"
    if exc.errno == errno.ENOENT:
        return "vanished during the scan (no such file)"
    return f"cannot be read ({exc.strerror or exc})"
