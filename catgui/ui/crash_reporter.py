"""Unexpected exceptions: written to the log file and shown in a dialog; the app goes on."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from catgui.core import log_file
from catgui.core.log_file import log_path

__all__ = ["CrashReporter", "log_path"]

log = logging.getLogger("catgui.crash")


class CrashReporter(QObject):
    """Installs ``sys.excepthook`` and ``threading.excepthook``, and the log file.

    :meth:`install` also sends Python's logging to the one log file
    (:func:`catgui.core.log_file.configure`, ``<user data>/logs/catgui.log``, rotating);
    each report is logged there with its traceback. Any thread may report; the dialog is
    always shown in the GUI thread (the signal is queued across threads).

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
        self._configured = False
        self._log_problem = ""  # why the log file could not be opened, if it could not
        self.show_dialogs = show_dialogs
        self.dialogs: list[QMessageBox] = []
        self.reported.connect(self._show)

    def install(self) -> None:
        try:
            self._configured = log_file.current_file() is None
            log_file.configure()
        except OSError as exc:
            self._configured = False
            self._log_problem = f"{log_path()}: {exc.strerror or exc}"
            print(f"catgui: no log file ({self._log_problem})", file=sys.stderr)
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(
            args.exc_type, args.exc_value, args.exc_traceback
        )

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
        if self._configured:
            log_file.unconfigure()
            self._configured = False

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Log the exception and ask the GUI thread to show it."""
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        summary = f"{exc_type.__name__}: {exc}"
        where = self._write(exc_type, exc, tb)
        self.reported.emit(summary, f"{details}\nLogged to {where}")

    def _write(self, exc_type: type[BaseException], exc: BaseException, tb) -> str:
        """Log the exception; where it was written, for the dialog."""
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        path = log_file.current_file()
        if path is None:  # logging's last resort printed it on the error output
            return f"nowhere ({self._log_problem or 'no log file'})"
        print("".join(traceback.format_exception(exc_type, exc, tb)), file=sys.stderr)
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
