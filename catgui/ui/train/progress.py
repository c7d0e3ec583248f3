"""The bar under the cost plot: iteration, current cost, elapsed time and time left."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtWidgets import QProgressBar, QWidget


def clock(seconds: float) -> str:
    """``0:00``, ``1:15``, ``1:06:40``."""
    minutes, secs = divmod(max(0, int(round(seconds))), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TrainProgress(QProgressBar):
    """``Iteration 120 of 2,500 · cost 0.6412 · 0:03 elapsed · 1:02 left``, then the result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainProgress")
        self.setFormat("Ready")
        self.total = 0
        self._started = 0.0
        #: The words of a step instead of "Iteration i of n · cost c" (``None``: those):
        #: ``words(iteration, cost)``, for runs whose steps are not iterations.
        self.words: Callable[[int, float], str] | None = None

    def reset_text(self) -> None:
        """Back to "Ready" (the run shown was discarded, or another model is active)."""
        self.total = 0
        self.setRange(0, 1)
        self.setValue(0)
        self.setFormat("Ready")

    def start(self, total: int) -> None:
        self.total = total
        self._started = time.monotonic()
        self.setRange(0, total)
        self.setValue(0)
        self.setFormat("Starting…")

    def step(self, iteration: int, cost: float) -> None:
        done = iteration + 1
        elapsed = time.monotonic() - self._started
        left = elapsed * (self.total - done) / done if done else 0.0
        # One paint, later: setValue alone repaints at once and setFormat once more.
        self.setUpdatesEnabled(False)
        self.setValue(done)
        if self.words is not None:
            head = self.words(iteration, cost)
        elif math.isfinite(cost):
            head = f"Iteration {done:,} of {self.total:,} · cost {cost:.4f}"
        else:  # a step with no cost yet: the pictures are being prepared
            head = f"Step {done:,} of {self.total:,} · preparing the pictures"
        self.setFormat(f"{head} · {clock(elapsed)} elapsed · {clock(left)} left")
        self.setUpdatesEnabled(True)

    def finish(self, costs: list[float], seconds: float, stopped: bool) -> None:
        """The run's end: where it stopped, or how long it took (and whether it converged)."""
        done = len(costs)
        self.setValue(done)
        final = f"cost {costs[-1]:.4f}" if costs and math.isfinite(costs[-1]) else ""
        if stopped:
            self.setFormat(f"Stopped at iteration {done:,} of {self.total:,} · {final}")
            return
        if done != self.total:  # converged early: the run is whole, so is the bar
            self.setValue(self.maximum())
        what = f"{done:,} iterations" if done == self.total else f"converged after {done:,} steps"
        self.setFormat(f"Done: {what} in {seconds:.1f} s · {final}")
