"""The "Why?" heat map's colours and the sentence that explains them (every view of it)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from catgui.core import heatmap

#: The heat map's colours (as the core lays them over the picture).
FOR_CAT = QColor(*(int(c) for c in heatmap.FOR_CAT))
AGAINST = QColor(*(int(c) for c in heatmap.AGAINST))
HEAT_TIP = (
    "Why the model says so: red marks where the picture is evidence for cat, blue where it "
    "is evidence against; the stronger the colour, the more that part counts "
    "(over the square the model sees)"
)
