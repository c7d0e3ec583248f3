"""The one decision rule: when a probability of "cat" means cat, non-cat or unsure.

Everything that turns a probability into a verdict (evaluation, the CLI, the Classify
list, the Mistakes tab) calls these functions, so a threshold means the same everywhere:
**cat when p > threshold** (strictly), and a row is "unsure" when ``p`` lies strictly
inside the unsure band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

CAT, NON_CAT, UNSURE, ERROR = "cat", "non-cat", "unsure", "error"
#: Below this familiarity (:mod:`catgui.core.familiarity`) a picture is "unlike anything
#: I was trained on". Here, with the other thresholds: listing a library index's stored
#: verdicts imports no NumPy (``catgui library list``).
UNFAMILIAR_BELOW = 0.02

#: Probabilities strictly inside this band are shown as "unsure" (the model cannot tell).
UNSURE_BAND = (0.4, 0.6)
#: The default band is this far either side of the decision threshold.
UNSURE_HALF_WIDTH = 0.1


def is_cat(probability, threshold: float = 0.5):
    """``probability > threshold``: a bool for a number, a bool array for an array."""
    import numpy as np

    return np.asarray(probability) > threshold if np.ndim(probability) else probability > threshold


def predictions(probabilities: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """0/1 labels (int64, same shape): 1 where the probability of cat is above ``threshold``."""
    import numpy as np

    return (np.asarray(probabilities) > threshold).astype(np.int64)


def verdict(probability: float, threshold: float = 0.5) -> str:
    """``"cat"`` or ``"non-cat"`` (no unsure band)."""
    return CAT if probability > threshold else NON_CAT


def label_for(
    probability: float | None,
    band: tuple[float, float] = UNSURE_BAND,
    threshold: float = 0.5,
) -> str:
    """``"cat"``, ``"non-cat"`` or ``"unsure"`` for a probability of cat; ``"error"`` for None.

    Cat when ``probability > threshold``; unsure when strictly inside ``band``.
    """
    if probability is None:
        return ERROR
    if band[0] < probability < band[1]:
        return UNSURE
    return verdict(probability, threshold)


def band_around(threshold: float, half_width: float) -> tuple[float, float]:
    """The unsure band ``half_width`` either side of ``threshold``, kept inside (0, 1)."""
    if half_width <= 0:
        return (threshold, threshold)
    return (max(0.0, threshold - half_width), min(1.0, threshold + half_width))


def confidence(probability: float, threshold: float = 0.5) -> float:
    """Probability of the verdict given (cat or non-cat), in [0, 1]."""
    return probability if verdict(probability, threshold) == CAT else 1.0 - probability
