"""Classify dropped files and folders off the GUI thread, in small batches.

The worker first walks the inputs (folders recursively) so the total is known, then
decodes the files in a small thread pool while the model runs on the batch decoded before
(:func:`catgui.core.prediction.classify_items`, the path ``catgui predict`` and the library
scan take too: one backbone pass a photo, a batch at a time), in order.
The first result is sent at once; the rest in batches at most every ``batch_interval``
seconds, so a drop of thousands of pictures costs five signals a second, not one per file.

:func:`catgui.core.prediction.classify_steps` is that work as a generator (no Qt);
:class:`ClassifyWorker` drives it with the generic
:class:`~catgui.workers.generator.GeneratorWorker`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core.classifier import Classifier
from catgui.core.parallel import default_workers
from catgui.core.prediction import ClassifyStep, Result, classify_steps
from catgui.workers.generator import GeneratorWorker, Steps

#: Longest side of the display thumbnails kept per picture (memory stays bounded).
THUMBNAIL_SIZE = 96
#: Seconds between two batches of results. Each batch makes the list lay out and repaint
#: (GUI time the decoding threads then lack): at 0.05 s, when every repaint drew its rows
#: afresh (~9 ms), the window took 1.6 s of GUI time and ~25 % longer than headless for
#: 200 photos; at 0.2 s, 0.5 s and ~8 %, with rows still arriving five times a second.
BATCH_INTERVAL = 0.2


@dataclass(frozen=True)
class ClassifyBatch:
    """Results gathered since the previous batch, with the progress so far.

    Attributes
    ----------
    job : int
        The ``job`` number the worker was started with (lets the GUI drop stale batches).
    results : list of Result
        New :class:`~catgui.core.prediction.Result` objects, in input order. Pictures carry
        ``pixels`` (64, 64, 3) uint8 and ``thumbnail`` (h, w, 3) uint8, h, w <= thumbnail size.
    done : int
        Files handled so far (classified or failed).
    total : int
        Files to handle, or 0 while the folders are still being walked.
    found : int
        Files found so far by the walk (equals ``total`` once it is known).
    """

    job: int
    results: list = field(default_factory=list)
    done: int = 0
    total: int = 0
    found: int = 0


class ClassifyWorker(GeneratorWorker):
    """Walk, decode and classify ``paths`` with ``classifier``; stop when interrupted.

    Signals
    -------
    batchReady(object)
        A :class:`ClassifyBatch` (new results and progress).
    ended(int, bool)
        The job number and whether it was interrupted; the last signal of a run.
    failed(str)
        An unexpected error (a bug, not a bad file: bad files give error results).
    """

    batchReady = Signal(object)
    ended = Signal(int, bool)

    task = "classifying"

    def __init__(
        self,
        paths: Sequence[str | Path],
        classifier: Classifier,
        job: int = 0,
        thumbnail_size: int = THUMBNAIL_SIZE,
        batch_interval: float = BATCH_INTERVAL,
        decoders: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.paths = [str(p) for p in paths]
        self.classifier = classifier
        self.job = job
        self.thumbnail_size = thumbnail_size
        self.batch_interval = batch_interval
        self.max_per_second = 1.0 / batch_interval if batch_interval > 0 else 0.0
        #: Decoding threads: Pillow releases the GIL, so pictures decode on every core.
        self.decoders = decoders if decoders is not None else default_workers()
        self._unsent: list[Result] = []

    def steps(self) -> Steps:
        self._unsent = []
        return classify_steps(self.paths, self.classifier, self.thumbnail_size, self.decoders)

    def collect(self, step: ClassifyStep) -> None:
        if step.result is not None:
            self._unsent.append(step.result)

    def sends_at_once(self, step: ClassifyStep, first: bool) -> bool:
        # the first result goes at once (the user sees a verdict as soon as there is one,
        # and the list draws its first row alone), then in batches
        return step.done == 1

    def send_progress(self, step: ClassifyStep) -> None:
        results, self._unsent = self._unsent, []
        self.batchReady.emit(ClassifyBatch(self.job, results, step.done, step.total, step.found))

    def send_result(self, _result: None) -> None:
        self.ended.emit(self.job, False)

    def send_interrupted(self) -> None:  # results decoded ahead are dropped
        self.ended.emit(self.job, True)

    def send_failure(self, message: str) -> None:
        self.failed.emit(message)
        self.ended.emit(self.job, True)
