""" "Why?" for many pictures: heat maps (:mod:`catgui.core.heatmap`) one picture a step.

The window shows them in place of "what the model sees" (the Classify rows, the Mistakes
large view). A pretrained classifier takes ~30-50 ms a picture (and a second or so to load
its backbone the first time), so the window drives :func:`explain_steps` in a worker.
"""

from __future__ import annotations

from collections.abc import Generator, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from catgui.core import heatmap, pictures
from catgui.core.classifier import Classifier


@dataclass(frozen=True)
class Explained:
    """The heat map of one picture.

    Attributes
    ----------
    key : hashable
        What the caller named the picture with.
    overlay : ndarray or None
        ``(s, s, 3)`` uint8, the square the model reads (``s = input_size``) with its
        evidence laid over it; ``None`` when the classifier cannot say.
    share_for_cat : float or None
        How much of the picture argues for cat (0-1).
    """

    key: Hashable
    overlay: np.ndarray | None
    share_for_cat: float | None = None


def model_square(classifier: Classifier, square: np.ndarray) -> np.ndarray:
    """``square`` ``(s, s, 3)`` uint8 at the classifier's ``input_size`` (resized if needed)."""
    square = np.asarray(square, dtype=np.uint8)
    if square.shape[0] == classifier.input_size:
        return square
    return pictures.resize_squares(square[np.newaxis], classifier.input_size)[0]


def explain(classifier: Classifier, square: np.ndarray, key: Hashable = None) -> Explained:
    """The heat map of one ``(s, s, 3)`` uint8 square (a 64x64 one is upscaled as the model sees it)."""
    if classifier.cannot_explain is not None:
        return Explained(key, None)
    seen = model_square(classifier, square)
    evidence = classifier.evidence(seen)
    if evidence is None:
        return Explained(key, None)
    return Explained(key, heatmap.overlay(seen, evidence), heatmap.share_for_cat(evidence))


def explain_steps(
    classifier: Classifier, squares: Sequence[tuple[Hashable, np.ndarray]]
) -> Generator[Explained, None, int]:
    """Yield the :class:`Explained` of each ``(key, square)`` in turn; return how many."""
    for key, square in squares:
        yield explain(classifier, square, key)
    return len(squares)
