"""``pretrained``: ImageNet features (EfficientNet-Lite0) + catgui's L2 logistic regression.

The head is the article's regularised logistic regression (Newton's method) on
standardised backbone features. Which features (pooled, ImageNet logits or both) and the
penalty C are chosen by 5-fold cross-validation on the training pictures only, unless C
is given (then the pooled features are used); the run's cost curve is the best held-out
log-loss found so far, candidate after candidate, then the final fit's training log-loss.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from catgui.core import backbone, familiarity, head, steps
from catgui.core.dataset import Split
from catgui.core.errors import CatguiError
from catgui.core.kinds.backbone_kind import (
    BackboneClassifier,
    BackboneKind,
    FeatureRun,
    log_loss,
)
from catgui.core.kinds.base import Field, check_float_array

AUTO = "auto"


@dataclass(frozen=True)
class PretrainedConfig:
    """``c``: the penalty, or ``None`` to choose it (and the features) by cross-validation."""

    c: float | None = None
    folds: int = head.FOLDS

    def validate(self) -> PretrainedConfig:
        if self.c is not None and not (
            isinstance(self.c, (int, float)) and math.isfinite(self.c) and self.c > 0
        ):
            raise CatguiError(f"the penalty strength C must be a number above 0, got {self.c!r}")
        if not isinstance(self.folds, int) or not 2 <= self.folds <= 20:
            raise CatguiError(f"folds must be a whole number from 2 to 20, got {self.folds!r}")
        return self

    def as_dict(self) -> dict:
        return asdict(self)


def _penalty(text: str) -> float | None:
    text = str(text).strip()
    if text.lower() in ("", AUTO):
        return None
    try:
        return float(text)
    except ValueError:
        raise CatguiError(f"C must be a number like 0.1, or auto; got {text!r}") from None


PENALTY = Field(
    name="c",
    label="Penalty C:",
    flag="--C",
    parse=_penalty,
    show=lambda c: AUTO if c is None else f"{c:g}",
    tip=(
        "Inverse strength of the L2 penalty on the features; auto chooses it, and which "
        "features to use, by 5-fold cross-validation on the training pictures (default: auto)"
    ),
    order=30,
    unused="This model has no L2 penalty: there is no C",
)


class PretrainedClassifier(BackboneClassifier):
    kind = "pretrained"

    def __init__(self, fitted: head.Head) -> None:
        self.head = fitted
        #: ``(folds, candidates)`` of the cross-validation that chose the head's features
        #: and C (``None``: C was given, or the model was loaded from a file)
        self.search: tuple[int, tuple[head.Candidate, ...]] | None = None

    def from_features(self, features: backbone.Features) -> np.ndarray:
        return self.head.probabilities(features)

    def pooled_weights(self) -> tuple[np.ndarray, float]:
        return head.pooled_weights(self.head, backbone.weights().fc)

    def from_pooled(self, pooled: np.ndarray) -> np.ndarray:
        """The head is linear in the pooled features (:func:`head.pooled_weights`): one
        product of ``(n, 1280)`` by ``(1280,)``, whatever features it was fitted on."""
        if getattr(self, "_pooled", None) is None:  # the head is fixed once fitted
            self._pooled = self.pooled_weights()
        v, c = self._pooled
        pooled = np.asarray(pooled)
        if pooled.dtype != np.float32:
            pooled = pooled.astype(np.float64)
        z = (pooled @ v.astype(pooled.dtype)).astype(np.float64) + c
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def describe(self) -> str:
        h = self.head
        features = {
            "pooled": "pooled features",
            "logits": "ImageNet logits",
            "both": "pooled features and ImageNet logits",
        }[h.representation]
        return (
            f"{backbone.NAME} + L2 logistic regression on its standardised {features} (C {h.c:g})"
        )


class PretrainedRun(FeatureRun):
    def fit(self, features: backbone.Features) -> Generator[float, None, None]:
        if self.config.c is None:
            search = head.cross_validate(features, self.labels, k=self.config.folds)
            tried: list[head.Candidate] = []

            def best_so_far(candidate: head.Candidate) -> float:
                tried.append(candidate)
                return min(c.loss for c in tried)

            # the curve: the best held-out log-loss found so far
            self.chosen = yield from steps.mapped(search, best_so_far)
            representation, c = self.chosen.representation, self.chosen.c
        else:
            self.chosen = None
            representation, c = "pooled", float(self.config.c)
        fitted = head.fit(features, self.labels, representation, c)
        self.model = PretrainedClassifier(fitted)
        if self.chosen is not None:
            self.model.search = (self.config.folds, tuple(tried))
        yield log_loss(fitted.probabilities(features), self.labels)


def cross_validation_of(metadata: Mapping[str, Any]) -> tuple[int, list[head.Candidate]] | None:
    """The ``(folds, candidates)`` a model's metadata records of the cross-validation that
    chose its head, checked (a record read from a file is not trusted): ``None`` when there
    is none or it is not sound."""
    info = metadata.get("cross_validation")
    if not isinstance(info, Mapping):
        return None
    folds, rows = info.get("folds"), info.get("candidates")
    if not isinstance(folds, int) or isinstance(folds, bool) or not isinstance(rows, list):
        return None
    out = []
    for row in rows[:1000]:
        if not isinstance(row, Mapping) or row.get("features") not in head.REPRESENTATIONS:
            return None
        numbers = [row.get(k) for k in ("c", "loss", "accuracy")]
        if not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            for v in numbers
        ):
            return None
        c, loss, accuracy = (float(v) for v in numbers)
        if c <= 0 or loss < 0 or not 0 <= accuracy <= 1:
            return None
        out.append(head.Candidate(row["features"], c, loss, accuracy))
    return (folds, out) if out else None


class Pretrained(BackboneKind):
    name = "pretrained"
    label = "Pretrained features + logistic regression"
    description = (
        "Pretrained features + logistic regression: EfficientNet-Lite0's ImageNet features "
        "of each picture, an L2 logistic regression on top (C chosen by cross-validation)."
    )
    fields = (PENALTY,)

    def default_config(self) -> PretrainedConfig:
        return PretrainedConfig()

    def head_steps(self, config: PretrainedConfig) -> int:
        if config.c is None:
            return len(head.REPRESENTATIONS) * len(head.C_GRID) + 1
        return 1

    def describe(self, config: PretrainedConfig) -> str:
        return "pretrained · C " + (AUTO if config.c is None else f"{config.c:g}")

    def recipe_text(self, config: PretrainedConfig) -> str:
        if config.c is None:
            return f"features and C by {config.folds}-fold cross-validation"
        return f"pooled features, C {config.c:g}"

    def findings(self, metadata: Mapping[str, Any]) -> list[str]:
        info = metadata.get("head") or {}
        features, c = info.get("features"), info.get("c")
        if features not in head.REPRESENTATIONS or not isinstance(c, (int, float)):
            return []
        what = {"pooled": "the pooled features", "logits": "the ImageNet logits"}.get(
            features, "the pooled features and the ImageNet logits"
        )
        chosen = (metadata.get("hyperparameters") or {}).get("c") is None
        how = " (chosen by cross-validation on the training pictures)" if chosen else ""
        return [f"Head on {what}, C {c:g}{how}"]

    def trainer(self, train: Split, config: PretrainedConfig) -> PretrainedRun:
        return PretrainedRun(train, config, self.head_steps(config))

    def arrays(self, classifier: PretrainedClassifier) -> dict[str, np.ndarray]:
        h = classifier.head
        return {
            "mean": h.mean,
            "scale": h.scale,
            "weights": h.weights,
            "bias": np.array([h.bias]),
            **self.reference_arrays(classifier),
        }

    def file_metadata(self, classifier: PretrainedClassifier) -> dict[str, Any]:
        h = classifier.head
        out = {
            **super().file_metadata(classifier),
            "head": {"features": h.representation, "c": h.c},
        }
        if classifier.search is not None:  # what the Train tab's plot and History draw
            folds, tried = classifier.search
            out["cross_validation"] = {
                "folds": folds,
                "candidates": [
                    {"features": t.representation, "c": t.c, "loss": t.loss, "accuracy": t.accuracy}
                    for t in tried
                ],
            }
        return out

    def load(
        self, arrays: Mapping[str, np.ndarray], metadata: Mapping[str, Any], path: Path
    ) -> PretrainedClassifier:
        self.check_backbone(metadata, path)
        info = metadata.get("head") or {}
        representation = info.get("features")
        if representation not in head.REPRESENTATIONS:
            raise CatguiError(f"{path}: the head names no known features ({representation!r})")
        mean, scale, weights, bias = (
            check_float_array(path, arrays, key) for key in ("mean", "scale", "weights", "bias")
        )
        d = {"pooled": 1280, "logits": 1000, "both": 2280}[representation]
        if not (mean.shape == scale.shape == weights.shape == (d,) and bias.shape == (1,)):
            raise CatguiError(f"{path}: the head's arrays do not fit {representation} features")
        if np.any(scale <= 0):
            raise CatguiError(f"{path}: the head's scales must be above 0")
        c = float(info.get("c", 0.0))
        model = PretrainedClassifier(
            head.Head(representation, mean, scale, weights, float(bias[0]), c)
        )
        model.reference = familiarity.from_arrays(arrays)
        return model

    def head_graph(self, classifier: Any, graph: Any, pooled: str, logits: str) -> str:
        from catgui.core.onnx_graph import heads

        return heads.linear(graph, classifier.head, pooled, logits)


KIND = Pretrained()
