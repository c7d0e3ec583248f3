"""Small painting helpers shared by the Classify rows: colours, label chips, probability bars."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyleOptionViewItem

from catgui.ui.classify.entry import CAT, ERROR, NON_CAT, UNSURE
from catgui.ui.common import tones
from catgui.ui.common.contrast import BODY, contrast_ratio, readable

BAR_HEIGHT = 8
#: Chip fills and bars (the same on any ground); as text, :func:`tones.tone_on` them.
COLOURS = {
    CAT: QColor(tones.CAT),
    NON_CAT: QColor(tones.NON_CAT),
    UNSURE: QColor(tones.AMBER),
    ERROR: QColor(tones.WRONG),
}
TITLES = {CAT: "Cat", NON_CAT: "Non-cat", UNSURE: "Unsure", ERROR: "Can't read"}


def with_readable_selection(option: QStyleOptionViewItem) -> QStyleOptionViewItem:
    """``option`` with a selection colour its selected text reads on (4.5:1).

    Some desktops' highlight is too light for white text (Fusion's #308cc6 gives 3.7:1):
    the highlight is then darkened, keeping its hue, for the panel and the row alike.
    """
    key = option.palette.cacheKey()
    if key not in _READABLE:
        palette = option.palette
        ground, ink = palette.highlight().color(), palette.highlightedText().color()
        if contrast_ratio(ground, ink) >= BODY:
            _READABLE[key] = None
        else:
            palette = QPalette(palette)
            palette.setColor(QPalette.ColorRole.Highlight, readable(ground, ink))
            _READABLE[key] = palette  # one palette, one cache key: the rows' pixmaps stay
        while len(_READABLE) > 8:
            _READABLE.pop(next(iter(_READABLE)))
    readable_palette = _READABLE[key]
    if readable_palette is None:
        return option
    option = QStyleOptionViewItem(option)
    option.palette = readable_palette
    return option


#: Palettes made readable, by the cache key of the palette they came from.
_READABLE: dict[int, QPalette | None] = {}


def row_ground(option, selected: bool) -> QColor:
    """What a row is painted on: the view's base, or the selection's colour."""
    return option.palette.highlight().color() if selected else option.palette.base().color()


def row_inks(option, selected: bool) -> tuple[QColor, QColor]:
    """The row's text colour and its dimmer one (folder, p(cat)), both readable on it."""
    text = option.palette.highlightedText() if selected else option.palette.text()
    return text.color(), tones.secondary_on(text.color(), row_ground(option, selected))


def paint_chip(painter: QPainter, text: str, colour: QColor, x: int, y: int, font: QFont) -> QRect:
    """A rounded, filled label chip with ``text`` at ``(x, y)``; returns its rect.

    The text is white, or near-black on a fill too light for white (amber).
    """
    fm = QFontMetrics(font)
    chip = QRect(x, y, fm.horizontalAdvance(text) + 16, fm.height() + 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(chip), chip.height() / 2, chip.height() / 2)
    painter.setFont(font)
    painter.setPen(tones.ink_on(colour))
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
    return chip


def paint_bar(
    painter: QPainter,
    bar: QRect,
    p: float,
    label: str,
    decision: tuple[float, tuple[float, float]],
    option,
) -> None:
    """Probability bar: track, the unsure band, the filled share ``p``, a tick at the threshold."""
    threshold, (low, high) = decision
    radius = BAR_HEIGHT / 2
    painter.setPen(Qt.PenStyle.NoPen)
    track = QColor(option.palette.mid().color())
    track.setAlphaF(0.35)
    painter.setBrush(track)
    painter.drawRoundedRect(QRectF(bar), radius, radius)
    if high > low:
        band = QColor(COLOURS[UNSURE])
        band.setAlphaF(0.25)
        painter.setBrush(band)
        painter.drawRect(
            QRectF(
                bar.left() + low * bar.width(), bar.top(), (high - low) * bar.width(), bar.height()
            )
        )
    fill = QRectF(bar.left(), bar.top(), max(bar.height(), p * bar.width()), bar.height())
    painter.setBrush(COLOURS[label])
    painter.drawRoundedRect(fill, radius, radius)
    painter.setPen(QPen(option.palette.text().color(), 1))
    tick = bar.left() + bar.width() * threshold
    painter.drawLine(int(tick), bar.top() - 3, int(tick), bar.bottom() + 3)
