"""A dark palette like a desktop's dark theme: for screenshots and the palette tests.

The window itself never picks a palette (the system decides); this one shows what the
window does when the system's palette is dark.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_ROLES = {
    "Window": "#2b2b2e",
    "WindowText": "#e8e8ed",
    "Base": "#1e1e20",
    "AlternateBase": "#323236",
    "ToolTipBase": "#3a3a3e",
    "ToolTipText": "#f2f2f7",
    "PlaceholderText": "#8e8e93",
    "Text": "#e8e8ed",
    "Button": "#3a3a3e",
    "ButtonText": "#e8e8ed",
    "BrightText": "#ff453a",
    "Light": "#4a4a4f",
    "Midlight": "#3f3f44",
    "Mid": "#5a5a60",
    "Dark": "#1a1a1c",
    "Shadow": "#000000",
    "Highlight": "#0a64d8",
    "HighlightedText": "#ffffff",
    "Link": "#5eaeff",
    "LinkVisited": "#bf8cff",
}
_DISABLED = {"WindowText": "#7c7c82", "Text": "#7c7c82", "ButtonText": "#7c7c82"}


def dark_palette() -> QPalette:
    """Every role of a dark palette (text light on dark grounds), disabled text dimmer."""
    palette = QPalette()
    for role, colour in _ROLES.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role, colour in _DISABLED.items():
        palette.setColor(
            QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor(colour)
        )
    return palette


def use_dark_palette(app: QApplication) -> QPalette:
    """Fusion style with :func:`dark_palette` on ``app`` (what a dark desktop gives);
    returns the palette it replaced, for :func:`restore_palette`."""
    before = QPalette(app.palette())
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    return before


def restore_palette(app: QApplication, palette: QPalette) -> None:
    """Put back the palette :func:`use_dark_palette` replaced."""
    app.setPalette(palette)
