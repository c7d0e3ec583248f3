"""A batch of files -> what the index stores of them: the worker's side of a scan.

For each file: its SHA-256, and unless that content is known already (a moved, renamed or
duplicated file), its picture decoded once and run through the backbone once for its 224
crop, plus once for its 64x64 square (familiarity against the article's pictures: see
:mod:`catgui.core.familiarity` and docs/performance.md). Pure functions of their inputs,
so a Dask worker runs the same code (:mod:`.cluster`). Errors never raise: an
:class:`Outcome` carries the cause in words.
"""

from __future__ import annotations

import os
from collections.abc import Container, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from catgui.core import backbone, images, pictures
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
    #: float16 bytes of the 224 crop's and the 64x64 square's pooled features, or ``None``
    #: when the content was known already (or is a duplicate earlier in the batch)
    features: bytes | None = None
    familiar: bytes | None = None


def _read(found: Found, known: Container[str]) -> tuple[Outcome, images.Picture | None]:
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
            found.path, thumbnail_size=blobs.THUMBNAIL_SIDE, sizes=(backbone.INPUT_SIZE,)
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


def read_batch(founds: Sequence[Found], known: Container[str], threads: int = 2) -> list[Outcome]:
    """Hash every file, decode the new contents (``threads`` at once) and run each distinct
    new picture through the backbone once."""
    return network_batch(decode_batch(founds, known, threads), known, threads)


Decoded = list[tuple[Outcome, "images.Picture | None"]]


def decode_batch(founds: Sequence[Found], known: Container[str], threads: int = 2) -> Decoded:
    """The first half of :func:`read_batch`: hashes, and the new contents decoded."""
    with ThreadPoolExecutor(max(1, threads), thread_name_prefix="catgui-library") as pool:
        return list(pool.map(lambda f: _read(f, known), founds))


def network_batch(pairs: Decoded, known: Container[str], threads: int = 2) -> list[Outcome]:
    """The second half: each distinct picture not in ``known`` (which may have grown
    since the batch was decoded) through the backbone once."""
    todo: dict[str, images.Picture] = {}
    for out, picture in pairs:
        if picture is not None and out.error is None and out.hash not in known:
            todo.setdefault(out.hash, picture)
    if todo:
        pooled, familiar = features_of(list(todo.values()), threads)
        for (digest, _), crop, square in zip(todo.items(), pooled, familiar):
            for out, _picture in pairs:
                if out.hash == digest and out.features is None:
                    out.features, out.familiar = blobs.encode(crop), blobs.encode(square)
                    break
    return [out for out, _ in pairs]


def features_of(
    decoded: Sequence[images.Picture], threads: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """The pooled features ``(n, 1280)`` of the pictures' 224 crops and of their 64x64
    squares (upscaled as the backbone's cache and :meth:`BackboneClassifier.assess` do),
    in one run of the backbone."""
    size = backbone.INPUT_SIZE
    crops = np.stack([p.square(size) for p in decoded])
    squares = pictures.resize_squares(np.stack([p.pixels for p in decoded]), size)
    features = backbone.extract(np.concatenate([crops, squares]), threads=threads, cached=False)
    n = len(decoded)
    return features.pooled[:n], features.pooled[n:]


class AheadReader:
    """Reads batches as :func:`read_batch` does, decoding the next batch in the background
    while the network runs on this one (decoding is ~15 % of a new photo's time)."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="catgui-library-ahead")
        self._ahead: tuple[list[str], Future] | None = None

    def read(
        self, founds: Sequence[Found], known: Container[str], following: Sequence[Found] = ()
    ) -> list[Outcome]:
        paths = [f.path for f in founds]
        if self._ahead is not None and self._ahead[0] == paths:
            pairs = self._ahead[1].result()
        else:
            pairs = decode_batch(founds, known, self.threads)
        self._ahead = None
        if following:
            ahead = list(following)
            self._ahead = (
                [f.path for f in ahead],
                self._pool.submit(decode_batch, ahead, known, self.threads),
            )
        return network_batch(pairs, known, self.threads)

    def close(self) -> None:
        """Drop the batch decoded ahead (waits for it if it is being decoded)."""
        if self._ahead is not None:
            self._ahead[1].cancel()
            self._ahead = None
        self._pool.shutdown(wait=True)
