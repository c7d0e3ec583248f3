"""Scans of the library's folders, one at a time, in the generic worker (a QObject, no widget).

The scan is :func:`catgui.core.library.jobs.scan_job`; this object starts it, pauses it
(between two batches; the index stays held), stops it (at a batch boundary: every saved
batch stays, the next scan continues from there) and turns its steps into a sentence with
photos/s and the time left.
"""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core.library import jobs
from catgui.core.library.scan import ScanStep, Summary
from catgui.workers.base import WorkerHolder
from catgui.workers.generator import GeneratorWorker

#: Progress signals a second at most.
PER_SECOND = 10


class Scanner(QObject):
    """Runs scans of ``folders`` into the index at ``index_path``.

    Signals
    -------
    progressed(int, int, str)
        Files read, files to read (0 while walking), and a sentence for the user.
    finished(object)
        The scan ended: its :class:`~catgui.core.library.scan.Summary` (``interrupted``
        when it was stopped).
    failed(str)
        The scan could not run or stopped on an error (the index busy, a damaged index,
        a model that reads pixels); the message says so in words.
    runningChanged(bool)
    forgotten(str, int)
        A folder left the library: its path, and how many rows left the index.
    """

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    runningChanged = Signal(bool)
    forgotten = Signal(str, int)

    def __init__(self, index_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index_path = Path(index_path)
        self.paused = threading.Event()
        self._closed = False  # shut down: no more scans
        self._holder = WorkerHolder()
        self.destroyed.connect(functools.partial(WorkerHolder.stop_and_wait, self._holder))
        self._rate: tuple[float, int] | None = None  # (time, done) when reading began
        self._last: ScanStep | None = None
        self.last_text = ""

    @property
    def worker(self) -> GeneratorWorker | None:
        return self._holder.worker

    def is_running(self) -> bool:
        return self._holder.worker is not None

    def start(self, folders: list[str], model_path: str | Path) -> bool:
        """Scan ``folders`` with the model file at ``model_path``; ``False`` if a scan runs."""
        if self.is_running() or not folders or self._closed:
            return False
        self._rate = None  # (``paused`` stays as the Pause button says)
        self._last = None
        index_path, roots, paused = self.index_path, list(folders), self.paused

        def steps():  # called in the worker's thread, once ``worker`` exists
            return jobs.scan_job(
                index_path, roots, model_path, paused, worker.isInterruptionRequested
            )

        worker = ScanWorker(steps, "the scan", PER_SECOND, self)
        worker.stepped.connect(self._stepped)
        worker.returned.connect(self._returned)
        worker.failed.connect(self._failed)
        worker.interrupted.connect(self._interrupted)
        self._holder.worker = worker
        worker.start()
        self.runningChanged.emit(True)
        return True

    def forget(self, folder: str, keep: list[str]) -> bool:
        """Take ``folder``'s files out of the index (those under ``keep`` stay), in the
        worker; ``False`` if a scan runs."""
        if self.is_running() or self._closed:
            return False
        index_path = self.index_path
        worker = GeneratorWorker(
            lambda: jobs.forget_job(index_path, folder, keep), "removing the folder", 0, self
        )
        worker.returned.connect(lambda n: (self._end(), self.forgotten.emit(folder, n)))
        worker.failed.connect(self._failed)
        self._holder.worker = worker
        worker.start()
        self.runningChanged.emit(True)
        return True

    def pause(self, on: bool) -> None:
        """Hold the scan between two batches (``on``), or let it go on."""
        if on:
            self.paused.set()
            self.last_text = f"Paused. {self.last_text}".strip()
            self.progressed.emit(-1, -1, self.last_text)
        else:
            self.paused.clear()
            self._rate = None  # the pause does not count in photos/s

    def stop(self) -> None:
        """End the scan at the next batch boundary (at once when paused)."""
        worker = self._holder.worker
        if worker is not None:
            worker.requestInterruption()

    def shutdown(self) -> None:
        self._closed = True
        self._holder.stop_and_wait()

    # -- the worker's signals ----------------------------------------------------------------
    def _stepped(self, step: ScanStep) -> None:
        now = time.monotonic()
        self._last = step
        if step.phase != "reading" or not step.total:
            words = {
                "walking": "Looking for pictures",
                "compacting": "Tidying the index",
                "scoring": "Scoring stored pictures",
            }
            found = f": {step.done:,} so far" if step.done else "…"
            self.last_text = f"{words.get(step.phase, step.phase)}{found}"
            self.progressed.emit(0, 0, self.last_text)
            return
        if self._rate is None:
            self._rate = (now, step.done)
        start, done_then = self._rate
        text = f"Reading {step.done:,} of {step.total:,} photos"
        if now - start > 0.5 and step.done > done_then and step.done < step.total:
            per_second = (step.done - done_then) / (now - start)
            left = (step.total - step.done) / per_second
            text += f" · {per_second:.0f} photos/s · about {_duration(left)} left"
        self.last_text = text
        self.progressed.emit(step.done, step.total, text)

    def _returned(self, summary: Summary) -> None:
        self._end()
        self.finished.emit(summary)

    def _interrupted(self) -> None:
        last = self._last
        reading = last is not None and last.phase == "reading"
        done, total = (last.done, last.total) if reading else (0, 0)
        self._returned(Summary(interrupted=True, done=done, total=total))

    def _failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _end(self) -> None:
        self._holder.worker = None  # one job at a time: the one that just ended
        self.paused.clear()
        self.runningChanged.emit(False)


class ScanWorker(GeneratorWorker):
    """The generic worker, sending the first step of every phase of a scan at once (a
    quick phase is still seen, whatever the throttle), and the last photo read."""

    _phase: str | None = None

    def sends_at_once(self, step: ScanStep, first: bool) -> bool:
        changed, self._phase = step.phase != self._phase, step.phase
        finished_reading = step.phase == "reading" and step.done == step.total
        return first or changed or finished_reading


def _duration(seconds: float) -> str:
    """``"40 s"``, ``"3 min"``, ``"1 h 20 min"``."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


def summary_text(summary: Summary) -> str:
    """What a finished scan did, in a sentence."""
    parts = [f"{summary.found:,} photos"]
    if summary.read:
        parts.append(f"{summary.read:,} read")
    if summary.unchanged:
        parts.append(f"{summary.unchanged:,} unchanged")
    if summary.removed:
        parts.append(f"{summary.removed:,} gone")
    if summary.errors:
        parts.append(f"{summary.errors:,} could not be read")
    return f"Scanned in {summary.seconds:.1f} s: " + ", ".join(parts)
