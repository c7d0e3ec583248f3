"""Suspicious labels: training pictures whose label the cross-validated model disputes.

Confident learning (C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
Estimating Uncertainty in Dataset Labels", JAIR 70, 2021), written here for two classes:

1. every picture's out-of-fold P(cat): the ``pretrained`` kind's own cross-validation
   (:func:`catgui.core.head.cross_validate`, features and C chosen as training chooses
   them) holds each picture out once; the best setting's held-out probabilities are kept;
2. per-class thresholds ``t_j``: the mean self-confidence of the pictures labelled ``j``
   (the mean P(cat) of the cats, the mean P(not cat) of the non-cats);
3. a picture is *confidently* of class ``j`` when its probability of ``j`` reaches
   ``t_j`` (the larger when both do); labelled otherwise, it is flagged (the off-diagonal
   of the paper's confident joint);
4. flagged pictures are ranked worst first by self-confidence: the probability the model
   gives their given label, lowest first (the paper's and cleanlab's default ranking).

cleanlab's ``find_label_issues`` does the same; it was not taken because it pulls in
scikit-learn (and pandas) for about thirty lines (docs/performance.md says the sizes).
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import backbone, dataset, head, splits
from catgui.core.errors import CatguiError
from catgui.core.folders import FolderImport, ImportProgress
from catgui.core.label_fixes import SetFixes, article_key, folder_key, picture_keys


@dataclass(frozen=True)
class Pictures:
    """A data set's pictures as the suspects see them: every picture with its label.

    ``x`` ``(m, 64, 64, 3)`` uint8, ``y`` ``(m,)`` int64, ``names`` (``"article train #i"``
    or the path relative to the folder), ``folder`` (a folder data set's root, else
    ``None``), ``set_key`` (its fingerprint in :mod:`catgui.core.label_fixes`) and the
    test pictures the before/after accuracy is measured on (``test_x``, ``test_y``) with
    ``train_index``: which of the ``m`` pictures train when the accuracy is measured.
    """

    x: np.ndarray
    y: np.ndarray
    names: tuple[str, ...]
    folder: Path | None
    set_key: str
    test_x: np.ndarray
    test_y: np.ndarray
    train_index: np.ndarray

    @property
    def keys(self) -> list[str]:
        return picture_keys(self.x)

    def path(self, i: int) -> Path | None:
        return None if self.folder is None else self.folder / self.names[i]


def article_pictures(folder: str | os.PathLike | None = None) -> Pictures:
    """The article's 209 training pictures (its 50 test pictures measure the accuracy)."""
    found = dataset.find_folder(folder)
    train = dataset.load_split(found / dataset.TRAIN_FILE, "train")
    test = dataset.load_split(found / dataset.TEST_FILE, "test")
    names = tuple(f"article train #{i}" for i in range(len(train)))
    return Pictures(
        train.x,
        train.y.astype(np.int64),
        names,
        None,
        article_key(train.sha256),
        test.x,
        test.y.astype(np.int64),
        np.arange(len(train)),
    )


def folder_pictures(
    folder: str | os.PathLike, holdout: float = splits.DEFAULT_SHARE, seed: int = 0
) -> Generator[ImportProgress, None, Pictures]:
    """Every picture of a folder data set (its stratified hold-out, as training makes it,
    measures the accuracy)."""
    images = yield from FolderImport(Path(folder)).steps()
    split = splits.stratified_holdout(images.files, images.y, holdout, seed)
    return Pictures(
        images.x,
        images.y.astype(np.int64),
        tuple(images.files),
        Path(images.folder).resolve(),
        folder_key(images.folder),
        images.x[split.test_index],
        images.y[split.test_index].astype(np.int64),
        split.train_index,
    )


@dataclass(frozen=True)
class Suspect:
    """A flagged picture: its position among the pictures, name, file (``None`` for the
    article's), key, given label (1: cat) and cross-validated P(cat)."""

    position: int
    name: str
    path: Path | None
    key: str
    label: int
    probability: float

    @property
    def self_confidence(self) -> float:
        """The probability the model gives the picture's own label."""
        return self.probability if self.label == 1 else 1.0 - self.probability

    def as_dict(self) -> dict:
        where = {"path": str(self.path)} if self.path is not None else {"index": self.position}
        label = "cat" if self.label == 1 else "non-cat"
        return {**where, "label": label, "probability": self.probability}


@dataclass(frozen=True)
class Findings:
    """What :func:`find_steps` found: every picture's out-of-fold P(cat) ``(m,)``, the
    per-class thresholds ``(t_noncat, t_cat)``, the setting chosen and the suspects,
    worst first."""

    pictures: Pictures
    probabilities: np.ndarray
    thresholds: tuple[float, float]
    chosen: head.Candidate
    suspects: list[Suspect]

    def least_agreed(self, count: int) -> list[Suspect]:
        """The ``count`` pictures not flagged whose own label the model gives the lowest
        probability (worth a look when few or none are flagged), lowest first."""
        p, y = self.probabilities, self.pictures.y
        own = np.where(y == 1, p, 1.0 - p)
        flagged = {s.position for s in self.suspects}
        order = [int(i) for i in np.argsort(own, kind="stable") if int(i) not in flagged]
        keys = picture_keys(self.pictures.x[order[:count]])
        return [
            Suspect(i, self.pictures.names[i], self.pictures.path(i), k, int(y[i]), float(p[i]))
            for i, k in zip(order[:count], keys)
        ]


def confident_issues(p_cat: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Confident learning for two classes: the flagged positions, worst first, and the
    thresholds ``(t_noncat, t_cat)``. ``p_cat`` ``(m,)`` out-of-fold, ``y`` ``(m,)`` 0/1."""
    y = np.asarray(y).reshape(-1).astype(np.int64)
    probs = np.stack([1.0 - np.asarray(p_cat, dtype=np.float64), p_cat], axis=1)
    if min(np.sum(y == 0), np.sum(y == 1)) == 0:
        raise CatguiError("suspicious labels need pictures of both classes")
    thresholds = np.array([probs[y == j, j].mean() for j in (0, 1)])
    above = probs >= thresholds
    confident = np.where(above, probs, -np.inf).argmax(axis=1)
    flagged = np.flatnonzero(above.any(axis=1) & (confident != y))
    self_confidence = probs[flagged, y[flagged]]
    order = flagged[np.argsort(self_confidence, kind="stable")]
    return order, (float(thresholds[0]), float(thresholds[1]))


def find_steps(
    pictures: Pictures, folds: int = head.FOLDS
) -> Generator[tuple[str, int, int], None, Findings]:
    """Read the pictures through the backbone (cached), cross-validate the head, flag.

    Yields ``(stage, done, total)``: ``"reading"`` pictures, then ``"cross-validating"``
    settings. Needs at least two pictures of each class.
    """
    m = len(pictures.y)
    features = yield from _counted(backbone.extract_steps(pictures.x), "reading", m)
    total = len(head.REPRESENTATIONS) * len(head.C_GRID)
    search = head.cross_validate(features, pictures.y, k=folds)
    done = 0
    while True:
        try:
            next(search)
        except StopIteration as end:
            chosen = end.value
            break
        done += 1
        yield ("cross-validating", done, total)
    p = np.asarray(chosen.held_out, dtype=np.float64)
    flagged, thresholds = confident_issues(p, pictures.y)
    keys = pictures.keys
    suspects = [
        Suspect(
            int(i),
            pictures.names[i],
            pictures.path(int(i)),
            keys[i],
            int(pictures.y[i]),
            float(p[i]),
        )
        for i in flagged
    ]
    return Findings(pictures, p, thresholds, chosen, suspects)


@dataclass(frozen=True)
class Comparison:
    """Test accuracy of the head trained without and with the fixes."""

    before: float
    after: float
    relabelled: int
    excluded: int
    tested: int

    def sentence(self) -> str:
        changes = f"{self.relabelled} relabelled, {self.excluded} excluded"
        return (
            f"Test accuracy {100 * self.before:.1f} % before, {100 * self.after:.1f} % after "
            f"({changes}; {self.tested} test pictures)"
        )


def compare_steps(
    pictures: Pictures, fixes: SetFixes, folds: int = head.FOLDS
) -> Generator[tuple[str, int, int], None, Comparison]:
    """Train the pretrained head on the training pictures as they are, then with the
    fixes, the same way (features and C by cross-validation); both tested on the same
    test pictures."""
    train = pictures.train_index
    x, y = pictures.x[train], pictures.y[train]
    names = [pictures.names[i] for i in train]
    fixed_x, fixed_y, _names, relabelled, excluded = fixes.apply(x, y, names)
    every = np.concatenate([x, pictures.test_x])
    features = yield from _counted(backbone.extract_steps(every), "reading", len(every))
    test = backbone.Features(features.pooled[len(x) :], features.logits[len(x) :])
    accuracies = []
    for stage, xs, ys in (("before", x, y), ("after", fixed_x, fixed_y)):
        own = yield from _counted(backbone.extract_steps(xs), "reading", len(xs))
        chosen = head.cross_validate(own, ys, k=folds)
        while True:
            try:
                next(chosen)
            except StopIteration as end:
                best = end.value
                break
        yield (f"training {stage}", 1, 1)
        fitted = head.fit(own, ys, best.representation, best.c)
        right = (fitted.probabilities(test) > 0.5) == (pictures.test_y == 1)
        accuracies.append(float(np.mean(right)))
    return Comparison(accuracies[0], accuracies[1], relabelled, excluded, len(pictures.test_y))


def _counted(steps, stage: str, total: int) -> Generator[tuple[str, int, int], None, object]:
    try:
        while True:
            try:
                done = next(steps)
            except StopIteration as end:
                return end.value
            yield (stage, int(done), total)
    finally:
        steps.close()
