"""The one generic worker: runs any core generator in a thread, with Qt signals.

A core generator does long work step by step: it yields progress (a
:class:`~catgui.core.training.Progress`, an :class:`~catgui.core.folders.ImportProgress`,
...) and returns its result. :class:`GeneratorWorker` drives it in :meth:`run`:

- progress is throttled to at most :attr:`~GeneratorWorker.max_per_second` signals a
  second; the first step and the last one are always sent;
- the generator's return value is the result;
- every exception becomes one ``failed(str)`` with a message a person can read (the
  traceback of an unexpected one goes to the log, never to the user);
- ``isInterruptionRequested()`` is checked after each step; the generator is then closed,
  so its ``finally`` blocks run (temporary files removed, decoding threads stopped).

One set of names for how a run ends, in every worker: its result (``returned``, or a
worker's own typed ``succeeded``), ``failed(str)``, or ``interrupted()`` when :meth:`stop`
ended it between two steps. Two workers say more, in the same words: training keeps what
was learnt when stopped, so :class:`~catgui.workers.train.TrainWorker` sends it as its
result (``succeeded``, the outcome marked ``stopped``) instead of ``interrupted``; and
:class:`~catgui.workers.classify.ClassifyWorker` ends every run with ``ended(job,
interrupted)``, the classify queue's cue to start the next job.

Used as is, the worker emits the generic signals. A worker with its own public signals
(:class:`~catgui.workers.train.TrainWorker`, ...) is a thin declaration: it names its
generator in :meth:`~GeneratorWorker.steps` and maps progress, result and interruption
to its signals by overriding :meth:`~GeneratorWorker.send_progress`,
:meth:`~GeneratorWorker.send_result` and :meth:`~GeneratorWorker.send_interrupted`
(and, where it needs to, :meth:`~GeneratorWorker.sends_at_once`,
:meth:`~GeneratorWorker.collect`, :meth:`~GeneratorWorker.send_failure`,
:meth:`~GeneratorWorker.failure_message`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, Signal

from catgui.core import log_file
from catgui.core.errors import CatguiError
from catgui.workers.base import Worker

log = logging.getLogger(__name__)

#: Progress signals a second, at most, unless a worker says otherwise.
DEFAULT_MAX_PER_SECOND = 30.0

Steps = Generator[Any, Any, Any]


class GeneratorWorker(Worker):
    """Run the generator ``make_steps()`` returns in a thread.

    Parameters
    ----------
    make_steps : callable, optional
        Called in the worker thread; returns the generator to drive. A subclass may
        override :meth:`steps` instead.
    task : str, optional
        What the work is, as it reads in a sentence ("the download", "training"); names
        what failed in the messages of unexpected errors.
    max_per_second : float, optional
        Progress signals a second at most (the first and the last are always sent);
        0 sends every step.
    parent : QObject, optional
        The Qt parent.

    Signals
    -------
    stepped(object)
        A progress item the generator yielded (throttled).
    returned(object)
        The generator's return value; the work is complete.
    failed(str)
        A message a person understands: a :class:`~catgui.core.errors.CatguiError`'s as
        is, else a sentence naming :attr:`task` and the problem.
    interrupted()
        The work stopped between two steps because :meth:`stop` was called.

    Exactly one of ``returned``, ``failed`` or ``interrupted`` ends each run (through
    :meth:`send_result`, :meth:`send_failure` and :meth:`send_interrupted`).
    """

    stepped = Signal(object)
    returned = Signal(object)
    failed = Signal(str)
    interrupted = Signal()

    #: Progress signals a second, at most (0: every step); a subclass may set its own.
    max_per_second: float = DEFAULT_MAX_PER_SECOND
    #: What the work is, as it reads in a sentence.
    task: str = "the work"

    def __init__(
        self,
        make_steps: Callable[[], Steps] | None = None,
        task: str | None = None,
        max_per_second: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_steps = make_steps
        if task is not None:
            self.task = task
        if max_per_second is not None:
            self.max_per_second = max_per_second

    # -- what a declaration overrides ----------------------------------------------------

    def steps(self) -> Steps:
        """The generator to drive (called in the worker thread)."""
        if self._make_steps is None:
            raise TypeError(f"{type(self).__name__} has no generator to run")
        return self._make_steps()

    def collect(self, step: Any) -> None:
        """Called with every step, sent or not; a declaration that must lose none of them
        (classification results) gathers them here. Default: nothing."""

    def sends_at_once(self, step: Any, first: bool) -> bool:
        """Whether ``step`` is sent whatever the throttle says (default: the first step)."""
        return first

    def send_progress(self, step: Any) -> None:
        """Emit one (throttled) progress item; default :attr:`stepped`."""
        self.stepped.emit(step)

    def send_result(self, result: Any) -> None:
        """Emit the generator's return value; default :attr:`returned`."""
        self.returned.emit(result)

    def send_interrupted(self) -> None:
        """Tell that the work was interrupted; default :attr:`interrupted`."""
        self.interrupted.emit()

    def send_failure(self, message: str) -> None:
        """Emit ``message`` for the user; default :attr:`failed`."""
        self.failed.emit(message)

    def failure_message(self, exc: BaseException) -> str:
        """The sentence a person reads for ``exc`` (its traceback goes to the log)."""
        if isinstance(exc, CatguiError):
            return str(exc)
        if isinstance(exc, MemoryError):
            return f"{_capitalised(self.task)} ran out of memory; try with less data"
        detail = str(exc) or "no details"
        return (
            f"{_capitalised(self.task)} stopped because of an unexpected error "
            f"({type(exc).__name__}: {detail}); the details were written to {log_file.where()}"
        )

    # -- the loop --------------------------------------------------------------------------

    def run(self) -> None:  # noqa: D401 - Qt entry point
        """Drive the generator; end with exactly one of result, failure or interruption."""
        try:
            self._drive()
        except Exception as exc:  # noqa: BLE001 - every error reaches the user as a sentence
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if not isinstance(exc, CatguiError):
            log.error("%s failed in %s", self.task, type(self).__name__, exc_info=exc)
        try:
            message = self.failure_message(exc)
        except Exception:  # noqa: BLE001 - a message hook must not hide the failure
            log.exception("failure_message of %s failed", type(self).__name__)
            message = GeneratorWorker.failure_message(self, exc)
        self.send_failure(message)

    def _drive(self) -> None:
        interval = 1.0 / self.max_per_second if self.max_per_second > 0 else 0.0
        steps = self.steps()
        last_sent = time.monotonic()
        pending: list[Any] = []  # the latest step not sent yet, if any
        first = True
        try:
            while True:
                try:
                    step = next(steps)
                except StopIteration as end:
                    result = end.value
                    break
                except BaseException:
                    self._send_pending(pending)  # the last progress reached, before failing
                    raise
                self.collect(step)
                now = time.monotonic()
                if self.sends_at_once(step, first) or now - last_sent >= interval:
                    pending.clear()
                    self.send_progress(step)
                    last_sent = now
                else:
                    pending[:] = [step]
                first = False
                if self.isInterruptionRequested():
                    self._send_pending(pending)
                    steps.close()  # runs the generator's ``finally`` blocks
                    self.send_interrupted()
                    return
        finally:
            steps.close()  # a no-op once the generator has ended
        self._send_pending(pending)
        self.send_result(result)

    def _send_pending(self, pending: list[Any]) -> None:
        if pending:
            self.send_progress(pending.pop())


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
