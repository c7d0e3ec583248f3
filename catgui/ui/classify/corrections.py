"""Corrections made on Classify rows: save, undo, review (a QObject joining list and log).

It keeps the rows' "You said: cat" marks in step with the corrections folder through
:class:`~catgui.ui.common.correction_log.CorrectionLog`, and says what happened in a sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from catgui.ui.classify.corrections_dialog import CorrectionsDialog
from catgui.ui.classify.model import ResultsModel
from catgui.ui.common.correction_log import CorrectionLog, Done


class ClassifyCorrections(QObject):
    """Corrects rows of ``results``; :attr:`log` stores the copies.

    Signals
    -------
    noted(str)
        What was just done, for the status line ("Saved … Ctrl+Z undoes.").
    countChanged(int)
        How many corrections the user has now.
    failed(str)
        A correction could not be saved, undone or removed (names the file and problem).
    """

    noted = Signal(str)
    countChanged = Signal(int)
    failed = Signal(str)

    def __init__(self, results: ResultsModel, window: QWidget, folder=None) -> None:
        super().__init__(window)
        self.results = results
        self.window = window
        self.dialog: CorrectionsDialog | None = None
        self.log = CorrectionLog(folder, self)
        self.log.changed.connect(self._on_changed)
        self.log.failed.connect(self.failed)

    def count(self) -> int:
        return self.log.count()

    def correct_rows(self, rows: list[int], is_cat: bool) -> None:
        """Save a copy of each row's picture as a cat (or not) in the user's corrections."""
        saved = []
        for row in rows:
            entry = self.results.entry(row)
            if entry.error is not None or entry.corrected == is_cat:
                continue
            if self.log.correct(entry.path, is_cat, entry.corrected) is not None:
                self.results.set_corrected(entry.path, is_cat)
                saved.append(entry.name)
        if saved:
            what = f"“{saved[0]}”" if len(saved) == 1 else f"{len(saved)} pictures"
            kind = "a cat" if is_cat else "not a cat"
            self.noted.emit(f"{what}: {kind} · Ctrl+Z undoes")

    def undo_row(self, row: int) -> None:
        """Take back the latest correction of the picture in ``row``."""
        done = self.log.last_for(self.results.entry(row).path)
        if done is not None:
            self._undo(done)

    def undo_last(self) -> None:
        """Take back the latest correction (Ctrl+Z)."""
        if self.log.can_undo():
            self._undo(None)

    def _undo(self, done: Done | None) -> None:
        done = self.log.undo(done)
        if done is None:
            return
        self.results.set_corrected(done.source, done.row_before)
        row = self.results.row_of(done.source)
        name = self.results.entry(row).name if row is not None else done.source.name
        self.noted.emit(f"Took back the correction of “{name}”.")

    def open_dialog(self) -> CorrectionsDialog:
        """Open the review dialog (non-blocking) and return it."""
        if self.dialog is None:
            self.dialog = CorrectionsDialog(self.log, self.window)
            self.dialog.finished.connect(self._dialog_closed)
        else:
            self.dialog.reload()
        self.dialog.open()
        return self.dialog

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _on_changed(self) -> None:
        for path in list(self.results.corrected):
            if self.log.last_for(path) is None:
                self.results.set_corrected(path, None)  # removed in the review dialog
        self.countChanged.emit(self.log.count())
