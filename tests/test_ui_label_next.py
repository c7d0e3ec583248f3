"""The label-next strip: the least-sure pictures, Cat / Not cat (clicks and keys), undo,
and Retrain making the new model active and saying what changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from catgui.core.corrections import Corrections
from catgui.core.sources import DataRecipe
from catgui.ui.app_state import AppState
from catgui.ui.library.label_next_strip import LabelNextStrip
from tests.label_next_helpers import LEAST_SURE_ORDER, known_library
from tests.library_helpers import PHOTO_MODEL, index_rows, needs_photo_model, scan

pytestmark = needs_photo_model


@pytest.fixture
def strip(qtbot, tmp_path, scorer, tiny_data):
    index = known_library(tmp_path, scorer)
    state = AppState(tmp_path / "models")
    state.open_model(PHOTO_MODEL)
    widget = LabelNextStrip(state, index, DataRecipe(article_folder=tiny_data), count=5)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=60_000) as shown:
        widget.show()  # a strip asks when it is first shown
    assert shown.args == [5]
    qtbot.waitUntil(lambda: widget.loader is None)
    yield widget
    widget.shutdown()


def shown(strip: LabelNextStrip) -> list[str]:
    return [Path(t.candidate.path).name for t in strip.tiles]


def stored() -> dict[str, bool]:
    return {c.original_name: c.is_cat for c in Corrections().list()}


def test_the_strip_shows_the_least_sure_pictures_with_thumbnails(strip):
    assert shown(strip) == LEAST_SURE_ORDER[:5]
    first = strip.tiles[0]
    assert first.caption.text() == "P(cat) 0.45 · new"  # unfamiliar: marked
    assert strip.tiles[1].caption.text() == "P(cat) 0.52"
    assert all(not t.picture.pixmap().isNull() for t in strip.tiles)
    assert not strip.retrain_button.isEnabled()  # nothing labelled yet
    assert "C / N" in strip.status.text()


def test_labelling_by_click_and_key_stores_corrections_and_undo_takes_them_back(strip, qtbot):
    first, second = strip.tiles[:2]
    qtbot.mouseClick(first.cat_button, Qt.MouseButton.LeftButton)
    assert stored() == {"photo5.jpg": True}
    assert first.cat_button.isChecked() and first.label is True
    assert second.hasFocus()  # the next picture is ready for its key
    qtbot.keyClick(second, Qt.Key.Key_N)
    assert stored() == {"photo5.jpg": True, "photo1.jpg": False}
    assert second.not_cat_button.isChecked()
    assert strip.status.text().startswith("2 of 5 labelled")
    assert strip.retrain_button.isEnabled()
    qtbot.keyClick(second, Qt.Key.Key_C)  # changed my mind: it moves to cat
    assert stored() == {"photo5.jpg": True, "photo1.jpg": True}
    qtbot.keyClick(second, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored() == {"photo5.jpg": True, "photo1.jpg": False}
    assert second.not_cat_button.isChecked() and not second.cat_button.isChecked()
    strip.undo()
    strip.undo()
    assert stored() == {} and first.label is None and not first.cat_button.isChecked()
    assert not strip.retrain_button.isEnabled()
    strip.undo()  # nothing left to undo: nothing happens
    assert stored() == {}


def test_retrain_makes_the_new_model_active_and_says_what_changed(strip, qtbot):
    for tile, is_cat in zip(strip.tiles, (True, False, True, False, True)):
        strip.label(tile, is_cat)
    before = strip.state.model.path
    with qtbot.waitSignal(strip.retrained, timeout=120_000) as done:
        with qtbot.waitSignal(strip.loaded, timeout=120_000):
            qtbot.mouseClick(strip.retrain_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert strip.state.model.path == result.saved != before
    assert result.saved.parent == strip.state.models_folder
    text = strip.change.text()
    assert strip.change.isVisible()
    assert re.match(
        r"(\d+ photos? changed: .*|No photo changed its verdict)\. .* is now the active", text
    )
    assert result.sentence() in text
    # the strip now asks the new model, and leaves the five labelled pictures out
    assert len(strip.tiles) == 3
    assert not set(shown(strip)) & set(LEAST_SURE_ORDER[:5])


def test_a_model_that_reads_pixels_is_refused_in_words(qtbot, tmp_path, scorer, tiny_data):
    from catgui.core import persistence

    state = AppState(tmp_path / "models")
    widget = LabelNextStrip(state, known_library(tmp_path, scorer))
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.failed) as failed:
        widget.refresh()
    assert "open a saved model" in failed.args[0]
    default = Path(persistence.__file__).parents[2] / "models" / "default.npz"
    with qtbot.waitSignal(widget.failed) as failed:
        state.open_model(default)
    assert "reads the pictures' pixels" in failed.args[0]
    assert widget.status.text() == failed.args[0] and widget.tiles == []


def test_no_index_yet_is_said_in_words(qtbot, tmp_path):
    state = AppState(tmp_path / "models")
    state.open_model(PHOTO_MODEL)
    widget = LabelNextStrip(state, tmp_path / "none.sqlite")
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.failed) as failed:
        widget.refresh()
    assert "run catgui scan first" in failed.args[0]
    qtbot.waitUntil(lambda: widget.loader is None)  # its thread has ended


def test_the_library_tab_shows_the_strip_above_its_grid_and_retrains_from_it(
    window, qtbot, tmp_path, scorer, tiny_data
):
    from catgui.core.library import index as library_index

    known_library(tmp_path, scorer, library_index.default_path())
    window.state.open_model(PHOTO_MODEL)
    window.show()
    tab = window.library_tab
    strip = window.label_next_strip
    assert strip.parent() is tab and strip.isAncestorOf(strip.retrain_button)
    with qtbot.waitSignal(strip.loaded, timeout=60_000):
        window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: strip.loader is None and not tab.follower.is_busy())
    # above the filters and the grid, asking the model the grid shows
    assert strip.geometry().bottom() < tab.filters.geometry().top()
    assert shown(strip) == LEAST_SURE_ORDER
    strip.recipe = DataRecipe(article_folder=tiny_data)  # the tiny pair trains fast
    for tile, is_cat in zip(strip.tiles, (True, False, True, False)):
        qtbot.keyClick(tile, Qt.Key.Key_C if is_cat else Qt.Key.Key_N)
    assert len(stored()) == 4
    with qtbot.waitSignal(strip.retrained, timeout=120_000) as done:
        qtbot.mouseClick(strip.retrain_button, Qt.MouseButton.LeftButton)
    new = done.args[0].saved
    assert window.state.model.path == new
    qtbot.waitUntil(lambda: tab.follower.model_path == new and not tab.follower.is_busy())
    qtbot.waitUntil(lambda: strip.loader is None and strip.trainer is None, timeout=60_000)
    assert len(strip.tiles) == 4 and not set(shown(strip)) & set(LEAST_SURE_ORDER[:4])
    assert "is now the active model" in strip.change.text()
    # the grid, on the new model, shows each labelled picture as the user said: the head
    # learnt them from the very features the library scores them by
    assert done.args[0].from_index == 4
    said = dict(zip(LEAST_SURE_ORDER[:4], (True, False, True, False)))
    new_sha = done.args[0].scorer.sha256
    qtbot.waitUntil(
        lambda: tab.model.model_sha == new_sha and tab.model.rowCount() == len(LEAST_SURE_ORDER),
        timeout=60_000,
    )
    verdicts = {}
    for row in range(tab.model.rowCount()):
        item = tab.model.item(row)
        if item.name in said:
            verdicts[item.name] = item.probability > item.threshold
    assert verdicts == said


#: Photos of the shared data set that the shipped pretrained model gets wrong with the
#: most confidence (among photos 1-200 of each class). Retrained on the article's 209
#: pictures and these, labelled, from their 64x64 squares (as *Retrain* read corrections
#: before), dog.59 stayed a cat (P 0.82); from their 224 crops every one follows its label.
CONFIDENT_MISTAKES = [
    *(f"dog.{n}.jpg" for n in (19, 7, 152, 87, 25, 59, 98, 41, 61, 126, 171)),
    "cat.36.jpg",
]


@pytest.mark.slow
def test_every_photo_labelled_in_the_strip_follows_its_label_after_retrain(
    qtbot, tmp_path, scorer, real_data
):
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in CONFIDENT_MISTAKES:
        source = real_data / "photos" / name.split(".")[0] / name
        if not source.is_file():
            pytest.skip(f"{source} is missing (the shared data set's photos/)")
        (photos / name).write_bytes(source.read_bytes())
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    truth = {name: name.startswith("cat.") for name in CONFIDENT_MISTAKES}
    before = {Path(r.path).name: r.probability > 0.5 for r in index_rows(index, scorer)}
    assert all(before[name] != truth[name] for name in truth)  # all wrong to begin with
    state = AppState(tmp_path / "models")
    state.open_model(PHOTO_MODEL)
    strip = LabelNextStrip(state, index, DataRecipe(article_folder=real_data), count=12)
    qtbot.addWidget(strip)
    with qtbot.waitSignal(strip.loaded, timeout=60_000):
        strip.show()
    qtbot.waitUntil(lambda: strip.loader is None)
    assert sorted(shown(strip)) == sorted(CONFIDENT_MISTAKES)
    for tile in strip.tiles:
        is_cat = truth[Path(tile.candidate.path).name]
        qtbot.keyClick(tile, Qt.Key.Key_C if is_cat else Qt.Key.Key_N)
    assert stored() == truth
    with qtbot.waitSignal(strip.retrained, timeout=300_000) as done:
        qtbot.mouseClick(strip.retrain_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert result.from_index == 12 and strip.state.model.path == result.saved
    after = {Path(r.path).name: r.probability > 0.5 for r in index_rows(index, result.scorer)}
    assert after == truth
    assert result.sentence() == "12 photos changed: 1 now cat, 11 now not cat"
    qtbot.waitUntil(lambda: strip.loader is None and strip.trainer is None, timeout=60_000)
    strip.shutdown()
