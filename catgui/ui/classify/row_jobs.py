"""Work on a few Classify rows at a time, off the GUI thread (a QObject, no widget).

The "Why?" heat maps and the comparison model's verdicts are computed for rows already
listed: :class:`RowJobs` asks for the next few rows that need it, runs a core generator
over them in the generic :class:`~catgui.workers.generator.GeneratorWorker`, hands each
step to the GUI thread and asks again when the batch ends. Small batches keep the rows on
screen first (they are asked for first each time) and let a model change take effect
within a picture or two.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from catgui.workers.base import WorkerHolder
from catgui.workers.generator import GeneratorWorker, Steps

#: ``next_batch()``: ``(token, items)`` to work on, or None when nothing needs doing.
NextBatch = Callable[[], "tuple[Any, list] | None"]


class RowJobs(QObject):
    """Runs ``make_steps(token, items)`` for the batches ``next_batch()`` gives, one at a time.

    Each step the generator yields goes to ``apply(token, step)`` in the GUI thread;
    ``token`` (the classifier the batch is for) lets ``apply`` drop work a newer model has
    made stale. A failure stops the work until :meth:`restart`.

    Signals
    -------
    failed(str)
        The work failed; the message says why.
    """

    failed = Signal(str)

    def __init__(
        self,
        next_batch: NextBatch,
        make_steps: Callable[[Any, list], Steps],
        apply: Callable[[Any, Any], None],
        task: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._next_batch, self._make_steps, self._apply = next_batch, make_steps, apply
        self.task = task
        self._token: Any = None
        self._broken = False
        self._holder = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))

    @property
    def worker(self) -> GeneratorWorker | None:
        return self._holder.worker

    def is_busy(self) -> bool:
        return self._holder.worker is not None

    def poke(self) -> None:
        """Start the next batch if none runs and some rows need work."""
        if self._holder.worker is not None or self._broken:
            return
        batch = self._next_batch()
        if not batch:
            return
        token, items = batch
        worker = GeneratorWorker(
            functools.partial(self._make_steps, token, items), task=self.task, max_per_second=0
        )
        # the worker rides along: a slot then knows which worker spoke, an old one is ignored
        worker.stepped.connect(functools.partial(self._on_step, worker))
        worker.failed.connect(functools.partial(self._on_failed, worker))
        worker.finished.connect(functools.partial(self._on_finished, worker))
        self._token = token
        self._holder.worker = worker
        worker.start()

    def restart(self) -> None:
        """What the rows need changed (another model): stop the batch, start afresh."""
        self._broken = False
        worker = self._holder.worker
        if worker is None:
            self.poke()
        else:
            self._token = None  # its last steps are dropped; the next batch starts when it ends
            worker.stop()

    def shutdown(self) -> None:
        """Stop the work and wait for the thread to end."""
        self._broken = True
        self._holder.stop_and_wait()

    def _on_step(self, worker: GeneratorWorker, step: Any) -> None:
        if worker is self._holder.worker and self._token is not None:
            self._apply(self._token, step)

    def _on_failed(self, worker: GeneratorWorker, message: str) -> None:
        if worker is self._holder.worker:
            self._broken = True
            self.failed.emit(message)

    def _on_finished(self, worker: GeneratorWorker) -> None:
        if worker is not self._holder.worker:
            return
        worker.wait()
        worker.deleteLater()
        self._holder.worker = None
        self.poke()
