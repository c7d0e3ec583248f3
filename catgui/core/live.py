"""Live pictures (a camera's or a video's frames) through a model, one frame at a time.

A frame is any ``(h, w, 3)`` uint8 RGB array. The model reads the frame's centred square
at its own side, cropped and resized exactly as :func:`catgui.core.images.load` does a
file's, so a snapshot saved and classified later gets the same verdict. The pretrained
kinds' features of live frames are never written to the feature cache (a camera makes
thousands of frames, each seen once).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from catgui.core import backbone, decision
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError


@dataclass(frozen=True)
class Verdict:
    """A frame's verdict.

    Attributes
    ----------
    probability
        P(cat) of the frame.
    stamp
        The frame's own time in milliseconds (a video's position; a camera's clock), as
        the caller gave it.
    offered
        ``time.perf_counter()`` when the frame was handed over for scoring.
    seconds
        How long the model took.
    """

    probability: float
    stamp: float
    offered: float
    seconds: float

    def label(self, threshold: float = 0.5) -> str:
        """``"cat"`` or ``"non-cat"`` (the one decision rule)."""
        return decision.verdict(self.probability, threshold)


def centre_square(frame: np.ndarray, size: int) -> np.ndarray:
    """The centred ``(size, size, 3)`` uint8 square of an ``(h, w, 3)`` uint8 frame."""
    from PIL import Image

    frame = np.asarray(frame)
    if (
        frame.ndim != 3
        or frame.shape[2] != 3
        or frame.dtype != np.uint8
        or min(frame.shape[:2]) < 1
    ):
        raise CatguiError(
            f"a frame must be an (h, w, 3) uint8 picture, got {frame.shape} {frame.dtype}"
        )
    height, width = frame.shape[:2]
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    img = Image.fromarray(frame, "RGB")
    square = img.resize(
        (size, size), Image.Resampling.LANCZOS, box=(left, top, left + side, top + side)
    )
    return np.asarray(square, dtype=np.uint8)


def probability(classifier: Classifier, frame: np.ndarray) -> float:
    """P(cat) of one frame (features of the pretrained kinds not cached)."""
    square = centre_square(frame, classifier.input_size)[np.newaxis]
    from_features = getattr(classifier, "from_features", None)
    if from_features is not None and classifier.input_size == backbone.INPUT_SIZE:
        return float(from_features(backbone.extract(square, cached=False))[0])
    return float(classifier.probabilities(square)[0])


def score(classifier: Classifier, frame: np.ndarray, stamp: float, offered: float) -> Verdict:
    """:func:`probability` of ``frame`` as a :class:`Verdict`."""
    start = time.perf_counter()
    p = probability(classifier, frame)
    return Verdict(p, float(stamp), offered, time.perf_counter() - start)
