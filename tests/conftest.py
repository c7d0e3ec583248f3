"""Shared fixtures. Tests run offscreen and never touch the user's real folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.data_helpers import REAL_DATA, write_h5_pair  # noqa: E402 - after the platform


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder, models folder and settings."""
    home = tmp_path_factory.mktemp("catgui-home")
    monkeypatch.setenv("CATGUI_HOME", str(home))
    monkeypatch.setenv("CATGUI_MODELS", str(home / "models"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    if "PySide6.QtCore" in sys.modules:  # Qt reads XDG_CONFIG_HOME once: point it anew
        from PySide6.QtCore import QSettings

        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, str(home / "config"))


@pytest.fixture
def real_data() -> Path:
    """The article's data set folder; the test is skipped (with the reason) if absent."""
    if REAL_DATA is None:
        pytest.skip("the cat/non-cat data set is not at ../shared/datasets or $CATGUI_DATA")
    return REAL_DATA


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    """A folder holding a tiny synthetic train/test pair."""
    return write_h5_pair(tmp_path / "data")


@pytest.fixture(autouse=True)
def _no_thread_left_running(request):
    """A test fails if any catgui worker thread is still running after it."""
    yield
    if "catgui.workers.base" not in __import__("sys").modules:
        return
    from catgui.workers.base import running_workers

    still = running_workers()
    for worker in still:  # clean up so one failure does not cascade
        worker.stop_and_wait(5000)
    assert not still, f"threads still running after the test: {still}"


@pytest.fixture
def state(tiny_data):
    """An ``AppState`` on the per-test models folder, with the tiny data set open."""
    from catgui.core import paths
    from catgui.ui.app_state import AppState

    app_state = AppState(paths.models_dir())
    app_state.open_dataset(tiny_data)
    return app_state


@pytest.fixture
def window(qtbot, state, tmp_path):
    """The main window on :func:`state`, with settings in a per-test file; closed after."""
    from PySide6.QtCore import QSettings

    from catgui.ui import settings as remembered
    from catgui.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    # These tests train to get a model: as a user who ticked "Don't ask again", finished
    # runs are saved and used at once. ``asking_window`` is the window as first started.
    remembered.remember_keep_runs(settings, True)
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    yield win
    win.close()


@pytest.fixture
def asking_window(qtbot, state, tmp_path):
    """The window with fresh settings: a finished run waits, unsaved, for the user."""
    from PySide6.QtCore import QSettings

    from catgui.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    win.resize(1100, 720)
    win.show()
    yield win
    win.close()


@pytest.fixture(scope="module")
def scorer():
    """The library tests' model: the shipped pretrained head, as the index knows it."""
    from catgui.core.library.rescore import Scorer
    from tests.library_helpers import PHOTO_MODEL

    return Scorer.of_file(PHOTO_MODEL)
