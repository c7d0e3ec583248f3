"""The Sweep… dialog of the Train tab: seeds, learning rates, cross-validation, Stop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from catgui.core import runs, sweeps
from catgui.ui.train.sweep_dialog import FOLDS, RATES, SEEDS, SweepDialog
from catgui.workers.base import running_workers

pytestmark = pytest.mark.gui


def _open(qtbot, window, hidden="3", iterations="50", learning_rate="0.05") -> SweepDialog:
    tab = window.train_tab
    tab.form.set_field("hidden", hidden)
    tab.form.set_field("iterations", iterations)
    tab.form.set_field("learning_rate", learning_rate)
    assert tab.buttons.sweep_button.isEnabled()
    qtbot.mouseClick(tab.buttons.sweep_button, Qt.MouseButton.LeftButton)
    dialog = tab.sweep_dialog
    assert dialog.isVisible()
    return dialog


def _run(qtbot, dialog: SweepDialog, mode: str) -> None:
    dialog.what.setCurrentIndex(dialog.what.findData(mode))
    with qtbot.waitSignal(dialog.ended, timeout=60_000):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        assert dialog.is_running()
    assert not dialog.is_running() and not running_workers()


def test_seed_sweep_record_of_seed_1_equals_a_single_run(qtbot, window, state):
    dialog = _open(qtbot, window)
    dialog.seed_from.setValue(1)
    dialog.seed_to.setValue(3)
    _run(qtbot, dialog, SEEDS)
    assert [r.seed for r in dialog.records] == [1, 2, 3]
    config = window.train_tab.form.config()
    assert config.hidden == (3,) and config.iterations == 50
    trainer = runs.make_trainer(state.dataset.train, sweeps.vary(config, "seed", 1))
    for _ in trainer.steps():
        pass
    model = runs.build_model(trainer, state.dataset, 0.0)
    one = dialog.records[0]
    assert one.iterations_done == 50 and one.final_cost == trainer.costs[-1]
    assert one.train_accuracy == model.metadata["train_accuracy"]
    assert one.test_accuracy == model.metadata["test_accuracy"]
    assert list(one.test_interval_95) == model.metadata["test_interval_95"]
    assert "mean" in dialog.result.text() and "seed 1" in dialog.result.text()
    bars = dialog.plot.axes.containers  # one error bar a seed (grouped by colour)
    assert sorted(x for c in bars for x in c.lines[0].get_xdata()) == [1, 2, 3]
    assert dialog.progress.value() == dialog.progress.maximum()


def test_stop_mid_sweep_ends_it_with_no_thread_left(qtbot, window):
    dialog = _open(qtbot, window, iterations="100000")
    dialog.what.setCurrentIndex(dialog.what.findData(SEEDS))
    with qtbot.waitSignal(dialog.ended, timeout=10_000):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=5_000)
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert not dialog.is_running() and not running_workers()
    assert "Stopped after 0 of 10 runs" in dialog.status.text()
    assert dialog.run_button.isEnabled()


def test_closing_the_dialog_mid_sweep_stops_and_waits(qtbot, window):
    dialog = _open(qtbot, window, iterations="100000")
    assert dialog.start()
    dialog.close()
    assert not dialog.is_running() and not running_workers()


def test_closing_the_window_mid_sweep_leaves_no_thread(qtbot, window):
    dialog = _open(qtbot, window, iterations="100000")
    assert dialog.start()
    window.close()
    assert not dialog.is_running() and not running_workers()


def test_opening_again_makes_a_new_dialog_with_the_form_s_recipe(qtbot, window):
    first = _open(qtbot, window)
    first.close()
    second = _open(qtbot, window, hidden="5")
    assert second is not first and second.config.hidden == (5,)


def test_learning_rate_sweep_marks_a_diverging_rate(qtbot, window):
    dialog = _open(qtbot, window, iterations="150")
    dialog.rates.setText("0.05, 50")
    _run(qtbot, dialog, RATES)
    statuses = [r.status for r in dialog.records]
    assert statuses[0] == sweeps.OK and statuses[1] in (sweeps.DIVERGED, sweeps.DEAD_LAYER)
    labels = dialog.plot.axes.get_legend_handles_labels()[1]
    assert labels[0].startswith("lr 0.05: train") and labels[1].startswith("lr 50: ")
    assert statuses[1] in labels[1]
    assert "Not ended well" in dialog.result.text() and "lr 50" in dialog.result.text()


def test_a_bad_rate_is_refused_before_any_run(qtbot, window):
    dialog = _open(qtbot, window)
    dialog.what.setCurrentIndex(dialog.what.findData(RATES))
    dialog.rates.setText("0.01, 500")
    assert not dialog.start()
    assert "learning rate" in dialog.status.text() and not dialog.is_running()


def test_cross_validation_shows_mean_and_spread(qtbot, window, state):
    dialog = _open(qtbot, window)
    dialog.folds.setValue(3)
    _run(qtbot, dialog, FOLDS)
    config = window.train_tab.form.config()
    expected = sweeps.run_all(sweeps.cross_validate(state.dataset.train, config, 3))
    assert dialog.cv == expected
    assert f"mean {100 * expected.mean:.1f} %" in dialog.result.text()
    assert "3-fold" in dialog.result.text()
