"""The Train tab's plot of a pretrained run: preparation as progress, then C by feature set."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt

from catgui.core import backbone, head
from tests.data_helpers import REAL_DATA

needs_backbone = pytest.mark.skipif(
    backbone.unavailable() is not None, reason=str(backbone.unavailable())
)


def _search_metadata(folds: int = 5) -> dict:
    candidates = []
    for representation in head.REPRESENTATIONS:
        for i, c in enumerate(head.C_GRID):
            loss = 0.2 + 0.05 * abs(i - 3) + (0.1 if representation == "logits" else 0.0)
            candidates.append(
                {"features": representation, "c": c, "loss": loss, "accuracy": 0.9 - loss / 10}
            )
    return {"kind": "pretrained", "cross_validation": {"folds": folds, "candidates": candidates}}


def test_the_search_plot_says_what_the_run_does_step_by_step(qtbot):
    from catgui.ui.train.search_plot import SearchPlot

    plot = SearchPlot()
    qtbot.addWidget(plot)
    settings = len(head.REPRESENTATIONS) * len(head.C_GRID)
    plot.start_run(209, 209 + settings + 1)
    assert plot.message().startswith("Preparing the pictures: reading 209 through")
    plot.add_step(99, math.nan)
    assert plot.message().startswith("Preparing the pictures: 100 of 209 read through")
    plot.add_step(209 + 6, 0.31)
    assert plot.message() == (
        f"Choosing the features and C by cross-validation: 7 of {settings} settings tried"
    )
    plot.add_step(209 + settings, 0.05)
    assert plot.message() == "Fitting the head on every training picture"
    assert plot.drawn == {}  # no curve while it runs

    plot.show_metadata(_search_metadata())
    assert set(plot.drawn) == set(head.REPRESENTATIONS)
    for xs, ys in plot.drawn.values():
        assert xs == list(head.C_GRID) and len(ys) == len(head.C_GRID)
    assert plot.chosen == (head.C_GRID[3], pytest.approx(0.2))
    assert plot.message().startswith(f"Chosen: pooled features, C {head.C_GRID[3]:g}: ")
    assert "5-fold cross-validation" in plot.message()
    assert plot.axes.get_xscale() == "log"
    labels = [t.get_text() for t in plot.axes.get_legend().get_texts()]
    assert labels == ["pooled features", "ImageNet logits", "both", "chosen"]


def test_the_search_plot_of_a_run_without_a_search_or_with_a_damaged_record(qtbot):
    from catgui.ui.train.search_plot import SearchPlot

    plot = SearchPlot()
    qtbot.addWidget(plot)
    given = {"kind": "pretrained", "head": {"features": "pooled", "c": 0.5}}
    plot.show_metadata({**given, "hyperparameters": {"c": 0.5}})
    assert plot.message() == "C 0.5 was given: no search, the head was fitted once"
    plot.show_metadata({**given, "hyperparameters": {"c": None}})  # the shipped model's file
    assert plot.message().startswith("C 0.5 was chosen by cross-validation; this file does")
    assert plot.drawn == {} and plot.chosen is None
    damaged = _search_metadata()
    damaged["cross_validation"]["candidates"][4]["loss"] = "NaN"
    plot.show_metadata(damaged)
    assert plot.drawn == {}  # a record read from a file is not trusted
    plot.show_metadata({"kind": "zero-shot"})
    assert plot.message() == "Nothing to choose in this run: the head was fitted once"


@pytest.mark.gui
@needs_backbone
def test_a_pretrained_run_in_the_train_tab_shows_its_cross_validation(qtbot, window, state):
    from catgui.ui.train.run_history import ITERATIONS, PLOT

    if REAL_DATA is None:
        pytest.skip("the article's data set is not at ../shared/datasets")
    state.open_dataset(REAL_DATA)
    tab = window.train_tab
    form = tab.form
    form.kind.setCurrentIndex(form.kind.findData("pretrained"))
    form.set_field("c", "auto")
    messages = []
    with qtbot.waitSignal(
        tab.runningChanged, timeout=120_000, check_params_cb=lambda running: not running
    ):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
        search = tab.plot_slot.search()
        assert tab.plot_slot.showing_search()
        tab.run.worker.progressed.connect(lambda *_: messages.append(search.message()))
    assert any(m.startswith("Preparing the pictures") for m in messages)
    assert tab.progress.format().startswith("Done: 209 pictures read, 18 settings tried")
    model = state.model
    assert model.kind == "pretrained"
    record = model.metadata["cross_validation"]
    assert len(record["candidates"]) == len(head.REPRESENTATIONS) * len(head.C_GRID)
    assert tab.plot_slot.showing_search()
    chosen = model.metadata["head"]
    best = min(record["candidates"], key=lambda r: r["loss"])
    assert (best["features"], best["c"]) == (chosen["features"], chosen["c"])
    assert search.chosen == (best["c"], pytest.approx(best["loss"]))
    assert set(search.drawn) == set(head.REPRESENTATIONS)
    # the article's test picture 17 is training picture 146: the summary says so
    assert model.metadata["near_copies"]["test_with_near_copy"] == 1
    assert "1 test picture has a near-copy in the training pictures" in (tab.summary.details.text())
    # the history: no meaningless curve to tick, what the run did in words
    history = tab.views.history
    row = history.models.index(model)
    assert history.text(row, ITERATIONS) == "209 pictures read, 18 settings tried"
    assert not history.table.item(row, PLOT).flags() & Qt.ItemFlag.ItemIsUserCheckable
    # a model of another kind made active: its cost curve again
    form.kind.setCurrentIndex(form.kind.findData("logreg"))
    form.set_field("iterations", "30")
    with qtbot.waitSignal(
        tab.runningChanged, timeout=60_000, check_params_cb=lambda running: not running
    ):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
    assert state.model.kind == "logreg"
    assert not tab.plot_slot.showing_search()
    assert len(tab.plot.points()[0]) > 0
    state.set_model(model)  # the pretrained model again: its search
    assert tab.plot_slot.showing_search() and search.chosen is not None


def _calibration_metadata() -> dict:
    import numpy as np

    from catgui.core.kinds.zero_shot import ZeroShotClassifier, calibration_record

    model = ZeroShotClassifier(2.0, 8.0)  # P(cat) = 0.5 at a share of 1 / (1 + e^4)
    mass = np.array([1e-4, 1e-3, 0.05, 0.2, 0.9, 0.001])
    model.calibrated_on = (mass, np.array([0, 0, 1, 1, 1, 1], dtype=np.int8))
    return {"kind": "zero-shot", "threshold_mass": model.threshold_mass(),
            **calibration_record(model)}  # fmt: skip


def test_a_zero_shot_model_shows_its_calibration_and_a_forged_record_is_not_drawn(qtbot):
    from catgui.ui.train.search_plot import SearchPlot

    plot = SearchPlot()
    qtbot.addWidget(plot)
    metadata = _calibration_metadata()
    plot.show_metadata(metadata)
    assert plot.calibration is not None and plot.drawn == {}
    # the threshold 1 / (1 + e^4) = 1.8 %; the last cat (share 0.001) is on the wrong side
    assert (
        plot.message()
        == "Cat above 1.8 % on the cat classes: 83.3% of the 6 training pictures right"
    )
    assert plot.axes.get_xscale() == "log"
    labels = [t.get_text() for t in plot.axes.get_legend().get_texts()]
    assert labels == ["calibrated P(cat)", "training cats", "training non-cats", "threshold 1.8 %"]
    points = metadata["calibration_points"]
    for forged in (
        {**points, "mass": points["mass"][:-1]},  # one share short
        {**points, "cat": [True] * 6},  # not 0 and 1
        {**points, "mass": [*points["mass"][:-1], 1.5]},  # not a share
        {**points, "mass": [*points["mass"][:-1], "NaN"]},
        {**points, "slope": float("nan")},
        {**points, "offset": None},
        [1, 2, 3],
    ):
        plot.show_metadata({**metadata, "calibration_points": forged})
        assert plot.calibration is None  # a record read from a file is not trusted
        assert plot.message() == "Nothing to choose in this run: the head was fitted once"
    plot.start_run(209, 210)  # a new run: the calibration goes
    assert plot.calibration is None
