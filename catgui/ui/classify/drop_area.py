"""Where pictures and folders are dropped (objectName ``dropArea``)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QPushButton, QSizePolicy, QWidget

from catgui.ui.common import tones
from catgui.ui.common.palette_follower import keep_style_sheet

FORMATS = "JPEG, PNG, GIF, WebP, BMP or TIFF — folders are searched, subfolders too"


def local_paths(mime: QMimeData | None) -> list[str]:
    """Local files and folders named by ``mime`` (file URLs), in order; others are ignored."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class DropArea(QFrame):
    """Invites a drop of pictures or folders; also offers Open images… and Open folder….

    Large with an illustration while nothing has been classified; :meth:`set_compact`
    turns it into one slim line above the results. It lights up while a drag is over it.

    Signals
    -------
    pathsDropped(list)
        Local paths (files and folders) dropped, as ``str``.
    openImagesRequested()
        The Open images… button was clicked.
    openFolderRequested()
        The Open folder… button was clicked.
    """

    pathsDropped = Signal(list)
    openImagesRequested = Signal()
    openFolderRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropArea")
        self.setAcceptDrops(True)
        self.setAccessibleName("Drop area for pictures and folders")
        self._active = False
        self._compact = False

        self.title = QLabel("Drop pictures or folders here")
        self.title.setObjectName("dropTitle")
        self._big_font = self.title.font()
        self._big_font.setPointSizeF(self._big_font.pointSizeF() * 1.35)
        self._big_font.setBold(True)
        self._small_font = self.title.font()
        self.subtitle = QLabel(FORMATS)
        self.subtitle.setObjectName("dropSubtitle")
        self.subtitle.setWordWrap(True)
        self.open_button = QPushButton("Open images…")
        self.open_button.setObjectName("openImagesButton")
        self.open_button.setDefault(True)
        self.open_button.setToolTip("Choose picture files to classify (Ctrl+O)")
        self.open_button.clicked.connect(self.openImagesRequested)
        self.folder_button = QPushButton("Open folder…")
        self.folder_button.setObjectName("openFolderButton")
        self.folder_button.setToolTip("Classify every picture in a folder and its subfolders")
        self.folder_button.clicked.connect(self.openFolderRequested)
        keep_style_sheet(
            self,
            f"QPushButton#openImagesButton {{ background-color: {tones.PRIMARY}; color: white;"
            " border: none; border-radius: 6px; padding: 6px 16px; font-weight: 600; }"
            f" QPushButton#openImagesButton:hover {{ background-color: {tones.PRIMARY_HOVER}; }}"
            " QPushButton#openImagesButton:pressed"
            f" {{ background-color: {tones.PRIMARY_PRESSED}; }}"
            " QPushButton#openImagesButton:focus { border: 2px solid #8ec5ff; }"
            " QPushButton#openFolderButton { border: 1px solid palette(mid); border-radius: 6px;"
            " padding: 5px 14px; background-color: palette(base); color: palette(text); }"
            " QPushButton#openFolderButton:hover { background-color: palette(alternate-base); }"
            " QPushButton#openFolderButton:focus { border: 2px solid #8ec5ff; }",
        )

        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._buttons.addStretch(1)
        self._buttons.addWidget(self.open_button)
        self._buttons.addWidget(self.folder_button)
        self._buttons.addStretch(1)
        self._arrange()

    # -- appearance ------------------------------------------------------------------------
    def is_compact(self) -> bool:
        return self._compact

    def set_compact(self, compact: bool) -> None:
        """Slim single line (``True``) or the large invitation (``False``)."""
        if compact != self._compact:
            self._compact = compact
            self._arrange()

    def is_highlighted(self) -> bool:
        """Whether a drag with files is over the area right now."""
        return self._active

    def _arrange(self) -> None:
        layout = self._layout
        while layout.count():
            layout.takeAt(0)
        compact = self._compact
        self.subtitle.setVisible(not compact)
        align = Qt.AlignmentFlag.AlignCenter
        if compact:
            layout.setDirection(QBoxLayout.Direction.LeftToRight)
            layout.setContentsMargins(16, 8, 10, 8)
            self.title.setText("Drop more pictures or folders here to classify them")
            self.title.setFont(self._small_font)
            self.title.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(self.title, 1)
            layout.addLayout(self._buttons)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.setMinimumHeight(0)
        else:
            layout.setDirection(QBoxLayout.Direction.TopToBottom)
            layout.setContentsMargins(24, 120, 24, 32)
            self.title.setText("Drop pictures or folders here")
            self.title.setFont(self._big_font)
            self.title.setAlignment(align)
            self.subtitle.setAlignment(align)
            layout.addStretch(1)
            layout.addWidget(self.title)
            layout.addWidget(self.subtitle)
            layout.addSpacing(14)
            layout.addLayout(self._buttons)
            layout.addStretch(1)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            self.setMinimumHeight(260)
        self.updateGeometry()
        self.update()

    def _set_active(self, active: bool) -> None:
        if active != self._active:
            self._active = active
            self.setProperty("dragActive", active)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        palette = self.palette()
        accent = palette.highlight().color()
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        fill = QColor(accent if self._active else palette.alternateBase().color())
        fill.setAlphaF(0.16 if self._active else 1.0)
        border = QColor(accent if self._active else palette.mid().color())
        pen = QPen(border, 2.5 if self._active else 1.5)
        pen.setStyle(Qt.PenStyle.SolidLine if self._active else Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 12, 12)
        if not self._compact:
            self._paint_picture_icon(painter, border)
        painter.end()

    def _paint_picture_icon(self, painter: QPainter, colour: QColor) -> None:
        """A simple "picture" glyph above the title."""
        w, h = 72.0, 56.0
        cx = self.width() / 2
        top = max(16.0, self.title.geometry().top() - h - 22)
        frame = QRectF(cx - w / 2, top, w, h)
        painter.setPen(QPen(colour, 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(frame, 8, 8)
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(frame.left() + 20, frame.top() + 17), 6, 6)
        hills = QPainterPath(QPointF(frame.left() + 8, frame.bottom() - 8))
        hills.lineTo(frame.left() + 28, frame.bottom() - 28)
        hills.lineTo(frame.left() + 40, frame.bottom() - 18)
        hills.lineTo(frame.left() + 50, frame.bottom() - 30)
        hills.lineTo(frame.right() - 8, frame.bottom() - 8)
        hills.closeSubpath()
        painter.drawPath(hills)

    # -- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
            self._set_active(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt API
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt API
        self._set_active(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        self._set_active(False)
        paths = local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.pathsDropped.emit(paths)
