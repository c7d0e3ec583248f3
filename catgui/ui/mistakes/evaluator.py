"""Evaluating the active model on the test pictures for the Mistakes tab (a QObject)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from catgui.core import evaluation
from catgui.core.errors import CatguiError
from catgui.workers.generator import GeneratorWorker


class MistakesEvaluator(QObject):
    """Runs :func:`catgui.core.evaluation.evaluate` on a model: at once when the model is
    quick (50 pictures take about a millisecond), else in a :class:`GeneratorWorker`
    (a pretrained backbone), so the GUI thread is not held.

    Signals
    -------
    evaluating(str, int, int)
        The model named is being evaluated off the GUI thread: pictures done, total.
    evaluated(object)
        The :class:`~catgui.core.evaluation.Evaluation` of the latest :meth:`start`.
    failed(str)
        Why the latest model cannot be evaluated on these pictures.
    """

    evaluating = Signal(str, int, int)
    evaluated = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The thread evaluating a model that is not quick, while it runs.
        self.worker: GeneratorWorker | None = None

    def start(self, model, images, labels, threshold: float) -> None:
        """Evaluate ``model`` on ``images`` (``(m, 64, 64, 3)``) and ``labels`` (``(m,)``)."""
        self.stop()
        if not model.classifier.quick:  # a pretrained backbone: off the GUI thread
            self._start_worker(model, images, labels, threshold)
            return
        try:
            result = evaluation.evaluate(model.classifier, images, labels, threshold)
        except CatguiError as exc:
            self.failed.emit(str(exc))
            return
        self.evaluated.emit(result)

    def stop(self) -> None:
        """Interrupt a running evaluation and wait for its thread; its results never come."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop_and_wait()

    def _start_worker(self, model, images, labels, threshold: float) -> None:
        worker = GeneratorWorker(
            lambda: evaluation.evaluate_steps(model.classifier, images, labels, threshold),
            task="evaluating the model",
            max_per_second=10,
            parent=self,
        )
        self.worker = worker
        worker.stepped.connect(lambda step: self._stepped(worker, model.name, *step))
        worker.returned.connect(lambda result: self._returned(worker, result))
        worker.failed.connect(lambda message: self._failed(worker, message))
        worker.finished.connect(worker.deleteLater)
        self._stepped(worker, model.name, 0, len(labels))
        worker.start()

    def _stepped(self, worker, name: str, done: int, total: int) -> None:
        if worker is self.worker:
            self.evaluating.emit(name, done, total)

    def _returned(self, worker, result: evaluation.Evaluation) -> None:
        if worker is self.worker:
            self.worker = None
            self.evaluated.emit(result)

    def _failed(self, worker, message: str) -> None:
        if worker is self.worker:
            self.worker = None
            self.failed.emit(message)
