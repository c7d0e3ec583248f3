"""Classify pictures on disk: one result per picture, errors included, never raised."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import images
from catgui.core import network as nn
from catgui.core.dataset import to_features
from catgui.core.errors import CatguiError
from catgui.core.parallel import map_in_order

CAT, NON_CAT = "cat", "non-cat"


@dataclass(frozen=True)
class Result:
    """What the model says about one file; ``error`` is set instead when it could not."""

    path: Path
    probability: float | None = None  # probability of "cat"
    threshold: float = 0.5
    error: str | None = None
    picture: images.Picture | None = None

    @property
    def label(self) -> str | None:
        if self.probability is None:
            return None
        return CAT if self.probability > self.threshold else NON_CAT

    @property
    def confidence(self) -> float | None:
        """Probability of the label given (cat or non-cat), in [0.5, 1]."""
        if self.probability is None:
            return None
        return self.probability if self.label == CAT else 1.0 - self.probability

    def as_dict(self) -> dict:
        if self.error:
            return {"path": str(self.path), "error": self.error}
        return {"path": str(self.path), "label": self.label, "probability": self.probability}


def classify_pixels(net: nn.Network, pixels: np.ndarray) -> np.ndarray:
    """Probabilities of "cat" for ``(k, 64, 64, 3)`` uint8 inputs: shape ``(k,)``."""
    return nn.predict_proba(net, to_features(pixels))


def classify_file(
    net: nn.Network,
    path: str | os.PathLike,
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
) -> Result:
    """Decode and classify one file; a bad file gives a :class:`Result` with ``error``."""
    try:
        picture = images.load(path, thumbnail_size=thumbnail_size)
    except CatguiError as exc:
        return Result(path=Path(path), threshold=threshold, error=str(exc))
    probability = float(classify_pixels(net, picture.pixels[np.newaxis])[0])
    return Result(path=picture.path, probability=probability, threshold=threshold, picture=picture)


def classify_paths(
    net: nn.Network,
    inputs: Iterable[str | os.PathLike],
    threshold: float = 0.5,
    thumbnail_size: int | None = None,
    workers: int | None = None,
) -> Iterator[Result]:
    """Classify every picture in ``inputs`` (files and folders, recursively), in order.

    Pictures are decoded a few at a time in a small thread pool (``workers``, default one
    per processor up to 4): Pillow releases the GIL while decoding.
    """

    def one(item: tuple[Path, str | None]) -> Result:
        path, problem = item
        if problem:
            return Result(path=path, threshold=threshold, error=problem)
        return classify_file(net, path, threshold, thumbnail_size)

    results = map_in_order(one, images.iter_image_files(inputs), workers)
    try:
        yield from results
    finally:
        results.close()
