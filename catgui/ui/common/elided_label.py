"""A one-line label that never widens its window: text that does not fit ends in "…"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QToolTip, QWidget

#: The narrowest the label asks to be, in characters' widths.
MIN_CHARACTERS = 12


class ElidedLabel(QLabel):
    """A plain-text :class:`QLabel` whose minimum width does not depend on its text.

    A long text (e.g. the active model's name and accuracy in the status bar) would
    otherwise raise the window's minimum width and make the window grow by itself.
    When the text does not fit it is drawn cut with an ellipsis; :meth:`text` and the
    tooltip stay whole.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        min_characters: int = MIN_CHARACTERS,
        **properties: object,
    ) -> None:
        super().__init__(parent, **properties)
        self.setTextFormat(Qt.TextFormat.PlainText)
        #: The narrowest the label asks to be, in characters' widths (0: a status that may
        #: give all its room to its neighbours while it has nothing to say).
        self.min_characters = min_characters

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """As narrow as :attr:`min_characters` characters, whatever (and however short) the text.

        A width that followed short texts (the smaller of the text and the cap) still moved
        the window's minimum as the text went from "" to a long one.
        """
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        narrow = self.fontMetrics().averageCharWidth() * self.min_characters
        return QSize(narrow + margins.left() + margins.right(), hint.height())

    def is_cut(self) -> bool:
        """Whether the text is drawn shortened (it does not fit)."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def event(self, event: QEvent) -> bool:
        """A cut text shows whole as the tooltip (unless the label has a tooltip of its own)."""
        if event.type() == QEvent.Type.ToolTip and not self.toolTip() and self.is_cut():
            QToolTip.showText(event.globalPos(), self.text(), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        rect = self.contentsRect()
        if not self.is_cut():
            super().paintEvent(event)  # fits: the ordinary label (selection works)
            return
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
