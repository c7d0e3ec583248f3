"""One row of the Classify tab (:class:`Entry`); its label follows :mod:`catgui.core.decision`.

Plain data, no Qt: :mod:`catgui.ui.classify.model` lists entries, and
:mod:`catgui.ui.classify.text` puts them into words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from catgui.core import prediction
from catgui.core.classifier import Classifier
from catgui.core.decision import (  # noqa: F401 - the row's words and rule, re-exported
    CAT,
    ERROR,
    NON_CAT,
    UNSURE,
    UNSURE_BAND,
    band_around,
    label_for,
)
from catgui.core.familiarity import UNFAMILIAR_BELOW

_uids = itertools.count(1)


@dataclass
class Entry:
    """One row: a picture and what the model says about it.

    Attributes
    ----------
    path : Path
        The file (or folder, for a folder without pictures).
    name : str
        What the row calls it (the file name, or e.g. "Pasted image 1").
    pixels : ndarray or None
        (64, 64, 3) uint8 model input; None for an error row.
    thumbnail : ndarray or None
        (h, w, 3) uint8, longest side at most the worker's thumbnail size.
    probability : float or None
        Probability of "cat" under the active model.
    error : str or None
        Why the file could not be classified (names the file and the problem).
    """

    path: Path
    name: str
    pixels: np.ndarray | None = None
    thumbnail: np.ndarray | None = None
    probability: float | None = None
    error: str | None = None
    original_size: tuple[int, int] | None = None  # (width, height) of the file's picture
    #: The classifier that computed ``probability`` (compared by identity).
    scored_with: Classifier | None = None
    #: What the model that scored the row sees of the picture (the preview), if not the 64x64.
    seen: np.ndarray | None = None
    #: Unique number of this row's picture (keys the painter's pixmap cache).
    uid: int = field(default_factory=lambda: next(_uids))
    #: What the user said it is (True = cat) after a correction; None if not corrected.
    corrected: bool | None = None
    #: How like the scoring model's training pictures it is (None: the model cannot say).
    familiarity: float | None = None

    @property
    def unfamiliar(self) -> bool:
        """ "Unlike anything I was trained on", as :attr:`prediction.Result.unfamiliar`."""
        return self.familiarity is not None and self.familiarity < UNFAMILIAR_BELOW

    #: The "Why?" heat map of the preview ((s, s, 3) uint8), the classifier that made it
    #: (compared by identity) and a number naming this overlay (keys the painter's cache).
    overlay: np.ndarray | None = None
    overlay_for: Classifier | None = None
    overlay_uid: int = 0
    #: The comparison model's probability of "cat", and that model (by identity).
    second_probability: float | None = None
    second_with: Classifier | None = None

    def set_overlay(self, overlay: np.ndarray | None, classifier: Classifier) -> None:
        self.overlay, self.overlay_for, self.overlay_uid = overlay, classifier, next(_uids)

    def square_for(self, classifier: Classifier) -> np.ndarray | None:
        """The square of this picture ``classifier`` reads, if kept (else the 64x64 one)."""
        if self.seen is not None and self.seen.shape[0] == classifier.input_size:
            return self.seen
        return self.pixels

    @property
    def label(self) -> str:
        return label_for(self.probability) if self.error is None else ERROR

    @classmethod
    def from_result(cls, result: prediction.Result, name: str | None = None) -> Entry:
        picture = result.picture
        return cls(
            path=Path(result.path),
            name=name or Path(result.path).name or str(result.path),
            pixels=None if picture is None else picture.pixels,
            thumbnail=None if picture is None else picture.thumbnail,
            probability=result.probability,
            error=result.error,
            original_size=None if picture is None else tuple(picture.original_size),
            familiarity=result.familiarity,
        )
