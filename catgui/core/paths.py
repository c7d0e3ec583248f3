"""Per-user folders, following each platform's convention (no Qt needed)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "catgui"


def user_data_dir() -> Path:
    """Where catgui keeps data for this user (downloaded data set, caches, corrections).

    ``$CATGUI_HOME`` overrides it (tests use it). Otherwise: Linux
    ``$XDG_DATA_HOME/catgui`` (``~/.local/share/catgui``), macOS
    ``~/Library/Application Support/catgui``, Windows ``%LOCALAPPDATA%\\catgui``.
    """
    override = os.environ.get("CATGUI_HOME")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / APP_NAME


#: The checkout's ``models/`` folder, which ships the default model.
PROJECT_MODELS = Path(__file__).resolve().parents[2] / "models"
DEFAULT_MODEL_NAME = "default.npz"


def models_dir() -> Path:
    """Where trained models are saved and listed.

    ``$CATGUI_MODELS`` if set; otherwise the project's ``models/`` folder when it exists
    (running from a checkout), else ``models/`` in the user's data folder.
    """
    override = os.environ.get("CATGUI_MODELS")
    if override:
        return Path(override).expanduser()
    if PROJECT_MODELS.is_dir():
        return PROJECT_MODELS
    return user_data_dir() / "models"


#: The copy of the default model an installed wheel carries inside the package.
PACKAGED_MODELS = Path(__file__).resolve().parents[1] / "models"


def default_model_path() -> Path:
    """The model the app opens with when the user has not chosen one.

    The checkout's ``models/default.npz``; in an installed wheel, the package's copy.
    """
    checkout = PROJECT_MODELS / DEFAULT_MODEL_NAME
    if checkout.is_file():
        return checkout
    return PACKAGED_MODELS / DEFAULT_MODEL_NAME
