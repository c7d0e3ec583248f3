"""What the index's stored features say of the pictures as a whole: near-copies and a map.

Reads each file's features from ``contents`` (one row per distinct content: files with
the same bytes share it) through :func:`catgui.core.library.blobs.decode_checked`; a
damaged blob leaves its files out (the next scan reads them again). The grouping itself
is :mod:`catgui.core.duplicates`, over the distinct contents; files with the same bytes
are near-copies of each other too.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from catgui.core import duplicates
from catgui.core.library import blobs
from catgui.core.library.index import Index
from catgui.core.library.walk import loaded
from catgui.core.steps import mapped


@dataclass(frozen=True)
class Stored:
    """The pictures of an index with features: ``paths`` (sorted), the content of each
    (``rows[i]``: its row in ``features``), and the distinct contents' features."""

    paths: list[str]
    hashes: list[str]
    rows: np.ndarray  # (n_files,) int64 into features
    features: np.ndarray  # (n_contents, 1280) float32


def stored(index: Index) -> Stored:
    """Every readable file of the index whose content has sound stored features."""
    conn = index.conn
    hashes: list[str] = []
    blob_list: list[object] = []
    for digest, blob in conn.execute("SELECT hash, features FROM contents ORDER BY hash"):
        hashes.append(digest)
        blob_list.append(blob)
    features, ok = blobs.decode_checked(blob_list)
    good = [h for h, fine in zip(hashes, ok) if fine]
    row_of = {h: i for i, h in enumerate(good)}
    paths, rows = [], []
    for path, digest in conn.execute(
        "SELECT path, hash FROM files WHERE status = 'ok' AND hash IS NOT NULL ORDER BY path"
    ):
        row = row_of.get(digest)
        if row is not None:
            paths.append(loaded(path))
            rows.append(row)
    return Stored(paths, good, np.asarray(rows, dtype=np.int64), features)


def duplicate_steps(
    index: Index, threshold: float = duplicates.THRESHOLD
) -> Generator[tuple[int, int], None, list[list[str]]]:
    """The groups of near-copies among the index's files (lists of paths, sorted; the
    groups by their first path). Yields ``(contents compared, contents)``."""
    found = stored(index)
    n = len(found.features)
    steps = duplicates.group_steps(found.features, threshold)
    groups = yield from mapped(steps, lambda done: (done, n))
    return file_groups(found, groups)


def file_groups(found: Stored, content_groups: list[list[int]]) -> list[list[str]]:
    """Groups of contents -> groups of files, adding files that share one content."""
    files_of: dict[int, list[str]] = {}
    for path, row in zip(found.paths, found.rows.tolist()):
        files_of.setdefault(row, []).append(path)
    grouped = set()
    out = []
    for group in content_groups:
        members = [p for row in group for p in files_of.get(row, [])]
        grouped.update(group)
        if len(members) > 1:
            out.append(sorted(members))
    for row, members in files_of.items():  # exact copies that nothing else resembles
        if row not in grouped and len(members) > 1:
            out.append(sorted(members))
    return sorted(out)
