"""The words of a Classify row: name, folder, verdict chip, probability bar (or the error)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.ui.classify.entry import ERROR, Entry
from catgui.ui.classify.row_painting import (
    BAR_HEIGHT,
    COLOURS,
    TITLES,
    paint_bar,
    paint_chip,
    row_ground,
    row_inks,
)
from catgui.ui.classify.text import verdict_text
from catgui.ui.common import tones

BAR_WIDTH = 260
UNFAMILIAR = "unlike anything I was trained on"
#: Amber: a caution, neither a verdict's green nor its blue.
UNFAMILIAR_COLOUR = QColor(tones.AMBER)


def familiarity_tip(familiarity: float) -> str:
    """What the badge means and how it was decided, for its tooltip."""
    return (
        "Unlike anything I was trained on: this picture was compared with the model's "
        "training pictures (the backbone's features of each, their nearest neighbours). "
        f"Only {100 * familiarity:.1f} % of the training pictures are as far from the rest; "
        f"below {100 * UNFAMILIAR_BELOW:g} % a picture counts as unlike them, and the "
        "model's answer on it is little more than a guess."
    )


def _fonts(option) -> tuple[QFont, QFont]:
    bold = QFont(option.font)
    bold.setBold(True)
    small = QFont(option.font)
    small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
    return bold, small


def badge_rect(entry: Entry, label: str, box: QRect, option) -> QRect | None:
    """Where the "unlike anything I was trained on" badge is painted, if it is."""
    if not entry.unfamiliar or label == ERROR or entry.probability is None:
        return None
    bold, small = _fonts(option)
    fm_bold, fm_small, fm = QFontMetrics(bold), QFontMetrics(small), QFontMetrics(option.font)
    top = box.top() + 2 + fm_bold.height() + 1 + fm_small.height() + 8
    chip_right = box.left() + fm_bold.horizontalAdvance(TITLES[label]) + 16 - 1  # as paint_chip
    verdict = verdict_text(float(entry.probability), label)
    left = chip_right + 10 + fm.horizontalAdvance(verdict) + 12
    width = fm_small.horizontalAdvance(UNFAMILIAR) + 16
    if box.right() - left < width:
        return None
    return QRect(left, top, width, fm_small.height() + 4)


def paint_text(
    painter: QPainter,
    entry: Entry,
    label: str,
    decision: tuple[float, tuple[float, float]],
    box: QRect,
    option,
    selected: bool,
) -> tuple[int, int] | None:
    """Draws the words and the bar; returns where the probability ends and the chip's top."""
    text_colour, dim = row_inks(option, selected)
    bold, small = _fonts(option)
    fm_bold, fm_small = QFontMetrics(bold), QFontMetrics(small)
    y = box.top() + 2
    painter.setFont(bold)
    painter.setPen(text_colour)
    line = QRect(box.left(), y, box.width(), fm_bold.height())
    painter.drawText(
        line,
        Qt.AlignmentFlag.AlignLeft,
        fm_bold.elidedText(entry.name, Qt.TextElideMode.ElideMiddle, box.width()),
    )
    y += fm_bold.height() + 1
    painter.setFont(small)
    painter.setPen(dim)
    folder = str(entry.path.parent) if entry.path.parent != entry.path else ""
    line = QRect(box.left(), y, box.width(), fm_small.height())
    painter.drawText(
        line,
        Qt.AlignmentFlag.AlignLeft,
        fm_small.elidedText(folder, Qt.TextElideMode.ElideMiddle, box.width()),
    )
    y += fm_small.height() + 8
    chip = paint_chip(painter, TITLES[label], COLOURS[label], box.left(), y, bold)
    if label == ERROR:
        message = entry.error or ""
        prefix = f"{entry.path}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
        message = message[:1].upper() + message[1:]
        painter.setFont(option.font)
        error = tones.tone_on(COLOURS[ERROR], row_ground(option, selected))
        painter.setPen(error if not selected else text_colour)
        rest = QRect(box.left(), chip.bottom() + 6, box.width(), box.bottom() - chip.bottom() - 6)
        painter.drawText(rest, Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, message)
        return None
    p = float(entry.probability)
    painter.setFont(option.font)
    painter.setPen(text_colour)
    verdict = verdict_text(p, label)
    fm = QFontMetrics(option.font)
    painter.drawText(
        QRect(chip.right() + 10, chip.top(), box.width(), chip.height()),
        Qt.AlignmentFlag.AlignVCenter,
        verdict,
    )
    badge = badge_rect(entry, label, box, option)
    if badge is not None:  # the model has seen nothing like this picture
        paint_chip(painter, UNFAMILIAR, UNFAMILIAR_COLOUR, badge.left(), badge.top(), small)
    bar_y = chip.bottom() + 12
    width = max(60, min(BAR_WIDTH, box.width() - fm.horizontalAdvance("p(cat) 0.000") - 12))
    paint_bar(painter, QRect(box.left(), bar_y, width, BAR_HEIGHT), p, label, decision, option)
    number = QRect(
        box.left() + width + 10,
        bar_y - fm.height() // 2 + BAR_HEIGHT // 2,
        box.width(),
        fm.height(),
    )
    painter.setPen(dim)
    painter.drawText(number, Qt.AlignmentFlag.AlignVCenter, f"p(cat) {p:.3f}")
    return number.left() + fm.horizontalAdvance(f"p(cat) {p:.3f}"), chip.top()
