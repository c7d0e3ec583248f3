"""Helpers for the GUI benchmarks (figures 2, 3): a real window, a stall probe.

The window is catgui's own :class:`catgui.ui.main_window.MainWindow`, with user folders
pointed at a temporary directory (models trained here are saved there, not in the
checkout). Qt runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def gui_missing() -> str | None:
    """Why the GUI benchmarks cannot run here, or ``None``."""
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:
        return f"PySide6 is not importable ({exc})"
    for module in ("catgui.ui.main_window", "catgui.workers.train", "catgui.workers.classify"):
        try:
            __import__(module)
        except ImportError as exc:
            return f"{module} is not available yet ({exc})"
    return None


def isolate_user_folders() -> Path:
    """Point catgui's user folders at a fresh temporary directory; return it."""
    home = Path(tempfile.mkdtemp(prefix="catgui-bench-home-"))
    os.environ["CATGUI_HOME"] = str(home)
    os.environ["CATGUI_MODELS"] = str(home / "models")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    return home


def application():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def main_window(data_folder: Path | None, home: Path):
    """The main window on a state with the data set opened (when given), shown."""
    from PySide6.QtCore import QSettings

    from catgui.ui.app_state import AppState
    from catgui.ui.application import freeze_after_start
    from catgui.ui.main_window import MainWindow

    application()
    state = AppState(home / "models")
    if data_folder is not None:
        state.open_dataset(data_folder)
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(state, settings)
    freeze_after_start(window)  # as the app does
    window.resize(1100, 760)
    window.show()
    return window


def wait_until(predicate, timeout: float, wake=None) -> bool:
    """Run the event loop until ``predicate()`` is true or ``timeout`` seconds pass.

    With ``wake`` (a Qt signal), the predicate is checked when that signal fires and only
    every 100 ms otherwise; without it, every 2 ms. A fast Python timer is not free: each
    tick takes the GIL from a training thread, which is the benchmark's own cost, not the
    app's (the real event loop sleeps until something happens).
    """
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.perf_counter() + timeout
    loop = QEventLoop()

    def check(*_args) -> None:
        if predicate() or time.perf_counter() >= deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(2 if wake is None else 100)
    timer.timeout.connect(check)
    if wake is not None:
        wake.connect(check)
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    if wake is not None:
        wake.disconnect(check)
    return bool(predicate())


class StallProbe:
    """A 5 ms timer in the GUI thread; a stall is how late each tick arrives.

    A tick due at ``t`` that runs at ``t + s`` means the event loop could not run for
    ``s`` seconds: whatever the user did in that time waited ``s`` too.
    """

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last: float | None = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = None
        self.timer.start()

    def stop(self) -> dict:
        self.timer.stop()
        stalls = np.maximum(np.asarray(self.gaps or [self.interval]) - self.interval, 0.0)
        return {
            "ticks": len(self.gaps),
            "worst_stall_seconds": float(stalls.max()),
            "p99_stall_seconds": float(np.percentile(stalls, 99)),
            "median_stall_seconds": float(np.median(stalls)),
            "probe_interval_seconds": self.interval,
        }
