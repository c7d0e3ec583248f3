"""What a ``zero-shot`` run did, drawn: its calibration of ImageNet's cat classes.

Nothing is trained in that kind: the share of its probability EfficientNet-Lite0 puts on
ImageNet's domestic-cat classes is turned into P(cat) by a logistic curve fitted on the
training pictures. The drawing shows exactly that: each training picture at its share
(log scale; cats above, non-cats below, a little spread so they do not hide one
another), the calibrated curve through them, and the threshold where P(cat) is 0.5.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from catgui.core.kinds.zero_shot import Calibration
from catgui.ui.common import tones
from catgui.ui.common.figure_colours import FigureColours

#: The verdicts' colours are the window's (:mod:`catgui.ui.common.tones`).
CAT, NOT_CAT, CURVE, THRESHOLD = tones.CAT, tones.NON_CAT, "#8e8e93", "#ff375f"
#: The smallest share drawn (shares below are drawn at it).
FLOOR = 1e-7


def words(calibration: Calibration) -> str:
    """The drawing's second title line: the threshold and how many pictures it gets right."""
    share = calibration.classifier.threshold_mass()
    return (
        f"Cat above {100 * share:.2g} % on the cat classes: "
        f"{calibration.accuracy():.1%} of the {len(calibration.mass):,} training pictures right"
    )


def draw(ax: Axes, calibration: Calibration, c: FigureColours) -> None:
    """Draw ``calibration`` on the cleared axes ``ax`` in the colours ``c``."""
    mass = np.clip(calibration.mass, FLOOR, 1.0)
    spread = np.random.default_rng(0).uniform(-0.035, 0.035, len(mass))  # the same each time
    y = np.where(calibration.cat, 1.0, 0.0) + spread
    ax.set_title(
        f"Calibration: ImageNet's cat classes → P(cat)\n{words(calibration)}",
        loc="left", fontsize=10, color=c.text,
    )  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel(
        "share of ImageNet's probability on its cat classes (tabby, tiger cat, Persian, "
        "Siamese, Egyptian cat)", color=c.text, fontsize=9,
    )  # fmt: skip
    ax.set_ylabel("P(cat)", color=c.text, fontsize=9)
    ax.grid(True, color=c.grid, lw=0.8)
    low = max(FLOOR, float(mass.min()) / 2)
    xs = np.geomspace(low, 1.0, 300)
    ax.plot(
        xs, calibration.classifier.from_mass(xs), color=CURVE, lw=1.8, label="calibrated P(cat)"
    )
    cats = calibration.cat
    ax.plot(mass[cats], y[cats], "o", ms=4, alpha=0.7, color=CAT, label="training cats")
    ax.plot(mass[~cats], y[~cats], "o", ms=4, alpha=0.7, color=NOT_CAT,
            label="training non-cats")  # fmt: skip
    share = calibration.classifier.threshold_mass()
    ax.axvline(share, color=THRESHOLD, lw=1.4, ls="--", label=f"threshold {100 * share:.2g} %")
    ax.set_xlim(low, 1.0)
    ax.set_ylim(-0.1, 1.1)
    ax.legend(loc="center left", frameon=False, fontsize=9, labelcolor=c.text)
