"""The Mistakes tab shows exactly what ``evaluation.evaluate`` (and ``catgui evaluate``) reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from catgui.core import dataset as ds
from catgui.core import evaluation, paths, persistence
from catgui.core import network as nn
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui.app_state import AppState
from catgui.ui.mistakes.tab import MistakesTab

pytestmark = pytest.mark.gui


def _logreg(bias: float, seed: int = 0) -> persistence.Model:
    """A logistic-regression model: small random weights plus ``bias``."""
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, size=(1, 12288))
    b = np.array([[bias]])
    return persistence.Model(NetworkClassifier(nn.Network([w], [b])), {"name": f"bias {bias}"})


def _tab(qtbot) -> tuple[AppState, MistakesTab]:
    state = AppState(Path("models"))
    tab = MistakesTab(state)
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    return state, tab


def _shown(tab: MistakesTab) -> list[tuple[int, int, int, float]]:
    model = tab.view.model()
    return [
        (m.index, m.label, m.predicted, m.probability)
        for m in (model.item(r).mistake for r in range(model.rowCount()))
    ]


def _expected(model: persistence.Model, data: ds.DataSet, kind: str | None = None) -> list:
    result = evaluation.evaluate(model.classifier, data.test.x, data.test.y)
    return [
        (m.index, m.label, m.predicted, m.probability)
        for m in result.mistakes
        if kind in (None, m.kind)
    ]


def test_says_what_is_missing(qtbot, tiny_data):
    state, tab = _tab(qtbot)
    assert tab.pages.currentIndex() == 0
    assert "No data set and no model" in tab.message_label.text()
    state.open_dataset(tiny_data)
    assert "No model is active" in tab.message_label.text()
    state.set_dataset(None)
    state.set_model(_logreg(0.0))
    assert "test pictures are not loaded" in tab.message_label.text()
    assert tab.view.model().rowCount() == 0


def test_tiny_data_shows_exactly_the_evaluated_mistakes(qtbot, tiny_data):
    state, tab = _tab(qtbot)
    data = state.open_dataset(tiny_data)
    model = _logreg(0.0, seed=4)
    state.set_model(model)
    expected = _expected(model, data)
    assert expected, "the random model should make some mistakes on the tiny set"
    assert tab.pages.currentIndex() == 1
    assert _shown(tab) == expected
    n = len(data.test)
    assert tab.summary.count_label.text() == f"{len(expected)} mistakes of {n}"
    result = evaluation.evaluate(model.classifier, data.test.x, data.test.y)
    assert tab.summary.confusion.counts() == [[str(v) for v in row] for row in result.confusion]
    head = evaluation.accuracy_text(result.accuracy, n).partition(" (")[0]
    assert head in tab.summary.accuracy_label.text()


def test_model_change_refreshes(qtbot, tiny_data):
    state, tab = _tab(qtbot)
    data = state.open_dataset(tiny_data)
    always_cat = _logreg(+5.0)  # every non-cat becomes a false positive
    state.set_model(always_cat)
    labels = data.test.y
    assert [i for i, *_ in _shown(tab)] == list(np.flatnonzero(labels == 0))
    assert all(kind == 1 for _, _, kind, _ in _shown(tab))
    never_cat = _logreg(-5.0)  # every cat becomes a false negative
    state.set_model(never_cat)
    assert [i for i, *_ in _shown(tab)] == list(np.flatnonzero(labels == 1))
    assert tab.filters.buttons["false positive"].text() == "False positives (0)"
    tab.set_filter("false positive")
    assert tab.view.model().rowCount() == 0
    assert tab.grid_pages.currentWidget() is tab.empty_label
    assert "No false positives" in tab.empty_label.text()


def test_data_set_change_refreshes(qtbot, tiny_data, tmp_path):
    from tests.data_helpers import write_h5_pair

    state, tab = _tab(qtbot)
    state.open_dataset(tiny_data)
    state.set_model(_logreg(+5.0))
    assert tab.summary.count_label.text() == "3 mistakes of 6"
    state.open_dataset(write_h5_pair(tmp_path / "other", m_test=10, seed=2))
    assert tab.summary.count_label.text() == "5 mistakes of 10"


def test_default_model_on_the_real_data(qtbot, real_data):
    state, tab = _tab(qtbot)
    data = state.open_dataset(real_data)
    model = state.open_model(paths.default_model_path())
    assert _shown(tab) == _expected(model, data)
    assert tab.summary.count_label.text() == "10 mistakes of 50"
    assert tab.filters.buttons["all"].text() == "All (10)"
    assert tab.filters.buttons["false positive"].text() == "False positives (7)"
    assert tab.filters.buttons["false negative"].text() == "False negatives (3)"
    assert tab.summary.confusion.counts() == [["10", "7"], ["3", "30"]]
    assert (
        "80 %" in tab.summary.accuracy_label.text()
        and "on 50 images" in tab.summary.accuracy_label.text()
    )

    qtbot.mouseClick(tab.filters.buttons["false positive"], Qt.MouseButton.LeftButton)
    assert _shown(tab) == _expected(model, data, "false positive")
    assert len(_shown(tab)) == 7
    qtbot.mouseClick(tab.summary.confusion.cells[(1, 0)], Qt.MouseButton.LeftButton)  # the FN cell
    assert _shown(tab) == _expected(model, data, "false negative")
    assert [i for i, *_ in _shown(tab)] == [11, 19, 28]
    assert tab.filters.buttons["false negative"].isChecked()
    tab.set_filter("all")
    assert len(_shown(tab)) == 10


def test_click_opens_the_large_view_with_next_and_previous(qtbot, tiny_data):
    state, tab = _tab(qtbot)
    state.open_dataset(tiny_data)
    state.set_model(_logreg(+5.0))
    view = tab.view
    rect = view.visualRect(view.model().index(1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    viewer = tab.viewer
    assert viewer is not None and viewer.isVisible()
    second = view.model().item(1).mistake
    assert viewer.title_label.text() == f"Test image {second.index}"
    assert (
        "non-cat" in viewer.details_label.text()
        and f"{second.probability:.3f}" in viewer.details_label.text()
    )
    assert viewer.position_label.text() == "2 of 3"
    assert viewer.image_label.pixmap().width() == 320
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)
    assert viewer.position_label.text() == "3 of 3"
    assert not viewer.next_button.isEnabled()
    assert view.currentIndex().row() == 2  # the grid follows
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    viewer.previous_button.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    qtbot.keyClick(viewer.previous_button, Qt.Key.Key_Left)  # arrows work whatever has focus
    assert viewer.position_label.text() == "1 of 3"
    assert not viewer.previous_button.isEnabled()
    viewer.reject()
    assert tab.viewer is None


def test_enter_opens_the_large_view(qtbot, tiny_data):
    state, tab = _tab(qtbot)
    state.open_dataset(tiny_data)
    state.set_model(_logreg(-5.0))
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.view.model().index(2, 0))
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert tab.viewer is not None and tab.viewer.position_label.text() == "3 of 3"
    state.set_model(_logreg(+5.0))  # a new model closes the stale large view
    assert tab.viewer is None


def test_model_that_does_not_fit_the_data_is_explained(qtbot, tiny_data):
    state, tab = _tab(qtbot)
    state.open_dataset(tiny_data)
    small = persistence.Model(
        NetworkClassifier(nn.Network([np.zeros((1, 10))], [np.zeros((1, 1))]))
    )
    state.set_model(small)
    assert tab.pages.currentIndex() == 0
    assert "12288" in tab.message_label.text() and "10" in tab.message_label.text()


def test_the_scroll_bar_of_a_long_grid_is_painted_everywhere(qtbot, real_data):
    # The grid once made itself transparent with a style sheet, which left the scroll
    # bar's groove unpainted: black on screen. Every pixel of the bar must be opaque.
    state, tab = _tab(qtbot)
    tab.resize(700, 500)  # 10 cards need more than one screen here
    state.open_dataset(real_data)
    state.open_model(paths.default_model_path())
    bar = tab.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() > 0, timeout=5000)
    image = tab.window().grab().toImage()  # the bar as the screen shows it, not alone
    corner = bar.mapTo(tab.window(), bar.rect().topLeft())
    colours = {
        image.pixelColor(corner.x() + x, corner.y() + y).name()
        for x in range(bar.width())
        for y in range(bar.height())
    }
    assert "#000000" not in colours
