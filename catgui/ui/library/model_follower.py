"""Which model's verdicts the Library grid shows, and re-scoring when it changes (a QObject).

The active model, when it reads the backbone's features (``pretrained``, ``zero-shot``)
and is saved in a file: the stored features are scored by it in the generic worker
(:func:`catgui.core.library.jobs.rescore_job`, no backbone pass). A model that reads the
pictures' pixels (the article's 64x64 networks), or one not saved yet, cannot score the
library: that is said in words, and the grid shows the shipped first model's verdicts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import paths, persistence
from catgui.core.kinds.backbone_kind import BackboneClassifier
from catgui.core.library import jobs
from catgui.workers.base import WorkerHolder
from catgui.workers.generator import GeneratorWorker


def scoring_model(model: persistence.Model | None) -> tuple[Path, str]:
    """The model file that scores the library for the active ``model``, and a sentence
    when that is not the active model itself ("" when it is)."""
    first = paths.first_model_path()
    if model is None:
        return first, ""
    if not isinstance(model.classifier, BackboneClassifier):
        return first, (
            f"The active model “{model.name}” reads the pictures' pixels, not the features "
            "the library keeps: the library shows the verdicts of the shipped zero-shot model. "
            "Choose a pretrained or zero-shot model to see its verdicts here."
        )
    if model.path is None or not Path(model.path).is_file():
        return first, (
            f"The active model “{model.name}” is not saved in a file yet: the library shows "
            "the shipped zero-shot model's verdicts until it is saved."
        )
    return Path(model.path), ""


class ModelFollower(QObject):
    """Scores the index at ``index_path`` with the model that stands for the active one.

    Signals
    -------
    modelKnown(str)
        The SHA-256 of the model file whose verdicts the grid shows now.
    rescored(str, int)
        That model scored this many more stored pictures (0: all were scored already).
    ended()
        The work is done (or failed); a scan waiting for the index can start.
    noted(str)
        A sentence for the user ("" clears it): a model that cannot score the library,
        or the index busy.
    failed(str)
    """

    modelKnown = Signal(str)
    rescored = Signal(str, int)
    ended = Signal()
    noted = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        index_path: Path,
        scanning: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.scanning = scanning  # a scan holds the index (and scores as it goes)
        self.index_path = Path(index_path)
        self.model_path: Path | None = None
        self.sha256: str | None = None
        self.note = ""
        self._holder = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))
        self._again = False
        self._closed = False  # shut down: nothing more is scored

    def follow(self, model: persistence.Model | None) -> None:
        """The active model is now ``model``: score the library with what stands for it."""
        self.model_path, self.note = scoring_model(model)
        self.noted.emit(self.note)
        self.rescore()

    def rescore(self) -> None:
        """Score what the model has not scored yet (after a scan, or a model change)."""
        if self.model_path is None or self._closed or self.scanning():
            return  # the end of the scan asks again
        if self.is_busy():
            self._again = True
            return
        self._again = False
        index_path, model_path = self.index_path, self.model_path
        worker = GeneratorWorker(
            lambda: jobs.rescore_job(index_path, model_path), "re-scoring the library", 0, self
        )
        worker.stepped.connect(self._stepped)
        worker.returned.connect(lambda result: self.rescored.emit(*result))
        worker.failed.connect(self.failed)
        worker.finished.connect(self._finished)
        self._holder.worker = worker
        worker.start()

    def is_busy(self) -> bool:
        return self._holder.worker is not None

    def shutdown(self) -> None:
        self._closed = True
        self._again = False
        self._holder.stop_and_wait()

    def _stepped(self, step: tuple) -> None:
        what, value = step
        if what == "model" and value != self.sha256:
            self.sha256 = str(value)
            self.modelKnown.emit(self.sha256)
        elif what == "busy":
            self.noted.emit(
                f"{self.note} The library is being scanned by another catgui; its verdicts "
                "are updated when that scan ends.".strip()
            )

    def _finished(self) -> None:
        worker = self.sender()
        if worker is self._holder.worker:
            self._holder.worker = None
        if isinstance(worker, GeneratorWorker):
            worker.deleteLater()
        if self._again:
            self.rescore()
        if self._holder.worker is None:
            self.ended.emit()
