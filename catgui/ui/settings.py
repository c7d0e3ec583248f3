"""What the Classify tab remembers between runs: last folder, unsure band.

Every function takes the ``QSettings`` to use: the window's own (the one the main window
was given), so tests and other front ends never touch the user's settings file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from catgui.ui.classify.entry import UNSURE_HALF_WIDTH

MAX_HALF_WIDTH = 0.45


def last_folder(settings: QSettings) -> str:
    """The folder pictures were last opened from (home if unknown or gone)."""
    value = settings.value("classify/lastFolder", "")
    return str(value) if value and Path(str(value)).is_dir() else str(Path.home())


def remember_folder(settings: QSettings, folder: str) -> None:
    settings.setValue("classify/lastFolder", folder)


def unsure_half_width(settings: QSettings) -> float:
    """How far either side of the threshold answers count as unsure (default 0.1)."""
    value = settings.value("classify/unsureHalfWidth", UNSURE_HALF_WIDTH)
    try:
        return min(MAX_HALF_WIDTH, max(0.0, float(value)))
    except (TypeError, ValueError):
        return UNSURE_HALF_WIDTH


def remember_unsure_half_width(settings: QSettings, half_width: float) -> None:
    settings.setValue("classify/unsureHalfWidth", float(half_width))
