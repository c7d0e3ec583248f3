"""The Train tab's first-layer units (live and static) and its run history."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from catgui.core import units
from catgui.core.evaluation import accuracy_text
from catgui.core.head import Head
from catgui.core.kinds.pretrained import PretrainedClassifier
from catgui.core.network import Network
from catgui.core.persistence import Model
from catgui.ui.train.run_history import (
    COST,
    ITERATIONS,
    KIND,
    NAME,
    PARAMETERS,
    SEED,
    TEST,
    TRAIN,
)
from catgui.ui.train.units_view import FirstLayerUnits
from catgui.workers.base import running_workers

pytestmark = pytest.mark.gui


def _train(qtbot, window, iterations: int) -> None:
    tab = window.train_tab
    tab.form.set_field("iterations", str(iterations))
    with qtbot.waitSignal(
        tab.runningChanged, timeout=30_000, check_params_cb=lambda running: not running
    ):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
    assert tab.worker is None


def test_each_unit_is_scaled_around_zero_on_its_own():
    w = np.zeros((3, units.INPUTS))
    w[0, 0], w[0, 1] = 2.0, -1.0
    w[1, 5] = -0.001
    w[2, :] = np.nan
    pictures = units.first_layer_pictures(
        Network([w, np.zeros((1, 3))], [np.zeros((3, 1)), np.zeros((1, 1))])
    )
    assert pictures.shape == (3, 64, 64, 3) and pictures.dtype == np.uint8
    assert pictures[0, 0, 0, 0] == 255 and pictures[0, 0, 0, 1] == 64  # 127.5 - 63.75
    assert pictures[0, 0, 0, 2] == 128  # zero is mid grey
    assert pictures[1, 0, 1, 2] == 0  # the unit's own largest weight reaches the end
    assert (pictures[2] == 128).all()  # nothing finite: grey


def test_the_units_are_the_trained_network_s_first_layer(qtbot, window, state):
    _train(qtbot, window, 30)
    view = window.train_tab.views.units
    expected = units.first_layer_pictures(state.model.classifier.network)
    assert view.pictures() is not None
    np.testing.assert_array_equal(view.pictures(), expected)
    assert state.model.classifier.first_layer().shape == (expected.shape[0], units.INPUTS)
    assert "First layer" in view.text()


def test_the_units_change_live_during_a_long_run(qtbot, window, state):
    tab = window.train_tab
    tab.form.set_field("iterations", "1000000")
    snapshots: list[np.ndarray] = []
    qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
    tab.worker.unitsChanged.connect(lambda pictures: snapshots.append(pictures.copy()))
    view = tab.views.units
    qtbot.waitUntil(lambda: view.snapshots >= 3, timeout=20_000)
    assert tab.worker is not None  # still running: these came before the end
    with qtbot.waitSignal(
        tab.runningChanged, timeout=30_000, check_params_cb=lambda running: not running
    ):
        qtbot.mouseClick(tab.buttons.stop_button, Qt.MouseButton.LeftButton)
    distinct = {s.tobytes() for s in snapshots}
    assert len(snapshots) >= 3 and len(distinct) >= 3
    assert tab.worker is None and not running_workers()
    stopped = tab.pending.model  # a stopped run shows what it learnt
    expected = units.first_layer_pictures(stopped.classifier.network)
    np.testing.assert_array_equal(view.pictures(), expected)


def test_a_pretrained_model_shows_a_sentence(qtbot, state):
    view = FirstLayerUnits(state)
    qtbot.addWidget(view)
    fitted = Head("pooled", np.zeros(4), np.ones(4), np.zeros(4), 0.0, 1.0)
    view.show_model(Model(PretrainedClassifier(fitted), {}))
    assert view.pictures() is None
    assert "no first layer" in view.text()


def test_the_history_lists_overlays_and_activates_runs(qtbot, window, state):
    tab = window.train_tab
    history = tab.views.history
    _train(qtbot, window, 20)
    first = state.model
    tab.form.set_field("seed", "7")
    _train(qtbot, window, 35)
    second = state.model
    assert history.models == [first, second]
    for row, model in enumerate((first, second)):
        meta = model.metadata
        assert history.text(row, ITERATIONS) == f"{meta['iterations_done']:,}"
        assert history.text(row, COST) == f"{meta['costs'][-1]:.4f}"
        assert history.text(row, TEST) == accuracy_text(meta["test_accuracy"], meta["test_size"])
        assert history.text(row, TRAIN) == accuracy_text(meta["train_accuracy"], meta["train_size"])
        assert history.text(row, KIND) and history.text(row, PARAMETERS)
    assert history.text(1, SEED) == "7"
    assert "seed 7" in history.text(1, PARAMETERS)
    # ticking a row overlays its curve
    history.set_ticked(0, True)
    curves = tab.plot.overlay_points()
    assert len(curves) == 1 and curves[0][2] == pytest.approx(first.metadata["costs"])
    assert curves[0][1] == list(range(len(first.metadata["costs"])))  # a cost an iteration
    history.set_ticked(0, False)
    assert tab.plot.overlay_points() == []
    # double click makes that run's model active
    history.show()
    qtbot.waitExposed(history)
    rect = history.table.visualItemRect(history.table.item(0, KIND))
    qtbot.mousePress(history.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(history.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert state.model is first, history.note.text()
    history.close()


def test_the_history_lists_the_saved_models_runs_on_request(qtbot, window, state):
    from catgui.core import persistence
    from tests.model_helpers import save_model

    folder = state.models_folder
    saved = [save_model(folder, f"m{i}.npz", seed=i) for i in range(3)]
    (folder / "broken.npz").write_bytes(b"not a model")
    history = window.train_tab.views.history
    before = len(history.models)
    qtbot.mouseClick(history.saved_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.worker is None, timeout=10_000)
    paths = {m.path for m in history.models[before:]}
    assert set(saved) <= paths and folder / "broken.npz" not in paths
    names = {history.text(row, NAME) for row in range(history.table.rowCount())}
    assert {"m0", "m1", "m2"} <= names
    qtbot.mouseClick(history.saved_button, Qt.MouseButton.LeftButton)  # listed once only
    qtbot.waitUntil(lambda: history.worker is None, timeout=10_000)
    assert len({m.path for m in history.models}) == len(history.models)
    assert persistence.list_models(folder)  # nothing was moved or removed
