"""The decision threshold (Mistakes slider), the unsure band (Classify), folder test names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from catgui.core import evaluation, persistence, sources
from catgui.core import network as nn
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui.app_state import AppState
from catgui.ui.classify.model import UNSURE, band_around, label_for
from catgui.ui.classify.tab import ClassifyTab
from catgui.ui.mistakes.tab import MistakesTab
from tests.classify_helpers import make_model, wait_idle, write_pictures
from tests.folder_helpers import make_folder

pytestmark = pytest.mark.gui


def spread_model(seed: int = 3) -> persistence.Model:
    """Logistic regression whose probabilities spread over (0, 1) on any picture set."""
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.05, size=(1, 12288))
    return persistence.Model(
        NetworkClassifier(nn.Network([w], [np.array([[0.0]])])), {"name": "spread"}
    )


@pytest.fixture
def mistakes(qtbot, tiny_data):
    state = AppState(Path("models"))
    tab = MistakesTab(state)
    qtbot.addWidget(tab)
    tab.resize(1100, 750)
    tab.show()
    data = state.open_dataset(tiny_data)
    state.set_model(spread_model())
    return state, tab, data


def shown(tab: MistakesTab) -> list[tuple[int, int, int, float]]:
    model = tab.view.model()
    return [
        (m.index, m.label, m.predicted, m.probability)
        for m in (model.item(r).mistake for r in range(model.rowCount()))
    ]


def test_slider_shows_exactly_what_evaluate_reports_at_each_threshold(qtbot, mistakes):
    state, tab, data = mistakes
    seen = []
    tab.thresholdChanged.connect(seen.append)
    matrices = set()
    for value in (5, 20, 35, 50, 65, 80, 95):
        tab.summary.threshold_panel.slider.setValue(value)
        t = value / 100
        result = evaluation.evaluate(state.model.classifier, data.test.x, data.test.y, t)
        matrices.add(tuple(result.confusion.ravel()))
        assert tab.threshold == t
        assert tab.summary.confusion.counts() == [[str(v) for v in row] for row in result.confusion]
        assert shown(tab) == [
            (m.index, m.label, m.predicted, m.probability) for m in result.mistakes
        ]
        head, _, rest = evaluation.accuracy_text(result.accuracy, result.n).partition(" (")
        assert (
            head in tab.summary.accuracy_label.text() and rest in tab.summary.accuracy_label.text()
        )
        assert tab.summary.count_label.text().startswith(f"{len(result.mistakes)} mistake")
        rates = tab.summary.rates_label.text()
        if not np.isnan(result.precision):
            assert f"Precision {100 * result.precision:.0f} %" in rates
        assert f"Recall {100 * result.recall:.0f} %" in rates
        assert f"{t:.2f}" in tab.summary.threshold_panel.value_label.text()
    assert len(matrices) >= 3, "the model should make the threshold matter on the tiny set"
    assert seen == [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]


def test_reset_and_set_threshold(qtbot, mistakes):
    state, tab, data = mistakes
    assert not tab.summary.threshold_panel.reset_button.isEnabled()
    with qtbot.waitSignal(tab.thresholdChanged) as blocker:
        tab.set_threshold(0.72)
    assert blocker.args == [0.72] and tab.summary.threshold_panel.slider.value() == 72
    assert "AT 0.72" in tab.summary.accuracy_caption.text()
    qtbot.mouseClick(tab.summary.threshold_panel.reset_button, Qt.MouseButton.LeftButton)
    assert tab.threshold == 0.5 and not tab.summary.threshold_panel.reset_button.isEnabled()
    result = evaluation.evaluate(state.model.classifier, data.test.x, data.test.y)
    assert tab.summary.confusion.counts() == [[str(v) for v in row] for row in result.confusion]
    tab.set_threshold(2.0)  # clamped to the slider's range
    assert tab.threshold == 0.95
    state.set_model(spread_model(seed=8))  # a new model keeps the chosen threshold
    result = evaluation.evaluate(state.model.classifier, data.test.x, data.test.y, 0.95)
    assert shown(tab) == [(m.index, m.label, m.predicted, m.probability) for m in result.mistakes]


def test_mistakes_show_file_names_for_a_folder_data_set(qtbot, tmp_path):
    folder = make_folder(tmp_path / "pets", cats=12, non_cats=12)
    data = sources.prepare(sources.DataRecipe(images=folder, corrections=False))
    state = AppState(Path("models"))
    tab = MistakesTab(state)
    qtbot.addWidget(tab)
    tab.show()
    state.set_dataset(data)
    state.set_model(spread_model())
    model = tab.view.model()
    assert model.rowCount() > 0
    for row in range(model.rowCount()):
        item = model.item(row)
        name = data.test_names[item.mistake.index]
        assert item.title == Path(name).name and item.title.startswith(("cat-", "non-cat-"))
        tip = model.index(row).data(Qt.ItemDataRole.ToolTipRole)
        assert item.title in tip
    viewer = tab.open_viewer(0)
    assert viewer.title_label.text() == model.item(0).title
    assert data.test_names[model.item(0).mistake.index] in viewer.details_label.text()
    viewer.reject()


@pytest.fixture
def classify(qtbot, tmp_path):
    state = AppState(tmp_path / "models")
    state.set_model(make_model(0))
    tab = ClassifyTab(state)
    qtbot.addWidget(tab)
    tab.show()
    tab.add_paths([str(p) for p in write_pictures(tmp_path / "in", 3)])
    wait_idle(qtbot, tab)
    yield tab
    tab.shutdown()


def test_unsure_band_setting_changes_a_rows_label_and_is_remembered(qtbot, classify, tmp_path):
    tab = classify
    index = tab.results.index(0)
    p = index.data(Qt.ItemDataRole.UserRole + 3)
    tab.set_threshold(round(p, 2))  # the picture now sits right at the decision boundary
    combo = tab.status_row.band_combo
    combo.setCurrentIndex(combo.findText("Never unsure"))
    assert index.data(Qt.ItemDataRole.UserRole + 2) != UNSURE
    assert index.data(Qt.ItemDataRole.UserRole + 2) == label_for(p, (1, 0), round(p, 2))
    texts = [combo.itemText(i) for i in range(combo.count())]
    t = round(p, 2)
    wanted = f"Unsure: {100 * (t - 0.1):.0f}–{100 * (t + 0.1):.0f} %"
    assert wanted in texts
    combo.setCurrentIndex(texts.index(wanted))
    assert tab.half_width == 0.1
    assert index.data(Qt.ItemDataRole.UserRole + 2) == UNSURE
    assert "unsure" in tab.status_row.summary.text()
    assert label_for(p, band_around(t, 0.1), t) == UNSURE

    other = ClassifyTab(tab.state)  # the choice is remembered
    qtbot.addWidget(other)
    assert other.half_width == 0.1
    combo.setCurrentIndex(combo.findText("Never unsure"))
    third = ClassifyTab(tab.state)
    qtbot.addWidget(third)
    assert third.half_width == 0.0 and third.status_row.band_combo.currentText() == "Never unsure"


def test_classify_threshold_moves_the_labels(qtbot, classify):
    tab = classify
    tab.set_unsure_half_width(0.0)
    for t in (0.05, 0.95):
        tab.set_threshold(t)
        for row in range(tab.results.rowCount()):
            entry = tab.results.entry(row)
            expected = "cat" if entry.probability > t else "non-cat"
            assert tab.results.index(row).data(Qt.ItemDataRole.UserRole + 2) == expected
    assert tab.status_row.summary.text().endswith("3 non-cats")  # p(cat) of a random picture < 0.95
