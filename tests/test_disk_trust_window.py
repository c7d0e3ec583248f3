"""Issue 21 item 7 and issue 22 item 4: where the window keeps things, and saying when it
cannot.

The window is started the way ``catgui`` starts it (``application.run``, with the event
loop's ``exec`` returning at once and the start-up's global side effects left out), on
real folders: a ``CATGUI_HOME`` that is a file, and two profiles side by side that must
not share models or settings. A checkout's ``catgui train`` with ``CATGUI_HOME`` set
saves into that profile, never into the checkout's ``models/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from catgui.core import paths
from catgui.ui import application
from catgui.ui import settings as remembered
from catgui.ui.main_window import MainWindow
from tests.data_helpers import ROOT


@pytest.fixture
def start(qtbot, monkeypatch):
    """``start()`` runs ``application.run([])`` and returns the window it opened."""
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    monkeypatch.setattr(application, "configure", lambda app: None)
    monkeypatch.setattr(application, "freeze_after_start", lambda window: None)
    opened: list[MainWindow] = []

    def start() -> MainWindow:
        before = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert application.run([]) == 0
        (window,) = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and not any(w is old for old in before)
        ]
        qtbot.addWidget(window)
        opened.append(window)
        return window

    yield start
    for window in opened:
        window.close()


def _profile(monkeypatch, home: Path) -> None:
    monkeypatch.setenv("CATGUI_HOME", str(home))
    monkeypatch.delenv("CATGUI_MODELS", raising=False)


def _notices(window: MainWindow) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_a_file_valued_catgui_home_is_said_once_naming_it(start, monkeypatch, tmp_path):
    home = tmp_path / "home-is-a-file"
    home.write_text("not a folder")
    _profile(monkeypatch, home)
    window = start()
    (notice,) = [b for b in _notices(window) if b.windowTitle() == "Nothing can be kept"]
    assert f"{home} is a file, not a folder ($CATGUI_HOME)" in notice.text()
    assert "Models, settings and caches cannot be kept" in notice.text()
    assert str(home) in window.statusBar().currentMessage()
    assert window.state.model is not None  # the window works all the same
    assert home.read_text() == "not a folder"


def test_a_writable_profile_says_nothing(start, monkeypatch, tmp_path):
    _profile(monkeypatch, tmp_path / "fresh")
    window = start()
    assert not [b for b in _notices(window) if b.windowTitle() == "Nothing can be kept"]
    assert paths.storage_problem() is None


def test_two_profiles_keep_their_own_models_and_settings(start, monkeypatch, tmp_path):
    shipped = sorted(p.name for p in paths.PROJECT_MODELS.iterdir())
    a, b = tmp_path / "profile-a", tmp_path / "profile-b"
    _profile(monkeypatch, a)
    first = start()
    assert first.state.models_folder == a / "models"
    first.tabs.setCurrentWidget(first.mistakes_tab)
    first.classify_tab.set_unsure_half_width(0.2)  # as its header control does
    first.close()
    _profile(monkeypatch, b)
    second = start()
    assert second.state.models_folder == b / "models"
    assert second.tabs.currentWidget() is not second.mistakes_tab  # a's choice stays in a
    assert remembered.unsure_half_width(second.settings) == remembered.DEFAULT_UNSURE_HALF_WIDTH
    second.close()
    kept_a = QSettings(str(a / "settings.ini"), QSettings.Format.IniFormat)
    assert remembered.tab(kept_a, ["train", "classify", "mistakes"]) == "mistakes"
    assert remembered.unsure_half_width(kept_a) == 0.2
    assert (b / "settings.ini").is_file()
    assert not (Path(os.environ["XDG_CONFIG_HOME"]) / "catgui").exists()  # not Qt's place
    assert sorted(p.name for p in paths.PROJECT_MODELS.iterdir()) == shipped


def test_a_checkouts_run_goes_to_catgui_home(tiny_data, tmp_path, monkeypatch):
    home = tmp_path / "profile"
    shipped = sorted(p.name for p in paths.PROJECT_MODELS.iterdir())
    env = {k: v for k, v in os.environ.items() if k != "CATGUI_MODELS"}
    proc = subprocess.run(
        [sys.executable, "-m", "catgui.cli", "train", "--model", "logreg", "--iterations", "3",
         "--data", str(tiny_data)],
        capture_output=True, text=True, env={**env, "CATGUI_HOME": str(home)}, cwd=ROOT,
        timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (saved,) = (home / "models").glob("*.npz")
    assert f"Saved to {saved}" in proc.stdout
    assert sorted(p.name for p in paths.PROJECT_MODELS.iterdir()) == shipped


def test_settings_from_qts_own_place_are_carried_over_once(monkeypatch, tmp_path):
    monkeypatch.delenv("CATGUI_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    older = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "catgui", "catgui")
    older.setValue(remembered.TAB, "classify")
    older.sync()
    settings = remembered.open_settings()
    assert Path(settings.fileName()) == tmp_path / "data" / "catgui" / "settings.ini"
    assert settings.value(remembered.TAB) == "classify"
    settings.setValue(remembered.TAB, "mistakes")
    settings.sync()
    assert remembered.open_settings().value(remembered.TAB) == "mistakes"  # copied only once


def test_a_thinned_curve_is_plotted_at_its_real_iterations(window, tmp_path, monkeypatch):
    from catgui.core import persistence

    model = persistence.load(paths.default_model_path())
    monkeypatch.setattr(persistence, "METADATA_LIMIT", 1 << 20)
    model.metadata["costs"] = [1.0 - i / 200_000 for i in range(100_001)]
    thinned = persistence.load(persistence.save(model, tmp_path / "long.npz"))
    step = thinned.metadata[persistence.COSTS_STEP]
    window.train_tab.plot_slot.plot()  # built, as after the first paint
    window.state.set_model(thinned)
    xs, ys = window.train_tab.plot.points()
    assert step > 1 and xs[1] == step and xs[-1] == pytest.approx(100_000, abs=step)
    assert ys[-1] == pytest.approx(0.5)
    # ticked in History, its overlay stands at the same iterations
    history = window.train_tab.views.history
    row = history.models.index(thinned)
    history.set_ticked(row, True)
    ((_, over_xs, over_ys),) = window.train_tab.plot.overlay_points()
    assert over_xs[1] == step and over_xs[-1] == pytest.approx(100_000, abs=step)
    assert over_ys[-1] == pytest.approx(0.5)


def test_a_saved_curve_and_its_step_are_read_whatever_the_file_says():
    from catgui.core import persistence

    assert persistence.cost_curve({"costs": [3, 2.5], "costs_step": 4}) == ([3.0, 2.5], 4)
    for bad_step in (0, -2, True, "8", 1.5, None):
        assert persistence.cost_curve({"costs": [1.0], "costs_step": bad_step}) == ([1.0], 1)
    costs, step = persistence.cost_curve({"costs": [1.0, "x", None], "costs_step": 2})
    assert costs[0] == 1.0 and all(c != c for c in costs[1:]) and step == 2  # gaps: NaN
    assert persistence.cost_curve({"costs": "not a list"}) == ([], 1)
    assert persistence.cost_curve({}) == ([], 1)
