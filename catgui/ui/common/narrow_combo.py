"""A combo box whose minimum width does not depend on its items' texts."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

#: The narrowest the combo box asks to be, in characters' widths.
MIN_CHARACTERS = 8


class NarrowComboBox(QComboBox):
    """A :class:`QComboBox` that may shrink to :attr:`min_characters` characters.

    A combo box's minimum width is its size hint, which follows its longest item (or the
    ``minimumContentsLength``): a long model name or band text would raise the window's
    minimum and make the window grow by itself. This one keeps its usual size hint (so it
    looks the same when there is room) but gives way down to a width that depends only on
    the font; the current text is then cut, and the popup still shows every item whole.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        min_characters: int = MIN_CHARACTERS,
        max_characters: int | None = None,
        **properties: object,
    ) -> None:
        super().__init__(parent, **properties)
        #: The narrowest the combo box asks to be, in characters' widths.
        self.min_characters = min_characters
        #: The widest it asks to be when its items are long (``None``: as wide as they are).
        self.max_characters = max_characters

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        return QSize(min(self._width_for(self.min_characters), hint.width()), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        if self.max_characters is None:
            return hint
        return QSize(min(self._width_for(self.max_characters), hint.width()), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        """As :class:`QComboBox` draws itself, with a current text that does not fit cut with "…"."""
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        room = field.width() - 2
        if not option.currentIcon.isNull():
            room -= self.iconSize().width() + 4
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, max(0, room)
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def _width_for(self, characters: int) -> int:
        """The combo box's width when its text is ``characters`` average characters wide."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = QSize(
            self.fontMetrics().averageCharWidth() * characters, self.fontMetrics().height()
        )
        size = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, self)
        return size.width()
