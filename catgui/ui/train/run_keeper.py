"""What happens to a finished run: saved to ``models/``, saved elsewhere, or discarded."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from catgui.core import persistence, runs
from catgui.core.errors import CatguiError
from catgui.core.persistence import Model
from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState
from catgui.ui.train.run_summary import RunSummary
from catgui.workers.train import TrainOutcome


class RunKeeper(QObject):
    """Saves runs and holds the one waiting for the user's decision (:attr:`pending`).

    A run that cannot be saved (read-only or missing ``models/``, disk full, permission
    denied) stays in memory as :attr:`pending`; the summary says why and offers
    Save as… (another folder), Try again and Discard.

    A run the worker saved already goes through :meth:`settle`, which spreads the
    window's updates over two turns of the event loop (the models list, then the new
    active model: every tab re-evaluates) so that none of them stalls it for long.

    Signals
    -------
    modelSaved(str)
        A run was saved at this path and made the active model.
    settled()
        :meth:`settle` has finished: the run is active, or waits for Save as… / Discard.
    """

    modelSaved = Signal(str)
    settled = Signal()

    def __init__(
        self,
        state: AppState,
        summary: RunSummary,
        settings: QSettings | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.summary = summary
        self.settings = settings
        self.window = parent
        self.pending: TrainOutcome | None = None
        #: The last model this tab saved (its own curve is already on the plot).
        self.own_model: Model | None = None
        #: :meth:`settle` is on: the run is saved but not yet the active model.
        self.settling = False
        summary.saveRequested.connect(self.save_pending)
        summary.saveAsRequested.connect(self.save_pending_as)
        summary.discardRequested.connect(self.discard_pending)

    def hold(self, outcome: TrainOutcome, headline: str, note: str, error: bool = False) -> None:
        """Keep ``outcome`` waiting for Save / Discard, with ``note`` under its accuracy."""
        self.pending = outcome
        self.summary.show_model(headline, outcome.model, note, error=error)
        self.summary.offer_choice(True)

    def keep(self, outcome: TrainOutcome, headline: str, path: str | None = None) -> bool:
        """Save ``outcome`` (a new name in ``models/``, or ``path``) and make it active."""
        model = outcome.model
        try:
            if path is None:
                saved = runs.save_new(model, self.state.models_folder)
            else:
                saved = persistence.save(model, path, overwrite=Path(path).exists())
        except CatguiError as exc:
            self._offer_save_as(outcome, str(exc))
            return False
        self._show_saved(outcome, headline, saved, path)
        self.state.notify_models_list_changed()
        self.state.set_model(model)
        self.modelSaved.emit(str(saved))
        return True

    def settle(self, outcome: TrainOutcome, headline: str) -> None:
        """Make a run the worker saved active, or offer Save as… if that save failed.

        The models list is refreshed now, the active model changes at the next turn of
        the event loop; :attr:`settled` follows.
        """
        if outcome.saved is None:
            self._offer_save_as(outcome, outcome.save_error or "the model was not saved")
            self.settled.emit()
            return
        self.settling = True
        self._show_saved(outcome, headline, outcome.saved, None)
        self.state.notify_models_list_changed()
        QTimer.singleShot(0, self, lambda: self._activate(outcome))

    def _activate(self, outcome: TrainOutcome) -> None:
        self.state.set_model(outcome.model)
        self.settling = False
        self.modelSaved.emit(str(outcome.saved))
        self.settled.emit()

    def _show_saved(
        self, outcome: TrainOutcome, headline: str, saved: Path, path: str | None
    ) -> None:
        self.pending = None
        self.own_model = outcome.model
        self.summary.offer_choice(False)
        where = f"“{saved.stem}”" if path is None else str(saved)
        note = f"Saved as {where} and now the active model."
        self.summary.show_model(headline, outcome.model, note)

    def _offer_save_as(self, outcome: TrainOutcome, error: str) -> None:
        """Saving failed: keep ``outcome`` in memory and offer Save as…, Try again, Discard."""
        self.pending = outcome
        self.summary.show_model(
            "Could not save the model",
            outcome.model,
            f"{error}.<br>It is kept in memory: <b>Save as…</b> another folder, or discard it.",
            error=True,
        )
        self.summary.offer_choice(True, save_as=True)

    def save_pending(self) -> None:
        if self.pending is not None:
            self.keep(self.pending, "Model saved")

    def save_pending_as(self) -> None:
        """Ask where to save the run that is waiting, and save it there."""
        if self.pending is None:
            return
        start = remembered.folder(self.settings, remembered.SAVE_FOLDER) if self.settings else ""
        name = runs.readable_name(self.pending.model) + persistence.SUFFIX
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Save Model As",
            str(Path(str(start or Path.home())) / name),
            "catgui models (*.npz)",
        )
        if path and self.keep(self.pending, "Model saved", path) and self.settings is not None:
            remembered.remember(self.settings, remembered.SAVE_FOLDER, str(Path(path).parent))

    def discard_pending(self) -> None:
        self.pending = None
        self.summary.offer_choice(False)
        self.summary.show_message("Run discarded", "The active model is unchanged.")
