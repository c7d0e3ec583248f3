"""What the index's stored features say of the pictures as a whole: near-copies and a map.

Both are computed once and kept in the index (:mod:`.likeness_table`), over the distinct
contents (files with the same bytes share them) whose features are sound; after a scan
only what changed is computed (:mod:`.likeness_update`), and a new model only recolours
the map (:func:`probabilities`: its scores, no feature read). The grouping itself is
:mod:`catgui.core.duplicates`; files with the same bytes are near-copies of each other too.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from catgui.core import duplicates
from catgui.core.library import chunks, likeness_table, likeness_update
from catgui.core.library.index import Index
from catgui.core.library.likeness_table import Kept
from catgui.core.library.likeness_update import Shown
from catgui.core.library.placements import HASH
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


def kept_steps(index: Index) -> Generator[str, None, tuple[Kept, Shown]]:
    """The near-copies and the map of the index's pictures, kept in the index
    (:mod:`.likeness_table`): read, brought up to date with what the files show now
    (:mod:`.likeness_update`: only what changed is computed), and stored again when they
    changed. Yields what it does, in words; returns them and the contents shown."""
    backbone = index.meta("backbone") or ""
    kept = likeness_table.read(index.conn, backbone)
    now = likeness_update.shown(index.conn)
    kept, changed = yield from likeness_update.update_steps(index.conn, kept, now.hashes)
    if changed:
        yield "keeping the near-copies and the map in the index"
        likeness_table.write(index.path, kept, backbone)
    return kept, now


def content_groups(
    kept: Kept, now: Shown, threshold: float = duplicates.THRESHOLD
) -> list[list[str]]:
    """Groups of contents (hashes): the near-copy groups, and each content shown by more
    than one file (exact copies) on its own."""
    names = kept.names
    groups = kept.groups(threshold)
    grouped = {row for group in groups for row in group}
    out = [sorted(names[r] for r in group) for group in groups]
    files = now.files[np.searchsorted(now.hashes, kept.hashes)]  # kept: among those shown
    out += [[names[r]] for r in np.flatnonzero(files > 1).tolist() if r not in grouped]
    return sorted(out)


def likeness_steps(
    index_path, model_sha256: str | None, threshold: float = duplicates.THRESHOLD
) -> Generator[str, None, tuple[PictureMapData, list[list[str]]]]:
    """What the Library tab's map and *Duplicates* filter show, read from the index at
    ``index_path`` (opened for reading): the map coloured by the model's verdicts, and
    the groups of near-copies as contents (:func:`content_groups`). Both come from what
    the index keeps (:func:`kept_steps`): what is new since is computed, nothing else.
    Yields what it does, in words."""
    with Index(index_path) as index, index.guard():
        kept, now = yield from kept_steps(index)
        data = map_data(index, kept, now, model_sha256)
    return data, content_groups(kept, now, threshold)


def duplicate_steps(
    index: Index, threshold: float = duplicates.THRESHOLD
) -> Generator[str, None, list[list[str]]]:
    """The groups of near-copies among the index's files (lists of paths, sorted; the
    groups by their first path). From what the index keeps (:func:`kept_steps`) at a
    threshold of at least :data:`~catgui.core.duplicates.THRESHOLD`; below it, every pair
    is compared again (nothing kept). Yields what it does, in words."""
    if threshold < duplicates.THRESHOLD:
        found = stored(index)
        n = len(found.features)
        steps = duplicates.group_steps(found.features, threshold, in_place=True)  # ours alone
        groups = yield from mapped(steps, lambda done: f"{done:,} of {n:,} pictures compared")
        return file_groups(
            found.paths,
            [found.hashes[r] for r in found.rows.tolist()],
            [[found.hashes[r] for r in group] for group in groups],
        )
    kept, now = yield from kept_steps(index)
    names = kept.names
    groups = [[names[r] for r in group] for group in kept.groups(threshold)]
    copies = now.hashes[now.files > 1]  # contents shown by more than one file
    wanted = sorted(
        {h for group in groups for h in group}
        | set(copies[np.isin(copies, kept.hashes)].astype(f"U{HASH}").tolist())
    )
    shown: list[tuple[str, str]] = []
    for at in range(0, len(wanted), 500):  # the files of those contents only
        part = wanted[at : at + 500]
        marks = ",".join("?" * len(part))
        shown += index.conn.execute(
            f"SELECT path, hash FROM files WHERE status = 'ok' AND hash IN ({marks})", part
        ).fetchall()
    return file_groups([loaded(p) for p, _ in shown], [h for _, h in shown], groups)


def file_groups(paths: list[str], hashes: list[str], groups: list[list[str]]) -> list[list[str]]:
    """Groups of contents -> groups of files (``paths[i]`` shows ``hashes[i]``), adding
    the files that share one content; each group sorted, the groups by their first path."""
    files_of: dict[str, list[str]] = {}
    for path, digest in zip(paths, hashes):
        files_of.setdefault(digest, []).append(path)
    grouped = set()
    out = []
    for group in groups:
        members = [p for digest in group for p in files_of.get(digest, [])]
        grouped.update(group)
        if len(members) > 1:
            out.append(sorted(members))
    for digest, members in files_of.items():  # exact copies that nothing else resembles
        if digest not in grouped and len(members) > 1:
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

    def recoloured(self, probabilities: np.ndarray) -> PictureMapData:
        """The same map with another model's P(cat) (``(n,)``)."""
        return PictureMapData(self.hashes, self.paths, self.points, probabilities)


def probabilities(index: Index, hashes: list[str], model_sha256: str | None) -> np.ndarray:
    """``(n,)`` float64: the model's P(cat) of each content (NaN: not scored). Reads the
    scores only: what a new model changes on the map."""
    p = np.full(len(hashes), np.nan)
    if model_sha256 is None or not hashes:
        return p
    scores = dict(
        index.conn.execute("SELECT hash, p_cat FROM scores WHERE model = ?", (model_sha256,))
    )
    return np.array(
        [v if isinstance(v := scores.get(h), float) else np.nan for h in hashes], dtype=np.float64
    )


def map_data(
    index: Index, kept: Kept, now: Shown, model_sha256: str | None = None
) -> PictureMapData:
    """The map of the kept contents, each shown by its first file, coloured by the model."""
    names = kept.names
    at = np.searchsorted(now.hashes, kept.hashes).tolist()
    paths = [loaded(now.first[i]) for i in at]
    return PictureMapData(names, paths, kept.points, probabilities(index, names, model_sha256))


def map_steps(
    index: Index, model_sha256: str | None = None
) -> Generator[str, None, PictureMapData]:
    """The map of the index's pictures, coloured by the model's scores (what the index
    keeps: :func:`kept_steps`). Yields what it is doing, in words."""
    kept, now = yield from kept_steps(index)
    return map_data(index, kept, now, model_sha256)


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
