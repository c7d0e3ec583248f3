"""Keep a widget's hand-set colours in step with the palette: at once and on every change."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

_CHANGES = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


class PaletteFollower(QObject):
    """Calls ``apply`` now, and again whenever ``widget``'s palette changes (or, for the
    application, its palette).

    A widget with colours of its own (a style sheet, rich text, a figure) passes the
    function that sets them from the current palette. When the system switches between
    light and dark, Qt changes the application's palette and every widget hears of it.
    A style sheet set by ``apply`` changes the widget's palette too: that nested change
    is not followed (it would only set the same colours again).
    """

    def __init__(self, widget: QObject, apply: Callable[[], None]) -> None:
        super().__init__(widget)
        self._target = widget
        self._apply = apply
        self._applying = False
        widget.installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        if self._applying:
            return
        self._applying = True
        try:
            self._apply()
        finally:
            self._applying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        # a filter on the application sees every object's events: only its own count
        if watched is self._target and event.type() in _CHANGES:
            self.apply()
        return False


def follow_palette(widget: QWidget | QObject, apply: Callable[[], None]) -> PaletteFollower:
    """Set ``widget``'s colours with ``apply`` now and after every palette change.

    ``widget`` may also be the application, which hears of changes of its palette.
    """
    return PaletteFollower(widget, apply)


def keep_style_sheet(widget: QWidget, sheet: str | Callable[[], str]) -> PaletteFollower:
    """Give ``widget`` the style sheet ``sheet`` (or what ``sheet()`` makes of the palette)
    now and again after every palette change.

    Qt reads a sheet's ``palette(role)`` colours once, when the sheet is set; setting it
    again after a change reads the new ones.
    """
    make = sheet if callable(sheet) else (lambda: sheet)
    return follow_palette(widget, lambda: widget.setStyleSheet(make()))
