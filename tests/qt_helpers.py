"""Qt test helpers shared by the GUI tests: real drag-and-drop events with file URLs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def file_mime(paths: list[Path]) -> QMimeData:
    """What a file manager puts on the clipboard when it drags ``paths``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_enter(widget: QWidget, paths: list[Path]) -> QDragEnterEvent:
    """Drag ``paths`` over the middle of ``widget``; returns the (delivered) event."""
    pos = QPointF(widget.width() / 2, widget.height() / 2).toPoint()
    mime = file_mime(paths)  # the event does not own it: keep it alive while it is sent
    event = QDragEnterEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)
    return event


def drop_files(widget: QWidget, paths: list[Path]) -> None:
    """Drag ``paths`` over ``widget`` and drop them, as a file manager does."""
    assert drag_enter(widget, paths).isAccepted()
    mime = file_mime(paths)
    event = QDropEvent(
        QPointF(widget.width() / 2, widget.height() / 2),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)
    assert event.isAccepted()
