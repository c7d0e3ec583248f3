"""The Train tab's right-hand views: the cost plot, the first layer's units, the history."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QTabWidget, QWidget

from catgui.ui.app_state import AppState
from catgui.ui.train.cost_plot_slot import CostPlotSlot
from catgui.ui.train.run_history import RunHistory
from catgui.ui.train.units_view import FirstLayerUnits
from catgui.workers.train import TrainOutcome, TrainWorker


class TrainViews(QTabWidget):
    """Tabs "Cost" (the plot slot) and "First-layer units", with a "History…" button.

    The history (:class:`RunHistory`) lists every run finished in this session and every
    model made active; its ticked runs' curves are overlaid on the cost plot.
    """

    def __init__(
        self, state: AppState, plot_slot: CostPlotSlot, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainViews")
        self.setDocumentMode(True)
        self.plot_slot = plot_slot
        self.units = FirstLayerUnits(state)
        self.addTab(plot_slot, "Cost")
        self.addTab(self.units, "First-layer units")
        self.history = RunHistory(state, self)
        self.history_button = QPushButton("History…", objectName="historyButton")
        self.history_button.setToolTip("Every run of this session: compare their curves")
        self.history_button.clicked.connect(self.show_history)
        self.setCornerWidget(self.history_button)
        self.history.curvesTicked.connect(self._show_curves)
        state.modelChanged.connect(self.history.add)
        self.history.add(state.model)

    def attach(self, worker: TrainWorker) -> None:
        """Follow a run: its units live, and its model into the history once it ends."""
        self.units.attach(worker)
        worker.succeeded.connect(self._run_succeeded)

    def show_history(self) -> None:
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()

    def _run_succeeded(self, outcome: TrainOutcome) -> None:
        self.history.add(outcome.model)

    def _show_curves(self, curves: list) -> None:
        self.plot_slot.plot().show_overlays(curves)
        if curves:  # curves to compare: the cost plot, even over a pretrained run
            self.plot_slot.show_search(False)
