"""Importing and assembling a data set off the GUI thread: runs ``DataPreparation.steps()``."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from catgui.core.errors import CatguiError
from catgui.core.sources import DataPreparation, DataRecipe
from catgui.workers.base import Worker

#: At most this many progress signals a second, however fast files are read.
MAX_SIGNALS_PER_SECOND = 20


class PrepareDataWorker(Worker):
    """Import the folders of ``recipe`` and assemble its data set in a thread.

    Signals
    -------
    progressed(int, int, str)
        ``(done, total, stage)``: files handled of the current stage (``"images"``,
        ``"test images"``, ``"corrections"``); throttled, the last of a stage always sent.
    succeeded(object)
        The :class:`~catgui.core.sources.ComposedDataSet`.
    failed(str)
        A message a person understands, naming the folder or file and the problem.
    cancelled()
        :meth:`stop` was called before the data set was complete; nothing is produced.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, recipe: DataRecipe, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recipe = recipe

    def run(self) -> None:
        try:
            self._prepare()
        except CatguiError as exc:
            self.failed.emit(str(exc))
        except MemoryError:
            self.failed.emit(
                "not enough memory to hold these pictures; use fewer pictures or fewer "
                "augmentation copies"
            )
        except OSError as exc:  # a folder vanished or became unreadable mid-way
            where = exc.filename or self.recipe.images or "the data folder"
            self.failed.emit(f"{where}: {exc.strerror or exc}")

    def _prepare(self) -> None:
        prep = DataPreparation(self.recipe)
        steps = prep.steps()
        interval = 1.0 / MAX_SIGNALS_PER_SECOND
        last_emit = -interval
        try:
            for p in steps:
                if self.isInterruptionRequested():
                    steps.close()  # lets the import's decoding threads wind down
                    self.cancelled.emit()
                    return
                now = time.perf_counter()
                if now - last_emit >= interval or p.done == p.total:
                    self.progressed.emit(p.done, p.total, p.stage)
                    last_emit = now
        finally:
            steps.close()
        if self.isInterruptionRequested():
            self.cancelled.emit()
            return
        assert prep.result is not None
        self.succeeded.emit(prep.result)
