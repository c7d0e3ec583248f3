"""What the article's three kinds share: a fully connected network stored as ``W1..WL``, ``b1..bL``.

Model files of these kinds hold float64 arrays ``W{i}`` (``(n_i, n_{i-1})``) and ``b{i}``
(``(n_i, 1)``) and record the layer sizes in their metadata; files of format 1 (before
kinds were recorded) have the same arrays, so they load through the same code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from catgui.core import images, pictures
from catgui.core import network as nn
from catgui.core import network_evidence as evidence
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError
from catgui.core.kinds.base import Config, ModelKind, check_float_array
from catgui.core.network import Network
from catgui.core.training import Progress

#: What the article's networks read: 64 x 64 x 3 values.
INPUT_SIZE = images.SIZE * images.SIZE * 3
#: The names of the deep network's kind and of the one-layer (logistic regression) kind:
#: a network nobody named is one of them, by its depth.
DEEP, ONE_LAYER = "dnn", "logreg"
#: "Why cat?": a deep network by occlusion (the default) or its input gradient; a network
#: with no hidden layer exactly, weight x pixel (the default), and by its template too.
DEEP_METHODS = ("occlusion", "gradient")
ONE_LAYER_METHODS = ("contribution", "gradient", "occlusion", "template")


class NetworkClassifier(Classifier):
    """The article's kinds: a fully connected network on the 64x64 square's 12288 values.

    ``kind`` defaults to :data:`DEEP` or :data:`ONE_LAYER` by the network's depth.
    """

    cannot_explain = None

    def __init__(self, network: Network, kind: str = "") -> None:
        self.network = network
        self.kind = kind or (DEEP if network.depth > 1 else ONE_LAYER)
        self.methods = DEEP_METHODS if network.depth > 1 else ONE_LAYER_METHODS

    def evidence(self, square: np.ndarray, method: str | None = None) -> np.ndarray:
        """A ``(64, 64)`` grid, positive towards cat, in logit units (see
        :mod:`catgui.core.network_evidence`); ``template``: the weights summed over the
        colour channels, the same for every picture."""
        method = self.method(method)
        square = pictures.as_batch(square, self.input_size)[0]
        if method == "occlusion":
            return evidence.occlusion_map(self.network, square)
        if method == "gradient":
            return evidence.gradient_map(self.network, square)
        if method == "contribution":
            return evidence.contribution_map(self.network, square)
        return evidence.template_weights(self.network)

    def explanation_picture(self, square: np.ndarray, method: str | None = None) -> np.ndarray:
        """The heat map over ``square``; ``template``: the weight vector as a picture."""
        if self.method(method) == "template":
            return evidence.template_picture(self.network)
        return super().explanation_picture(square, method)

    def probabilities(self, squares: np.ndarray) -> np.ndarray:
        batch = pictures.as_batch(squares, self.input_size)
        return nn.predict_proba(self.network, pictures.to_features(batch))

    def first_layer(self) -> np.ndarray | None:
        w1 = self.network.weights[0]
        return w1 if w1.shape[1] == INPUT_SIZE else None

    def describe(self) -> str:
        return "[" + ", ".join(str(n) for n in self.network.sizes) + "]"


class NetworkTraining:
    """An engine trainer (gradient descent or Newton) seen as a kind's
    :class:`~catgui.core.kinds.base.Training`: its steps, and its network as a classifier."""

    def __init__(self, trainer: Any, kind: str) -> None:
        self.trainer = trainer
        self.kind = kind

    @property
    def config(self) -> Config:
        return self.trainer.config

    @property
    def path(self) -> str:
        return self.trainer.path  # the engine may change it on the first step

    @property
    def costs(self) -> list[float]:
        return self.trainer.costs

    @property
    def iterations_done(self) -> int:
        return self.trainer.iterations_done

    def steps(self) -> Iterator[Progress]:
        return self.trainer.steps()

    def classifier(self) -> NetworkClassifier:
        return NetworkClassifier(self.trainer.network(), self.kind)


class NetworkKind(ModelKind):
    """A kind whose models are one :class:`~catgui.core.network.Network`."""

    def planned_steps(self, config: Config, pictures: int) -> int:
        return int(config.iterations)  # gradient descent's or Newton's steps, at most

    def arrays(self, classifier: Classifier) -> dict[str, np.ndarray]:
        net = _network(classifier)
        arrays = {}
        for i, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
            arrays[f"W{i}"] = np.asarray(w, dtype=np.float64)
            arrays[f"b{i}"] = np.asarray(b, dtype=np.float64)
        return arrays

    def file_metadata(self, classifier: Classifier) -> dict[str, Any]:
        return {"sizes": list(_network(classifier).sizes)}

    def load(
        self, arrays: Mapping[str, np.ndarray], metadata: Mapping[str, Any], path: Path
    ) -> NetworkClassifier:
        sizes = metadata.get("sizes")
        if not (
            isinstance(sizes, list) and len(sizes) >= 2 and all(isinstance(s, int) for s in sizes)
        ):
            raise CatguiError(f"{path}: the metadata has no valid layer sizes")
        weights, biases = [], []
        for i in range(1, len(sizes)):
            weights.append(check_float_array(path, arrays, f"W{i}"))
            biases.append(check_float_array(path, arrays, f"b{i}"))
        try:
            net = Network(weights, biases)
        except CatguiError as exc:
            raise CatguiError(f"{path}: {exc}") from None
        if list(net.sizes) != sizes:
            raise CatguiError(
                f"{path}: the arrays are {list(net.sizes)} but the metadata says {sizes}"
            )
        if net.sizes[0] != INPUT_SIZE:
            raise CatguiError(
                f"{path}: the model takes {net.sizes[0]} inputs, but catgui's pictures have "
                f"{INPUT_SIZE} (64 x 64 x 3)"
            )
        return NetworkClassifier(net, self.name)

    def onnx_graph(self, classifier: Classifier, graph: Any, pixels: str) -> str:
        from catgui.core.onnx_graph import network as network_graph

        return network_graph.logit(graph, _network(classifier), pixels)


def _network(classifier: Classifier) -> Network:
    network = getattr(classifier, "network", None)
    if not isinstance(network, Network):
        raise CatguiError(f"a {classifier.kind!r} model holds no network to store")
    return network
