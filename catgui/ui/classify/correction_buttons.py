"""The right-hand part of a Classify row: "Wrong? It's a cat" buttons, or "You said: cat · Undo".

Painted by :class:`~catgui.ui.classify.result_delegate.ResultDelegate`; the list view asks
:func:`button_at` where the mouse is, so hover, press and click work like real buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle

from catgui.ui.classify.entry import CAT, ERROR, NON_CAT, UNSURE
from catgui.ui.classify.row_painting import COLOURS, paint_chip, row_inks

AREA_WIDTH = 172
BUTTON_HEIGHT = 26
SPACING = 6
#: Button keys: the class the user says the picture is, or undoing their correction.
IS_CAT, IS_NOT_CAT, UNDO = "is cat", "is not cat", "undo"
TEXTS = {IS_CAT: "It’s a cat", IS_NOT_CAT: "It’s not a cat", UNDO: "Undo"}
#: The key that does what a button does (for the selected rows), shown on the button.
KEYS = {IS_CAT: "C", IS_NOT_CAT: "N"}
TIPS = {
    IS_CAT: "The model is wrong: this is a cat. A copy goes into your corrections (key C).",
    IS_NOT_CAT: "The model is wrong: this is not a cat. A copy goes into your corrections (key N).",
    UNDO: "Take this correction back (Ctrl+Z undoes the last one)",
}


def area_rect(row: QRect, pad: int, gap: int, height: int) -> QRect:
    """Where the correction area sits in a row rect."""
    return QRect(row.right() - gap - AREA_WIDTH, row.top() + pad, AREA_WIDTH, height)


def offered(label: str, corrected: bool | None) -> list[str]:
    """The buttons a row shows: the answer contradicting the model (both when unsure)."""
    if label == ERROR:
        return []
    if corrected is not None:
        return [UNDO]
    if label == CAT:
        return [IS_NOT_CAT]
    if label == NON_CAT:
        return [IS_CAT]
    return [IS_CAT, IS_NOT_CAT]


def caption(label: str, corrected: bool | None) -> str:
    if corrected is not None:
        return "Copied to your corrections"
    return "Which is it?" if label == UNSURE else "Wrong?"


def layout(area: QRect, label: str, corrected: bool | None, font: QFont) -> dict[str, QRect]:
    """Rects of ``"caption"``, ``"chip"`` (after a correction) and each offered button."""
    small = QFontMetrics(font)
    keys = offered(label, corrected)
    if not keys:
        return {}
    parts: dict[str, QRect] = {}
    if corrected is not None:
        chip_h = small.height() + 4
        height = chip_h + SPACING + small.height() + SPACING + small.height()
        y = area.top() + (area.height() - height) // 2
        parts["chip"] = QRect(area.left(), y, area.width(), chip_h)
        y += chip_h + SPACING
        parts["caption"] = QRect(area.left(), y, area.width(), small.height())
        y += small.height() + SPACING
        width = small.horizontalAdvance(TEXTS[UNDO]) + 4
        parts[UNDO] = QRect(area.left(), y, width, small.height())
        return parts
    height = small.height() + len(keys) * (SPACING + BUTTON_HEIGHT)
    y = area.top() + (area.height() - height) // 2
    parts["caption"] = QRect(area.left(), y, area.width(), small.height())
    y += small.height()
    for key in keys:
        y += SPACING
        parts[key] = QRect(area.left(), y, area.width(), BUTTON_HEIGHT)
        y += BUTTON_HEIGHT
    return parts


def button_at(
    area: QRect, label: str, corrected: bool | None, font: QFont, pos: QPoint
) -> str | None:
    """The button under ``pos`` (:data:`IS_CAT`, :data:`IS_NOT_CAT`, :data:`UNDO`) or None."""
    for key, rect in layout(area, label, corrected, font).items():
        if key in TEXTS and rect.adjusted(-2, -2, 2, 2).contains(pos):
            return key
    return None


def paint(
    painter: QPainter,
    area: QRect,
    label: str,
    corrected: bool | None,
    option,
    hovered: str | None = None,
    pressed: str | None = None,
) -> None:
    """Paint the correction area; ``hovered`` / ``pressed`` name the button under the mouse."""
    font = QFont(option.font)
    parts = layout(area, label, corrected, font)
    if not parts:
        return
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    text, dim = row_inks(option, selected)  # readable on the row's ground, selected or not
    painter.save()
    painter.setFont(font)
    if corrected is not None:
        bold = QFont(font)
        bold.setBold(True)
        said = "You said: cat" if corrected else "You said: not a cat"
        chip = parts["chip"]
        paint_chip(
            painter,
            "✓ " + said,
            COLOURS[CAT if corrected else NON_CAT],
            chip.left(),
            chip.top(),
            bold,
        )
        painter.setFont(font)
        painter.setPen(dim)
        painter.drawText(parts["caption"], Qt.AlignmentFlag.AlignLeft, caption(label, corrected))
        link = QFont(font)
        link.setUnderline(hovered == UNDO)
        painter.setFont(link)
        painter.setPen(text if selected else option.palette.link().color())
        painter.drawText(parts[UNDO], Qt.AlignmentFlag.AlignLeft, TEXTS[UNDO])
        painter.restore()
        return
    painter.setPen(dim)
    painter.drawText(parts["caption"], Qt.AlignmentFlag.AlignLeft, caption(label, corrected))
    for key in offered(label, corrected):
        _paint_button(painter, parts[key], key, option, key == hovered, key == pressed)
    painter.restore()


def _paint_button(
    painter: QPainter, rect: QRect, key: str, option, hovered: bool, pressed: bool
) -> None:
    colour = COLOURS[CAT if key == IS_CAT else NON_CAT]
    fill = QColor(colour)
    fill.setAlphaF(0.32 if pressed else 0.16 if hovered else 0.0)
    border = QColor(colour if hovered or pressed else option.palette.mid().color())
    painter.setPen(QPen(border, 1))
    painter.setBrush(fill if hovered or pressed else option.palette.base())
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
    dot = QRectF(rect.left() + 10, rect.center().y() - 3.5, 7, 7)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(dot)
    painter.setPen(option.palette.text().color())
    text_rect = rect.adjusted(24, 0, -8, 0)
    painter.drawText(
        text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, TEXTS[key]
    )
    if key in KEYS:  # the keyboard's way, in the button's dim ink (readable on its ground)
        painter.setPen(row_inks(option, False)[1])
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, KEYS[key]
        )
