"""The model list follows the models folder while the app runs (catgui.ui.models_watcher).

Files are added, renamed and deleted behind the app's back, as a file manager would; the
selector must follow without a restart or a click.
"""

from __future__ import annotations

import shutil

import pytest

from catgui.ui import model_files
from catgui.ui.models_watcher import ModelsWatcher
from tests.model_helpers import save_model

pytestmark = pytest.mark.gui


def _names(window) -> list[str]:
    return [p.name for p in window.model_selector.paths()]


def test_a_model_copied_into_the_folder_appears(qtbot, window, state, tmp_path):
    state.models_folder.mkdir(parents=True, exist_ok=True)
    state.notify_models_list_changed()
    outside = save_model(tmp_path, "from a colleague.npz")
    assert "from a colleague.npz" not in _names(window)
    shutil.copy(outside, state.models_folder / outside.name)
    qtbot.waitUntil(lambda: "from a colleague.npz" in _names(window), timeout=5000)


def test_renamed_and_deleted_models_leave_the_list(qtbot, window, state):
    state.models_folder.mkdir(parents=True, exist_ok=True)
    a = save_model(state.models_folder, "a.npz")
    b = save_model(state.models_folder, "b.npz", seed=2)
    state.notify_models_list_changed()
    assert sorted(_names(window)) == ["a.npz", "b.npz"]
    a.rename(a.with_name("renamed.npz"))
    qtbot.waitUntil(lambda: sorted(_names(window)) == ["b.npz", "renamed.npz"], timeout=5000)
    b.unlink()
    qtbot.waitUntil(lambda: _names(window) == ["renamed.npz"], timeout=5000)


def test_a_folder_created_after_start_is_watched_from_the_next_change(qtbot, state):
    folder = state.models_folder
    shutil.rmtree(folder, ignore_errors=True)
    watcher = ModelsWatcher(state)
    assert str(folder) not in watcher.watched()
    folder.mkdir(parents=True)
    state.notify_models_list_changed()  # what the first save in the app does
    assert str(folder) in watcher.watched()
    with qtbot.waitSignal(state.modelsListChanged, timeout=5000):
        save_model(folder, "new.npz")


def test_one_burst_of_changes_is_reported_once(qtbot, state):
    state.models_folder.mkdir(parents=True, exist_ok=True)
    watcher = ModelsWatcher(state)
    seen = []
    state.modelsListChanged.connect(lambda: seen.append(1))
    for i in range(5):  # five saves in quick succession (each a temp file and a rename)
        save_model(state.models_folder, f"m{i}.npz", seed=i)
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=5000)
    qtbot.wait(800)
    assert len(seen) == 1
    assert str(state.models_folder) in watcher.watched()


def test_the_active_model_opened_from_elsewhere_is_watched_too(qtbot, window, state, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    outside = save_model(tmp_path / "elsewhere", "mine.npz")
    assert window.open_model(str(outside))
    assert str(outside) in window.models_watcher.watched()
    with qtbot.waitSignal(window.model_selector.fileMissing, timeout=5000) as missing:
        outside.unlink()
    assert str(outside) in missing.args[0]
    assert window.model_selector.currentText() == "mine (file missing)"


def test_the_missing_model_notice_saves_it_again_in_one_click(
    qtbot, window, state, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox, QPushButton

    state.models_folder.mkdir(parents=True, exist_ok=True)
    model_path = save_model(state.models_folder, "precious.npz")
    assert window.open_model(str(model_path))
    with qtbot.waitSignal(window.model_selector.fileMissing, timeout=5000):
        model_path.unlink()
    box = next(b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible())
    assert box.windowTitle() == "Model file missing"
    target = state.models_folder / "precious again.npz"
    monkeypatch.setattr(model_files, "choose_save_path", lambda *a, **k: str(target))
    box.findChild(QPushButton, "saveMissingModel").click()
    assert target.is_file()
    qtbot.waitUntil(lambda: window.model_selector.currentText() == "precious again", timeout=5000)
    assert window.model_selector.missing_message() is None
