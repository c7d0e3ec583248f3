"""The live picture with the model's verdict and a p(cat) bar painted over it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from catgui.core import live
from catgui.ui.common import tones
from catgui.ui.common.qimages import to_rgba_qimage


class LiveView(QWidget):
    """Shows the latest frame, scaled to fit, and the latest verdict on it.

    Without frames it shows :attr:`message` (how to start, or what went wrong) instead of
    a black box. What it shows is readable in tests: :attr:`image`, :attr:`verdict`,
    :meth:`verdict_text`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setAccessibleName("Live picture and verdict")
        self.image = QImage()
        self.verdict: live.Verdict | None = None
        self.threshold = 0.5
        self.show_why = False
        self.message = "Press Start to see the camera, or play a video file."

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(640, 480)

    def show_frame(self, image: QImage) -> None:
        self.image = image
        self.update()

    def show_verdict(self, verdict: live.Verdict | None) -> None:
        self.verdict = verdict
        self.update()

    def show_message(self, text: str) -> None:
        """A sentence instead of the picture (the picture is cleared)."""
        self.message = text
        self.image = QImage()
        self.verdict = None
        self.update()

    def verdict_text(self) -> str:
        if self.verdict is None:
            return ""
        p = self.verdict.probability
        word = "Cat" if self.verdict.label(self.threshold) == "cat" else "Not cat"
        return f"{word} · p(cat) {p:.2f}"

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), QColor("#101012"))
        if self.image.isNull():
            painter.setPen(QColor("#e8e8ea"))
            painter.drawText(
                self.rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.message,
            )
            return
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - size.width()) / 2, (self.height() - size.height()) / 2
        target = QRectF(x, y, size.width(), size.height())
        painter.drawImage(target, self.image)
        if self.verdict is not None:
            if self.show_why and self.verdict.heat is not None:
                self._paint_heat(painter, target)
            self._paint_verdict(painter, target)

    def _paint_heat(self, painter: QPainter, picture: QRectF) -> None:
        """The evidence over the centred square the model saw."""
        side = min(picture.width(), picture.height())
        square = QRectF(
            picture.center().x() - side / 2, picture.center().y() - side / 2, side, side
        )
        painter.drawImage(square, to_rgba_qimage(self.verdict.heat))

    def _paint_verdict(self, painter: QPainter, picture: QRectF) -> None:
        p = self.verdict.probability
        is_cat = self.verdict.label(self.threshold) == "cat"
        colour = QColor(tones.CAT if is_cat else tones.NON_CAT)
        font = QFont(self.font())
        font.setPointSizeF(max(12.0, font.pointSizeF() * 1.6))
        font.setBold(True)
        painter.setFont(font)
        text = self.verdict_text()
        height = painter.fontMetrics().height() + 12
        width = painter.fontMetrics().horizontalAdvance(text) + 24
        chip = QRectF(picture.left() + 12, picture.top() + 12, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(chip, 8, 8)
        painter.setPen(tones.LIGHT_INK)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        # the p(cat) bar along the bottom, the threshold marked
        bar = QRectF(picture.left() + 12, picture.bottom() - 26, picture.width() - 24, 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 90))
        painter.drawRoundedRect(bar, 7, 7)
        filled = QRectF(bar.left(), bar.top(), bar.width() * min(max(p, 0.0), 1.0), bar.height())
        painter.setBrush(colour)
        painter.drawRoundedRect(filled, 7, 7)
        mark = bar.left() + bar.width() * self.threshold
        painter.setPen(QColor("#ffffff"))
        painter.drawLine(int(mark), int(bar.top() - 3), int(mark), int(bar.bottom() + 3))
