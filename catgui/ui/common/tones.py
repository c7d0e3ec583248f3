"""The window's named colours, each made readable on the ground it is painted on.

The hues are the ones the window always had (chosen on white); :func:`tone` keeps the
hue and moves the lightness until the colour reaches the WCAG ratio against the ground of
the current palette, so a red error or a green verdict stays readable in a dark palette.
Neutral greys and hairlines come from the palette's own text and ground.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from catgui.ui.common.contrast import BODY, blend, contrast_ratio, readable, readable_name

#: Errors, Stop, a missing data set.
RED = "#d70015"
#: The verdicts: cat, non-cat, unsure (also "unlike anything I was trained on"), can't read.
CAT = "#208753"
NON_CAT = "#3f6fb5"
AMBER = "#c98a12"
WRONG = "#c8423c"
#: A false negative (a false positive is :data:`WRONG`).
LATE = "#b0620e"
#: Links and accents on the window's ground.
ACCENT = "#0a84ff"
#: The ground of primary buttons (white text on it: 4.7:1), when hovered and pressed.
PRIMARY = "#0071e3"
PRIMARY_HOVER = "#0062c4"
PRIMARY_PRESSED = "#0053a8"
#: Text on a filled chip or badge: whichever of these reads better on its fill.
LIGHT_INK = QColor("#ffffff")
DARK_INK = QColor("#1c1c1e")

_WINDOW = QPalette.ColorRole.Window
_TEXT_OF = {
    QPalette.ColorRole.Base: QPalette.ColorRole.Text,
    QPalette.ColorRole.AlternateBase: QPalette.ColorRole.Text,
    QPalette.ColorRole.Button: QPalette.ColorRole.ButtonText,
}


def current() -> QPalette:
    """The application's palette (a default one before the application exists)."""
    return QGuiApplication.palette() if QGuiApplication.instance() is not None else QPalette()


def ground(palette: QPalette | None = None, role: QPalette.ColorRole = _WINDOW) -> QColor:
    return (palette or current()).color(role)


def text(palette: QPalette | None = None, role: QPalette.ColorRole = _WINDOW) -> QColor:
    """The palette's text colour for the ground ``role`` (window text on the window)."""
    return (palette or current()).color(_TEXT_OF.get(role, QPalette.ColorRole.WindowText))


def tone(
    colour: str | QColor,
    palette: QPalette | None = None,
    role: QPalette.ColorRole = _WINDOW,
    ratio: float = BODY,
) -> str:
    """``colour`` made readable on the palette's ``role`` ground, as ``#rrggbb``."""
    return readable_name(colour, ground(palette, role), ratio)


def tone_on(colour: str | QColor, under: QColor, ratio: float = BODY) -> QColor:
    """``colour`` made readable on the colour ``under`` (for painting)."""
    return readable(colour, under, ratio)


def secondary_on(ink: QColor, under: QColor) -> QColor:
    """A dimmer ``ink`` for captions and details on ``under``, still readable (4.5:1)."""
    faint = QColor(ink)
    faint.setAlphaF(0.62)
    return readable(blend(faint, under), under)


def secondary(palette: QPalette | None = None, role: QPalette.ColorRole = _WINDOW) -> str:
    """The grey of captions and details on the palette's ``role`` ground, as ``#rrggbb``."""
    return secondary_on(text(palette, role), ground(palette, role)).name()


def hairline(palette: QPalette | None = None, role: QPalette.ColorRole = _WINDOW) -> str:
    """A quiet border or grid line on the ``role`` ground, as ``#rrggbb``."""
    faint = QColor(text(palette, role))
    faint.setAlphaF(0.16)
    return blend(faint, ground(palette, role)).name()


def ink_on(fill: QColor | str) -> QColor:
    """White on ``fill`` (chips, badges) where it reads (4.5:1), else the better of white
    and near-black (amber takes dark text)."""
    fill = QColor(fill)
    if contrast_ratio(LIGHT_INK, fill) >= BODY:
        return LIGHT_INK
    return max((LIGHT_INK, DARK_INK), key=lambda ink: contrast_ratio(ink, fill))


def primary_faded(palette: QPalette | None = None) -> tuple[str, str]:
    """``(ground, text)`` of a disabled primary button: the blue faded into the window."""
    fill = QColor(PRIMARY)
    fill.setAlphaF(0.35)
    ground_colour = blend(fill, ground(palette))
    ink = QColor("#ffffff")
    ink.setAlphaF(0.7)
    return ground_colour.name(), blend(ink, ground_colour).name()
