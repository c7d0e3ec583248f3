"""Where the cost plot goes: a blank panel until the plot is first needed; the plot of a
pretrained kind's run (:class:`~catgui.ui.train.search_plot.SearchPlot`) in its place
while such a run or model is on show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QStackedLayout, QWidget

from catgui.ui.common.palette_follower import keep_style_sheet

if TYPE_CHECKING:
    from catgui.ui.train.cost_plot import CostPlot
    from catgui.ui.train.search_plot import SearchPlot


def shows_search(kind_name: object) -> bool:
    """Whether a run or model of this kind is shown by the search plot (the kinds on the
    backbone: their runs prepare the pictures, then choose a head) rather than a cost curve."""
    from catgui.core import kinds
    from catgui.core.kinds.backbone_kind import BackboneKind

    return kind_name in kinds.names() and isinstance(kinds.get(kind_name), BackboneKind)


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
        layout = QStackedLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._plot: CostPlot | None = None
        self._search: SearchPlot | None = None

    def is_built(self) -> bool:
        """Whether the plot exists yet."""
        return self._plot is not None

    def plot(self) -> CostPlot:
        """The cost plot, created (and :attr:`built` emitted) on the first call."""
        if self._plot is None:
            from catgui.ui.train.cost_plot import CostPlot

            self._plot = CostPlot(self)
            self.layout().insertWidget(0, self._plot)
            self.layout().setCurrentWidget(self._plot)
            self.built.emit(self._plot)
        return self._plot

    def search(self) -> SearchPlot:
        """The plot of a pretrained kind's run (created on first use; not shown by this)."""
        if self._search is None:
            from catgui.ui.train.search_plot import SearchPlot

            self._search = SearchPlot(self)
            self.layout().addWidget(self._search)
            if self._plot is not None:
                self.layout().setCurrentWidget(self._plot)
        return self._search

    def show_search(self, shown: bool) -> None:
        """Show the search plot (``True``) or the cost plot in this place."""
        target = self.search() if shown else self.plot()
        self.layout().setCurrentWidget(target)

    def showing_search(self) -> bool:
        return self._search is not None and self.layout().currentWidget() is self._search
