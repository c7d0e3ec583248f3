"""What the index's stored features say of the pictures as a whole: near-copies and a map.

Reads the features of each distinct content (files with the same bytes share them)
through :func:`catgui.core.library.chunks.all_features`; a damaged chunk leaves its files
out (the next scan reads them again). The grouping itself
is :mod:`catgui.core.duplicates`, over the distinct contents; files with the same bytes
are near-copies of each other too.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from catgui.core import duplicates
from catgui.core.library import chunks
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
    good, features = chunks.all_features(conn)
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


def content_groups(found: Stored, groups: list[list[int]]) -> list[list[str]]:
    """Groups of contents (hashes): the near-copy groups, and each content shown by more
    than one file (exact copies) on its own."""
    files = np.bincount(found.rows, minlength=len(found.hashes))
    grouped = {row for group in groups for row in group}
    out = [sorted(found.hashes[r] for r in group) for group in groups]
    out += [[found.hashes[r]] for r in np.flatnonzero(files > 1).tolist() if r not in grouped]
    return sorted(out)


def likeness_steps(
    index_path, model_sha256: str | None, threshold: float = duplicates.THRESHOLD
) -> Generator[str, None, tuple[PictureMapData, list[list[str]]]]:
    """What the Library tab's map and *Duplicates* filter show, read from the index at
    ``index_path`` (opened for reading): the map (:func:`map_steps`) and the groups of
    near-copies as contents (:func:`content_groups`). Yields what it does, in words."""
    with Index(index_path) as index, index.guard():
        data = yield from map_steps(index, model_sha256)
        found = stored(index)
    yield f"looking for near-copies among {len(found.hashes):,} pictures"
    steps = duplicates.group_steps(found.features, threshold, in_place=True)
    groups = yield from mapped(steps, lambda done: f"{done:,} of {len(found.hashes):,} compared")
    return data, content_groups(found, groups)


def duplicate_steps(
    index: Index, threshold: float = duplicates.THRESHOLD
) -> Generator[tuple[int, int], None, list[list[str]]]:
    """The groups of near-copies among the index's files (lists of paths, sorted; the
    groups by their first path). Yields ``(contents compared, contents)``."""
    found = stored(index)
    n = len(found.features)
    steps = duplicates.group_steps(found.features, threshold, in_place=True)  # ours alone
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


@dataclass(frozen=True)
class PictureMapData:
    """A map of an index's distinct pictures: one point per content (``hashes[i]``, shown
    by ``paths[i]``, its first file), with P(cat) by a model (NaN: not scored)."""

    hashes: list[str]
    paths: list[str]
    points: np.ndarray  # (n, 2) float32
    probabilities: np.ndarray  # (n,) float64

    def verdicts(self, threshold: float = 0.5) -> list[str]:
        """Each point's verdict as the map colours it: cat, not cat, unsure, not scored."""
        from catgui.core import decision

        low, high = decision.band_around(threshold, decision.UNSURE_HALF_WIDTH)
        out = []
        for p in self.probabilities.tolist():
            if p != p:  # NaN
                out.append("not scored")
            elif low < p < high:
                out.append("unsure")
            else:
                out.append("cat" if p > threshold else "not cat")
        return out


def map_steps(
    index: Index, model_sha256: str | None = None
) -> Generator[str, None, PictureMapData]:
    """The map of the index's pictures (:mod:`catgui.core.projection`), coloured by the
    model's scores. Yields what it is doing, in words."""
    from catgui.core import projection

    yield "reading the stored features"
    found = stored(index)
    first: dict[int, str] = {}
    for path, row in zip(found.paths, found.rows.tolist()):
        first.setdefault(row, path)
    rows = sorted(first)
    features = found.features[rows]
    hashes = [found.hashes[r] for r in rows]
    p = np.full(len(rows), np.nan)
    if model_sha256 is not None and hashes:
        scores = dict(
            index.conn.execute("SELECT hash, p_cat FROM scores WHERE model = ?", (model_sha256,))
        )
        p = np.array([scores.get(h, np.nan) for h in hashes], dtype=np.float64)
    yield f"placing {len(rows):,} pictures"
    points = projection.map_points(features)
    return PictureMapData(hashes, [first[r] for r in rows], points, p)


def thumbnails(index: Index, hashes: list[str]) -> dict[str, bytes]:
    """The stored thumbnails (JPEG bytes) of these contents (those the index has)."""
    out: dict[str, bytes] = {}
    for at in range(0, len(hashes), 500):
        chunk = hashes[at : at + 500]
        marks = ",".join("?" * len(chunk))
        for digest, jpeg in index.conn.execute(
            f"SELECT hash, jpeg FROM thumbnails WHERE hash IN ({marks})", chunk
        ):
            if isinstance(jpeg, bytes):
                out[digest] = jpeg
    return out
