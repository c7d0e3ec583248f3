"""``zero-shot``: "ImageNet knows cats" — no classifier trained, only a threshold calibrated.

P(cat) starts from the softmax mass EfficientNet-Lite0 puts on ImageNet's domestic-cat
classes (281-285: tabby, tiger cat, Persian, Siamese, Egyptian cat). That mass is low
even for real cats (at 0.5 it misses about half of them), so the training pictures
calibrate it: a logistic curve on ``logit(mass)`` (two numbers, fitted by catgui's L2
logistic regression with a weak penalty) makes 0.5 the calibrated decision threshold.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from catgui.core import backbone, familiarity
from catgui.core.dataset import Split
from catgui.core.errors import CatguiError
from catgui.core.kinds.backbone_kind import (
    BackboneClassifier,
    BackboneKind,
    FeatureRun,
    log_loss,
)
from catgui.core.kinds.base import check_float_array
from catgui.core.logistic_l2 import L2Config, L2LogisticTrainer

#: ImageNet's domestic cats. Big cats (286-293) were measured and left out: see the README.
CAT_CLASSES = tuple(range(281, 286))
#: The calibration's penalty: weak, two numbers are fitted.
CALIBRATION_C = 1e4


def cat_mass(features: backbone.Features, classes=CAT_CLASSES) -> np.ndarray:
    """Softmax probability mass on ``classes``: ``(n,)`` in (0, 1)."""
    z = features.logits.astype(np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e[:, list(classes)].sum(axis=1) / e.sum(axis=1)


def mass_logit(mass: np.ndarray) -> np.ndarray:
    m = np.clip(mass, 1e-12, 1 - 1e-12)
    return np.log(m) - np.log1p(-m)


@dataclass(frozen=True)
class ZeroShotConfig:
    def validate(self) -> ZeroShotConfig:
        return self

    def as_dict(self) -> dict:
        return asdict(self)


class ZeroShotClassifier(BackboneClassifier):
    kind = "zero-shot"

    def __init__(self, slope: float, offset: float) -> None:
        self.slope, self.offset = slope, offset
        #: The training pictures' cat-class masses and labels the calibration was fitted
        #: on (set by a run; what the Train tab draws), or ``None``.
        self.calibrated_on: tuple[np.ndarray, np.ndarray] | None = None

    def from_features(self, features: backbone.Features) -> np.ndarray:
        return self.from_mass(cat_mass(features))

    def from_mass(self, mass: np.ndarray) -> np.ndarray:
        """P(cat) for cat-class masses ``(n,)``: the calibrated curve."""
        z = self.slope * mass_logit(mass) + self.offset
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def pooled_weights(self) -> tuple[np.ndarray, float]:
        """The cat classes' rows of the ImageNet layer, scaled by the calibration's slope
        (the mass is not linear in the features: this is the map's usual stand-in)."""
        fc_w, fc_b = (a.astype(np.float64) for a in backbone.weights().fc)
        cats = list(CAT_CLASSES)
        return self.slope * fc_w[:, cats].mean(axis=1), float(self.slope * fc_b[cats].mean())

    def describe(self) -> str:
        first, last = CAT_CLASSES[0], CAT_CLASSES[-1]
        return (
            f"{backbone.NAME} + its softmax mass on ImageNet classes {first}-{last}, "
            f"calibrated (slope {self.slope:.3g}, offset {self.offset:.3g})"
        )

    def threshold_mass(self) -> float:
        """The cat-class mass at which P(cat) = 0.5."""
        return float(1.0 / (1.0 + np.exp(self.offset / self.slope))) if self.slope else 0.5


class ZeroShotRun(FeatureRun):
    def fit(self, features: backbone.Features) -> Generator[float, None, None]:
        x = mass_logit(cat_mass(features)).reshape(1, -1)
        y = self.labels.reshape(1, -1).astype(np.float64)
        if len(set(self.labels.tolist())) < 2:
            raise CatguiError("calibrating needs pictures of cats and of non-cats")
        trainer = L2LogisticTrainer(x, y, L2Config(c=CALIBRATION_C, iterations=100))
        for _ in trainer.steps():
            pass
        net = trainer.network()
        self.model = ZeroShotClassifier(float(net.weights[0][0, 0]), float(net.biases[0][0, 0]))
        self.model.calibrated_on = (cat_mass(features), self.labels.reshape(-1).astype(np.int8))
        yield log_loss(self.model.from_features(features), self.labels)


#: Training pictures a calibration record keeps at most (a file's record is not trusted).
RECORD_LIMIT = 100_000


def calibration_record(classifier: ZeroShotClassifier) -> dict[str, Any]:
    """The metadata entry of the pictures a run calibrated on (none for a loaded model)."""
    if classifier.calibrated_on is None:
        return {}
    mass, labels = classifier.calibrated_on
    return {
        "calibration_points": {
            "slope": classifier.slope,
            "offset": classifier.offset,
            "mass": [float(f"{m:.6g}") for m in mass[:RECORD_LIMIT]],
            "cat": [int(y) for y in labels[:RECORD_LIMIT]],
        }
    }


@dataclass(frozen=True)
class Calibration:
    """What a zero-shot run did, as a model's metadata records it: the training pictures'
    cat-class masses and labels, the calibrated curve and its threshold."""

    mass: np.ndarray  # (n,) in (0, 1)
    cat: np.ndarray  # (n,) bool
    classifier: ZeroShotClassifier

    def accuracy(self) -> float:
        return float(np.mean((self.classifier.from_mass(self.mass) > 0.5) == self.cat))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def calibration_of(metadata: Mapping[str, Any]) -> Calibration | None:
    """The checked :class:`Calibration` a model's metadata records (a record read from a
    file is not trusted): ``None`` when there is none or it is not sound."""
    record = metadata.get("calibration_points")
    if not isinstance(record, Mapping):
        return None
    numbers = [record.get("slope"), record.get("offset")]
    if not all(_number(v) and math.isfinite(v) for v in numbers):
        return None
    mass, cat = record.get("mass"), record.get("cat")
    if not isinstance(mass, list) or not isinstance(cat, list) or not mass:
        return None
    if len(mass) != len(cat) or len(mass) > RECORD_LIMIT:
        return None
    if not all(_number(m) for m in mass) or not all(type(y) is int and y in (0, 1) for y in cat):
        return None
    m = np.asarray(mass, dtype=np.float64)
    if not (np.isfinite(m).all() and (m >= 0).all() and (m <= 1).all()):
        return None
    return Calibration(m, np.asarray(cat) == 1, ZeroShotClassifier(*map(float, numbers)))


class ZeroShot(BackboneKind):
    name = "zero-shot"
    label = "ImageNet knows cats (zero-shot, no training)"
    description = (
        "ImageNet knows cats: EfficientNet-Lite0's own cat classes decide, nothing is "
        "trained; the training pictures only calibrate the threshold."
    )
    fields = ()

    def default_config(self) -> ZeroShotConfig:
        return ZeroShotConfig()

    def describe(self, config: ZeroShotConfig) -> str:
        return "zero-shot · ImageNet's cat classes"

    def recipe_text(self, config: ZeroShotConfig) -> str:
        return "ImageNet's cat classes, threshold calibrated on the training pictures"

    def findings(self, metadata: Mapping[str, Any]) -> list[str]:
        mass = metadata.get("threshold_mass")
        if not isinstance(mass, (int, float)):
            return []
        return [
            f"Cat when ImageNet's cat classes hold more than {100 * mass:.2g} % of its "
            "probability (calibrated on the training pictures)"
        ]

    def trainer(self, train: Split, config: ZeroShotConfig) -> ZeroShotRun:
        return ZeroShotRun(train, config, self.head_steps(config))

    def arrays(self, classifier: ZeroShotClassifier) -> dict[str, np.ndarray]:
        return {
            "calibration": np.array([classifier.slope, classifier.offset]),
            **self.reference_arrays(classifier),
        }

    def file_metadata(self, classifier: ZeroShotClassifier) -> dict[str, Any]:
        return {
            **super().file_metadata(classifier),
            "cat_classes": list(CAT_CLASSES),
            "threshold_mass": classifier.threshold_mass(),
            **calibration_record(classifier),
        }

    def load(
        self, arrays: Mapping[str, np.ndarray], metadata: Mapping[str, Any], path: Path
    ) -> ZeroShotClassifier:
        self.check_backbone(metadata, path)
        calibration = check_float_array(path, arrays, "calibration")
        if calibration.shape != (2,):
            raise CatguiError(f"{path}: the calibration must be two numbers")
        if metadata.get("cat_classes", list(CAT_CLASSES)) != list(CAT_CLASSES):
            raise CatguiError(f"{path}: calibrated on other ImageNet classes")
        model = ZeroShotClassifier(float(calibration[0]), float(calibration[1]))
        model.reference = familiarity.from_arrays(arrays)
        return model

    def head_graph(self, classifier: Any, graph: Any, pooled: str, logits: str) -> str:
        from catgui.core.onnx_graph import heads

        return heads.cat_mass(graph, logits, CAT_CLASSES, classifier.slope, classifier.offset)


KIND = ZeroShot()
