"""Which model's verdicts the Library grid shows, and re-scoring when it changes (a QObject).

The active model, when it reads the backbone's features (``pretrained``, ``zero-shot``)
and is saved in a file: the stored features are scored by it in the generic worker
(:func:`catgui.core.library.jobs.rescore_job`, no backbone pass). A model that reads the
pictures' pixels (the article's 64x64 networks), or one not saved yet, cannot score the
library: that is said in words, and the grid shows the shipped first model's verdicts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import paths, persistence
from catgui.core.kinds.backbone_kind import BackboneClassifier
from catgui.core.library import jobs
from catgui.workers.generator import GeneratorWorker
from catgui.workers.latest_job import LatestJob


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
        self._job = LatestJob(self._make_worker, self)
        self._job.ended.connect(self.ended)

    def follow(self, model: persistence.Model | None) -> None:
        """The active model is now ``model``: score the library with what stands for it."""
        self.model_path, self.note = scoring_model(model)
        self.noted.emit(self.note)
        self.rescore()

    def rescore(self) -> None:
        """Score what the model has not scored yet (after a scan, or a model change)."""
        if self.model_path is not None and not self.scanning():  # a scan's end asks again
            self._job.request()

    def _make_worker(self) -> GeneratorWorker | None:
        if self.model_path is None or self.scanning():
            return None
        index_path, model_path = self.index_path, self.model_path
        worker = GeneratorWorker(
            lambda: jobs.rescore_job(index_path, model_path), "re-scoring the library", 0, self
        )
        worker.stepped.connect(self._stepped)
        worker.returned.connect(lambda result: self.rescored.emit(*result))
        worker.failed.connect(self.failed)
        return worker

    def is_busy(self) -> bool:
        return self._job.is_busy()

    def shutdown(self) -> None:
        """Interrupt a re-scoring and wait for it; nothing more is scored."""
        self._job.shutdown()

    def _stepped(self, step: tuple) -> None:
        what, value = step
        if what == "model" and value != self.sha256:
            self.sha256 = str(value)
            self.modelKnown.emit(self.sha256)
        elif what == "busy":
            self.noted.emit(
                f"{self.note} The library index is busy (another catgui is scanning it); "
                "its verdicts are updated when that scan ends.".strip()
            )
