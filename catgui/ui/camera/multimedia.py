"""Whether Qt Multimedia (PySide6-Addons, the ``catgui[camera]`` extra) can be used here."""

from __future__ import annotations

import functools
import importlib.util

INSTALL = 'pip install "catgui[camera]"'


@functools.lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why the camera view cannot work (in words, with the line that fixes it), or ``None``."""
    if importlib.util.find_spec("PySide6.QtMultimedia") is None:
        return (
            "The camera needs Qt Multimedia, which comes with PySide6-Addons (an optional "
            f"extra of about 175 MB). Install it with:\n\n    {INSTALL}\n\n"
            '(from a checkout: .venv/bin/pip install -e ".[camera]"), then start catgui again.'
        )
    try:
        from PySide6 import QtMultimedia  # noqa: F401
    except ImportError as exc:
        return (
            f"Qt Multimedia is installed but cannot be loaded ({exc}). Reinstall it with:"
            f"\n\n    {INSTALL}"
        )
    return None
