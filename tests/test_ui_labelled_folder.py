"""A dropped folder with cat/ and non-cat/ subfolders: accuracy and confusion in Classify."""

from __future__ import annotations

import numpy as np
import pytest

from catgui.core import evaluation, labelled_folder, prediction
from catgui.ui.app_state import AppState
from catgui.ui.classify.drop_area import DropArea
from catgui.ui.classify.tab import ClassifyTab
from tests.classify_helpers import (
    drop,
    make_model,
    shown_tab,
    state_with_a_model,
    wait_idle,
    write_pictures,
)
from tests.folder_helpers import make_folder

pytestmark = pytest.mark.gui


@pytest.fixture
def state(tmp_path) -> AppState:
    return state_with_a_model(tmp_path)


@pytest.fixture
def tab(qtbot, state) -> ClassifyTab:
    widget = shown_tab(qtbot, state)
    yield widget
    widget.shutdown()


def _expected(state, folder, threshold) -> evaluation.Evaluation:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    probabilities = [prediction.classify_file(state.model.classifier, f).probability for f in files]
    truths = [1 if "Cats" in f.relative_to(folder).parts[0] else 0 for f in files]
    return evaluation.Evaluation(np.array(probabilities), np.array(truths), threshold)


def test_labelled_folder_shows_accuracy_and_confusion(qtbot, tab, state, tmp_path):
    folder = make_folder(
        tmp_path / "mine", cats=7, non_cats=5, cat_name="Cats", non_cat_name="Dogs"
    )
    loose = write_pictures(tmp_path / "loose", 2)
    drop(tab.findChild(DropArea, "dropArea"), [folder, *loose])
    wait_idle(qtbot, tab)
    qtbot.waitUntil(lambda: tab.results.rowCount() == 14)
    shown = tab.labelled.evaluation
    expected = _expected(state, folder, 0.5)
    assert tab.labelled.isVisible() and shown.n == 12  # the loose pictures have no label
    assert np.array_equal(shown.confusion, expected.confusion)
    assert shown.accuracy == expected.accuracy and shown.interval() == expected.interval()
    assert evaluation.accuracy_text(expected.accuracy, 12).split(" on ")[0] in tab.labelled.text()

    middle = float(np.median(expected.probabilities))
    tab.set_threshold(middle)  # the rows' threshold moves: so does the score
    moved = _expected(state, folder, middle)
    assert np.array_equal(tab.labelled.evaluation.confusion, moved.confusion)
    assert tab.labelled.evaluation.accuracy == moved.accuracy

    state.set_model(make_model(3))  # another model: the rows are re-scored, and the score
    qtbot.waitUntil(lambda: not tab.results.is_rescoring() and not tab.is_busy())
    again = _expected(state, folder, middle)
    assert np.array_equal(tab.labelled.evaluation.confusion, again.confusion)
    assert tab.labelled.evaluation.accuracy == again.accuracy
    assert sorted(tab.labelled.evaluation.probabilities) == pytest.approx(
        sorted(again.probabilities)
    )

    tab.clear()
    assert tab.labelled.evaluation is None and not tab.labelled.isVisible()


def test_a_folder_without_both_classes_is_not_labelled(tmp_path):
    make_folder(tmp_path / "half", cats=2, non_cats=2, non_cat_name="holiday")
    assert labelled_folder.class_folders(tmp_path / "half") == {}
    assert labelled_folder.class_folders(tmp_path / "nowhere") == {}
    both = make_folder(
        tmp_path / "both", cats=1, non_cats=1, cat_name="cat", non_cat_name="Non Cat"
    )
    assert labelled_folder.class_folders(both) == {"cat": 1, "Non Cat": 0}
    roots = {both: labelled_folder.class_folders(both)}
    assert labelled_folder.truth_of(both / "Non Cat" / "x" / "a.png", roots) == 0
    assert labelled_folder.truth_of(both / "a.png", roots) is None
