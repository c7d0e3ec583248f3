"""Reading an ``.npz`` archive without trusting it: sizes and shapes checked before reading.

``np.load`` believes what a file says: an ``.npy`` header that claims a shape of 10¹¹
values allocates for it, a member compressed from 200 MB of JSON is inflated whole, and a
FIFO under the archive's name blocks the reader. :func:`read` opens the archive only if
it is a regular file, checks each member's declared (uncompressed) size against a limit
before inflating a byte, checks each array header's shape and dtype against that size,
and reads exactly the bytes the header promises (zipfile stops at the declared size, so a
member that lies about it cannot grow past it). Object arrays are refused: nothing is
ever unpickled.
"""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np

from catgui.core.errors import CatguiError
from catgui.core.regular_files import open_regular

#: The largest header an ``.npy`` member may have (numpy's own default limit).
MAX_HEADER = 10_000


class Refused(CatguiError):
    """The archive is not what it should be; the message names the file and the problem."""


def read(
    path: str | os.PathLike,
    *,
    what: str = "file",
    limit: int,
    limits: Mapping[str, int] | None = None,
    total_limit: int | None = None,
) -> dict[str, np.ndarray]:
    """Every array of the archive at ``path``, by name, each checked before it is read.

    Parameters
    ----------
    limit : int
        The most bytes any one array may declare (``limits`` names exceptions, by array
        name); ``total_limit`` the most all of them together may.
    what : str
        The word for the file in messages ("model file", "cache file").

    Raises
    ------
    Refused
        Anything doubtful: not a regular file, not a zip archive, a member too large or
        not an ``.npy`` array, a header whose shape does not fit its member, object
        arrays, truncated or corrupt data.
    """
    path = Path(path)
    limits = limits or {}
    with open_regular(path, f"a {what}") as (f, _size):
        try:
            return _read_all(path, f, what, limit, limits, total_limit)
        except CatguiError:
            raise
        except MemoryError:
            raise Refused(f"{path}: not a readable {what} (too large to read)") from None
        except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error) as exc:
            raise Refused(f"{path}: not a readable {what} ({exc})") from None
        except (NotImplementedError, RuntimeError, RecursionError) as exc:
            # an unsupported compression method or encryption
            raise Refused(f"{path}: not a readable {what} ({exc})") from None


def _read_all(
    path: Path,
    f: BinaryIO,
    what: str,
    limit: int,
    limits: Mapping[str, int],
    total_limit: int | None,
) -> dict[str, np.ndarray]:
    if not zipfile.is_zipfile(f):
        raise Refused(f"{path}: not a readable {what} (not an .npz archive)")
    f.seek(0)
    arrays: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(f) as archive:
        members = archive.infolist()
        total = 0
        for info in members:
            name = info.filename[:-4] if info.filename.endswith(".npy") else None
            if name is None or info.is_dir():
                raise Refused(f"{path}: not a {what} (it holds {info.filename!r}, not an array)")
            if name in arrays:
                raise Refused(f"{path}: not a {what} (the array {name!r} appears twice)")
            cap = limits.get(name, limit)
            if info.file_size > cap:
                raise Refused(
                    f"{path}: not a {what}: its {name!r} is {_size(info.file_size)}, "
                    f"more than the {_size(cap)} a {what} may hold there"
                )
            total += info.file_size
            if total_limit is not None and total > total_limit:
                raise Refused(
                    f"{path}: not a {what}: its arrays add up to more than {_size(total_limit)}"
                )
            with archive.open(info) as member:
                arrays[name] = _read_array(path, what, name, member, info.file_size)
    return arrays


def _read_array(path: Path, what: str, name: str, member: BinaryIO, declared: int) -> np.ndarray:
    fmt = np.lib.format
    version = fmt.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = fmt.read_array_header_1_0(member, max_header_size=MAX_HEADER)
    elif version in ((2, 0), (3, 0)):
        shape, fortran, dtype = fmt.read_array_header_2_0(member, max_header_size=MAX_HEADER)
    else:
        raise Refused(f"{path}: not a {what} ({name!r} has .npy version {version})")
    if dtype.hasobject:
        raise Refused(f"{path}: holds Python objects in {name!r}; catgui only loads plain arrays")
    count = math.prod(shape)
    nbytes = count * dtype.itemsize
    if nbytes > declared:
        raise Refused(
            f"{path}: not a {what}: {name!r} claims shape {shape} ({_size(nbytes)}) "
            f"but holds at most {_size(declared)}"
        )
    buffer = bytearray(nbytes)
    view = memoryview(buffer)
    got = 0
    while got < nbytes:
        n = member.readinto(view[got:])
        if not n:
            raise Refused(f"{path}: not a readable {what} ({name!r} is cut short)")
        got += n
    array = np.frombuffer(buffer, dtype=dtype, count=count)
    return array.reshape(shape, order="F" if fortran else "C")


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
