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

from collections.abc import Iterable
from dataclasses import dataclass

from catgui.core import decision
from catgui.core.corrections import Corrections
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.library.index import Index
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
    found = set()
    for entry in (corrections or Corrections()).list():
        stem = entry.path.stem
        head, _, digits = stem.rpartition("-")
        if head and len(digits) == HASH_DIGITS:
            found.add(digits.lower())
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
