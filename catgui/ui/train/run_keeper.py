"""What happens to a run once it ends: it waits, unsaved, for Save / Save as… / Discard.

A finished run does not replace the model the user is looking at: it stays in memory
(:attr:`RunKeeper.pending`) until the user saves it (which makes it the active model) or
discards it. Ticking "Don't ask again" on the card saves and uses every finished run from
then on. Saving goes through :class:`~catgui.ui.model_files.ModelFiles`, the window's one
way to save a model (no second identical file in the models folder).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from catgui.core.persistence import Model
from catgui.ui import settings as remembered
from catgui.ui.model_files import ModelFiles
from catgui.ui.train.run_summary import RunSummary
from catgui.workers.train import TrainOutcome

#: What the card says under a finished run's accuracy while it waits.
UNSAVED = (
    "Not saved and not in use yet: <b>Save and use</b> keeps it in the models list and makes "
    "it the active model; <b>Discard</b> forgets it."
)


class RunKeeper(QObject):
    """Holds the run waiting for the user's decision and carries it out.

    Signals
    -------
    modelSaved(str)
        A run was saved at this path (or found saved already) and made the active model.
    discarded()
        The user discarded the run that was waiting.
    """

    modelSaved = Signal(str)
    discarded = Signal()

    def __init__(
        self,
        files: ModelFiles,
        summary: RunSummary,
        settings: QSettings | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.files = files
        self.summary = summary
        self.settings = settings
        self.pending: TrainOutcome | None = None
        self._headline = ""
        #: The last model this tab saved (its own curve is already on the plot).
        self.own_model: Model | None = None
        #: :meth:`keep` is saving (the active model changes on the way: not a new model).
        self.saving = False
        files.failed.connect(self._save_failed)
        summary.saveRequested.connect(self.save_pending)
        summary.saveAsRequested.connect(self.save_pending_as)
        summary.discardRequested.connect(self.discard_pending)
        summary.keep_check.toggled.connect(self._keep_toggled)

    def finished(self, outcome: TrainOutcome, headline: str) -> None:
        """A run that completed: kept at once if the user said so, else it waits."""
        if self.settings is not None and remembered.keep_runs(self.settings):
            if self.keep(outcome, headline):  # the box stays in sight, ticked: untick to be asked
                self._show_keep_box(True)
        else:
            self.hold(outcome, headline, UNSAVED, ask_again=True)

    def hold(
        self,
        outcome: TrainOutcome,
        headline: str,
        note: str,
        error: bool = False,
        ask_again: bool = False,
    ) -> None:
        """Keep ``outcome`` waiting for Save / Discard, with ``note`` under its accuracy."""
        self.pending = outcome
        self._headline = headline
        self.summary.show_model(headline, outcome.model, note, error=error)
        self.summary.offer_choice(True, ask_again=ask_again)
        self._show_keep_box(False, ask_again)  # asked: the user has not said "keep" yet

    def keep(self, outcome: TrainOutcome, headline: str, path: str | None = None) -> bool:
        """Save ``outcome`` (a new name in the models folder, or ``path``) and use it."""
        self.pending, self._headline = outcome, headline
        exists = path is not None and Path(path).exists()  # the dialog asked before replacing
        self.saving = True
        try:
            saved = self.files.save(outcome.model, path, overwrite=exists)
        finally:
            self.saving = False
        if saved is None:
            return False  # _save_failed has said why; the run still waits
        self.pending = None
        self.own_model = outcome.model
        self.summary.offer_choice(False)
        note = f"{self.files.last_sentence}; now the active model."
        self.summary.show_model(headline, outcome.model, note)
        self.modelSaved.emit(str(saved))
        return True

    def save_pending(self) -> None:
        if self.pending is not None:
            self.keep(self.pending, "Model saved")

    def save_pending_as(self) -> None:
        """Ask where to save the run that is waiting, and save it there."""
        if self.pending is None:
            return
        path = self.files.ask_path(self.pending.model)
        if path:
            self.keep(self.pending, "Model saved", path)

    def discard_pending(self) -> None:
        self.pending = None
        self.summary.offer_choice(False)
        self.summary.show_message("Run discarded", "The active model is unchanged.")
        self.discarded.emit()

    def _save_failed(self, _title: str, error: str) -> None:
        """Saving failed: the run stays in memory, with Save as…, Try again and Discard."""
        if self.pending is None:
            return
        self.summary.show_model(
            "Could not save the model",
            self.pending.model,
            f"{error}.<br>It is kept in memory: <b>Save as…</b> another folder, or discard it.",
            error=True,
        )
        self.summary.offer_choice(True, retry=True)

    def _show_keep_box(self, checked: bool, shown: bool = True) -> None:
        box = self.summary.keep_check
        box.blockSignals(True)
        box.setChecked(checked)
        box.blockSignals(False)
        box.setVisible(shown)

    def _keep_toggled(self, keep: bool) -> None:
        if self.settings is not None:
            remembered.remember_keep_runs(self.settings, keep)
