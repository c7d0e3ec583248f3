""" "Why?" heat maps (Classify rows, the Mistakes large view) and "Compare with" in Classify."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from catgui.core import backbone, dataset, explain, heatmap, persistence, pictures, prediction
from catgui.core.kinds.pretrained import PretrainedConfig
from catgui.core.steps import run_to_end
from catgui.core.training_run import TrainingRun
from catgui.ui import settings as remembered
from catgui.ui.classify.model import SecondRole
from catgui.ui.common.qimages import to_qimage
from catgui.ui.mistakes.image_viewer import ImageViewer
from tests.classify_helpers import make_model
from tests.data_helpers import write_h5_pair
from tests.model_helpers import save_model
from tests.why_helpers import classified, mistake_items, previews, wide_tab

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(backbone.unavailable() is not None, reason=str(backbone.unavailable())),
]
#: Every built-in kind can now explain (the article's networks since issue 12): these
#: tests of the disabled path use an article network told it cannot.
NO_WHY_REASON = "this stand-in model cannot show why"


def unexplained_model(seed: int) -> persistence.Model:
    """:func:`make_model`'s network, as a kind that cannot explain would be."""
    model = make_model(seed)
    model.classifier.cannot_explain = NO_WHY_REASON
    return model


@pytest.fixture(scope="module")
def photo_model_path(tmp_path_factory) -> Path:
    """A pretrained-kind model fitted on the tiny data set (a second or so), saved."""
    folder = tmp_path_factory.mktemp("photo-model")
    data = dataset.load(write_h5_pair(folder / "data"))
    outcome = run_to_end(TrainingRun(data, PretrainedConfig(), None).steps())
    return persistence.save(outcome.model, folder / "photo.npz")


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _image_bytes(pixmap) -> bytes:
    image = pixmap.toImage().convertToFormat(to_qimage(np.zeros((1, 1, 3), np.uint8)).format())
    return bytes(image.constBits())[: image.sizeInBytes()]


def test_why_shows_each_rows_heat_map_and_one_row_can_be_plain_again(
    qtbot, state, settings, tmp_path, photo_model_path
):
    state.set_model(persistence.load(photo_model_path))
    classifier = state.model.classifier
    tab = wide_tab(qtbot, state, settings)
    classified(qtbot, tab, tmp_path)
    why = tab.status_row.why_button
    assert why.isEnabled() and "red" in why.toolTip() and "blue" in why.toolTip()
    plain = previews(tab)
    assert all(key.startswith("input") for key, _ in plain)

    qtbot.mouseClick(why, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(k.startswith("why") for k, _ in previews(tab)), timeout=30_000)
    for row, (_key, shown) in enumerate(previews(tab)):
        entry = tab.results.entry(row)
        square = entry.seen  # the 224 square the pretrained model read from the file
        assert square.shape == (224, 224, 3)
        expected = heatmap.overlay(square, classifier.evidence(square))
        np.testing.assert_array_equal(shown, expected)
        assert not np.array_equal(shown, square)
        pixmap = tab.results_view.delegate.pixmap(entry, "input", (_key, shown))
        assert _image_bytes(pixmap) == _image_bytes(
            tab.results_view.delegate.pixmap(entry, "x", ("t", expected))
        )
        assert _image_bytes(pixmap) != _image_bytes(
            tab.results_view.delegate.pixmap(entry, "y", ("u", square))
        )

    view = tab.results_view
    rect = view.delegate.rects(view.visualRect(tab.results.index(0)))["input"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.why_view is not None and tab.why_view.isVisible()  # a click opens it large
    assert all(k.startswith("why") for k, _ in previews(tab))  # and reverts nothing
    qtbot.mouseClick(tab.why_view.hide_button, Qt.MouseButton.LeftButton)  # this row: plain
    keys = [k for k, _ in previews(tab)]
    assert keys[0].startswith("input") and keys[1].startswith("why")
    qtbot.mouseClick(why, Qt.MouseButton.LeftButton)  # off: every row plain again
    assert all(k.startswith("input") for k, _ in previews(tab))
    tab.shutdown()


def test_why_is_disabled_for_a_kind_that_cannot_explain_and_says_why(
    qtbot, state, settings, tmp_path
):
    state.set_model(unexplained_model(0))
    tab = wide_tab(qtbot, state, settings)
    classified(qtbot, tab, tmp_path)
    why = tab.status_row.why_button
    assert not why.isEnabled()
    assert NO_WHY_REASON in why.toolTip()
    tab.insights.set_why(True)  # even if asked: the plain previews stay
    view = tab.results_view
    rect = view.delegate.rects(view.visualRect(tab.results.index(0)))["input"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert all(k.startswith("input") for k, _ in previews(tab))
    assert not tab.insights.is_busy()
    tab.shutdown()


def test_heat_maps_follow_a_model_change(qtbot, state, settings, tmp_path, photo_model_path):
    state.set_model(persistence.load(photo_model_path))
    tab = wide_tab(qtbot, state, settings)
    classified(qtbot, tab, tmp_path)
    tab.insights.set_why(True)
    qtbot.waitUntil(lambda: all(k.startswith("why") for k, _ in previews(tab)), timeout=30_000)
    first = [k for k, _ in previews(tab)]

    state.set_model(persistence.load(photo_model_path))  # another model (the same answers)
    new = state.model.classifier
    assert all(not k.startswith("why") or k not in first for k, _ in previews(tab))  # not stale
    qtbot.waitUntil(
        lambda: (
            all(k.startswith("why") for k, _ in previews(tab))
            and all(tab.results.entry(r).overlay_for is new for r in range(2))
        ),
        timeout=30_000,
    )
    assert not {k for k, _ in previews(tab)} & set(first)

    state.set_model(unexplained_model(1))  # cannot explain: plain previews, the button says why
    assert all(k.startswith("input") for k, _ in previews(tab))
    assert NO_WHY_REASON in tab.status_row.why_button.toolTip()
    qtbot.waitUntil(lambda: not tab.is_busy() and not tab.insights.is_busy(), timeout=30_000)
    tab.shutdown()


def _second(tab) -> list:
    results = tab.results
    return [results.index(r).data(SecondRole) for r in range(results.rowCount())]


@pytest.mark.parametrize("photo_active", [False, True])
def test_compare_shows_the_second_models_answer_for_each_file(
    qtbot, state, settings, tmp_path, photo_model_path, photo_active
):
    article = save_model(tmp_path / "models", "article", seed=2)
    active, second = (photo_model_path, article) if photo_active else (article, photo_model_path)
    state.set_model(persistence.load(active))
    tab = wide_tab(qtbot, state, settings)
    assert tab.status_row.compare_combo.current_path() == ""  # off by default
    paths = classified(qtbot, tab, tmp_path, count=3)
    assert _second(tab) == [None] * 3

    tab.status_row.compare_combo.choose(str(second))
    qtbot.waitUntil(lambda: all(s and s[1] is not None for s in _second(tab)), timeout=30_000)
    second_classifier = persistence.load(second).classifier
    by_path = {tab.results.entry(r).path: _second(tab)[r] for r in range(3)}
    for path in paths:
        name, p = by_path[path]
        assert name == Path(second).stem
        expected = prediction.classify_file(second_classifier, path).probability
        assert p == pytest.approx(expected, abs=1e-9)
    assert remembered.compare_with(settings) == str(second)

    tab.status_row.compare_combo.choose("")
    assert _second(tab) == [None] * 3
    assert remembered.compare_with(settings) == ""
    qtbot.waitUntil(lambda: not tab.insights.is_busy(), timeout=30_000)
    tab.shutdown()


def test_the_comparison_is_remembered(qtbot, state, settings, tmp_path):
    second = save_model(tmp_path / "models", "other", seed=3)
    state.set_model(make_model(0))
    tab = wide_tab(qtbot, state, settings)
    tab.set_comparison(second)
    tab.shutdown()
    again = wide_tab(qtbot, state, settings)
    assert again.status_row.compare_combo.current_path() == str(second)
    assert again.insights.second_model is not None
    classified(qtbot, again, tmp_path)
    qtbot.waitUntil(lambda: all(s and s[1] is not None for s in _second(again)), timeout=30_000)
    again.shutdown()


def test_a_comparison_model_that_cannot_be_read_is_explained_and_forgotten(
    qtbot, state, settings, tmp_path
):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a model")
    remembered.remember_compare_with(settings, bad)
    state.set_model(make_model(0))
    tab = wide_tab(qtbot, state, settings)
    assert "Cannot compare with that model" in tab.notice.text()
    assert tab.status_row.compare_combo.current_path() == ""
    assert remembered.compare_with(settings) == ""
    tab.shutdown()


def test_the_large_view_shows_why_off_the_gui_thread(qtbot, photo_model_path):
    classifier = persistence.load(photo_model_path).classifier
    items = mistake_items()
    viewer = ImageViewer(items, 0, classifier=classifier)
    qtbot.addWidget(viewer)
    viewer.show()
    plain = viewer.image_label.pixmap().toImage()
    assert viewer.why_button.isEnabled()
    qtbot.mouseClick(viewer.why_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(viewer.showing_why, timeout=30_000)
    square = pictures.resize_squares(items[0].pixels[None], 224)[0]  # upscaled, as it sees it
    expected = heatmap.overlay(square, classifier.evidence(square))
    np.testing.assert_array_equal(viewer.explained[0].overlay, expected)
    assert viewer.image_label.pixmap().toImage() != plain
    assert "red" in viewer.image_label.toolTip()
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)  # the next one too
    qtbot.waitUntil(viewer.showing_why, timeout=30_000)
    assert set(viewer.explained) == {0, 1}
    viewer.reject()
    assert viewer.worker is None


def test_the_large_view_says_why_a_kind_cannot(qtbot):
    viewer = ImageViewer(mistake_items(), 0, classifier=unexplained_model(0).classifier)
    qtbot.addWidget(viewer)
    assert not viewer.why_button.isEnabled()
    assert NO_WHY_REASON in viewer.why_button.toolTip()
    viewer.reject()


def test_the_core_explains_only_what_can_be_explained():
    square = np.zeros((64, 64, 3), np.uint8)
    unexplained = unexplained_model(0).classifier
    assert explain.explain(unexplained, square, "k") == explain.Explained("k", None)
    steps = list(explain.explain_steps(unexplained, [(1, square), (2, square)]))
    assert [s.key for s in steps] == [1, 2]
