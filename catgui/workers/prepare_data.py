"""Importing and assembling a data set off the GUI thread: runs ``DataPreparation.steps()``,
whose returned data set is the worker's result."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from catgui.core.folders import ImportProgress
from catgui.core.sources import ComposedDataSet, DataPreparation, DataRecipe
from catgui.workers.generator import GeneratorWorker, Steps

#: At most this many progress signals a second, however fast files are read.
MAX_SIGNALS_PER_SECOND = 20


class PrepareDataWorker(GeneratorWorker):
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
    interrupted()
        :meth:`stop` was called before the data set was complete; nothing is produced.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)

    max_per_second = MAX_SIGNALS_PER_SECOND
    task = "preparing the data set"

    def __init__(self, recipe: DataRecipe, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.recipe = recipe

    def steps(self) -> Steps:
        return DataPreparation(self.recipe).steps()  # closed: decoding stops

    def sends_at_once(self, step: ImportProgress, first: bool) -> bool:
        return first or step.done == step.total

    def send_progress(self, step: ImportProgress) -> None:
        self.progressed.emit(step.done, step.total, step.stage)

    def send_result(self, result: ComposedDataSet) -> None:
        if self.isInterruptionRequested():  # stopped while the data set was assembled
            self.interrupted.emit()
        else:
            self.succeeded.emit(result)

    def failure_message(self, exc: BaseException) -> str:
        if isinstance(exc, MemoryError):
            return (
                "not enough memory to hold these pictures; use fewer pictures or fewer "
                "augmentation copies"
            )
        if isinstance(exc, OSError):  # a folder vanished or became unreadable mid-way
            where = exc.filename or self.recipe.images or "the data folder"
            return f"{where}: {exc.strerror or exc}"
        return super().failure_message(exc)
