"""The colours of a matplotlib figure in the window: its palette's, light or dark."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from catgui.ui.common import tones
from catgui.ui.common.contrast import blend

_BASE = QPalette.ColorRole.Base


@dataclass(frozen=True)
class FigureColours:
    """``#rrggbb`` colours for a figure drawn on the palette's base (a white or dark panel).

    Titles and axis labels take the palette's text colour, tick labels and hints a
    readable grey, grid lines a hairline and the axes' spines something in between.
    """

    face: str
    text: str
    secondary: str
    grid: str
    spine: str

    @classmethod
    def of(cls, palette: QPalette | None = None) -> FigureColours:
        palette = palette or tones.current()
        ground, text = tones.ground(palette, _BASE), tones.text(palette, _BASE)
        spine = QColor(text)
        spine.setAlphaF(0.3)
        return cls(
            face=ground.name(),
            text=text.name(),
            secondary=tones.secondary(palette, _BASE),
            grid=tones.hairline(palette, _BASE),
            spine=blend(spine, ground).name(),
        )
