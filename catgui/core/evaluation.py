"""How good a model is on labelled examples: accuracy, confusion matrix, mistakes."""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from catgui.core import decision
from catgui.core.classifier import Classifier, probabilities_of
from catgui.core.words import counted


@dataclass(frozen=True)
class Mistake:
    """One wrongly classified example: ``index`` into the evaluated set."""

    index: int
    label: int  # the truth, 1 = cat
    predicted: int
    probability: float  # the model's probability of "cat"

    @property
    def kind(self) -> str:
        """``"false positive"`` (called a cat, is not) or ``"false negative"``."""
        return "false positive" if self.predicted == 1 else "false negative"


@dataclass(frozen=True)
class Evaluation:
    """Results on ``n`` examples. ``confusion[t][p]`` counts truth ``t``, prediction ``p``."""

    probabilities: np.ndarray  # (m,)
    labels: np.ndarray  # (m,) 0/1
    threshold: float = 0.5

    @property
    def predictions(self) -> np.ndarray:
        return decision.predictions(self.probabilities, self.threshold)

    @property
    def n(self) -> int:
        return int(self.labels.shape[0])

    @property
    def correct(self) -> int:
        return int(np.sum(self.predictions == self.labels))

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else float("nan")

    @property
    def confusion(self) -> np.ndarray:
        matrix = np.zeros((2, 2), dtype=np.int64)
        np.add.at(matrix, (self.labels.astype(np.int64), self.predictions), 1)
        return matrix

    @property
    def mistakes(self) -> list[Mistake]:
        wrong = np.flatnonzero(self.predictions != self.labels)
        return [
            Mistake(
                int(i), int(self.labels[i]), int(self.predictions[i]), float(self.probabilities[i])
            )
            for i in wrong
        ]

    @property
    def precision(self) -> float:
        tp, fp = self.confusion[1, 1], self.confusion[0, 1]
        return float(tp / (tp + fp)) if tp + fp else float("nan")

    @property
    def recall(self) -> float:
        tp, fn = self.confusion[1, 1], self.confusion[1, 0]
        return float(tp / (tp + fn)) if tp + fn else float("nan")

    def interval(self) -> tuple[float, float]:
        """95 % Wilson interval of the accuracy."""
        return wilson_interval(self.correct, self.n)

    def summary(self) -> str:
        """``"80 % (67–89 %) on 50 images"``."""
        return accuracy_text(self.accuracy, self.n)


def evaluate(
    classifier: Classifier, squares: np.ndarray, y: np.ndarray, threshold: float = 0.5
) -> Evaluation:
    """Evaluate ``classifier`` on pictures ``squares`` ``(m, s, s, 3)`` uint8 (a data set's
    ``x``) and labels ``y`` ((m,) or (1, m))."""
    labels = np.asarray(y).reshape(-1).astype(np.int64)
    return Evaluation(probabilities_of(classifier, squares), labels, threshold)


def evaluate_steps(
    classifier: Classifier,
    squares: np.ndarray,
    y: np.ndarray,
    threshold: float = 0.5,
    chunk: int = 8,
) -> Generator[tuple[int, int], None, Evaluation]:
    """:func:`evaluate` a few pictures at a time: yields ``(done, total)``, returns the result.

    For a classifier that is not quick (a pretrained backbone), so a thread can show
    progress and stop between chunks.
    """
    labels = np.asarray(y).reshape(-1).astype(np.int64)
    probabilities = np.empty(len(labels))
    for start in range(0, len(labels), chunk):
        stop = min(start + chunk, len(labels))
        probabilities[start:stop] = probabilities_of(classifier, squares[start:stop])
        yield stop, len(labels)
    return Evaluation(probabilities, labels, threshold)


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n`` (95 % by default)."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def accuracy_text(accuracy: float, n: int) -> str:
    """Accuracy, its 95 % interval and the set size: ``"80 % (67–89 %) on 50 images"``.

    The accuracy keeps up to two decimals (98.56 %); the interval is rounded to whole
    percent, which is all the precision it has.
    """
    if not n or math.isnan(accuracy):
        return "no test images"
    low, high = wilson_interval(round(accuracy * n), n)
    return f"{_pct(accuracy)} % ({100 * low:.0f}–{100 * high:.0f} %) on {counted(n, 'image')}"


def _pct(value: float) -> str:
    return f"{100 * value:.2f}".rstrip("0").rstrip(".")
