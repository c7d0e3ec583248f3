"""The newcomer walks' shared steps: train from the Train tab, correct a picture in Classify."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers
from tests.classify_helpers import make_model, write_pictures


def train(qtbot, window: MainWindow, iterations: int = 30) -> None:
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)  # the user is on the Train tab (a first start opens Classify)
    tab.form.set_field("iterations", str(iterations))
    with qtbot.waitSignal(tab.runningChanged, timeout=60_000, check_params_cb=lambda r: not r):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
    assert tab.worker is None and not running_workers()


def correct_one_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """In Classify: add a picture and press the row's contradicting button (C or N)."""
    window.state.set_model(make_model(0))
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    classify.add_paths([str(p) for p in write_pictures(tmp_path / "mine", 1)])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    view = classify.results_view
    view.setFocus()
    view.setCurrentIndex(classify.results.index(0))
    label = classify.results.label_of(classify.results.entry(0))
    qtbot.keyClick(view, Qt.Key.Key_N if label == "cat" else Qt.Key.Key_C)
    assert classify.results.entry(0).corrected is not None
    window.state.set_model(None)
