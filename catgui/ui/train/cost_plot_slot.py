"""Where the cost plot goes: a blank panel until the plot is first needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from catgui.ui.common.palette_follower import keep_style_sheet

if TYPE_CHECKING:
    from catgui.ui.train.cost_plot import CostPlot


class CostPlotSlot(QWidget):
    """Holds the :class:`~catgui.ui.train.cost_plot.CostPlot`, created on first use.

    Importing matplotlib takes most of a second, so the window opens without it: the
    slot paints a plain panel (the figure's colour) where the plot will be, and
    :meth:`plot` creates the plot (the main window asks for it right after its first
    paint; anything needing the plot earlier gets it at once).

    Signals
    -------
    built(object)
        The :class:`~catgui.ui.train.cost_plot.CostPlot` has just been created.
    """

    built = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("costPlotSlot")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # the figure's colour (the palette's base), set again when the palette changes
        keep_style_sheet(self, "#costPlotSlot { background: palette(base); }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._plot: CostPlot | None = None

    def is_built(self) -> bool:
        """Whether the plot exists yet."""
        return self._plot is not None

    def plot(self) -> CostPlot:
        """The cost plot, created (and :attr:`built` emitted) on the first call."""
        if self._plot is None:
            from catgui.ui.train.cost_plot import CostPlot

            self._plot = CostPlot(self)
            self.layout().addWidget(self._plot)
            self.built.emit(self._plot)
        return self._plot
