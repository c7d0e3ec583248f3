"""Opening a file the user named (or a cache holds) only when it is a regular file.

A FIFO would block the reader until someone writes to it, ``/dev/zero`` never ends, a
folder is not a file: each is refused with the same words, before a byte is read. The
file is checked with ``stat`` before it is opened (so opening a device never happens) and
again with ``fstat`` on what was opened (so a swap between the two cannot slip through);
it is opened with ``O_NONBLOCK``, so even a FIFO swapped in at that moment does not hang.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from catgui.core.errors import CatguiError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)


def describe(exc: OSError) -> str:
    """An OSError in a person's words: ``Permission denied``, ``No such file or directory``."""
    return exc.strerror or str(exc)


def problem(path: Path, st: os.stat_result, what: str) -> str | None:
    """Why ``st`` (the stat of ``path``) is not a regular file, or ``None`` when it is one."""
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return f"{path}: is a folder, not {what}"
    return f"{path}: not a regular file ({kind_of(st.st_mode)}), so not {what}"


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is that is not a regular file, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def checked_stat(path: Path, what: str) -> os.stat_result:
    """``os.stat(path)`` of a regular file; otherwise a :class:`CatguiError` in words."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({describe(exc)})") from None
    why = problem(path, st, what)
    if why:
        raise CatguiError(why)
    return st


@contextlib.contextmanager
def open_regular(path: str | os.PathLike, what: str = "a file") -> Iterator[tuple[BinaryIO, int]]:
    """Open ``path`` for reading if it is a regular file: yields ``(file, size in bytes)``.

    ``what`` is the word for what it should be ("an image", "a model file"). Anything else
    (absent, unreadable, a folder, a FIFO, a device, a socket, a symbolic-link loop) is a
    :class:`CatguiError` naming ``path`` and the problem.
    """
    path = Path(path)
    checked_stat(path, what)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({describe(exc)})") from None
    try:
        st = os.fstat(fd)
        why = problem(path, st, what)
        if why:
            raise CatguiError(why)
        if _FLAGS & getattr(os, "O_NONBLOCK", 0) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with f:
        yield f, st.st_size
