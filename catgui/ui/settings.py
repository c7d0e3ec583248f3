"""Everything the window remembers between runs: every settings key, its default, the version.

The window's settings live in the profile (:func:`open_settings`: ``settings.ini`` in
``$CATGUI_HOME`` or the platform's data folder, beside the models), so two profiles never
mix. Every function takes the ``QSettings`` to use: the window's own (the one the main
window was given), so tests and other front ends never touch the user's settings file. The key
strings never change (users' existing settings must still load); a change of what a key
means raises :data:`VERSION` and :func:`upgrade` converts older settings once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings

from catgui.core import decision, kinds, paths, splits

#: 1: the selected tab was remembered by position (``window/tab``); 2: by name.
VERSION = 2
VERSION_KEY = "settings/version"

# -- the window ------------------------------------------------------------------------------
GEOMETRY = "window/geometry"
#: The name of the selected tab (``"train"``, ``"classify"``, ``"mistakes"``).
TAB = "window/tabName"
#: Version 1: the position of the selected tab (read once by :func:`upgrade`).
TAB_POSITION = "window/tab"
#: The order of the tabs while their position was remembered (version 1).
TABS_IN_VERSION_1 = ("train", "classify", "mistakes")
#: The tab a first start opens on: a newcomer's first act is dropping a picture.
FIRST_TAB = "classify"

# -- folders the file dialogs start in -------------------------------------------------------
MODELS_FOLDER = "folders/models"  # File ▸ Open Model
SAVE_FOLDER = "folders/save"  # File ▸ Save Model As, and a stopped run's Save As
EXPORT_FOLDER = "folders/export"  # File ▸ Export Model
DATA_FOLDER = "folders/data"  # the article's h5 data set (also opened at start)
IMAGES_FOLDER = "folders/images"  # Train tab: a folder of the user's pictures
TEST_IMAGES_FOLDER = "folders/testImages"  # Train tab: the pictures to test on
CLASSIFY_FOLDER = "classify/lastFolder"  # Classify tab: pictures were opened from here

# -- the Train tab ---------------------------------------------------------------------------
DATA_SOURCE = "data/source"
DATA_TEST = "data/test"
DATA_SHARE = "data/share"
TRAIN_KIND = "train/kind"
#: A finished run is saved and made the active model without asking ("don't ask again").
KEEP_RUNS = "train/keepFinishedRuns"

# -- the Classify tab ------------------------------------------------------------------------
UNSURE_HALF_WIDTH = "classify/unsureHalfWidth"
#: By default answers this far either side of the decision threshold are unsure.
DEFAULT_UNSURE_HALF_WIDTH = decision.UNSURE_HALF_WIDTH
MAX_HALF_WIDTH = 0.45
#: The model file whose verdicts Classify shows beside the active model's ("" = none).
COMPARE_WITH = "classify/compareWith"

# -- the Camera tab --------------------------------------------------------------------------
#: The chosen camera's id, in hex ("" = the system's default). The camera never starts by itself.
CAMERA = "camera/device"

# -- the Library tab -------------------------------------------------------------------------
#: The library's folders (a JSON list of absolute paths).
LIBRARY_FOLDERS = "library/folders"
#: A scan was started and has not ended: the next start continues it.
LIBRARY_SCAN_UNFINISHED = "library/scanUnfinished"
LIBRARY_SORT = "library/sort"
LIBRARY_EXPORT_FOLDER = "folders/libraryExport"  # Library tab: Export selected…

#: What a key gives when nothing is remembered (keys not listed give ``None``).
DEFAULTS: dict[str, object] = {
    TAB: FIRST_TAB,
    MODELS_FOLDER: "",
    SAVE_FOLDER: "",
    EXPORT_FOLDER: "",
    DATA_FOLDER: "",
    IMAGES_FOLDER: "",
    TEST_IMAGES_FOLDER: "",
    CLASSIFY_FOLDER: "",
    DATA_SHARE: round(100 * splits.DEFAULT_SHARE),  # per cent of the pictures held out
    TRAIN_KIND: kinds.default().name,
    UNSURE_HALF_WIDTH: DEFAULT_UNSURE_HALF_WIDTH,
    COMPARE_WITH: "",
    KEEP_RUNS: False,
    CAMERA: "",
    LIBRARY_FOLDERS: "[]",
    LIBRARY_SCAN_UNFINISHED: False,
    LIBRARY_SORT: "folder",
    LIBRARY_EXPORT_FOLDER: "",
}


def open_settings() -> QSettings:
    """The window's settings: ``settings.ini`` in the profile (:func:`paths.settings_path`).

    Settings an older catgui kept in Qt's own place (``~/.config/catgui/catgui.conf`` on
    Linux) are copied once into a new file, when no ``$CATGUI_HOME`` is set; a profile
    named by ``$CATGUI_HOME`` starts from its own file only.
    """
    path = paths.settings_path()
    fresh = not path.exists()
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    if fresh and not os.environ.get("CATGUI_HOME"):
        older = QSettings(
            QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "catgui", "catgui"
        )
        for key in older.allKeys():
            settings.setValue(key, older.value(key))
        settings.sync()
    return settings


def train_field(kind: str, name: str) -> str:
    """The key of one hyper-parameter field of one model kind, e.g. ``"train/dnn/lr"``."""
    return f"train/{kind}/{name}"


def value(settings: QSettings, key: str) -> object:
    """The remembered value of ``key``, or its default (see :data:`DEFAULTS`)."""
    return settings.value(key, DEFAULTS.get(key))


def remember(settings: QSettings, key: str, remembered: object) -> None:
    """Remember ``remembered`` under ``key``."""
    settings.setValue(key, remembered)


def folder(settings: QSettings, key: str, fallback: Path | str = "") -> str:
    """The folder remembered under ``key``; ``fallback`` if none is."""
    return str(value(settings, key) or fallback)


def last_folder(settings: QSettings) -> str:
    """The folder pictures were last opened from in Classify (home if unknown or gone)."""
    remembered = value(settings, CLASSIFY_FOLDER)
    return str(remembered) if remembered and Path(str(remembered)).is_dir() else str(Path.home())


def remember_folder(settings: QSettings, opened: str) -> None:
    """Remember the folder Classify opened pictures from."""
    settings.setValue(CLASSIFY_FOLDER, opened)


def unsure_half_width(settings: QSettings) -> float:
    """How far either side of the threshold answers count as unsure (default 0.1)."""
    remembered = value(settings, UNSURE_HALF_WIDTH)
    try:
        return min(MAX_HALF_WIDTH, max(0.0, float(remembered)))
    except (TypeError, ValueError):
        return DEFAULT_UNSURE_HALF_WIDTH


def remember_unsure_half_width(settings: QSettings, half_width: float) -> None:
    settings.setValue(UNSURE_HALF_WIDTH, float(half_width))


def compare_with(settings: QSettings) -> str:
    """The model file Classify compares with ("" when the comparison is off)."""
    return str(value(settings, COMPARE_WITH) or "")


def remember_compare_with(settings: QSettings, path: str | Path | None) -> None:
    settings.setValue(COMPARE_WITH, str(path or ""))


def keep_runs(settings: QSettings) -> bool:
    """Whether finished runs are saved and made active without asking (default: ask)."""
    return str(value(settings, KEEP_RUNS)).lower() in ("true", "1")


def remember_keep_runs(settings: QSettings, keep: bool) -> None:
    settings.setValue(KEEP_RUNS, bool(keep))


def library_folders(settings: QSettings) -> list[str]:
    """The Library tab's folders, in the order they were added."""
    import json

    try:
        folders = json.loads(str(value(settings, LIBRARY_FOLDERS)))
    except ValueError:
        return []
    return [str(f) for f in folders if isinstance(f, str)] if isinstance(folders, list) else []


def remember_library_folders(settings: QSettings, folders: Sequence[str]) -> None:
    import json

    settings.setValue(LIBRARY_FOLDERS, json.dumps(list(folders)))


def library_scan_unfinished(settings: QSettings) -> bool:
    """Whether a library scan was left unfinished (the window closed, or it was stopped)."""
    return str(value(settings, LIBRARY_SCAN_UNFINISHED)).lower() in ("true", "1")


def remember_library_scan_unfinished(settings: QSettings, unfinished: bool) -> None:
    settings.setValue(LIBRARY_SCAN_UNFINISHED, bool(unfinished))


def tab(settings: QSettings, names: Sequence[str]) -> str:
    """The name of the tab to select: the remembered one if it is among ``names``, else
    the one a first start opens on (:data:`FIRST_TAB`; else the first of ``names``)."""
    remembered = str(value(settings, TAB))
    if remembered in names:
        return remembered
    return FIRST_TAB if FIRST_TAB in names else names[0]


def upgrade(settings: QSettings) -> None:
    """Bring settings written by an older catgui to :data:`VERSION` (once; then a no-op).

    Version 1 remembered the selected tab by its position: that position becomes the
    tab's name.
    """
    try:
        version = int(settings.value(VERSION_KEY, 1))
    except (TypeError, ValueError):
        version = 1
    if version >= VERSION:
        return
    position = str(settings.value(TAB_POSITION, ""))
    if settings.value(TAB) is None and position.isdigit():
        index = int(position)
        settings.setValue(TAB, TABS_IN_VERSION_1[index if index < len(TABS_IN_VERSION_1) else 0])
    settings.remove(TAB_POSITION)
    settings.setValue(VERSION_KEY, VERSION)
