"""Score stored pictures with a model, from their stored features: no backbone pass.

A model of a kind on the backbone (:class:`~catgui.core.kinds.backbone_kind.BackboneClassifier`:
``pretrained``, ``zero-shot`` and any later one) turns pooled features into P(cat)
(``from_pooled``) and familiarity (its reference, against the features of the squares it
compares: the 64x64 square for a reference of the article's pictures, the 224 crop for a
reference of full-size photos). A model that reads pixels (the article's 64x64 networks)
cannot be scored from features; it is refused with that reason.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import backbone, persistence
from catgui.core.dataset import file_sha256
from catgui.core.errors import CatguiError
from catgui.core.kinds.backbone_kind import BackboneClassifier
from catgui.core.library import chunks, scoring
from catgui.core.library.index import Index
from catgui.core.parallel import one_blas_thread

#: Scores written per transaction.
WRITE = 32768
#: Rows of scores one INSERT statement writes.
PER_STATEMENT = 250


@dataclass(frozen=True)
class Scorer:
    """A model as the index knows it: its classifier and its file's SHA-256."""

    classifier: BackboneClassifier
    sha256: str
    path: Path
    kind: str

    @classmethod
    def of_file(cls, path: str | Path) -> Scorer:
        path = Path(path)
        model = persistence.load(path)
        classifier = model.classifier
        if not isinstance(classifier, BackboneClassifier):
            raise CatguiError(
                f"{path}: a {classifier.kind} model reads the pictures' pixels, not the "
                f"backbone's features the library index keeps; choose a model on "
                f"{backbone.NAME} features (such as the shipped pretrained.npz)"
            )
        try:
            digest = file_sha256(path)
        except OSError as exc:
            raise CatguiError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        return cls(classifier, digest, path.resolve(), str(classifier.kind))

    @property
    def reference_digest(self) -> str | None:
        """SHA-256 of the familiarity reference's arrays (``None``: no reference)."""
        ref = self.classifier.reference
        if ref is None:
            return None
        digest = hashlib.sha256()
        for name, array in sorted(ref.arrays().items()):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()

    @property
    def compares(self) -> str | None:
        """Which stored features familiarity reads: ``"familiar"`` (the 64x64 squares),
        ``"features"`` (the 224 crops), or ``None`` (this model has no such reference)."""
        ref = self.classifier.reference
        if ref is None:
            return None
        return {64: "familiar", backbone.INPUT_SIZE: "features"}.get(ref.source_size)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        with one_blas_thread():
            return np.asarray(self.classifier.from_pooled(features), dtype=np.float64).reshape(-1)

    def scores(self, features: np.ndarray, familiar: np.ndarray | None) -> tuple[np.ndarray, list]:
        """P(cat) ``(n,)`` and familiarity (a list of floats, or of ``None``) of stored
        features ``(n, 1280)`` of the 224 crops and of the 64x64 squares (``familiar``:
        read only when :attr:`compares` says so; ``None``: no familiarity then)."""
        p = self.probabilities(features)
        which = self.compares
        source = familiar if which == "familiar" else features
        if which is None or source is None:  # (read without their 64x64 squares)
            return p, [None] * len(p)
        # products of a few thousand rows by a few columns: OpenBLAS's threads cost far
        # more than they bring (33 ms against 0.8 ms for 32 rows on a busy 2-core machine)
        with one_blas_thread():
            return p, self.classifier.reference.score(source).tolist()


def register(index: Index, scorer: Scorer) -> str | None:
    """Record the model; returns another model with the same familiarity reference, whose
    familiarity this one can reuse (``None`` if there is none)."""
    digest = scorer.reference_digest
    with index.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO models (sha256, path, kind, scored_at, reference) "
            "VALUES (?, ?, ?, ?, ?)",
            (scorer.sha256, str(scorer.path), scorer.kind, time.time(), digest),
        )
    if digest is None or scorer.compares is None:
        return None
    row = conn.execute(
        "SELECT sha256 FROM models WHERE reference = ? AND sha256 != ? LIMIT 1",
        (digest, scorer.sha256),
    ).fetchone()
    return None if row is None else row[0]


def store(
    conn,
    scorer: Scorer,
    hashes: list[str],
    features: np.ndarray,
    familiar: np.ndarray | None,
    familiarity: list | None = None,
) -> None:
    """Write the scores of the given contents (inside the caller's transaction);
    ``familiarity`` when it is known already (a model with the same reference)."""
    if not hashes:
        return
    if familiarity is None:
        p, fam = scorer.scores(features, familiar)
    else:
        p, fam = scorer.probabilities(features), familiarity
    conn.executemany(
        "INSERT OR REPLACE INTO scores (model, hash, p_cat, familiarity) VALUES (?, ?, ?, ?)",
        [(scorer.sha256, h, float(pi), f) for h, pi, f in zip(hashes, p, fam)],
    )


def rescore_steps(
    index: Index, scorer: Scorer, everything: bool = False
) -> Generator[int, None, int]:
    """Score every stored picture the model has not scored yet (``everything``: all of
    them again), from the stored features, chunk by chunk on two threads
    (:mod:`.scoring`); the scores are written in the order of their keys (SQLite then
    appends instead of seeking: a third of the time). Yields the pictures done; returns
    how many were scored. A damaged chunk or row is forgotten (the files showing it are
    read again by the next scan)."""
    conn = index.conn
    twin = register(index, scorer)
    fresh = everything or (
        conn.execute("SELECT 1 FROM scores WHERE model = ? LIMIT 1", (scorer.sha256,)).fetchone()
        is None
    )
    if fresh:
        todo = chunks.placements(conn)
    else:
        todo = chunks.placements(
            conn,
            "NOT EXISTS (SELECT 1 FROM scores s WHERE s.model = ? AND s.hash = c.hash)",
            (scorer.sha256,),
        )
    if not todo:
        return 0
    known = scoring.Known(conn, twin) if twin is not None else None
    reference = scorer.classifier.reference if scorer.compares else None
    results = yield from scoring.score_all(
        index.reader_uri(),
        todo,
        lambda x: np.asarray(scorer.classifier.from_pooled(x), dtype=np.float64).reshape(-1),
        None if reference is None else reference.score,
        scorer.compares,
        known,
    )
    lost: list[str] = []
    damaged: list[int] = []
    hashes, p, fam = [], [], []
    for chunk_id, scored in results.items():
        placed = todo[chunk_id]
        if scored is None:
            damaged.append(chunk_id)
            lost.extend(placed.names)
            continue
        fine = scored.fine.copy()
        finite = np.isfinite(scored.p)  # a value that is not a number, stored by whatever
        fine[fine] = finite
        if not fine.all():
            lost.extend(h for h, ok in zip(placed.names, fine) if not ok)
        hashes.append(placed.hashes[fine])
        p.append(scored.p[finite])
        fam.append(scored.familiarity[finite])
    if lost or damaged:
        with index.transaction() as tx:
            chunks.forget(tx, lost, damaged)
    if not hashes:
        return 0
    names, probability, familiarity = np.concatenate(hashes), np.concatenate(p), np.concatenate(fam)
    if known is not None:  # the twin's familiarity where none was computed
        found, values = known.lookup(names)
        familiarity = np.where(np.isnan(familiarity) & found, values, familiarity)
    order = np.argsort(names, kind="stable")
    joined = names[order].tobytes().decode("ascii", "replace")
    familiarity = familiarity[order]
    table = np.empty((len(order), 4), dtype=object)  # (model, hash, p_cat, familiarity)
    table[:, 0] = scorer.sha256
    table[:, 1] = [joined[at : at + chunks.HASH] for at in range(0, len(joined), chunks.HASH)]
    table[:, 2] = probability[order]
    table[:, 3] = familiarity
    table[np.isnan(familiarity), 3] = None
    for at in range(0, len(table), WRITE):
        with index.transaction() as tx:
            insert_scores(tx, table[at : at + WRITE])
    return len(table)


def insert_scores(conn, table: np.ndarray) -> None:
    """Rows ``(model, hash, p_cat, familiarity)`` (an ``(n, 4)`` object array) into
    ``scores``, :data:`PER_STATEMENT` a statement (a third less time than one a statement:
    SQLite steps once for many)."""
    head = "INSERT OR REPLACE INTO scores (model, hash, p_cat, familiarity) VALUES "
    full = len(table) - len(table) % PER_STATEMENT
    if full:
        conn.executemany(
            head + ",".join(["(?, ?, ?, ?)"] * PER_STATEMENT),
            table[:full].reshape(-1, 4 * PER_STATEMENT).tolist(),
        )
    if full < len(table):
        conn.executemany(head + "(?, ?, ?, ?)", table[full:].tolist())
