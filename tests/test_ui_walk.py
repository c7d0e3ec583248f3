"""A newcomer's walks through the real window (issue 22): nothing changes what the user is
looking at without the user saying so.

1. A correction made in Classify does not join the article's recipe; Restore defaults
   unticks it; a run that included corrections says so.
2. The Mistakes tab says which test pictures it judges on, lets the user choose, and by
   default agrees with the status bar whatever the Train tab imported.
3. A finished run waits unsaved; Save and use saves it once; the same recipe trained twice
   never writes a second identical file; "Don't ask again" keeps later runs at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from catgui.core import evaluation, persistence
from catgui.core.evaluation import accuracy_text
from catgui.ui import model_files
from catgui.ui import settings as remembered
from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers
from tests.classify_helpers import make_model, write_pictures
from tests.folder_helpers import make_folder

pytestmark = pytest.mark.gui


def _train(qtbot, window: MainWindow, iterations: int = 30) -> None:
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)  # the user is on the Train tab (a first start opens Classify)
    tab.form.set_field("iterations", str(iterations))
    with qtbot.waitSignal(tab.runningChanged, timeout=60_000, check_params_cb=lambda r: not r):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
    assert tab.worker is None and not running_workers()


def _correct_one_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """In Classify: add a picture and press the row's contradicting button (C or N)."""
    window.state.set_model(make_model(0))
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    classify.add_paths([str(p) for p in write_pictures(tmp_path / "mine", 1)])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    view = classify.results_view
    view.setFocus()
    view.setCurrentIndex(classify.results.index(0))
    label = classify.results.label_of(classify.results.entry(0))
    qtbot.keyClick(view, Qt.Key.Key_N if label == "cat" else Qt.Key.Key_C)
    assert classify.results.entry(0).corrected is not None
    window.state.set_model(None)


# -- 1. corrections --------------------------------------------------------------------------
def test_a_correction_never_silently_joins_the_articles_recipe(
    qtbot, asking_window, state, tmp_path
):
    window = asking_window
    _correct_one_picture(qtbot, window, tmp_path)
    window.tabs.setCurrentWidget(window.train_tab)
    sources = window.train_tab.data_box.sources
    assert sources.chosen() == "article"
    box = sources.corrections
    assert box.text() == "Include my corrections (1)" and box.isEnabled()
    assert not box.isChecked()  # the article's recipe stays the article's
    # default settings on the article's pictures: trained on the article's pictures only
    _train(qtbot, window)
    run = window.train_tab.pending.model
    assert [p["source"] for p in (run.metadata.get("data_source") or {}).get("train", [])] in (
        [],
        ["article"],
    )
    assert "correction" not in window.train_tab.summary.details.text()
    # the user chooses them: the run says so
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    _train(qtbot, window)
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


# -- 2. the Mistakes tab's test set ------------------------------------------------------------
def _percent(text: str) -> str:
    return text.split(" (")[0]


def test_the_mistakes_tab_says_which_test_set_and_agrees_with_the_status_bar(
    qtbot, asking_window, state, tmp_path, monkeypatch
):
    window = asking_window
    article = state.dataset
    # a model trained on the article's pictures, saved and in use
    _train(qtbot, window)
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


# -- 3. a finished run waits, unsaved ----------------------------------------------------------
def test_a_finished_run_waits_unsaved_and_is_never_saved_twice(qtbot, asking_window, state):
    window = asking_window
    before = state.model
    tab = window.train_tab
    _train(qtbot, window)
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
    _train(qtbot, window)
    assert tab.pending is not None
    qtbot.mouseClick(summary.save_button, Qt.MouseButton.LeftButton)
    assert persistence.list_models(state.models_folder) == [saved]
    assert state.model.path == saved
    assert f"Already saved as “{saved.stem}”" in summary.details.text()
    assert f"Already saved as “{saved.stem}”" in window.statusBar().currentMessage()
    # another recipe, discarded: nothing written, the bar and the plot forget it
    _train(qtbot, window, 12)
    qtbot.mouseClick(summary.discard_button, Qt.MouseButton.LeftButton)
    assert persistence.list_models(state.models_folder) == [saved]
    assert tab.progress.format() == "Ready"
    assert tab.plot.points()[0] == list(range(30))  # the active model's curve again
    # "Don't ask again": the next finished run is saved and used at once
    _train(qtbot, window, 14)
    qtbot.mouseClick(summary.keep_check, Qt.MouseButton.LeftButton)
    assert remembered.keep_runs(window.settings)
    qtbot.mouseClick(summary.discard_button, Qt.MouseButton.LeftButton)
    _train(qtbot, window, 16)
    assert tab.pending is None and state.model.metadata["iterations_done"] == 16
    assert len(persistence.list_models(state.models_folder)) == 2
    # the box stays in sight, ticked: unticking it brings the question back
    assert summary.keep_check.isVisibleTo(tab) and summary.keep_check.isChecked()
    qtbot.mouseClick(summary.keep_check, Qt.MouseButton.LeftButton)
    assert not remembered.keep_runs(window.settings)
    _train(qtbot, window, 18)
    assert tab.pending is not None and len(persistence.list_models(state.models_folder)) == 2


def test_save_as_elsewhere_names_the_new_file_and_the_list_keeps_it(
    qtbot, asking_window, state, tmp_path, monkeypatch
):
    window = asking_window
    _train(qtbot, window)
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


def test_in_a_short_window_the_finished_run_s_buttons_scroll_into_view(qtbot, asking_window):
    window = asking_window
    window.resize(900, 600)
    qtbot.wait(20)
    tab = window.train_tab
    save = tab.summary.save_button
    _train(qtbot, window)
    qtbot.waitUntil(lambda: not save.visibleRegion().isEmpty(), timeout=5_000)
    viewport = tab.controls.viewport()
    top_left = save.mapTo(viewport, save.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + save.height() <= viewport.height()


# -- 10. History --------------------------------------------------------------------------------
def test_history_shows_test_accuracy_first_the_data_and_a_short_run_s_seconds(qtbot, window, state):
    from catgui.ui.train.run_history import COLUMNS, DATA, TEST, TIME, duration

    tab = window.train_tab
    _train(qtbot, window, 20)
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


# -- 12. keyboard -------------------------------------------------------------------------------
def test_tab_reaches_the_classify_toolbar_before_the_list(qtbot, asking_window, tmp_path):
    window = asking_window
    window.state.set_model(make_model(0))
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    classify.add_paths([str(p) for p in write_pictures(tmp_path / "pics", 2)])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    header = classify.status_row
    classify.drop_area.folder_button.setFocus()
    seen = []
    for _ in range(8):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget())
        if window.focusWidget() is classify.results_view:
            break
    assert seen[-1] is classify.results_view
    assert header.clear_button in seen and header.band_combo in seen
    assert seen.index(header.clear_button) < seen.index(classify.results_view)


def test_the_focused_train_button_shows_a_ring(qtbot, asking_window):
    from PySide6.QtWidgets import QApplication

    from catgui.ui import application

    app = QApplication.instance()
    sheet = app.styleSheet()
    application.apply_style_sheet(app)
    try:
        button = asking_window.train_tab.buttons.train_button
        asking_window.train_tab.buttons.stop_button.setFocus()
        qtbot.wait(10)
        plain = button.grab().toImage()
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        qtbot.wait(10)
        ringed = button.grab().toImage()
        assert plain != ringed
    finally:
        app.setStyleSheet(sheet)


# -- 15. order, Open images…, the corrections dialog ---------------------------------------------
def test_files_come_in_natural_order_and_an_opened_file_is_shown(
    qtbot, asking_window, tmp_path, monkeypatch
):
    from PIL import Image

    window = asking_window
    window.state.set_model(make_model(0))
    classify = window.classify_tab
    folder = tmp_path / "numbered"
    folder.mkdir()
    for n in (10, 2, 1, 33, 3):
        Image.new("RGB", (40, 30), (8 * n, 90, 160)).save(folder / f"cat.{n}.png")
    window.add_paths([str(folder)])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    names = [e.path.name for e in classify.results.entries()]
    assert names == ["cat.1.png", "cat.2.png", "cat.3.png", "cat.10.png", "cat.33.png"]
    more = write_pictures(tmp_path / "more", 12)
    window.add_paths([str(p) for p in more[1:]])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(more[0])], ""))
    window.open_images()
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    row = classify.results.row_of(more[0])
    view = classify.results_view
    assert view.currentIndex().row() == row == classify.results.rowCount() - 1
    assert view.viewport().rect().intersects(view.visualRect(view.currentIndex()))


def test_the_corrections_dialog_frames_the_chosen_picture(qtbot, asking_window, tmp_path):
    import numpy as np

    from tests.contrast_helpers import pixels

    window = asking_window
    _correct_one_picture(qtbot, window, tmp_path)
    dialog = window.classify_tab.open_corrections()
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    item = dialog.list.item(0)
    rect = dialog.list.visualItemRect(item)
    dialog.list.clearSelection()
    qtbot.wait(10)
    before = pixels(dialog.list.viewport().grab().toImage(), rect)
    item.setSelected(True)
    qtbot.wait(10)
    after = pixels(dialog.list.viewport().grab().toImage(), rect)
    highlight = dialog.list.palette().highlight().color()
    colour = np.array([highlight.red(), highlight.green(), highlight.blue()])
    side = after[rect.height() // 2, :4]  # the frame's left edge, beside the picture
    assert (np.abs(side.astype(int) - colour).max(axis=1) < 40).any()
    assert not (np.abs(before[rect.height() // 2, :4].astype(int) - colour).max(axis=1) < 40).any()
    dialog.close()


# -- 17. the familiarity badge ------------------------------------------------------------------
def test_the_familiarity_badge_says_what_it_means(qtbot, asking_window, tmp_path):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip

    from catgui.ui.classify.row_text import badge_rect

    window = asking_window
    window.state.set_model(make_model(0))
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    classify.add_paths([str(p) for p in write_pictures(tmp_path / "odd", 1)])
    qtbot.waitUntil(lambda: not classify.is_busy(), timeout=30_000)
    entry = classify.results.entry(0)
    entry.familiarity = 0.004  # as a backbone model would say of a line drawing
    view = classify.results_view
    index = classify.results.index(0)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    delegate = view.itemDelegate()
    badge = badge_rect(
        entry, classify.results.label_of(entry), delegate.rects(option.rect)["text"], option
    )
    assert badge is not None
    centre = badge.center()
    event = QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre))
    assert delegate.helpEvent(event, view, option, index)
    tip = QToolTip.text()
    assert "Unlike anything I was trained on" in tip and "0.4 %" in tip and "2 %" in tip
    QToolTip.hideText()
    away = QPoint(badge.left() - 40, badge.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, away, view.viewport().mapToGlobal(away))
    delegate.helpEvent(event, view, option, index)
    assert "counts as unlike" not in QToolTip.text()  # the row's own tooltip there


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
    _train(qtbot, window, 20)
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
    _train(qtbot, window, 20)
    first = state.model.path
    target = tmp_path / "elsewhere" / "renamed.npz"
    target.parent.mkdir()
    assert window.save_model_to(str(target))
    assert state.model.path == target != first
    assert "renamed" in tab.summary.headline.text()
    assert target in window.model_selector.paths()
