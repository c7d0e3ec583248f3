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

from catgui.core import backbone, decision, heatmap
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError
from catgui.core.parallel import one_blas_thread


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
    #: "Why?": the evidence over the frame's centred square, ``(HEAT_SIZE, HEAT_SIZE, 4)``
    #: uint8 RGBA (red for cat, blue against; see :func:`catgui.core.heatmap.rgba`), when
    #: asked for and the model can give it from the same run of the backbone.
    heat: np.ndarray | None = None

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


#: Side of a live "Why?" overlay (the backbone's 7x7 map, smoothly enlarged).
HEAT_SIZE = 112


def _on_backbone(classifier: Classifier) -> bool:
    return (
        getattr(classifier, "from_features", None) is not None
        and classifier.input_size == backbone.INPUT_SIZE
    )


def why_unavailable(classifier: Classifier | None) -> str | None:
    """Why the live "Why?" overlay cannot be shown for ``classifier`` (``None``: it can)."""
    if classifier is None:
        return "No model is open"
    if not _on_backbone(classifier) or getattr(classifier, "pooled_weights", None) is None:
        return "Live “Why?” needs a pretrained model (ImageNet zero-shot or a pretrained head)"
    return None


def probability(classifier: Classifier, frame: np.ndarray) -> float:
    """P(cat) of one frame (features of the pretrained kinds not cached)."""
    square = centre_square(frame, classifier.input_size)[np.newaxis]
    if _on_backbone(classifier):
        return float(classifier.from_features(backbone.extract(square, cached=False))[0])
    return float(classifier.probabilities(square)[0])


def _explained(classifier: Classifier, frame: np.ndarray) -> tuple[float, np.ndarray]:
    """P(cat) and the class activation map from one run of the backbone: the 7x7 map
    before pooling gives both (its mean is the pooled features; the head, linear in them,
    applies to each of its cells)."""
    from catgui.core.backbone import efficientnet

    square = centre_square(frame, backbone.INPUT_SIZE)[np.newaxis]
    with one_blas_thread():
        maps = backbone.feature_maps(square)  # (1, 7, 7, 1280)
    pooled = efficientnet.pooled(maps).astype(np.float32)
    logits = efficientnet.logits(pooled, backbone.weights()).astype(np.float32)
    p = float(classifier.from_features(backbone.Features(pooled, logits))[0])
    v, c = classifier.pooled_weights()
    cam = maps[0].astype(np.float64) @ v + c
    return p, heatmap.rgba(cam, HEAT_SIZE)


def score(
    classifier: Classifier, frame: np.ndarray, stamp: float, offered: float, why: bool = False
) -> Verdict:
    """:func:`probability` of ``frame`` as a :class:`Verdict`; with ``why`` (and a model
    that can: :func:`why_unavailable`), its "Why?" overlay too, at no second run."""
    start = time.perf_counter()
    heat = None
    if why and why_unavailable(classifier) is None:
        p, heat = _explained(classifier, frame)
    else:
        p = probability(classifier, frame)
    return Verdict(p, float(stamp), offered, time.perf_counter() - start, heat)
