"""What the Classify tab remembers between runs (QSettings): last folder, unsure band."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from catgui.ui.classify_model import UNSURE_HALF_WIDTH

MAX_HALF_WIDTH = 0.45


def _settings() -> QSettings:
    return QSettings("catgui", "catgui")  # the same file as the window's QSettings()


def last_folder() -> str:
    """The folder pictures were last opened from (home if unknown or gone)."""
    value = _settings().value("classify/lastFolder", "")
    return str(value) if value and Path(str(value)).is_dir() else str(Path.home())


def remember_folder(folder: str) -> None:
    _settings().setValue("classify/lastFolder", folder)


def unsure_half_width() -> float:
    """How far either side of the threshold answers count as unsure (default 0.1)."""
    value = _settings().value("classify/unsureHalfWidth", UNSURE_HALF_WIDTH)
    try:
        return min(MAX_HALF_WIDTH, max(0.0, float(value)))
    except (TypeError, ValueError):
        return UNSURE_HALF_WIDTH


def remember_unsure_half_width(half_width: float) -> None:
    _settings().setValue("classify/unsureHalfWidth", float(half_width))
