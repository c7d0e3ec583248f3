"""The Train tab through the real thread: runs, Stop, Save / Discard, bad values, the plot."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from catgui.core import persistence
from catgui.core.dataset import load as load_dataset
from catgui.core.training import TrainConfig
from catgui.ui.app_state import AppState
from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers
from catgui.workers.train import TrainWorker

pytestmark = pytest.mark.gui

# ``state`` and ``asking_window`` come from conftest.py.


@pytest.fixture
def window(asking_window):
    """The window as first started: a finished run waits for Save and use."""
    return asking_window


def _tab(window: MainWindow):
    return window.train_tab


def _train(qtbot, window: MainWindow, iterations: int, use: bool = True) -> None:
    """Press Train with ``iterations``, wait for the thread to end, then (``use``) press
    Save and use."""
    tab = _tab(window)
    tab.form.set_field("iterations", str(iterations))
    assert tab.buttons.train_button.isEnabled()
    with qtbot.waitSignal(
        tab.runningChanged, timeout=30_000, check_params_cb=lambda running: not running
    ):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
        assert tab.worker is not None
    assert tab.worker is None
    if use:  # the run waits, unsaved: Save and use it
        assert tab.pending is not None and tab.summary.save_button.isVisibleTo(tab)
        qtbot.mouseClick(tab.summary.save_button, Qt.MouseButton.LeftButton)


def _model_files(state: AppState) -> list[Path]:
    return persistence.list_models(state.models_folder)


def test_short_run_finishes_and_the_plot_holds_every_point(qtbot, window, state):
    tab = _tab(window)
    plot = window.findChild(type(tab.plot), "costPlot")
    assert plot is tab.plot
    _train(qtbot, window, 40)
    xs, ys = plot.points()
    assert xs == list(range(40))
    assert ys == pytest.approx(state.model.metadata["costs"])
    progress = window.findChild(type(tab.progress), "trainProgress")
    assert progress.value() == progress.maximum() == 40
    assert "40 iterations" in progress.format()
    assert tab.worker is None and not running_workers()
    assert tab.buttons.train_button.isEnabled() and not tab.buttons.stop_button.isEnabled()


def test_saved_run_is_listed_and_active(qtbot, window, state):
    assert _model_files(state) == []
    _train(qtbot, window, 25)
    files = _model_files(state)
    assert len(files) == 1
    model = state.model
    assert model is not None and model.path == files[0]
    assert model.metadata["iterations_done"] == 25 and not model.metadata["stopped_early"]
    selector = window.findChild(type(window.model_selector), "modelSelector")
    assert selector.paths() == files
    assert selector.currentText() == files[0].stem
    summary = _tab(window).summary.details.text()
    assert "Train" in summary and "Test" in summary and "on 6 images" in summary
    # a second (different) run never overwrites the first
    _train(qtbot, window, 26)
    assert len(_model_files(state)) == 2
    assert state.model.path != files[0]
    assert selector.count() == 2


def test_stop_mid_run_keeps_what_was_learnt_and_save_keeps_it(qtbot, window, state):
    tab = _tab(window)
    tab.form.set_field("iterations", "10000000")
    tab.start()
    worker = tab.worker
    with qtbot.waitSignal(worker.progressed, timeout=10_000):
        pass
    assert tab.buttons.stop_button.isEnabled()
    text = tab.progress.format()  # iteration, current cost, elapsed and ETA
    assert "Iteration" in text and "of 10,000,000" in text and "cost 0." in text
    assert "elapsed" in text and "left" in text
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        qtbot.mouseClick(tab.buttons.stop_button, Qt.MouseButton.LeftButton)
    assert not running_workers()
    assert tab.pending is not None and tab.pending.stopped
    done = len(tab.pending.costs)
    assert 0 < done < 10_000_000
    assert tab.summary.save_button.isVisibleTo(tab) and tab.summary.discard_button.isVisibleTo(tab)
    assert (
        _model_files(state) == [] and state.model is None
    )  # nothing saved before the user says so
    assert tab.plot.points()[0] == list(range(done))
    qtbot.mouseClick(tab.summary.save_button, Qt.MouseButton.LeftButton)
    files = _model_files(state)
    assert len(files) == 1 and "(stopped)" in files[0].name
    assert state.model.path == files[0] and state.model.metadata["stopped_early"]
    assert not tab.summary.save_button.isVisibleTo(tab)


def test_stopped_run_can_be_discarded(qtbot, window, state):
    tab = _tab(window)
    tab.form.set_field("iterations", "10000000")
    tab.start()
    with qtbot.waitSignal(tab.worker.progressed, timeout=10_000):
        pass
    with qtbot.waitSignal(tab.worker.finished, timeout=10_000):
        window.stop_action.trigger()  # what Esc does
    qtbot.mouseClick(tab.summary.discard_button, Qt.MouseButton.LeftButton)
    assert tab.pending is None and _model_files(state) == [] and state.model is None
    assert "discarded" in tab.summary.headline.text()


def test_closing_the_window_mid_run_leaves_no_thread(qtbot, window):
    tab = _tab(window)
    tab.form.set_field("iterations", "10000000")
    tab.start()
    with qtbot.waitSignal(tab.worker.progressed, timeout=10_000):
        pass
    assert running_workers()
    window.close()
    assert not running_workers()
    assert tab.worker is None


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("learning_rate", "abc", "learning rate must be a number"),
        ("learning_rate", "0", "learning rate must be above 0"),
        ("iterations", "0", "iterations must be a whole number from 1"),
        ("iterations", "2.5", "iterations must be a whole number"),
        ("seed", "-1", "seed must be a whole number from 0"),
        ("hidden", "20,x,5", "hidden layers must be whole numbers"),
        ("hidden", "20,0", "every hidden layer needs at least one unit"),
        ("hidden", "", "needs at least one hidden layer"),
    ],
)
def test_bad_hyperparameters_are_refused_at_the_field(qtbot, window, field, text, reason):
    tab = _tab(window)
    assert tab.buttons.train_button.isEnabled()
    edit = tab.form.edits[field]
    edit.clear()
    qtbot.keyClicks(edit, text)
    error = tab.form.errors[field]
    assert not error.isHidden()
    assert reason in error.text().lower()
    assert not tab.buttons.train_button.isEnabled()
    tab.start()  # even when asked directly (Ctrl+Return), nothing runs
    window.train_action.trigger()
    assert tab.worker is None and not running_workers()
    edit.clear()
    qtbot.keyClicks(edit, {"hidden": "3", "learning_rate": "0.01"}.get(field, "5"))
    assert error.isHidden() and tab.buttons.train_button.isEnabled()


def test_logistic_regression_uses_the_course_recipe(qtbot, window, state):
    form = _tab(window).form
    form.kind.setCurrentIndex(form.kind.findData("logreg"))
    assert form.edits["learning_rate"].text() == "0.005"
    assert form.edits["iterations"].text() == "2000"
    assert not form.edits["hidden"].isEnabled()
    config = form.config()
    assert config.hidden == () and config.init == "zeros" and config.learning_rate == 0.005
    _train(qtbot, window, 30)
    assert state.model.kind == "logreg" and state.model.classifier.network.depth == 1
    form.kind.setCurrentIndex(form.kind.findData("dnn"))
    assert form.edits["hidden"].text() == "20,7,5"
    assert form.edits["iterations"].text() == "2500"


def test_previous_curve_stays_faded(qtbot, window):
    plot = _tab(window).plot
    _train(qtbot, window, 20, use=False)
    first = plot.points()
    _train(qtbot, window, 10, use=False)  # the unsaved run that waited gives way
    assert plot.previous_points() == (
        [float(x) for x in first[0]],
        pytest.approx(first[1]),
    )
    assert plot.points()[0] == list(range(10))
    assert plot.previous.get_alpha() < 1
    assert (
        plot.previous.get_label().startswith("previous: ") and "seed 1" in plot.current.get_label()
    )


def test_clock_reads_like_a_clock():
    from catgui.ui.train.progress import clock as _clock

    assert [_clock(s) for s in (0, 75, 3600 + 6 * 60 + 40)] == ["0:00", "1:15", "1:06:40"]


def test_hyperparameters_are_remembered(qtbot, state, tmp_path):
    ini = str(tmp_path / "remember.ini")
    first = MainWindow(state, settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.train_tab.form.set_field("hidden", "8,4")
    first.train_tab.form.set_field("learning_rate", "0.02")
    first.close()
    second = MainWindow(state, settings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.train_tab.form.edits["hidden"].text() == "8,4"
    assert second.train_tab.form.config().learning_rate == 0.02
    second.close()


def test_worker_always_delivers_the_last_point(qtbot, tiny_data):
    data = load_dataset(tiny_data)
    worker = TrainWorker(data, TrainConfig(hidden=(3,), iterations=3000))
    seen: list[int] = []
    worker.progressed.connect(lambda i, _c: seen.append(i))
    with qtbot.waitSignal(worker.succeeded, timeout=30_000) as blocker:
        worker.start()
    worker.wait()
    outcome = blocker.args[0]
    assert seen[0] == 0 and seen[-1] == 2999
    assert seen == sorted(set(seen)) and len(seen) <= 3000
    assert len(outcome.costs) == 3000 and not outcome.stopped


def test_divergence_is_reported_and_the_last_finite_parameters_offered(qtbot, window):
    tab = _tab(window)
    tab.form.set_field("learning_rate", "10")  # far too large: a hidden layer dies
    _train(qtbot, window, 300, use=False)
    assert tab.pending is not None
    assert 0 < tab.pending.model.metadata["iterations_done"] < 300
    assert "diverged" in tab.summary.headline.text().lower()
    assert "smaller" in tab.summary.details.text()
    assert tab.summary.save_button.isVisibleTo(tab)
    assert persistence.list_models(tab.state.models_folder) == []


def test_a_kind_s_own_recipe_is_the_hint_of_its_fields(qtbot, window):
    form = _tab(window).form
    form.kind.setCurrentIndex(form.kind.findData("logreg"))
    assert form.edits["learning_rate"].placeholderText() == "course: 0.005"
    assert form.edits["iterations"].placeholderText() == "course: 2000"
    form.kind.setCurrentIndex(form.kind.findData("dnn"))
    assert form.edits["learning_rate"].placeholderText() == "article: 0.0075"


def test_a_fit_that_converges_early_fills_the_progress_bar(qtbot, window):
    tab = _tab(window)
    tab.form.kind.setCurrentIndex(tab.form.kind.findData("logreg-l2"))
    _train(qtbot, window, 100)
    assert "converged after" in tab.progress.format()
    assert tab.progress.value() == tab.progress.maximum() == 100
