"""A second model's verdict on pictures already classified by another (Classify's "Compare with").

Each picture comes with the squares decoded for the first model (the 64x64 one, and the
one its model sees); a second model that reads another size gets the file decoded anew
at its own size, so its answer is exactly :func:`catgui.core.prediction.classify_file`'s.
"""

from __future__ import annotations

from collections.abc import Generator, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catgui.core import prediction
from catgui.core.classifier import Classifier, probabilities_of


@dataclass(frozen=True)
class Picture:
    """A picture to score again: its file (if any) and the ``(s, s, 3)`` squares known of it."""

    key: Hashable
    path: Path | None
    squares: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Opinion:
    """The second model's probability of cat for the picture named ``key``."""

    key: Hashable
    probability: float


def opinion(classifier: Classifier, picture: Picture) -> Opinion:
    """Score ``picture`` with ``classifier`` from a square of its size, else from the file."""
    size = classifier.input_size
    square = next((s for s in picture.squares if s.shape[0] == size), None)
    if square is not None:
        return Opinion(picture.key, float(classifier.probabilities(square[np.newaxis])[0]))
    if picture.path is not None and picture.path.is_file():
        result = prediction.classify_file(classifier, picture.path)
        if result.probability is not None:
            return Opinion(picture.key, result.probability)
    # the file is gone (or unreadable now): the squares kept, resized
    return Opinion(picture.key, float(probabilities_of(classifier, picture.squares[0][None])[0]))


def opinion_steps(
    classifier: Classifier, batch: Sequence[Picture]
) -> Generator[Opinion, None, int]:
    """Yield the :class:`Opinion` of each picture in turn; return how many."""
    for picture in batch:
        yield opinion(classifier, picture)
    return len(batch)
