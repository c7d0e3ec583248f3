"""What the pretrained kinds share: pictures through EfficientNet-Lite0, a small model on top.

Their classifiers read 224 x 224 squares made from the original file (the data sets'
64x64 pictures are upscaled), run them through the backbone
(:mod:`catgui.core.backbone`) and apply a head stored in the model file. A model file is
only that head (a few KB) and names the backbone and its SHA-256; a file made with other
weights is refused. Training first reads every training picture through the backbone,
one step a picture (steps with no cost yet), then fits the head.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from catgui.core import backbone, familiarity, images, pictures, steps
from catgui.core.classifier import Classifier
from catgui.core.dataset import Split
from catgui.core.errors import CatguiError
from catgui.core.kinds.base import Config, ModelKind
from catgui.core.training import Progress

PREPROCESSING = {
    "size": [backbone.INPUT_SIZE, backbone.INPUT_SIZE, 3],
    "crop": "centre-square of the original file (data-set pictures of 64x64 upscaled)",
    "resample": "lanczos",
    "orientation": "exif",
    "scale": "(pixel - 127) / 128",
    "backbone": backbone.NAME,
}


class BackboneClassifier(Classifier):
    """A classifier on the backbone's features; subclasses say how features become P(cat)."""

    input_size = backbone.INPUT_SIZE
    quick = False
    cannot_explain = None
    #: The training pictures' reference for "unlike anything I was trained on".
    reference: familiarity.Reference | None = None

    def probabilities(self, squares: np.ndarray) -> np.ndarray:
        batch = pictures.as_batch(squares, self.input_size)
        return self.from_features(backbone.extract(batch))

    def probabilities_any(self, squares: np.ndarray) -> np.ndarray:
        """Squares of any side go to the backbone as they are (it resizes what it must run,
        and finds the data sets' 64x64 pictures in its cache by their own bytes)."""
        return self.from_features(backbone.extract(np.asarray(squares)))

    def familiarity(self, squares: np.ndarray) -> np.ndarray | None:
        """Squares of any side: brought to the reference's detail, then to the backbone's."""
        if self.reference is None:
            return None
        squares = np.asarray(squares)
        if squares.shape[1] > self.reference.source_size:
            squares = pictures.resize_squares(squares, self.reference.source_size)
        return self.reference.score(backbone.extract(squares).pooled)

    def _sources(self, decoded) -> np.ndarray | None:
        """The decoded pictures at the reference's detail, as familiarity compares them:
        the decoder's own 64x64 squares for a reference of the data sets' pictures, else
        the model's crops brought down to the reference's side (``None``: not decoded at
        the model's size)."""
        source = self.reference.source_size
        if source == images.SIZE:
            return np.stack([p.pixels for p in decoded])
        size = self.input_size
        if not all(size in p.sizes() for p in decoded):
            return None
        return pictures.resize_squares(
            np.stack([p.square(size) for p in decoded]), min(source, size)
        )

    def familiarity_of(self, decoded) -> np.ndarray | None:
        if self.reference is None or not decoded:
            return None
        sources = self._sources(decoded)
        return None if sources is None else self.familiarity(sources)

    def assess(self, decoded) -> tuple[np.ndarray, np.ndarray | None]:
        """The verdicts and familiarity of decoded pictures in one run of the backbone.

        A reference of 224 inputs (the shipped models': :mod:`catgui.core.familiarity`)
        reads the crops' own features: one pass a picture. A reference of 64x64 pictures
        compares their (upscaled) squares, which go through the same run beside the crops."""
        size = self.input_size
        if self.reference is None or not decoded or not all(size in p.sizes() for p in decoded):
            return super().assess(decoded)
        crops = np.stack([p.square(size) for p in decoded])
        sources = self._sources(decoded)
        n = len(decoded)
        if sources.shape[1] == size:
            features = backbone.extract(crops)
            familiar = features.pooled
        else:  # extract would upscale them the same way, one by one
            both = np.concatenate([crops, pictures.resize_squares(sources, size)])
            features = backbone.extract(both)
            familiar = features.pooled[n:]
        own = backbone.Features(features.pooled[:n], features.logits[:n])
        return self.from_features(own), self.reference.score(familiar)

    def from_features(self, features: backbone.Features) -> np.ndarray:
        raise NotImplementedError

    def from_pooled(self, pooled: np.ndarray) -> np.ndarray:
        """P(cat) from the pooled features ``(n, 1280)`` alone (the ImageNet logits are
        computed from them): what a library index re-scores from. A kind whose head is
        linear in them may answer without the ``(1280, 1000)`` product."""
        pooled = np.asarray(pooled, dtype=np.float32)
        logits = backbone.efficientnet.logits(pooled, backbone.weights())
        return self.from_features(backbone.Features(pooled, logits))

    def pooled_weights(self) -> tuple[np.ndarray, float]:
        """``(v, c)`` with logit = pooled features . v + c (the head, linear in them)."""
        raise NotImplementedError

    methods = ("cam",)

    def evidence(self, square: np.ndarray, method: str | None = None) -> np.ndarray:
        """The class activation map (``cam``): each of the 7x7 positions' features times
        the head; its mean is the logit."""
        self.method(method)
        batch = pictures.as_batch(square, self.input_size)
        maps = backbone.feature_maps(batch)[0].astype(np.float64)  # (7, 7, 1280)
        v, c = self.pooled_weights()
        return maps @ v + c

    def describe(self) -> str:
        return f"{backbone.NAME} + {self.kind}"


class BackboneKind(ModelKind):
    """A kind whose models sit on the backbone."""

    preprocessing = PREPROCESSING
    explain_methods = BackboneClassifier.methods

    def unavailable(self) -> str | None:
        return backbone.unavailable()

    def planned_steps(self, config: Config, pictures: int) -> int:
        return pictures + self.head_steps(config)

    def architecture(self, trainer: Any) -> str:
        return f"{backbone.NAME} features + a head"

    def head_steps(self, config: Config) -> int:
        """Steps after the pictures are read."""
        return 1

    def file_metadata(self, classifier: Classifier) -> dict[str, Any]:
        return {"backbone": {"name": backbone.NAME, "sha256": backbone.SHA256}}

    def onnx_graph(self, classifier: Classifier, graph: Any, pixels: str) -> str:
        from catgui.core.onnx_graph import backbone as backbone_graph

        pooled, logits = backbone_graph.features(graph, pixels, backbone.weights())
        return self.head_graph(classifier, graph, pooled, logits)

    def head_graph(self, classifier: Any, graph: Any, pooled: str, logits: str) -> str:
        """The head's logit ``(N, 1)`` from the backbone's ``pooled`` and ``logits``."""
        raise CatguiError(f"a {self.name} model cannot be exported to ONNX")

    def reference_arrays(self, classifier: BackboneClassifier) -> dict[str, np.ndarray]:
        ref = classifier.reference
        return {} if ref is None else ref.arrays()

    def check_backbone(self, metadata: Mapping[str, Any], path: Path) -> None:
        """Refuse a file whose head was fitted on another backbone's features."""
        recorded = metadata.get("backbone")
        if not isinstance(recorded, dict) or recorded.get("sha256") != backbone.SHA256:
            raise CatguiError(
                f"{path}: made on other pretrained weights ({recorded!r}); this catgui has "
                f"{backbone.NAME} {backbone.SHA256[:12]}…"
            )
        reason = backbone.unavailable()
        if reason:
            raise CatguiError(f"{path}: {reason}")


class FeatureRun:
    """The common part of a backbone kind's training: read the pictures, then fit a head.

    Subclasses implement :meth:`fit` (a generator of head steps with a cost each, which
    sets :attr:`model`).
    """

    path = "backbone features"

    def __init__(self, train: Split, config: Config, head_steps: int) -> None:
        reason = backbone.unavailable()
        if reason:
            raise CatguiError(reason)
        self.config = config
        self.train = train
        self.labels = np.asarray(train.y).reshape(-1).astype(np.int64)
        self.costs: list[float] = []
        self.iterations_done = 0
        self.model: BackboneClassifier | None = None
        self.total = len(train) + head_steps

    def steps(self) -> Generator[Progress, None, None]:
        x = np.asarray(self.train.x)
        extraction = backbone.extract_steps(x)
        squares = yield from steps.mapped(
            extraction, lambda done: self._step(math.nan, done - self.iterations_done)
        )
        features = squares
        known = getattr(self.train, "known", None)
        if known is not None:  # some pictures are learnt from features given for them
            features = self._fitted_on = _with_known(squares, known)
        for cost in self.fit(features):
            yield self._step(cost)
        if self.model is not None and len(squares) >= 2:
            # the reference compares a new picture's square with x's, at x's detail
            source = int(x.shape[1])
            self.model.reference = familiarity.fit(squares.pooled, source_size=source)

    def fitted_probabilities(self) -> np.ndarray | None:
        """P(cat) of the training pictures from the very features the head was fitted on,
        when some were given (:class:`~catgui.core.dataset.KnownFeatures`: their ``x``
        would tell another story); ``None`` otherwise (evaluate ``x`` as usual)."""
        fitted_on = getattr(self, "_fitted_on", None)
        if fitted_on is None or self.model is None:
            return None
        return self.model.from_features(fitted_on)

    def _step(self, cost: float, count: int = 1) -> Progress:
        """``count`` steps done (pictures found in the cache come at once), the last ``cost``."""
        self.costs.extend([float(cost)] * count)
        self.iterations_done += count
        return Progress(self.iterations_done - 1, float(cost), self.total)

    def fit(self, features: backbone.Features) -> Generator[float, None, None]:
        raise NotImplementedError

    def classifier(self) -> BackboneClassifier:
        if self.model is None:
            raise CatguiError(
                "training was stopped while the pictures were being read; nothing was learnt"
            )
        return self.model


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _with_known(squares: backbone.Features, known) -> backbone.Features:
    """The pictures' features with the known ones in their rows (their ImageNet logits
    computed from their pooled features)."""
    rows = np.asarray(known.rows)
    given = np.asarray(known.pooled, dtype=np.float32)
    if rows.max(initial=-1) >= len(squares.pooled) or given.shape[1:] != squares.pooled.shape[1:]:
        raise CatguiError("the known features do not fit the training pictures")
    pooled = np.array(squares.pooled, dtype=np.float32)
    logits = np.array(squares.logits, dtype=np.float32)
    pooled[rows] = given
    logits[rows] = backbone.efficientnet.logits(given, backbone.weights())
    return backbone.Features(pooled, logits)
