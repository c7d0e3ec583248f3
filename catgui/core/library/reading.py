"""A batch of files -> what the index stores of them: the worker's side of a scan.

For each file: its SHA-256, and unless that content is known already (a moved, renamed or
duplicated file), its picture decoded once and its 224 crop run through the backbone once
(P(cat) and familiarity both read those features: see :mod:`catgui.core.familiarity`),
in batches, the next batch decoding while the network runs. Pure functions of their inputs,
so a Dask worker runs the same code (:mod:`.cluster`). Errors never raise: an
:class:`Outcome` carries the cause in words.
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from catgui.core import backbone, images, pictures
from catgui.core.batched import batches_in_order
from catgui.core.dataset import file_sha256
from catgui.core.errors import CatguiError
from catgui.core.library import blobs
from catgui.core.library.walk import Found

#: The size and time an error row records when the cause may pass (a file that could not
#: be opened, or changed while read): the next scan tries it again whatever its stat says.
RETRY = -1


@dataclass
class Outcome:
    """What a scan learnt of one file."""

    path: str
    size: int
    mtime_ns: int
    hash: str | None = None
    error: str | None = None
    width: int = 0
    height: int = 0
    thumbnail: bytes | None = None
    #: float16 bytes of the 224 crop's pooled features, or ``None`` when the content was
    #: known already (or is a duplicate earlier in the batch); ``familiar``: those of the
    #: 64x64 square, only for an index whose schema still requires them
    features: bytes | None = None
    familiar: bytes | None = None


def _read(
    found: Found, known: Container[str], squares: bool = False
) -> tuple[Outcome, images.Picture | None]:
    """Hash ``found`` and, unless its content is ``known``, decode it: its 224 crop and
    thumbnail (and its 64x64 square only with ``squares``: then its features are kept)."""
    out = Outcome(found.path, found.size, found.mtime_ns)
    try:
        out.hash = file_sha256(found.path)
    except FileNotFoundError:
        out.error, out.size = "vanished during the scan (no such file)", RETRY
        return out, None
    except OSError as exc:
        out.error, out.size = f"cannot be read ({exc.strerror or exc})", RETRY
        return out, None
    if found.size == 0:
        out.error, out.hash = "the file is empty (0 bytes)", None
        return out, None
    if out.hash in known:
        return _checked(out), None
    try:
        picture = images.load(
            found.path,
            thumbnail_size=blobs.THUMBNAIL_SIDE,
            sizes=(backbone.INPUT_SIZE,),
            small=squares,
        )
    except CatguiError as exc:
        out.error, out.hash = _without_path(str(exc), found.path), None
        return out, None
    out.width, out.height = picture.original_size
    out.thumbnail = blobs.thumbnail_jpeg(picture.thumbnail)
    return _checked(out), picture


def _checked(out: Outcome) -> Outcome:
    """An outcome whose file changed or vanished while it was read becomes an error to retry."""
    try:
        info = os.stat(out.path)
    except OSError:
        out.error, out.size, out.hash = "vanished during the scan (no such file)", RETRY, None
        return out
    if (info.st_size, info.st_mtime_ns) != (out.size, out.mtime_ns):
        out.error = "changed while it was being read; the next scan reads it again"
        out.size, out.hash = RETRY, None
    return out


def _without_path(message: str, path: str) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def read_batch(
    founds: Sequence[Found], known: Container[str], threads: int = 2, squares: bool = False
) -> list[Outcome]:
    """Hash every file, decode the new contents (``threads`` at once) and run each distinct
    new picture through the backbone once (``squares``: and its 64x64 square, for an index
    that keeps those)."""
    return network_batch(decode_batch(founds, known, threads, squares), known, threads, squares)


def read_batches(
    founds: Sequence[Found],
    known: Container[str],
    batch: int,
    threads: int = 2,
    squares: bool = False,
) -> Iterator[list[Outcome]]:
    """:func:`read_batch` of consecutive batches of ``founds``, each file decoded in
    ``threads`` threads while the backbone runs on the batch before
    (:func:`catgui.core.batched.batches_in_order`, the path ``predict`` and the Classify
    tab take too). ``known`` may grow between batches (the caller stores each one)."""
    return batches_in_order(
        lambda found: _read(found, known, squares),
        lambda pairs: network_batch(pairs, known, threads, squares),
        founds,
        batch=batch,
        decoders=threads,
    )


Decoded = list[tuple[Outcome, "images.Picture | None"]]


def decode_batch(
    founds: Sequence[Found], known: Container[str], threads: int = 2, squares: bool = False
) -> Decoded:
    """The first half of :func:`read_batch`: hashes, and the new contents decoded."""
    with ThreadPoolExecutor(max(1, threads), thread_name_prefix="catgui-library") as pool:
        return list(pool.map(lambda f: _read(f, known, squares), founds))


def network_batch(
    pairs: Decoded, known: Container[str], threads: int = 2, squares: bool = False
) -> list[Outcome]:
    """The second half: each distinct picture not in ``known`` (which may have grown
    since the batch was decoded) through the backbone once."""
    todo: dict[str, images.Picture] = {}
    for out, picture in pairs:
        if picture is not None and out.error is None and out.hash not in known:
            todo.setdefault(out.hash, picture)
    if todo:
        pooled, familiar = features_of(list(todo.values()), threads, squares)
        for k, digest in enumerate(todo):
            for out, _picture in pairs:
                if out.hash == digest and out.features is None:
                    out.features = blobs.encode(pooled[k])
                    out.familiar = None if familiar is None else blobs.encode(familiar[k])
                    break
    return [out for out, _ in pairs]


def features_of(
    decoded: Sequence[images.Picture], threads: int = 2, squares: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """The pooled features ``(n, 1280)`` of the pictures' 224 crops: one backbone pass,
    the one familiarity reads too (:mod:`catgui.core.familiarity`). With ``squares``, also
    those of their 64x64 squares upscaled (in the same run), else ``None``: only an index
    whose schema still requires them asks (see :func:`keeps_squares`)."""
    size = backbone.INPUT_SIZE
    crops = np.stack([p.square(size) for p in decoded])
    if not squares:
        return backbone.extract(crops, threads=threads, cached=False).pooled, None
    small = pictures.resize_squares(np.stack([p.pixels for p in decoded]), size)
    features = backbone.extract(np.concatenate([crops, small]), threads=threads, cached=False)
    n = len(decoded)
    return features.pooled[:n], features.pooled[n:]


def keeps_squares(conn) -> bool:
    """Whether an index's schema requires the 64x64 squares' features (``contents.familiar``
    declared ``NOT NULL``): then the scan computes them, else one pass a photo."""
    for row in conn.execute("PRAGMA table_info(contents)"):
        if row[1] == "familiar":
            return bool(row[3])
    return False
