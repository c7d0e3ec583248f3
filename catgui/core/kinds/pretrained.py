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
            losses: list[float] = []

            def best_so_far(candidate: head.Candidate) -> float:
                losses.append(candidate.loss)
                return min(losses)

            # the curve: the best held-out log-loss found so far
            self.chosen = yield from steps.mapped(search, best_so_far)
            representation, c = self.chosen.representation, self.chosen.c
        else:
            self.chosen = None
            representation, c = "pooled", float(self.config.c)
        fitted = head.fit(features, self.labels, representation, c)
        self.model = PretrainedClassifier(fitted)
        yield log_loss(fitted.probabilities(features), self.labels)


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
        return {
            **super().file_metadata(classifier),
            "head": {"features": h.representation, "c": h.c},
        }

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
