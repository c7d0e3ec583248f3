"""Which pictures to label next: those the active model is least sure of (active learning).

Uncertainty sampling (Lewis and Gale, 1994): a label is worth most where the model's
P(cat) is nearest its threshold. Pictures unlike anything the model was trained on
(familiarity below :data:`~catgui.core.familiarity.UNFAMILIAR_BELOW`) *and* inside the
unsure band come first: they are both unsure and new, the ones a correction teaches most.
A picture the user has corrected already (its content in the corrections folder) is left
out, and a content shown by several files is offered once.

The ordering is SQL over the ``files`` x ``scores`` join, read lazily: the first ``count``
rows that pass are all that is read, whatever the library's size.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable
from dataclasses import dataclass

from catgui.core import decision
from catgui.core.corrections import Corrections
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.library.index import Index, IndexBusy
from catgui.core.library.rescore import Scorer, rescore_steps
from catgui.core.library.walk import loaded

#: How many pictures the strip and ``catgui library next`` offer by default.
COUNT = 12
#: Hex digits of the SHA-256 a correction's file name carries (see :mod:`~catgui.core.corrections`).
HASH_DIGITS = 10


@dataclass(frozen=True)
class Candidate:
    """A picture to label: its file, content hash, P(cat) and familiarity (or ``None``)."""

    path: str
    hash: str
    probability: float
    familiarity: float | None

    @property
    def unfamiliar(self) -> bool:
        return self.familiarity is not None and self.familiarity < UNFAMILIAR_BELOW

    def as_dict(self) -> dict:
        return {"path": self.path, "probability": self.probability}


def corrected_prefixes(corrections: Corrections | None = None) -> set[str]:
    """The first :data:`HASH_DIGITS` hex digits of the SHA-256 of every corrected picture."""
    return set(corrected_labels(corrections))


def corrected_labels(corrections: Corrections | None = None) -> dict[str, bool]:
    """What the user said of each corrected picture (``True``: a cat), by the first
    :data:`HASH_DIGITS` hex digits of its SHA-256 (the index's ``hash`` starts with them)."""
    found: dict[str, bool] = {}
    for entry in (corrections or Corrections()).list():
        head, _, digits = entry.path.stem.rpartition("-")
        if head and len(digits) == HASH_DIGITS:
            found[digits.lower()] = entry.is_cat
    return found


def least_sure(
    index: Index,
    model_sha256: str,
    count: int = COUNT,
    threshold: float = 0.5,
    skip: Iterable[str] = (),
) -> list[Candidate]:
    """The ``count`` pictures ``model_sha256`` is least sure of, most useful first.

    Parameters
    ----------
    index
        An open library index the model has scored.
    model_sha256
        The model's file SHA-256 (:attr:`~catgui.core.library.rescore.Scorer.sha256`).
    count
        How many to return (fewer when the library holds fewer pictures left to label).
    threshold
        The model's decision threshold (P(cat) above it: cat).
    skip
        Content hashes (or their first :data:`HASH_DIGITS` digits) to leave out: the
        corrected pictures (:func:`corrected_prefixes`) and any the caller has labelled.
    """
    if count < 1:
        return []
    prefixes = {str(h)[:HASH_DIGITS].lower() for h in skip}
    low, high = decision.band_around(threshold, decision.UNSURE_HALF_WIDTH)
    query = (
        "SELECT f.path, f.hash, s.p_cat, s.familiarity FROM files f "
        "JOIN scores s ON s.model = ? AND s.hash = f.hash "
        "WHERE f.status = 'ok' "
        "ORDER BY (s.familiarity IS NOT NULL AND s.familiarity < ? "
        "AND s.p_cat > ? AND s.p_cat < ?) DESC, abs(s.p_cat - ?), f.path"
    )
    chosen: list[Candidate] = []
    seen: set[str] = set()
    params = (model_sha256, UNFAMILIAR_BELOW, low, high, threshold)
    for path, digest, p, fam in index.conn.execute(query, params):
        if digest in seen or str(digest)[:HASH_DIGITS].lower() in prefixes:
            continue
        seen.add(digest)
        chosen.append(Candidate(loaded(path), digest, float(p), fam))
        if len(chosen) == count:
            break
    return chosen


def strip_steps(
    index_path: str | os.PathLike | None,
    scorer: Scorer,
    count: int = COUNT,
    threshold: float = 0.5,
    skip: Iterable[str] = (),
) -> Generator[int, None, list[tuple[Candidate, bytes | None]]]:
    """What the label-next strip shows: :func:`least_sure` with each picture's stored
    thumbnail (JPEG bytes, or ``None``). A model that has not scored the index yet scores
    it first from the stored features (yields the rows done), unless a scan holds the
    index (then the pictures it has scored are offered)."""
    with Index(index_path) as index, index.guard():
        missing = index.conn.execute(
            "SELECT count(*) FROM contents c WHERE NOT EXISTS "
            "(SELECT 1 FROM scores s WHERE s.model = ? AND s.hash = c.hash)",
            (scorer.sha256,),
        ).fetchone()[0]
    if missing:
        try:
            writer = Index(index_path, writable=True)
        except IndexBusy:
            writer = None
        if writer is not None:
            with writer, writer.guard():
                yield from rescore_steps(writer, scorer)
    with Index(index_path) as index, index.guard():
        chosen = least_sure(index, scorer.sha256, count, threshold, skip)
        hashes = [c.hash for c in chosen]
        marks = ",".join("?" * len(hashes))
        thumbs = dict(
            index.conn.execute(
                f"SELECT hash, jpeg FROM thumbnails WHERE hash IN ({marks})", hashes
            ).fetchall()
        )
    return [(c, _jpeg(thumbs.get(c.hash))) for c in chosen]


def _jpeg(blob: object) -> bytes | None:
    """A stored thumbnail, if it looks like a JPEG (never trusted: the window decodes it
    and shows a blank tile if it cannot)."""
    return blob if isinstance(blob, bytes) and blob[:2] == b"\xff\xd8" else None
