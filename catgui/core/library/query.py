"""What the index says: files with a model's verdicts, filtered; counts for ``stats``.

The filters are SQL over the ``files`` x ``scores`` join, so listing the cats of 100,000
rows reads only the rows it prints. Verdicts follow :mod:`catgui.core.decision` (cat when
``p > threshold``; unsure strictly inside the band around it) and
:data:`catgui.core.familiarity.UNFAMILIAR_BELOW`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from catgui.core import decision
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.library.index import Index
from catgui.core.library.walk import loaded

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


def rows(
    index: Index, model_sha256: str, which: str | None = None, threshold: float = 0.5
) -> Iterator[Row]:
    """The files, sorted by path, with the model's verdicts; ``which`` one of :data:`FILTERS`
    (``None``: every file). A file the model has not scored yet is left out of the verdict
    filters and listed with no verdict otherwise."""
    low, high = decision.band_around(threshold, decision.UNSURE_HALF_WIDTH)
    where, params = {
        None: ("1", ()),
        "cats": ("f.status = 'ok' AND s.p_cat > ?", (threshold,)),
        "non-cats": ("f.status = 'ok' AND s.p_cat <= ?", (threshold,)),
        "unsure": ("f.status = 'ok' AND s.p_cat > ? AND s.p_cat < ?", (low, high)),
        "unfamiliar": ("f.status = 'ok' AND s.familiarity < ?", (UNFAMILIAR_BELOW,)),
        "errors": ("f.status != 'ok'", ()),
    }[which]
    query = (
        "SELECT f.path, f.status, s.p_cat, s.familiarity FROM files f "
        "LEFT JOIN scores s ON s.model = ? AND s.hash = f.hash "
        f"WHERE {where} ORDER BY f.path"
    )
    for value, status, p, fam in index.conn.execute(query, (model_sha256, *params)):
        path = loaded(value)
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
