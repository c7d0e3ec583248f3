"""What the first paint does without, made ready right after it without stalling the window."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Generator, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from catgui.workers.generator import GeneratorWorker

log = logging.getLogger(__name__)

#: The modules the first paint does without, heaviest first: the Train tab's plot
#: (matplotlib: most of a second), the Train tab itself, the Mistakes tab.
MODULES = ("catgui.ui.train.cost_plot", "catgui.ui.train.tab", "catgui.ui.mistakes.tab")
#: Milliseconds between two builds, for the event loop to handle what came meanwhile.
PAUSE_MS = 15


def import_steps(names: Sequence[str]) -> Generator[str, None, int]:
    """Import the modules ``names`` one by one, yielding each name once it is imported."""
    for name in names:
        importlib.import_module(name)
        yield name
    return len(names)


class WarmUp(QObject):
    """Imports ``modules`` in a thread, then calls ``builds`` on the event loop, one a turn.

    An import in the GUI thread would freeze the window for as long as it takes (most of
    a second for matplotlib); in a worker thread the window goes on answering meanwhile.
    What must be made in the GUI thread (widgets, the figure) is made afterwards, one
    piece a turn of the event loop, so that input and painting get their turn between
    pieces. :meth:`stop` (the window is closing) ends it: nothing more is built.

    Signals
    -------
    finished()
        Every build is done (or the imports failed: what needs them imports them itself).
    """

    finished = Signal()

    def __init__(
        self,
        modules: Sequence[str],
        builds: Sequence[Callable[[], object]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._modules = tuple(modules)
        self._builds = list(builds)
        self._stopped = False
        self.worker: GeneratorWorker | None = None

    def start(self) -> None:
        worker = self.worker = GeneratorWorker(
            lambda: import_steps(self._modules), task="loading the Train tab", parent=self
        )
        worker.returned.connect(self._build_next)
        worker.failed.connect(self._import_failed)
        worker.finished.connect(worker.deleteLater)
        worker.start()

    def stop(self) -> None:
        """Build nothing more; interrupt the imports and wait for the thread."""
        self._stopped = True
        self._builds.clear()
        worker, self.worker = self.worker, None
        if worker is not None:
            try:
                worker.stop_and_wait()
            except RuntimeError:  # deleted already: it had ended
                pass

    def _import_failed(self, message: str) -> None:
        log.warning("warming up after the first paint: %s", message)
        self._build_next()

    def _build_next(self, *_args) -> None:
        self.worker = None
        if self._stopped:
            return
        if not self._builds:
            self.finished.emit()
            return
        self._builds.pop(0)()
        # a pause, not 0: a zero timer would run before the input and paints now due
        QTimer.singleShot(PAUSE_MS, self, self._build_next)
