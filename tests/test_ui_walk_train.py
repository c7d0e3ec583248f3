"""A newcomer's walks through the Train tab (issue 22): nothing changes what the user is
looking at without the user saying so.

1. A correction made in Classify does not join the article's recipe; Restore defaults
   unticks it; a run that included corrections says so.
3. A finished run waits unsaved; Save and use saves it once; the same recipe trained twice
   never writes a second identical file; "Don't ask again" keeps later runs at once.
5, 6, 10, 16. No line that is not true, no stale text; History; the Save dialog.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from catgui.core import persistence
from catgui.core.evaluation import accuracy_text
from catgui.ui import model_files
from catgui.ui import settings as remembered
from tests.classify_helpers import make_model
from tests.walk_helpers import correct_one_picture, train

pytestmark = pytest.mark.gui


# -- 1. corrections --------------------------------------------------------------------------
def test_a_correction_never_silently_joins_the_articles_recipe(
    qtbot, asking_window, state, tmp_path
):
    window = asking_window
    correct_one_picture(qtbot, window, tmp_path)
    window.tabs.setCurrentWidget(window.train_tab)
    sources = window.train_tab.data_box.sources
    assert sources.chosen() == "article"
    box = sources.corrections
    assert box.text() == "Include my corrections (1)" and box.isEnabled()
    assert not box.isChecked()  # the article's recipe stays the article's
    # default settings on the article's pictures: trained on the article's pictures only
    train(qtbot, window)
    run = window.train_tab.pending.model
    assert [p["source"] for p in (run.metadata.get("data_source") or {}).get("train", [])] in (
        [],
        ["article"],
    )
    assert "correction" not in window.train_tab.summary.details.text()
    # the user chooses them: the run says so
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    train(qtbot, window)
    run = window.train_tab.pending.model
    parts = run.metadata["data_source"]["train"]
    assert [p["source"] for p in parts] == ["article", "corrections"]
    assert "Trained with 1 of your correction" in window.train_tab.summary.details.text()
    # Restore defaults unticks them again
    qtbot.mouseClick(window.train_tab.buttons.defaults_button, Qt.MouseButton.LeftButton)
    assert not box.isChecked() and box.isEnabled()
    # own pictures take them by default (the user's data, the user's corrections)
    sources.source.setCurrentIndex(sources.source.findData("folder"))
    assert box.isChecked()
    sources.source.setCurrentIndex(sources.source.findData("article"))
    assert not box.isChecked()


# -- 3. a finished run waits, unsaved ----------------------------------------------------------
def test_a_finished_run_waits_unsaved_and_is_never_saved_twice(qtbot, asking_window, state):
    window = asking_window
    before = state.model
    tab = window.train_tab
    train(qtbot, window)
    assert persistence.list_models(state.models_folder) == []
    assert state.model is before  # nothing the user looks at has changed
    summary = tab.summary
    assert "Not saved and not in use yet" in summary.details.text()
    for button in (summary.save_button, summary.save_as_button, summary.discard_button):
        assert button.isVisibleTo(tab)
    assert summary.keep_check.isVisibleTo(tab) and not summary.keep_check.isChecked()
    qtbot.mouseClick(summary.save_button, Qt.MouseButton.LeftButton)
    (saved,) = persistence.list_models(state.models_folder)
    assert state.model.path == saved and tab.pending is None
    assert not summary.save_button.isVisibleTo(tab)
    assert f"Saved as “{saved.stem}”" in summary.details.text()
    # the same recipe again: the same model, so no second file
    train(qtbot, window)
    assert tab.pending is not None
    qtbot.mouseClick(summary.save_button, Qt.MouseButton.LeftButton)
    assert persistence.list_models(state.models_folder) == [saved]
    assert state.model.path == saved
    assert f"Already saved as “{saved.stem}”" in summary.details.text()
    assert f"Already saved as “{saved.stem}”" in window.statusBar().currentMessage()
    # another recipe, discarded: nothing written, the bar and the plot forget it
    train(qtbot, window, 12)
    qtbot.mouseClick(summary.discard_button, Qt.MouseButton.LeftButton)
    assert persistence.list_models(state.models_folder) == [saved]
    assert tab.progress.format() == "Ready"
    assert tab.plot.points()[0] == list(range(30))  # the active model's curve again
    # "Don't ask again": the next finished run is saved and used at once
    train(qtbot, window, 14)
    qtbot.mouseClick(summary.keep_check, Qt.MouseButton.LeftButton)
    assert remembered.keep_runs(window.settings)
    qtbot.mouseClick(summary.discard_button, Qt.MouseButton.LeftButton)
    train(qtbot, window, 16)
    assert tab.pending is None and state.model.metadata["iterations_done"] == 16
    assert len(persistence.list_models(state.models_folder)) == 2
    # the box stays in sight, ticked: unticking it brings the question back
    assert summary.keep_check.isVisibleTo(tab) and summary.keep_check.isChecked()
    qtbot.mouseClick(summary.keep_check, Qt.MouseButton.LeftButton)
    assert not remembered.keep_runs(window.settings)
    train(qtbot, window, 18)
    assert tab.pending is not None and len(persistence.list_models(state.models_folder)) == 2


def test_save_as_elsewhere_names_the_new_file_and_the_list_keeps_it(
    qtbot, asking_window, state, tmp_path, monkeypatch
):
    window = asking_window
    train(qtbot, window)
    target = tmp_path / "elsewhere" / "mine.npz"
    target.parent.mkdir()
    monkeypatch.setattr(model_files, "choose_save_path", lambda *a, **k: str(target))
    summary = window.train_tab.summary
    qtbot.mouseClick(summary.save_as_button, Qt.MouseButton.LeftButton)
    assert state.model.path == target and str(target) in summary.details.text()
    selector = window.model_selector
    assert selector.currentText() == "mine"
    # another model becomes active: the file saved elsewhere stays in the list
    other = make_model(5)
    state.set_model(other)
    assert target in selector.paths()


def test_in_a_short_window_the_finished_run_s_buttons_scroll_into_view(qtbot, asking_window):
    window = asking_window
    window.resize(900, 600)
    qtbot.wait(20)
    tab = window.train_tab
    save = tab.summary.save_button
    train(qtbot, window)
    qtbot.waitUntil(lambda: not save.visibleRegion().isEmpty(), timeout=5_000)
    viewport = tab.controls.viewport()
    top_left = save.mapTo(viewport, save.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + save.height() <= viewport.height()


# -- 10. History --------------------------------------------------------------------------------
def test_history_shows_test_accuracy_first_the_data_and_a_short_run_s_seconds(qtbot, window, state):
    from catgui.ui.train.run_history import COLUMNS, DATA, TEST, TIME, duration

    tab = window.train_tab
    train(qtbot, window, 20)
    history = tab.views.history
    history.add(state.model)
    assert COLUMNS[1] == "Test"
    row = history.table.rowCount() - 1
    assert history.text(row, TEST).startswith(
        accuracy_text(state.model.test_accuracy, 6).split(" (")[0]
    )
    assert history.text(row, DATA) == "the article's (12 train / 6 test)"
    assert history.text(row, TIME).endswith(" s") and history.text(row, TIME) != "0:00"
    assert (duration(0.34), duration(75)) == ("0.3 s", "1:15")


# -- 5, 6. no line that is not true, no stale text ---------------------------------------------
def test_not_imported_yet_is_said_only_when_it_is_true(qtbot, asking_window, tmp_path):
    box = asking_window.train_tab.data_box
    sources = box.sources
    assert sources.chosen() == "article" and box.is_current()
    assert "Not imported yet" not in box.status.text()
    assert not box.status.apply_button.isVisibleTo(box)
    sources.source.setCurrentIndex(sources.source.findData("folder"))  # no folder chosen yet
    assert "Not imported yet" not in box.status.text()
    assert not box.status.apply_button.isVisibleTo(box)
    sources.set_images_folder(str(tmp_path))  # a folder chosen, not imported: now it is true
    assert "Not imported yet" in box.status.text()
    assert box.status.apply_button.isVisibleTo(box)


def test_switching_models_clears_the_last_run_s_bar(qtbot, window, state):
    from tests.model_helpers import save_model

    tab = window.train_tab
    train(qtbot, window, 20)
    assert tab.progress.format().startswith("Done")
    other = save_model(state.models_folder, "another")
    window.open_model(str(other))
    assert tab.progress.format() == "Ready"
    assert "another" in tab.summary.headline.text()


# -- 16. the Save dialog ------------------------------------------------------------------------
def test_the_save_dialog_is_wide_enough_for_readable_names(qtbot, asking_window, tmp_path):
    from PySide6.QtWidgets import QTreeView

    from catgui.ui.model_files import DIALOG_SIZE, save_dialog

    name = "dnn-20-7-5 2026-12-07 17.45 test 80% (stopped).npz"
    (tmp_path / name).write_bytes(b"")  # listed in the dialog beside the proposed name
    dialog = save_dialog(asking_window, str(tmp_path / name))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.width(), dialog.height()) >= DIALOG_SIZE
    assert dialog.selectedFiles() and dialog.selectedFiles()[0].endswith(name)
    qtbot.waitUntil(lambda: dialog.findChildren(QTreeView) != [])
    tree = next(t for t in dialog.findChildren(QTreeView) if t.isVisible())
    qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) > 0, timeout=5_000)
    wanted = tree.fontMetrics().horizontalAdvance(name)
    assert tree.columnWidth(0) >= wanted  # the name column shows the whole name
    dialog.reject()


def test_after_save_as_the_card_names_the_new_file(qtbot, window, state, tmp_path):
    tab = window.train_tab
    train(qtbot, window, 20)
    first = state.model.path
    target = tmp_path / "elsewhere" / "renamed.npz"
    target.parent.mkdir()
    assert window.save_model_to(str(target))
    assert state.model.path == target != first
    assert "renamed" in tab.summary.headline.text()
    assert target in window.model_selector.paths()
