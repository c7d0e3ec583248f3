"""*Retrain* for the label-next strip: the corrections to a new active model, in a worker."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal

from catgui.core.library.rescore import Scorer
from catgui.core.library.retrain import Retrained, Stage, retrain_steps
from catgui.core.sources import DataRecipe
from catgui.ui.app_state import AppState
from catgui.workers.generator import GeneratorWorker


class Retrainer(QObject):
    """Runs :func:`~catgui.core.library.retrain.retrain_steps` in the generic worker and
    makes the new model the active one (``state.open_model``).

    Signals
    -------
    progressed(str)
        What the retrain is doing, in words.
    retrained(object)
        The :class:`~catgui.core.library.retrain.Retrained`; the new model is active.
    failed(str)
        Why it did not retrain.
    ended()
        The worker's thread has ended, whatever the outcome.
    """

    progressed = Signal(str)
    retrained = Signal(object)
    failed = Signal(str)
    ended = Signal()

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.worker: GeneratorWorker | None = None

    def start(
        self, index_path: str | os.PathLike | None, scorer: Scorer, recipe: DataRecipe
    ) -> bool:
        """Retrain from the corrections over the index at ``index_path``, ``scorer`` being
        the model the library shows now; ``False`` if a retrain is running already."""
        if self.worker is not None:
            return False
        save_in = self.state.models_folder
        self.worker = GeneratorWorker(
            lambda: retrain_steps(index_path, scorer, save_in, recipe),
            task="retraining",
            max_per_second=10,
            parent=self,
        )
        self.worker.stepped.connect(self._stepped)
        self.worker.returned.connect(self._returned)
        self.worker.failed.connect(self.failed)
        self.worker.finished.connect(self._finished)
        self.worker.start()
        return True

    def _stepped(self, stage: Stage) -> None:
        of = f" of {stage.total:,}" if stage.total else ""
        self.progressed.emit(f"Retraining: {stage.stage} {stage.done:,}{of}…")

    def _returned(self, result: Retrained) -> None:
        self.state.notify_models_list_changed()
        self.state.open_model(result.saved)
        self.retrained.emit(result)

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self.ended.emit()

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.stop_and_wait()
