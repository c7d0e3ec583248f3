"""The Classify tab's batches: the queue of drops, and what the header says about them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from catgui.core.classifier import Classifier
from catgui.ui.classify.header import ClassifyHeader
from catgui.ui.classify.model import ResultsModel
from catgui.workers.classify_queue import ClassifyQueue


class ClassifyBatches(QObject):
    """The drops waiting to be classified (:attr:`queue`) and the header while they run.

    While a batch runs the header's progress bar and status say how far it is
    ("Classifying 3 of 5… · 2 more drops waiting"); when none runs, the status shows
    :attr:`note`, what the user last did ("Cancelled after 3 of 5.", a correction), which
    a new drop clears.
    """

    def __init__(
        self,
        classifier_source: Callable[[], Classifier | None],
        header: ClassifyHeader,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.header = header
        self.note = ""
        self.queue = ClassifyQueue(classifier_source, self)
        self.queue.progressed.connect(self._on_progress)
        self.queue.busyChanged.connect(self._on_busy_changed)

    def add(self, paths: list[str]) -> None:
        """Queue ``paths`` (started at once if nothing else runs)."""
        self.note = ""
        self.queue.add(paths)

    def is_busy(self) -> bool:
        return self.queue.is_busy()

    def cancel(self) -> None:
        """Stop the running batch and drop the waiting ones, noting how far it came."""
        done, total = self.queue.progress
        if self.queue.cancel():
            self.note = f"Cancelled after {done:,} of {total:,}." if total else "Cancelled."

    def clear(self) -> None:
        """Stop every batch and forget the note."""
        self.queue.cancel()
        self.note = ""

    def rescore(self, results: ResultsModel, model) -> None:
        """Give the listed rows the answers of ``model`` (now active), then go on queuing.

        A model that is not quick decodes the files anew at its own size: their rows are
        queued again instead of re-scored from the kept squares.
        """
        if results.rowCount():
            again = []
            if not model.classifier.quick:
                again = [e.path for e in results.entries() if e.path.is_file()]
            results.rescore(model.classifier, skip=again)
            if again:
                self.queue.add([str(p) for p in again])
            if not self.queue.is_busy():
                self.header.status.setText(f"Updating the answers for model “{model.name}”…")
        self.queue.start_next()

    def show_in_header(self, has_rows: bool, has_fixes: bool) -> None:
        """Show the header, progress, Cancel and Clear as far as there is something to show."""
        header, busy = self.header, self.queue.is_busy()
        waiting = self.queue.waiting() > 0
        header.setVisible(has_rows or busy or waiting or has_fixes)
        header.progress.setVisible(busy)
        header.cancel_button.setVisible(busy or waiting)
        header.clear_button.setEnabled(has_rows or busy)
        if not busy:
            header.status.setText(self.note)

    def _on_progress(self, done: int, total: int, found: int) -> None:
        waiting = self.queue.waiting()
        more = f" · {waiting:,} more drop{'s' * (waiting != 1)} waiting" if waiting else ""
        if total:
            self.header.progress.setRange(0, total)
            self.header.progress.setValue(done)
            self.header.status.setText(f"Classifying {done:,} of {total:,}…{more}")
        else:
            self.header.progress.setRange(0, 0)
            self.header.status.setText(f"Looking for pictures… {found:,} found{more}")

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:  # the progress bar waits for the first count
            self.header.progress.setRange(0, 0)
            self.header.status.setText("Looking for pictures…")
