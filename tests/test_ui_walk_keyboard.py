"""A newcomer's walks by keyboard and through Classify's files (issue 22): focus and Tab
order (12), natural order and opened files (15), the familiarity badge (17)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.classify_helpers import make_model, write_pictures
from tests.walk_helpers import correct_one_picture

pytestmark = pytest.mark.gui


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
    correct_one_picture(qtbot, window, tmp_path)
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
