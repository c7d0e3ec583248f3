"""A newcomer's walks through what the window judges on (issue 22): the Mistakes tab says
which test pictures it uses and agrees with the status bar (2); Compare offers the other
models, names the shipped ones and counts agreement (7)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from catgui.core import evaluation
from catgui.core.evaluation import accuracy_text
from tests.classify_helpers import make_model, write_pictures
from tests.folder_helpers import make_folder
from tests.walk_helpers import train

pytestmark = pytest.mark.gui


# -- 2. the Mistakes tab's test set ------------------------------------------------------------
def _percent(text: str) -> str:
    return text.split(" (")[0]


def test_the_mistakes_tab_says_which_test_set_and_agrees_with_the_status_bar(
    qtbot, asking_window, state, tmp_path, monkeypatch
):
    window = asking_window
    article = state.dataset
    # a model trained on the article's pictures, saved and in use
    train(qtbot, window)
    qtbot.mouseClick(window.train_tab.summary.save_button, Qt.MouseButton.LeftButton)
    model = state.model
    assert model is not None and model.path is not None
    mistakes = window.mistakes_tab
    choice = mistakes.test_choice
    own = accuracy_text(model.test_accuracy, model.metadata["test_size"])
    assert own in window.model_status.text()
    assert choice.current().key == "own" and choice.currentText().startswith("Its own")
    assert _percent(own) in mistakes.summary.accuracy_label.text()
    assert "same pictures as the status bar" in mistakes.summary.source_label.text()
    # the Train tab imports a folder: the Mistakes tab still tests on the model's own set
    folder = make_folder(tmp_path / "my pictures", cats=12, non_cats=12)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    box = window.train_tab.data_box
    with qtbot.waitSignal(box.preparingChanged, timeout=30_000, check_params_cb=lambda b: not b):
        qtbot.mouseClick(box.sources.images_button, Qt.MouseButton.LeftButton)
    assert state.dataset is not article and state.model is model
    assert choice.current().key == "own"
    assert _percent(own) in mistakes.summary.accuracy_label.text()
    assert mistakes.summary.count_label.text().endswith(f"of {len(article.test)}")
    assert own in window.model_status.text()
    # the user chooses the Train tab's pictures: the tab says they are not the bar's
    index = choice.findData("in use")
    assert index >= 0 and choice.model().item(index).isEnabled()
    choice.setCurrentIndex(index)
    choice.activated.emit(index)
    held_out = len(state.dataset.test)
    assert mistakes.summary.count_label.text().endswith(f"of {held_out}")
    expected = evaluation.evaluate(model.classifier, state.dataset.test.x, state.dataset.test.y)
    assert _percent(accuracy_text(expected.accuracy, expected.n)) in (
        mistakes.summary.accuracy_label.text()
    )
    assert "Not the pictures of the status bar" in mistakes.summary.source_label.text()
    assert f"held out of {folder}" in mistakes.summary.source_label.text()
    # back to its own: agreement again
    index = choice.findData("own")
    choice.setCurrentIndex(index)
    choice.activated.emit(index)
    assert _percent(own) in mistakes.summary.accuracy_label.text()


def test_a_model_whose_test_set_is_not_loaded_says_so_and_uses_another(
    qtbot, asking_window, state, tmp_path
):
    model = make_model(3)
    model.metadata.update(dataset={"test_sha256": "0" * 64}, test_accuracy=0.9, test_size=400)
    state.set_model(model)
    choice = asking_window.mistakes_tab.test_choice
    own = choice.model().item(choice.findData("own"))
    assert not own.isEnabled() and "400 test pictures" in own.toolTip()
    assert choice.current().key == "article"
    source = asking_window.mistakes_tab.summary.source_label.text()
    assert "the article's 6 test pictures" in source and "Not the pictures" in source


# -- 7. Compare ---------------------------------------------------------------------------------
def test_compare_offers_the_other_models_names_the_shipped_ones_and_counts_agreement(
    qtbot, asking_window, state, tmp_path
):
    from catgui.ui.classify.compare_selector import describe
    from tests.model_helpers import save_model

    mine = save_model(state.models_folder, "mine", seed=1)
    other = save_model(state.models_folder, "other", seed=2)
    state.notify_models_list_changed()
    window = asking_window
    window.open_model(str(mine))
    classify = window.classify_tab
    combo = classify.status_row.compare_combo
    listed = [combo.itemData(i) for i in range(combo.count())]
    assert str(other) in listed and str(mine) not in listed  # not the active model itself
    assert describe(tmp_path / "default.npz") == "default (the article's network)"
    classify.add_paths([str(p) for p in write_pictures(tmp_path / "pics", 6)])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    combo.choose(str(other))
    results = classify.results
    qtbot.waitUntil(
        lambda: all(e.second_with is results.second for e in results.entries()), timeout=30_000
    )
    same = sum((e.probability > 0.5) == (e.second_probability > 0.5) for e in results.entries())
    assert f"agrees with other on {same} of 6" in classify.status_row.summary.text()
    # the rows have room for the comparison's column at the window's usual width
    from catgui.ui.classify.insight_painting import second_rect
    from catgui.ui.classify.row_text import BAR_WIDTH

    window.resize(1100, 760)
    window.tabs.setCurrentWidget(classify)
    qtbot.wait(50)
    view = classify.results_view
    text = view.itemDelegate().rects(view.visualRect(results.index(0)))["text"]
    p_end = text.left() + BAR_WIDTH + 10 + view.fontMetrics().horizontalAdvance("p(cat) 0.000")
    assert second_rect(text, p_end) is not None
