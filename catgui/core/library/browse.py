"""What the window's Library tab reads from the index: a filtered, sorted list of rows,
pages of their details, counts, thumbnails (headless: no Qt).

The tab never holds 100,000 rows of details: :func:`matching` returns only the ``files``
rowids that pass the filters, in the order asked (one query, run off the GUI thread), and
:func:`page` reads the details of a few hundred of them by rowid when they come on screen.
Only the tables ``files``, ``scores``, ``thumbnails`` and ``models`` are read (see
:mod:`.schema`). Verdicts follow :mod:`catgui.core.decision` as :mod:`.query` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from catgui.core import decision
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.library import natural, query
from catgui.core.library.index import Index
from catgui.core.library.walk import loaded, stored

#: The filters the tab offers (``None``: every file). More (the *Duplicates* one, built
#: elsewhere) come with a view as :class:`Filter`\ s.
FILTERS = query.FILTERS
#: How the rows can be ordered: P(cat) highest first, newest first, by folder and name.
SORTS = ("probability", "date", "folder")

_ORDER = {
    "probability": "s.p_cat IS NULL, s.p_cat DESC, f.path",
    "date": "f.mtime_ns DESC, f.path",
    "folder": natural.ORDER,  # photo2 before photo10 (keys kept by the scan)
}


@dataclass(frozen=True)
class Filter:
    """Another filter (the *Duplicates* one): an SQL condition over ``files f`` and
    ``scores s`` (the model's row, or NULLs), with its parameters; ``order``: the ORDER BY
    terms (with ``order_params``) its rows are shown in while it is on, whatever the order
    chosen (empty: the chosen one; the *Duplicates* filter: each group's files together)."""

    name: str
    condition: str
    params: tuple = ()
    order: str = ""
    order_params: tuple = ()


@dataclass(frozen=True)
class View:
    """What the grid shows: the model's scores, one filter, a text in the path, an order."""

    model: str | None = None  # the scoring model's file SHA-256 (None: no verdicts)
    which: str | None = None  # one of FILTERS (or a registered one); None: every file
    text: str = ""  # shown: paths containing it (case-insensitive for ASCII)
    sort: str = "folder"
    threshold: float = 0.5
    extra: tuple[Filter, ...] = ()  # more filters ``which`` can name


@dataclass(frozen=True)
class Item:
    """One file of the grid, as :func:`page` reads it."""

    rowid: int
    path: str
    hash: str | None
    error: str | None
    probability: float | None
    familiarity: float | None
    mtime_ns: int
    threshold: float = 0.5

    @property
    def name(self) -> str:
        return os.path.basename(self.path) or self.path

    @property
    def unfamiliar(self) -> bool:
        return self.familiarity is not None and self.familiarity < UNFAMILIAR_BELOW

    @property
    def label(self) -> str | None:
        """``"cat"``, ``"non-cat"`` (:func:`catgui.core.decision.verdict`) or ``None``."""
        if self.probability is None:
            return None
        return decision.verdict(self.probability, self.threshold)

    @property
    def unsure(self) -> bool:
        if self.probability is None:
            return False
        low, high = decision.band_around(self.threshold, decision.UNSURE_HALF_WIDTH)
        return low < self.probability < high


def _conditions(which: str | None, view: View) -> tuple[str, tuple]:
    for extra in view.extra:
        if extra.name == which:
            return extra.condition, tuple(extra.params)
    if which is not None and which not in FILTERS:
        names = [*FILTERS, *(f.name for f in view.extra)]
        raise ValueError(f"unknown filter {which!r}; one of {names}")
    return query.condition(which, view.threshold)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(index: Index, view: View) -> np.ndarray:
    """The rowids ``(n,)`` int64 of the files ``view`` shows, in its order."""
    if view.sort not in _ORDER:
        raise ValueError(f"unknown order {view.sort!r}; one of {SORTS}")
    condition, params = _conditions(view.which, view)
    text = ""
    if view.text:
        text = " AND f.path LIKE ? ESCAPE '\\'"
        params = (*params, _like(view.text))
    chosen = next((f for f in view.extra if f.name == view.which and f.order), None)
    order, order_params = (chosen.order, chosen.order_params) if chosen else (_ORDER[view.sort], ())
    with index.guard():
        source = "files f"
        if order == natural.ORDER:  # the keys the scan kept, or the paths' own order
            source, order = (
                (natural.SOURCE, order) if natural.covers(index.conn) else (source, "f.path")
            )
        query = (
            f"SELECT f.rowid FROM {source} LEFT JOIN scores s ON s.model = ? AND s.hash = f.hash "
            f"WHERE {condition}{text} ORDER BY {order}"
        )
        cursor = index.conn.execute(query, (view.model or "", *params, *order_params))
        ids = np.fromiter((r[0] for r in cursor), dtype=np.int64)
    return ids


def counts(index: Index, view: View) -> dict[str, int]:
    """How many files each filter shows (``"all"`` too), under ``view``'s model, threshold
    and text (its filter and order play no part)."""
    names = ["all", *FILTERS, *(f.name for f in view.extra)]
    parts: list[str] = []
    params: list = []
    for name in names:
        condition, extra = _conditions(None if name == "all" else name, view)
        parts.append(f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)")
        params.extend(extra)
    params.append(view.model or "")  # the join's, after the CASEs' in the text of the query
    where = "1"
    if view.text:
        where = "f.path LIKE ? ESCAPE '\\'"
        params.append(_like(view.text))
    query = (
        f"SELECT {', '.join(parts)} FROM files f "
        "LEFT JOIN scores s ON s.model = ? AND s.hash = f.hash "
        f"WHERE {where}"
    )
    with index.guard():
        row = index.conn.execute(query, params).fetchone()
    return dict(zip(names, (int(v) for v in row)))


def page(index: Index, rowids: Iterable[int], model: str | None, threshold: float) -> dict:
    """``{rowid: Item}`` for the given rowids (a row gone since is simply absent)."""
    ids = [int(r) for r in rowids]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    query = (
        "SELECT f.rowid, f.path, f.hash, f.status, s.p_cat, s.familiarity, f.mtime_ns "
        "FROM files f LEFT JOIN scores s ON s.model = ? AND s.hash = f.hash "
        f"WHERE f.rowid IN ({marks})"
    )
    found = {}
    with index.guard():
        for rowid, path, digest, status, p, fam, mtime in index.conn.execute(
            query, (model or "", *ids)
        ):
            ok = status == "ok"
            found[rowid] = Item(
                rowid,
                loaded(path),
                digest if ok else None,
                None if ok else str(status),
                p if ok else None,
                fam if ok else None,
                int(mtime),
                threshold,
            )
    return found


def thumbnails(index: Index, hashes: Iterable[str]) -> dict[str, bytes]:
    """``{hash: JPEG bytes}`` of the contents that have a thumbnail."""
    wanted = list(dict.fromkeys(hashes))
    out: dict[str, bytes] = {}
    with index.guard():
        for at in range(0, len(wanted), 500):
            chunk = wanted[at : at + 500]
            marks = ",".join("?" * len(chunk))
            for digest, jpeg in index.conn.execute(
                f"SELECT hash, jpeg FROM thumbnails WHERE hash IN ({marks})", chunk
            ):
                if isinstance(jpeg, bytes) and jpeg:
                    out[digest] = jpeg
    return out


def rowids_of(index: Index, paths: Iterable[str] = (), hashes: Iterable[str] = ()) -> set[int]:
    """The rowids of files with these paths, or showing these contents (hashes)."""
    found: set[int] = set()
    with index.guard():
        for column, values in (("path", [stored(p) for p in paths]), ("hash", list(hashes))):
            for at in range(0, len(values), 500):
                chunk = values[at : at + 500]
                marks = ",".join("?" * len(chunk))
                found.update(
                    r[0]
                    for r in index.conn.execute(
                        f"SELECT rowid FROM files WHERE {column} IN ({marks})", chunk
                    )
                )
    return found


def scored(index: Index, model: str) -> bool:
    """Whether ``model`` (a file's SHA-256) has scored this index."""
    with index.guard():
        row = index.conn.execute("SELECT 1 FROM models WHERE sha256 = ?", (model,)).fetchone()
    return row is not None
