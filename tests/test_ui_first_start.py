"""A newcomer's first start (issue 22, item 14): the window opens on Classify, and the
Train form shows the active model's kind and recipe, not another kind beside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from catgui.core import paths, persistence, runs
from catgui.core.dataset import load as load_dataset
from catgui.core.training import TrainConfig
from catgui.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(qtbot, state, tmp_path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(state, settings)
    qtbot.addWidget(win)
    return win


def _form(win: MainWindow) -> tuple[str, dict[str, str]]:
    form = win.train_tab.form
    shown = {n: e.text() for n, e in form.edits.items() if e.isEnabled()}
    return form.kind.currentText(), shown


def test_the_first_start_walk_classify_first_and_a_form_that_matches_the_model(
    qtbot, state, tmp_path
):
    state.open_model(paths.photo_model_path())  # what a first start opens
    win = _window(qtbot, state, tmp_path)
    with qtbot.waitSignal(win.startedUp, timeout=30_000):
        win.show()
    assert win.tabs.currentWidget() is win.classify_tab
    win.tabs.setCurrentWidget(win.train_tab)
    kind, fields = _form(win)
    assert kind == "Pretrained features + logistic regression" and fields == {"c": "auto"}
    assert "Active model: pretrained" in win.train_tab.summary.headline.text()
    win.close()


def test_the_form_follows_the_model_made_active(qtbot, state, tmp_path, tiny_data):
    win = _window(qtbot, state, tmp_path)
    form = win.train_tab.form
    form.kind.setCurrentIndex(form.kind.findData("logreg"))
    form.set_field("learning_rate", "0.02")  # the user's own logistic regression recipe
    state.open_model(paths.default_model_path())  # the article's network
    kind, fields = _form(win)
    assert kind == "Deep network"
    assert fields == {
        "hidden": "20,7,5",
        "learning_rate": "0.0075",
        "iterations": "2500",
        "seed": "1",
    }
    # a run of another recipe, made active from its file
    data = load_dataset(tiny_data)
    trainer = runs.make_trainer(data.train, TrainConfig(hidden=(3,), iterations=7, seed=4))
    for _ in trainer.steps():
        pass
    saved = runs.save_new(runs.build_model(trainer, data, 0.1), tmp_path / "models")
    state.set_model(persistence.load(saved))
    assert _form(win)[1] == {
        "hidden": "3",
        "learning_rate": "0.0075",
        "iterations": "7",
        "seed": "4",
    }
    # the other kinds keep what the user gave them
    form.kind.setCurrentIndex(form.kind.findData("logreg"))
    assert form.edits["learning_rate"].text() == "0.02"
    win.close()
