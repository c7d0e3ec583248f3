"""Per-user folders, following each platform's convention (no Qt needed).

One folder holds a profile: ``$CATGUI_HOME`` when it is set, else the platform's user
data folder. Saved models (``models/``), the window's settings (``settings.ini``), the
caches (``cache/``), corrections and the downloaded data set all live in it, so two
profiles never mix. The models catgui ships stay read-only where they are installed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "catgui"


def user_data_dir() -> Path:
    """Where catgui keeps data for this user (downloaded data set, caches, corrections).

    ``$CATGUI_HOME`` overrides it (tests use it). Otherwise the platform's own user data
    folder, as platformdirs knows it: Linux ``$XDG_DATA_HOME/catgui``
    (``~/.local/share/catgui``), macOS ``~/Library/Application Support/catgui``, Windows
    ``%LOCALAPPDATA%\\catgui``.
    """
    override = os.environ.get("CATGUI_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


#: The checkout around the package, and the package itself. An installed wheel carries
#: what the checkout ships (resources/, the default model) inside the package.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: The checkout's ``models/`` folder, which ships the default model, and the wheel's copy.
PROJECT_MODELS = PROJECT_ROOT / "models"
PACKAGED_MODELS = PACKAGE_ROOT / "models"
DEFAULT_MODEL_NAME = "default.npz"
#: The shipped model for real photos: pretrained features + a head fitted on the
#: article's 209 training pictures (``make pretrained-model``).
PHOTO_MODEL_NAME = "pretrained.npz"
#: The model a first start opens and ``catgui predict`` uses when no model is named:
#: ImageNet zero-shot calibrated on the article's 209 training pictures (``make
#: first-model``), chosen by measurement (``benchmarks/first_model_eval.py``, README).
FIRST_MODEL_NAME = "zero-shot.npz"


def shipped(checkout: Path, packaged: Path) -> Path:
    """A file the project ships: the checkout's copy if there is one, else the package's."""
    return checkout if checkout.is_file() else packaged


def models_dir() -> Path:
    """Where trained models are saved and listed.

    ``$CATGUI_MODELS`` if set; else ``models/`` in ``$CATGUI_HOME`` when that is set (also
    from a checkout: a profile keeps its own models); else the project's ``models/``
    folder when running from a checkout; else ``models/`` in the user's data folder (an
    installed catgui never writes into its package).
    """
    override = os.environ.get("CATGUI_MODELS")
    if override:
        return Path(override).expanduser()
    if os.environ.get("CATGUI_HOME"):
        return user_data_dir() / "models"
    if PROJECT_MODELS.is_dir():
        return PROJECT_MODELS
    return user_data_dir() / "models"


SETTINGS_NAME = "settings.ini"


def settings_path() -> Path:
    """The window's settings file (INI): ``user_data_dir()/settings.ini``, in the profile."""
    return user_data_dir() / SETTINGS_NAME


def storage_problem() -> str | None:
    """Why models, settings and caches cannot be kept in this profile, or ``None``.

    A real trial in the profile folder and the models folder (each made if missing): a
    fresh temporary file is created and removed, since permission bits do not tell for
    root, read-only mounts or a full disk. Names the folder and the reason.
    """
    for folder in dict.fromkeys((user_data_dir(), models_dir())):
        why = _cannot_write(folder)
        if why:
            setting = " ($CATGUI_HOME)" if os.environ.get("CATGUI_HOME") else ""
            return (
                f"Models, settings and caches cannot be kept: {why}{setting}. Trained models "
                "stay open until catgui closes (File ▸ Save Model As… can save one elsewhere); "
                "start catgui with CATGUI_HOME set to a folder you can write to keep them."
            )
    return None


def _cannot_write(folder: Path) -> str | None:
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return f"{blocker} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".catgui-check.", suffix=".partial", dir=folder)
    except OSError as exc:
        return f"{folder} cannot be written ({exc.strerror or exc})"
    os.close(fd)
    try:
        os.unlink(name)
    except OSError:
        pass
    return None


def default_model_path() -> Path:
    """The model the app opens with when the user has not chosen one."""
    return shipped(PROJECT_MODELS / DEFAULT_MODEL_NAME, PACKAGED_MODELS / DEFAULT_MODEL_NAME)


def photo_model_path() -> Path:
    """The shipped pretrained model (a head fitted on the article's 209 pictures)."""
    return shipped(PROJECT_MODELS / PHOTO_MODEL_NAME, PACKAGED_MODELS / PHOTO_MODEL_NAME)


def first_model_path() -> Path:
    """The shipped model a first start opens (and ``catgui predict`` with no model named)."""
    return shipped(PROJECT_MODELS / FIRST_MODEL_NAME, PACKAGED_MODELS / FIRST_MODEL_NAME)


def resource_path(name: str) -> Path:
    """An icon or style sheet from ``resources/`` (the checkout's, or the package's)."""
    return shipped(PROJECT_ROOT / "resources" / name, PACKAGE_ROOT / "resources" / name)
