"""Live frames through the active model in one long-lived thread; frames are dropped,
never queued, while the model is busy.

The GUI thread :meth:`FrameScorer.offer`\\ s each frame; the offer is refused (and the
frame dropped, counted in :attr:`FrameScorer.dropped`) while a frame is being scored, so
the verdict shown is always of a recent frame and the event loop never waits. A frame is
a ``QImage`` (implicitly shared, safe to hand to another thread): its conversion to
NumPy happens here, off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from catgui.core import live
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError
from catgui.workers.base import Worker, lower_this_thread

log = logging.getLogger(__name__)


def rgb_pixels(image: QImage) -> np.ndarray:
    """An ``(h, w, 3)`` uint8 copy of ``image``'s pixels (any thread)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = rgb.height(), rgb.width(), rgb.bytesPerLine()
    if h == 0 or w == 0:
        raise CatguiError("the frame is empty")
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=h * stride).reshape(h, stride)
    return rows[:, : 3 * w].reshape(h, w, 3).copy()


class FrameScorer(Worker):
    """Scores at most one frame at a time with the classifier it was last given.

    Signals
    -------
    scored(object)
        A :class:`~catgui.core.live.Verdict` of the frame last taken.
    failed(str)
        A frame could not be scored; the message says why (the next frame is tried).
    """

    scored = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # the live verdict is what the user is watching: unlike background work, this
        # thread keeps the GUI thread's priority (bench_live: p95 97-114 ms against
        # 105-234 ms lowered, the window's worst stall alike, on the loaded 2-core machine)
        self.started.disconnect(lower_this_thread)
        self._lock = threading.Condition()
        self._frame: tuple[QImage, float, float] | None = None
        self._busy = False
        self._classifier: Classifier | None = None
        self._why = False
        self.offered = 0
        self.dropped = 0

    def set_classifier(self, classifier: Classifier | None) -> None:
        """The model for the next frames (the frame being scored keeps its own)."""
        with self._lock:
            self._classifier = classifier

    def set_why(self, why: bool) -> None:
        """Also make the "Why?" overlay of the next frames (when the model can)."""
        with self._lock:
            self._why = bool(why)

    def is_busy(self) -> bool:
        with self._lock:
            return self._busy or self._frame is not None

    def offer(self, image: QImage, stamp: float) -> bool:
        """Hand ``image`` (its time ``stamp`` in ms) over; ``False``: busy, dropped."""
        with self._lock:
            self.offered += 1
            if self._busy or self._frame is not None or self._classifier is None:
                self.dropped += 1
                return False
            self._frame = (image, float(stamp), time.perf_counter())
            self._lock.notify()
            return True

    def stop(self) -> None:
        self.requestInterruption()
        with self._lock:
            self._lock.notify()

    def stop_and_wait(self, timeout_ms: int = 5000) -> bool:
        self.stop()
        return self.wait(timeout_ms)

    def run(self) -> None:  # noqa: D401 - Qt entry point
        while not self.isInterruptionRequested():
            with self._lock:
                self._lock.wait_for(
                    lambda: self._frame is not None or self.isInterruptionRequested(), 0.2
                )
                if self._frame is None:
                    continue
                (image, stamp, offered), self._frame = self._frame, None
                classifier, why = self._classifier, self._why
                self._busy = True
            try:
                if classifier is not None:
                    frame = rgb_pixels(image)
                    self.scored.emit(live.score(classifier, frame, stamp, offered, why))
            except CatguiError as exc:
                self.failed.emit(str(exc))
            except Exception as exc:  # noqa: BLE001 - a frame's failure is said, the next is tried
                log.error("scoring a frame failed", exc_info=exc)
                self.failed.emit(f"a frame could not be classified ({type(exc).__name__}: {exc})")
            finally:
                with self._lock:
                    self._busy = False
