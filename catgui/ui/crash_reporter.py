"""Unexpected exceptions: written to a log file and shown in a dialog; the app goes on."""

from __future__ import annotations

import datetime as _dt
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from catgui.core.paths import user_data_dir


def log_path() -> Path:
    """``<user data>/logs/catgui.log``."""
    return user_data_dir() / "logs" / "catgui.log"


class CrashReporter(QObject):
    """Installs ``sys.excepthook`` and ``threading.excepthook``.

    Any thread may report; the dialog is always shown in the GUI thread (the signal is
    queued across threads). Each report is appended to :func:`log_path`.

    Signals
    -------
    reported(str, str)
        ``(summary, details)`` of an exception that was just logged.
    """

    reported = Signal(str, str)

    def __init__(self, parent: QObject | None = None, show_dialogs: bool = True) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._previous: tuple[Callable, Callable] | None = None
        self.show_dialogs = show_dialogs
        self.dialogs: list[QMessageBox] = []
        self.reported.connect(self._show)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(
            args.exc_type, args.exc_value, args.exc_traceback
        )

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Log the exception and ask the GUI thread to show it."""
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        summary = f"{exc_type.__name__}: {exc}"
        where = self._write(details)
        print(details, file=sys.stderr)
        self.reported.emit(summary, f"{details}\nLogged to {where}")

    def _write(self, details: str) -> str:
        path = log_path()
        stamp = _dt.datetime.now().isoformat(timespec="seconds")
        try:
            with self._lock:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "a", encoding="utf-8") as f:
                    f.write(f"--- {stamp}\n{details}\n")
        except OSError as exc:
            return f"nowhere ({path}: {exc.strerror or exc})"
        return str(path)

    def _show(self, summary: str, details: str) -> None:
        if not self.show_dialogs:
            return
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
        parent = QApplication.activeWindow() or next((w for w in windows if w.isVisible()), None)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Something went wrong",
            "",
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setObjectName("crashDialog")
        box.setText(
            "catgui hit an unexpected problem. Your work is still open; you can keep going."
        )
        box.setInformativeText(summary)
        box.setDetailedText(details)
        self.dialogs.append(box)
        box.finished.connect(
            lambda _r, b=box: self.dialogs.remove(b) if b in self.dialogs else None
        )
        box.open()
