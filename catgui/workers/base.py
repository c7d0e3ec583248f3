"""Common ground for catgui's threads: every worker is tracked until it has finished."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, QThread

_live: weakref.WeakSet[Worker] = weakref.WeakSet()


class Worker(QThread):
    """A ``QThread`` that runs one piece of core work in :meth:`run`.

    Subclasses emit plain data only (never widgets or pixmaps) and check
    ``isInterruptionRequested()`` between steps. :meth:`stop` asks the thread to end;
    :meth:`stop_and_wait` also waits for it (used when the window closes).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        _live.add(self)

    def stop(self) -> None:
        self.requestInterruption()

    def stop_and_wait(self, timeout_ms: int = 5000) -> bool:
        """Interrupt and wait; ``True`` if the thread has ended."""
        self.requestInterruption()
        return self.wait(timeout_ms)


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
