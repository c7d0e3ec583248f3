"""The window shell: title, tabs, menus, status bar, drops, shortcuts, settings, errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QMessageBox, QTabWidget

from catgui.core import paths, persistence, runs
from catgui.core.dataset import load as load_dataset
from catgui.core.evaluation import accuracy_text
from catgui.core.training import TrainConfig
from catgui.ui import application
from catgui.ui.app_state import AppState
from catgui.ui.crash_reporter import CrashReporter, log_path
from catgui.ui.main_window import TITLE, MainWindow
from catgui.workers.base import running_workers

pytestmark = pytest.mark.gui


def make_model(data_folder: Path, out_folder: Path, iterations: int = 5) -> Path:
    """Train a tiny model with the engine and save it under a new name."""
    data = load_dataset(data_folder)
    trainer = runs.make_trainer(data.train, TrainConfig(hidden=(2,), iterations=iterations))
    for _ in trainer.steps():
        pass
    return runs.save_new(runs.build_model(trainer, data, 0.1), out_folder)


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, state, settings) -> MainWindow:
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    yield win
    win.close()


def _dialogs(window: MainWindow, name: str) -> list[QMessageBox]:
    return [d for d in window.findChildren(QMessageBox, name) if d.isVisible()]


def test_title_tabs_and_menus(qtbot, window):
    with qtbot.waitSignal(window.startedUp, timeout=30_000):
        window.show()  # the Train tab and its plot are built once the window has been painted
    assert window.train_tab.plot_slot.is_built()
    assert window.windowTitle() == TITLE
    tabs = window.findChild(QTabWidget, "tabs")
    names = [tabs.widget(i).objectName() for i in range(tabs.count())]
    # the Mistakes, Camera and Library tabs are built when first shown
    assert names == [
        "trainTab",
        "classifyTab",
        "mistakesPlaceholder",
        "cameraPlaceholder",
        "libraryPlaceholder",
    ]
    tabs.setCurrentIndex(2)
    names = [tabs.widget(i).objectName() for i in range(tabs.count())]
    assert names[:4] == ["trainTab", "classifyTab", "mistakesTab", "cameraPlaceholder"]
    assert tabs.currentWidget() is window.mistakes_tab
    tabs.setCurrentIndex(3)
    assert tabs.widget(3).objectName() == "cameraTab"
    assert tabs.currentWidget() is window.camera_tab
    tabs.setCurrentIndex(4)
    assert tabs.widget(4).objectName() == "libraryTab"
    assert tabs.currentWidget() is window.library_tab
    texts = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
    assert texts == ["Train", "Classify", "Mistakes", "Camera", "Library"]
    for name in ("trainButton", "stopButton", "costPlot", "trainProgress", "modelSelector"):
        assert window.findChild(object, name) is not None, name
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    file_items = [a.text() for a in menus["File"].actions() if not a.isSeparator()]
    for item in ("Open Data Set Folder…", "Open Model…", "Save Model As…", "Quit"):
        assert item in file_items
    help_items = [a.text() for a in menus["Help"].actions() if not a.isSeparator()]
    assert help_items == ["Keyboard Shortcuts", "Open Log Folder", "About catgui"]


def test_status_bar_shows_the_active_model_and_the_data_set(window, state, tiny_data, tmp_path):
    assert "none" in window.model_status.text()
    assert (
        f"{len(state.dataset.train)} train / {len(state.dataset.test)} test"
        in window.data_status.text()
    )
    path = make_model(tiny_data, state.models_folder)
    model = state.open_model(path)
    text = window.model_status.text()
    assert model.name in text
    assert accuracy_text(model.test_accuracy, model.metadata["test_size"]) in text
    state.set_dataset(None)
    assert "not found" in window.data_status.text()


def test_model_selector_lists_switches_and_reports_bad_files(qtbot, window, state, tiny_data):
    selector = window.model_selector
    first = make_model(tiny_data, state.models_folder)
    second = make_model(tiny_data, state.models_folder, iterations=7)
    os.utime(first, (1, 1))  # make "second" the newest
    state.notify_models_list_changed()
    assert selector.paths() == [second, first]
    selector.activated.emit(1)
    assert state.model.path == first and selector.currentIndex() == 1
    bad = state.models_folder / "broken.npz"
    bad.write_bytes(b"not a zip")
    os.utime(bad, (2, 2))
    state.notify_models_list_changed()
    index = selector.paths().index(bad)
    with qtbot.waitSignal(selector.failed) as blocker:
        selector.activated.emit(index)
    assert "broken.npz" in blocker.args[0]
    assert state.model.path == first and selector.currentText() == first.stem
    assert _dialogs(window, "errorDialog")


def test_dropping_files_anywhere_goes_to_classify(qtbot, window, tmp_path, monkeypatch):
    got: list[list[str]] = []
    monkeypatch.setattr(window.classify_tab, "add_paths", got.append, raising=False)
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(picture)), QUrl.fromLocalFile(str(tmp_path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.tabs.currentWidget() is window.classify_tab
    assert got == [[str(picture), str(tmp_path)]]


def test_keyboard_paths(qtbot, window, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(
        window.classify_tab, "open_images", lambda: calls.append("open"), raising=False
    )
    monkeypatch.setattr(
        window.classify_tab, "paste_image", lambda: calls.append("paste"), raising=False
    )
    assert window.open_images_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.paste_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Paste)
    assert window.stop_action.shortcut() == QKeySequence("Esc")
    assert window.open_images_action in window.actions()  # window-wide, menu or not
    window.open_images_action.trigger()  # offscreen windows never become active for keys
    window.paste_action.trigger()
    assert calls == ["open", "paste"]
    assert window.tabs.currentWidget() is window.classify_tab


def test_escape_stops_training(qtbot, window):
    tab = window.train_tab
    window.show()
    qtbot.waitExposed(window)
    tab.form.set_field("iterations", "10000000")
    tab.start()
    worker = tab.worker
    with qtbot.waitSignal(worker.progressed, timeout=10_000):
        pass
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert tab.pending is not None and tab.pending.stopped
    assert not running_workers()


def test_save_model_as_reports_errors_and_keeps_the_model(
    qtbot, window, state, tiny_data, tmp_path
):
    assert not window.save_model_to(str(tmp_path / "x.npz"))  # nothing active: nothing saved
    model = state.open_model(make_model(tiny_data, state.models_folder))
    target = tmp_path / "out" / "mine.npz"
    assert window.save_model_to(str(target))
    assert target.is_file() and state.model is model and model.path == target
    assert persistence.load(target).metadata["test_accuracy"] == model.metadata["test_accuracy"]
    assert not window.save_model_to(str(target))  # exists and not confirmed: refused
    assert "exists already" in _dialogs(window, "errorDialog")[-1].text()
    assert window.save_model_to(str(target), overwrite=True)
    not_a_folder = tmp_path / "file.txt"  # unwritable even for root: its "folder" is a file
    not_a_folder.write_text("x")
    assert not window.save_model_to(str(not_a_folder / "m.npz"))
    assert str(not_a_folder) in _dialogs(window, "errorDialog")[-1].text()
    assert state.model is model


def test_open_model_with_a_bad_file_keeps_the_current_one(window, state, tiny_data, tmp_path):
    good = state.open_model(make_model(tiny_data, state.models_folder))
    bad = tmp_path / "bad.npz"
    bad.write_text("nope")
    assert not window.open_model(str(bad))
    assert state.model is good
    assert "bad.npz" in _dialogs(window, "errorDialog")[-1].text()


def test_about_names_the_versions(window):
    box = window.show_about()
    text = box.text()
    assert "catgui" in text and "Python" in text and "PySide6" in text and "Qt" in text
    assert np.__version__ in text
    box.close()


def test_open_data_set_folder_reports_a_bad_folder(window, state, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    before = state.dataset
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    window.open_data_action.trigger()
    assert state.dataset is before
    assert "train_catvnoncat.h5" in _dialogs(window, "errorDialog")[-1].text()
    assert "not opened" in window.train_tab.summary.headline.text()


def test_data_setup_shown_without_a_data_set(qtbot, settings, tiny_data):
    state = AppState(paths.models_dir())
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    tab = win.train_tab
    assert tab.stack.currentIndex() == 0 and not tab.buttons.train_button.isEnabled()
    state.open_dataset(tiny_data)
    assert tab.stack.currentIndex() == 1 and tab.buttons.train_button.isEnabled()
    assert str(tiny_data) in tab.data_box.bar.lines.text()
    win.close()


def test_geometry_and_folders_are_remembered(qtbot, state, settings, tiny_data):
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    size = (win.minimumSizeHint().width() + 5, 520)
    win.resize(*size)
    assert win.train_tab.open_dataset(str(tiny_data)) is None
    win.close()
    assert settings.value("window/geometry") is not None
    assert settings.value("folders/data") == str(tiny_data)
    again = MainWindow(state, settings=settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == size
    again.close()


def test_unexpected_exceptions_are_logged_and_shown(qtbot, window):
    reporter = CrashReporter(window)
    reporter.install()
    try:
        with qtbot.waitSignal(reporter.reported):
            try:
                raise ValueError("boom in a slot")
            except ValueError as exc:
                import sys

                sys.excepthook(type(exc), exc, exc.__traceback__)
        with qtbot.waitSignal(reporter.reported):
            thread = threading.Thread(target=lambda: 1 / 0)
            thread.start()
            thread.join()
    finally:
        reporter.uninstall()
    log = log_path().read_text(encoding="utf-8")
    assert "ValueError: boom in a slot" in log and "ZeroDivisionError" in log
    assert Path(os.environ["CATGUI_HOME"]) in log_path().parents
    assert len(reporter.dialogs) == 2
    assert "boom in a slot" in reporter.dialogs[0].informativeText()
    assert window.train_tab.buttons.train_button.isEnabled()  # the window keeps working
    for box in list(reporter.dialogs):
        box.close()


def test_first_model_is_the_default_else_the_newest(tmp_path, tiny_data, monkeypatch):
    folder = tmp_path / "models"
    assert application.first_model_path(folder) in (None, paths.default_model_path())
    monkeypatch.setattr(paths, "default_model_path", lambda: tmp_path / "missing.npz")
    assert application.first_model_path(folder) is None
    old = make_model(tiny_data, folder)
    os.utime(old, (1, 1))
    new = make_model(tiny_data, folder, iterations=6)
    assert application.first_model_path(folder) == new


def test_initial_state_opens_model_and_data(tmp_path, tiny_data, monkeypatch, qapp):
    monkeypatch.setenv("CATGUI_DATA", str(tiny_data))
    monkeypatch.setattr(paths, "default_model_path", lambda: tmp_path / "missing.npz")
    saved = make_model(tiny_data, paths.models_dir())
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    state, problems = application.initial_state(settings)
    assert problems == []
    assert state.model.path == saved and state.dataset.folder == tiny_data


def test_close_mid_run_stops_every_worker(qtbot, window):
    tab = window.train_tab
    tab.form.set_field("iterations", "10000000")
    tab.start()
    with qtbot.waitSignal(tab.worker.progressed, timeout=10_000):
        pass
    worker = tab.worker
    window.close()
    assert not running_workers() and not worker.isRunning()
    # the event loop still runs after the close: a timer set now fires
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True], timeout=5_000)


def test_mistakes_threshold_moves_the_classify_threshold(window):
    window.mistakes_tab.thresholdChanged.emit(0.7)
    assert window.classify_tab.threshold == pytest.approx(0.7)


def test_a_first_start_opens_the_shipped_zero_shot_model_when_it_can_run(
    tmp_path, monkeypatch, qapp
):
    from catgui.core import backbone

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    state, problems = application.initial_state(settings)
    assert problems == [] and state.model.path == paths.first_model_path()
    assert state.model.kind == "zero-shot"
    monkeypatch.setattr(backbone, "unavailable", lambda: "no weights (test)")
    state, problems = application.initial_state(settings)
    assert problems == [] and state.model.path == paths.default_model_path()


def test_the_app_sets_its_start_up_aside_from_garbage_collection(window, qtbot):
    """Once start-up is over (the Train tab and its plot built after the first paint), what
    it made is frozen (gc.freeze): full collections no longer walk it (they held the
    interpreter 45-60 ms, stalling the window)."""
    import gc

    from catgui.ui.application import freeze_after_start

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    freeze_after_start(window)
    try:
        assert gc.get_freeze_count() == 0  # not before the window is painted
        with qtbot.waitSignal(window.startedUp, timeout=30_000):
            window.show()
        assert window.train_tab.plot_slot.is_built()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # a test process builds many windows: keep them collectable
