"""Common ground for catgui's threads: every worker is tracked until it has finished."""

from __future__ import annotations

import os
import sys
import threading
import weakref

from PySide6.QtCore import QObject, Qt, QThread

_live: weakref.WeakSet[Worker] = weakref.WeakSet()

#: How much nicer than the GUI thread a worker thread runs (Linux ``nice`` steps).
BACKGROUND_NICENESS = 5


class Worker(QThread):
    """A ``QThread`` that runs one piece of core work in :meth:`run`.

    Subclasses emit plain data only (never widgets or pixmaps) and check
    ``isInterruptionRequested()`` between steps. :meth:`stop` asks the thread to end;
    :meth:`stop_and_wait` also waits for it (used when the window closes).

    The thread runs at a lower priority than the GUI thread (see
    :func:`lower_this_thread`), and so do the decoding threads it starts, which inherit it:
    on a 2-core machine busy decoding or training, the event loop then gets a core as soon
    as it has something to do instead of waiting for a time slice.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        _live.add(self)
        # ``started`` is emitted from the new thread itself, before ``run()``
        self.started.connect(lower_this_thread, Qt.ConnectionType.DirectConnection)

    def stop(self) -> None:
        self.requestInterruption()

    def stop_and_wait(self, timeout_ms: int = 5000) -> bool:
        """Interrupt and wait; ``True`` if the thread has ended."""
        self.requestInterruption()
        return self.wait(timeout_ms)


class WorkerHolder:
    """Keeps a running worker reachable from a ``destroyed`` slot without referring to the
    QObject that owns it (its Python side may be gone by then): :meth:`stop_and_wait`
    interrupts and waits for whatever worker it holds."""

    def __init__(self) -> None:
        self.worker: Worker | None = None

    def stop_and_wait(self, *_args) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            try:
                worker.stop_and_wait()
            except RuntimeError:  # the C++ thread object is gone already
                pass


def running_workers() -> list[Worker]:
    """Workers whose thread is still running (tests assert this is empty after each test)."""
    alive = []
    for worker in list(_live):
        try:
            if worker.isRunning():
                alive.append(worker)
        except RuntimeError:  # the C++ object is gone: not running
            continue
    return alive


def lower_this_thread(niceness: int = BACKGROUND_NICENESS) -> bool:
    """Make the calling thread ``niceness`` steps nicer; ``True`` if that was possible.

    Linux keeps a nice value per thread (and threads started from this one inherit it);
    elsewhere ``setpriority`` would change the whole process, GUI thread included, so
    nothing is done. Qt's own ``QThread`` priorities are ignored by Linux's default
    scheduler, and its idle priority would starve a worker on a loaded machine.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))
    except OSError:
        return False
    return True
