"""What the index says: files with a model's verdicts, filtered; counts for ``stats``.

The filters are SQL over the ``files`` x ``scores`` join, so listing the cats of 100,000
rows reads only the rows it prints. Verdicts follow :mod:`catgui.core.decision` (cat when
``p > threshold``; unsure strictly inside the band around it) and
:data:`catgui.core.decision.UNFAMILIAR_BELOW`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from catgui.core import decision
from catgui.core.decision import UNFAMILIAR_BELOW
from catgui.core.library.index import Index

FILTERS = ("cats", "non-cats", "unsure", "unfamiliar", "errors")


@dataclass(frozen=True)
class Row:
    path: str
    probability: float | None = None
    familiarity: float | None = None
    threshold: float = 0.5
    error: str | None = None

    @property
    def unfamiliar(self) -> bool:
        return self.familiarity is not None and self.familiarity < UNFAMILIAR_BELOW

    @property
    def label(self) -> str | None:
        return (
            None if self.probability is None else decision.verdict(self.probability, self.threshold)
        )

    def as_dict(self) -> dict:
        """Shaped as ``catgui predict --json`` prints a result."""
        if self.error is not None:
            return {"path": self.path, "error": self.error}
        out = {"path": self.path, "label": self.label, "probability": self.probability}
        if self.familiarity is not None:
            out.update(familiarity=self.familiarity, unfamiliar=self.unfamiliar)
        return out


#: A row as the index gives it: ``(path, status, p_cat or None, familiarity or None)``.
Listed = tuple


def condition(which: str | None, threshold: float = 0.5) -> tuple[str, tuple]:
    """Filter ``which`` (one of :data:`FILTERS`; ``None``: every file) as an SQL condition
    over ``files f`` and the model's ``scores s`` (NULLs where it has not scored the file),
    with its parameters: the one definition the command line and the Library tab read."""
    low, high = decision.band_around(threshold, decision.UNSURE_HALF_WIDTH)
    table = {
        None: ("1", ()),
        "cats": ("f.status = 'ok' AND s.p_cat > ?", (threshold,)),
        "non-cats": ("f.status = 'ok' AND s.p_cat <= ?", (threshold,)),
        "unsure": ("f.status = 'ok' AND s.p_cat > ? AND s.p_cat < ?", (low, high)),
        "unfamiliar": ("f.status = 'ok' AND s.familiarity < ?", (UNFAMILIAR_BELOW,)),
        "errors": ("f.status != 'ok'", ()),
    }
    if which not in table:
        raise ValueError(f"unknown filter {which!r}; one of {FILTERS}")
    return table[which]


def listing(
    index: Index, model_sha256: str, which: str | None = None, threshold: float = 0.5
) -> list[Listed]:
    """The files, sorted by path, with the model's stored scores: plain tuples (what the
    command line prints from; :func:`rows` wraps them). ``which`` one of :data:`FILTERS`
    (``None``: every file). A file the model has not scored yet is left out of the verdict
    filters and listed with no score otherwise."""
    where, params = condition(which, threshold)
    found = index.conn.execute(
        "SELECT f.path, f.status, s.p_cat, s.familiarity FROM files f "
        "LEFT JOIN scores s ON s.model = ? AND s.hash = f.hash "
        f"WHERE {where} ORDER BY f.path",
        (model_sha256, *params),
    ).fetchall()
    if any(isinstance(r[0], bytes) for r in found):  # names that are not UTF-8 (walk.stored)
        found = [(os.fsdecode(r[0]), *r[1:]) if isinstance(r[0], bytes) else r for r in found]
    return found


def rows(
    index: Index, model_sha256: str, which: str | None = None, threshold: float = 0.5
) -> Iterator[Row]:
    """:func:`listing` as :class:`Row` objects (verdicts, ``as_dict``)."""
    for path, status, p, fam in listing(index, model_sha256, which, threshold):
        if status != "ok":
            yield Row(path, error=status, threshold=threshold)
        else:
            yield Row(path, p, fam, threshold)


def stats(index: Index) -> dict:
    """Counts, errors by cause, the index's size, and the models that scored it."""
    conn = index.conn
    files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
    ok = conn.execute("SELECT count(*) FROM files WHERE status = 'ok'").fetchone()[0]
    contents = conn.execute("SELECT count(*) FROM contents").fetchone()[0]
    causes: dict[str, int] = {}
    for status, count in conn.execute(
        "SELECT status, count(*) FROM files WHERE status != 'ok' GROUP BY status"
    ):
        cause = str(status).split(" (")[0]
        causes[cause] = causes.get(cause, 0) + count
    models = []
    for sha, path, kind, when, cats, scored in conn.execute(
        "SELECT m.sha256, m.path, m.kind, m.scored_at, "
        "(SELECT count(*) FROM files f JOIN scores s ON s.hash = f.hash AND s.model = m.sha256 "
        " WHERE s.p_cat > 0.5), "
        "(SELECT count(*) FROM scores s WHERE s.model = m.sha256) "
        "FROM models m ORDER BY m.scored_at DESC"
    ):
        models.append(
            {
                "sha256": sha,
                "path": path,
                "kind": kind,
                "scored_at": when,
                "pictures_scored": scored,
                "cats": cats,
            }
        )
    size = index.size_bytes()
    return {
        "index": str(index.path),
        "files": files,
        "pictures": ok,
        "distinct_pictures": contents,
        "errors": files - ok,
        "errors_by_cause": dict(sorted(causes.items(), key=lambda kv: -kv[1])),
        "index_bytes": size,
        "bytes_per_picture": round(size / contents) if contents else None,
        "models": models,
    }
