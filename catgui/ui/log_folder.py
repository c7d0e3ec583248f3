"""Help ▸ Open Log Folder: the folder of the one log file, in the file manager."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from catgui.core import log_file


def log_folder() -> Path:
    """The folder of the log file in use (else of :func:`~catgui.core.log_file.log_path`)."""
    return (log_file.current_file() or log_file.log_path()).parent


def open_log_folder(
    parent: QWidget, opener: Callable[[QUrl], bool] = QDesktopServices.openUrl
) -> QMessageBox | None:
    """Show the log folder in the file manager (made first if need be).

    Where there is no file manager to ask (or it fails), a message names the folder
    instead, selectable; it is returned (``None`` when the file manager opened).
    """
    folder = log_folder()
    problem = ""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = f"It could not be made: {exc.strerror or exc}."
    if not problem and opener(QUrl.fromLocalFile(str(folder))):
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Log folder",
        f"catgui writes its log (catgui.log) in:<br><b>{html.escape(str(folder))}</b>"
        f"<br>{html.escape(problem)}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("logFolderMessage")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box
