"""Colours that stay readable on the window's ground, light or dark (WCAG 2 contrast).

The window follows the system palette. A colour chosen for a white ground (a grey
caption, a red error, a green verdict) may vanish on a dark one, so the widgets ask here
for a variant that keeps its hue and reaches a contrast ratio with the ground they
actually paint on.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

#: WCAG 2: body text needs 4.5:1, large or bold text 3:1.
BODY = 4.5
LARGE = 3.0


def _channel(value: float) -> float:
    """One sRGB channel (0..1) made linear, as the WCAG relative luminance wants it."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor | str) -> float:
    """WCAG relative luminance of an opaque colour: 0 (black) .. 1 (white)."""
    c = QColor(colour)
    return (
        0.2126 * _channel(c.redF()) + 0.7152 * _channel(c.greenF()) + 0.0722 * _channel(c.blueF())
    )


def contrast_ratio(first: QColor | str, second: QColor | str) -> float:
    """WCAG contrast ratio of two opaque colours: 1 (same) .. 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette's window ground is dark (its text then is light)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return luminance(window) < luminance(text)


def blend(top: QColor, ground: QColor) -> QColor:
    """``top`` (maybe translucent) painted over the opaque ``ground``: the colour one sees."""
    a = top.alphaF()
    mixed = QColor.fromRgbF(
        top.redF() * a + ground.redF() * (1 - a),
        top.greenF() * a + ground.greenF() * (1 - a),
        top.blueF() * a + ground.blueF() * (1 - a),
    )
    return QColor(mixed.name())  # 8 bits a channel, as it will be painted


def readable(colour: QColor | str, ground: QColor | str, ratio: float = BODY) -> QColor:
    """``colour``, made lighter (dark ground) or darker (light ground) until it reaches
    ``ratio`` against ``ground``; its hue and saturation are kept.

    A colour that already reaches the ratio comes back unchanged.
    """
    c, g = QColor(colour), QColor(ground)
    if contrast_ratio(c, g) >= ratio:
        return c
    h, s, lightness, _a = c.getHslF()
    h = max(h, 0.0)  # -1 for greys
    towards_white = luminance(g) < 0.18
    goal = ratio + 0.04  # a margin for the rounding to 8 bits a channel
    low, high = (lightness, 1.0) if towards_white else (0.0, lightness)
    for _ in range(24):  # bisect the lightness: the least change that reaches the ratio
        mid = (low + high) / 2
        if (contrast_ratio(QColor.fromHslF(h, s, mid), g) >= goal) == towards_white:
            high = mid
        else:
            low = mid
    return QColor(QColor.fromHslF(h, s, high if towards_white else low).name())


def readable_name(colour: QColor | str, ground: QColor | str, ratio: float = BODY) -> str:
    """:func:`readable` as ``#rrggbb``, for style sheets and rich text."""
    return readable(colour, ground, ratio).name()


def on_window(colour: QColor | str, palette: QPalette, ratio: float = BODY) -> str:
    """``colour`` readable on the palette's window ground, as ``#rrggbb``."""
    return readable_name(colour, palette.color(QPalette.ColorRole.Window), ratio)


def dim_text(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> str:
    """A secondary-text grey: the text colour halfway to the ground, still readable."""
    ground = palette.color(role)
    text_role = (
        QPalette.ColorRole.Text
        if role == QPalette.ColorRole.Base
        else QPalette.ColorRole.WindowText
    )
    text = palette.color(text_role)
    half = QColor(text)
    half.setAlphaF(0.62)
    return readable_name(blend(half, ground), ground)
