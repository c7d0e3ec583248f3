"""The Classify tab as a user meets it: drops, folders, errors, model changes, cancel, paste."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QListView

from catgui.core import prediction
from catgui.ui.app_state import AppState
from catgui.ui.classify.drop_area import DropArea
from catgui.ui.classify.model import (
    ERROR,
    UNSURE,
    ErrorRole,
    LabelRole,
    PathRole,
    ProbabilityRole,
    label_for,
    summary_text,
)
from catgui.ui.classify.tab import NO_MODEL, ClassifyTab
from catgui.workers.base import running_workers
from tests.classify_helpers import (
    drop,
    make_model,
    shown_tab,
    state_with_a_model,
    wait_idle,
    write_pictures,
)
from tests.qt_helpers import file_mime

pytestmark = pytest.mark.gui


@pytest.fixture
def state(tmp_path) -> AppState:
    return state_with_a_model(tmp_path)


@pytest.fixture
def tab(qtbot, state) -> ClassifyTab:
    widget = shown_tab(qtbot, state)
    yield widget
    widget.shutdown()


def rows(tab: ClassifyTab) -> list[dict]:
    view = tab.findChild(QListView, "classifyResults")
    model = view.model()
    out = []
    for r in range(model.rowCount()):
        index = model.index(r)
        out.append(
            {
                "path": Path(index.data(PathRole)),
                "label": index.data(LabelRole),
                "p": index.data(ProbabilityRole),
                "error": index.data(ErrorRole),
                "tooltip": index.data(Qt.ItemDataRole.ToolTipRole),
                "name": index.data(Qt.ItemDataRole.DisplayRole),
            }
        )
    return out


def test_drop_of_files_fills_results_with_an_error_row_for_a_broken_file(
    qtbot, tab, state, tmp_path
):
    pictures = write_pictures(tmp_path / "in", 3) + write_pictures(tmp_path / "jpg", 2, 1, ".jpg")
    broken = tmp_path / "holiday.jpg"
    broken.write_text("text renamed to .jpg")
    area = tab.findChild(DropArea, "dropArea")
    drop(area, [*pictures[:2], broken, *pictures[2:]])
    wait_idle(qtbot, tab)

    shown = rows(tab)
    assert [r["path"] for r in shown] == [*pictures[:2], broken, *pictures[2:]]
    bad = shown[2]
    assert bad["label"] == ERROR and bad["p"] is None
    assert "holiday.jpg" in bad["error"] and "not an image" in bad["error"]
    for row in shown[:2] + shown[3:]:
        expected = prediction.classify_file(state.model.classifier, row["path"])
        assert row["error"] is None
        assert row["p"] == expected.probability
        assert row["label"] == label_for(expected.probability)
        assert f"{expected.probability:.3f}" in row["tooltip"]
    counts = Counter(r["label"] for r in shown)
    assert tab.status_row.summary.text() == summary_text(counts)
    assert (
        tab.status_row.summary.text().startswith("6 pictures:")
        and "1 error" in tab.status_row.summary.text()
    )
    assert tab.drop_area.is_compact()


def test_folder_drop_is_recursive(qtbot, tab, tmp_path):
    top = write_pictures(tmp_path / "album", 2)
    deep = write_pictures(tmp_path / "album" / "2024" / "summer", 3, seed=2, suffix=".jpg")
    (tmp_path / "album" / "readme.txt").write_text("not a picture")
    drop(tab.drop_area, [tmp_path / "album"])
    wait_idle(qtbot, tab)
    assert sorted(r["path"] for r in rows(tab)) == sorted(top + deep)
    assert all(r["error"] is None for r in rows(tab))


def test_model_change_rescores_every_row(qtbot, tab, state, tmp_path):
    pictures = write_pictures(tmp_path / "in", 4)
    tab.add_paths([str(p) for p in pictures])
    wait_idle(qtbot, tab)
    before = [r["p"] for r in rows(tab)]

    with qtbot.waitSignal(tab.results.rescored, timeout=10_000):
        state.set_model(make_model(5))
    after = rows(tab)
    assert [r["p"] for r in after] != before
    for row in after:
        expected = prediction.classify_file(state.model.classifier, row["path"]).probability
        assert row["p"] == pytest.approx(expected, abs=1e-12)
        assert row["label"] == label_for(row["p"])


def test_model_change_during_a_batch_scores_late_rows_with_the_new_model(
    qtbot, tab, state, tmp_path
):
    pictures = write_pictures(tmp_path / "in", 20)
    tab.add_paths([str(tmp_path / "in")])
    state.set_model(make_model(9))  # before any batch has arrived
    wait_idle(qtbot, tab)
    qtbot.waitUntil(lambda: not tab.results.is_rescoring())
    shown = rows(tab)
    assert [r["path"] for r in shown] == pictures
    for row in shown:
        expected = prediction.classify_file(state.model.classifier, row["path"]).probability
        assert row["p"] == pytest.approx(expected, abs=1e-12)


def test_cancel_stops_the_worker_and_keeps_nothing_late(qtbot, tab, tmp_path):
    write_pictures(tmp_path / "many", 80)
    tab.add_paths([str(tmp_path / "many")])
    assert tab.is_busy() and tab.status_row.cancel_button.isVisible()
    ended = []
    tab.queue.worker.ended.connect(lambda job, interrupted: ended.append(interrupted))
    tab.cancel()
    wait_idle(qtbot, tab)
    assert ended == [True]  # it stopped early, not after all 80 pictures
    assert running_workers() == []
    qtbot.wait(20)
    assert tab.results.rowCount() == 0  # batches still in flight were dropped
    assert tab.status_row.status.text().startswith("Cancelled")
    assert not tab.status_row.progress.isVisible()


def test_second_drop_during_a_batch_is_queued_not_lost(qtbot, tab, tmp_path):
    first = write_pictures(tmp_path / "first", 30)
    second = write_pictures(tmp_path / "second", 5, seed=3)
    busy = []
    tab.queue.busyChanged.connect(busy.append)
    tab.add_paths([str(tmp_path / "first")])
    tab.add_paths([str(p) for p in second])
    assert tab.queue.waiting() == 1
    wait_idle(qtbot, tab)
    assert sorted(r["path"] for r in rows(tab)) == sorted(first + second)
    assert busy == [True, False]


def test_same_picture_dropped_twice_keeps_one_row(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 2)
    tab.add_paths([str(pictures[0])])
    wait_idle(qtbot, tab)
    tab.add_paths([str(p) for p in pictures])
    wait_idle(qtbot, tab)
    assert [r["path"] for r in rows(tab)] == pictures


def test_without_a_model_drops_wait_and_the_tab_says_why(qtbot, tmp_path):
    state = AppState(tmp_path / "models")
    tab = ClassifyTab(state)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.notice.isVisible() and tab.notice.text() == NO_MODEL
    pictures = write_pictures(tmp_path / "in", 2)
    tab.add_paths([str(p) for p in pictures])
    assert not tab.is_busy() and tab.results.rowCount() == 0
    assert "2 dropped items will be classified" in tab.notice.text()
    state.set_model(make_model(1))
    wait_idle(qtbot, tab)
    assert [r["path"] for r in rows(tab)] == pictures
    assert not tab.notice.isVisible()
    tab.shutdown()


def test_clear_empties_the_list(qtbot, tab, tmp_path):
    tab.add_paths([str(p) for p in write_pictures(tmp_path / "in", 2)])
    wait_idle(qtbot, tab)
    assert tab.results.rowCount() == 2
    qtbot.mouseClick(tab.status_row.clear_button, Qt.MouseButton.LeftButton)
    assert tab.results.rowCount() == 0
    assert not tab.drop_area.is_compact()
    assert not tab.results_view.isVisible()


def test_paste_an_image_from_the_clipboard(qtbot, tab, state):
    image = QImage(80, 50, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(image)
    tab.paste_image()
    wait_idle(qtbot, tab)
    (row,) = rows(tab)
    assert row["name"] == "Pasted image 1" and row["error"] is None
    expected = prediction.classify_file(state.model.classifier, row["path"]).probability
    assert row["p"] == expected


def test_paste_files_copied_in_the_file_manager(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 2)
    QGuiApplication.clipboard().setMimeData(file_mime(pictures))
    tab.paste_image()
    wait_idle(qtbot, tab)
    assert [r["path"] for r in rows(tab)] == pictures


def test_paste_of_plain_text_explains(qtbot, tab):
    QGuiApplication.clipboard().setText("just some words")
    tab.paste_image()
    assert tab.notice.isVisible() and "clipboard holds no picture" in tab.notice.text()
    assert not tab.is_busy()


def test_open_images_uses_the_chosen_files(qtbot, tab, tmp_path, monkeypatch):
    pictures = write_pictures(tmp_path / "in", 2)
    chosen = ([str(p) for p in pictures], "")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: chosen))
    qtbot.mouseClick(tab.drop_area.open_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, tab)
    assert [r["path"] for r in rows(tab)] == pictures


def test_drag_without_files_is_refused(qtbot, tab):
    mime = QMimeData()
    mime.setText("hello")
    event = QDragEnterEvent(
        tab.drop_area.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(tab.drop_area, event)
    assert not event.isAccepted()
    assert not tab.drop_area.is_highlighted()


def test_shutdown_mid_batch_leaves_no_thread(qtbot, tab, tmp_path):
    write_pictures(tmp_path / "many", 60)
    tab.add_paths([str(tmp_path / "many")])
    assert tab.is_busy()
    tab.shutdown()
    assert running_workers() == []
    assert not tab.is_busy()


def test_destroying_the_tab_mid_batch_stops_its_worker(qtbot, state, tmp_path):
    write_pictures(tmp_path / "many", 60)
    tab = ClassifyTab(state)
    tab.add_paths([str(tmp_path / "many")])
    worker = tab.queue.worker
    assert worker.isRunning()
    shiboken6.delete(tab)
    assert not worker.isRunning()
    assert running_workers() == []


@pytest.mark.parametrize(
    ("p", "label"),
    [(0.0, "non-cat"), (0.4, "non-cat"), (0.45, UNSURE), (0.55, UNSURE), (0.61, "cat")],
)
def test_unsure_band(p, label):
    assert label_for(p) == label


def test_summary_text():
    assert summary_text(Counter()) == "No pictures yet"
    counts = Counter({"cat": 7, "non-cat": 4, "error": 1})
    assert summary_text(counts) == "12 pictures: 7 cats, 4 non-cats, 1 error"
    assert summary_text(Counter({"cat": 1})) == "1 picture: 1 cat"
    assert summary_text(Counter({"unsure": 1200})) == "1,200 pictures: 1,200 unsure"


def test_verdict_words_never_claim_certainty():
    from catgui.ui.classify.model import verdict_text

    assert verdict_text(0.999, "cat") == "> 99 % cat"
    assert verdict_text(0.85, "cat") == "85 % cat"
    assert verdict_text(0.08, "non-cat") == "92 % not a cat"
    assert verdict_text(0.52, UNSURE) == "too close to call (52 % cat)"


def test_long_status_texts_never_widen_the_window(qtbot, tab, tmp_path):
    """The status row's texts grow while batches run; they are cut, the window keeps its width.

    A plain label's minimum width is its text's: "Classifying 3 of 5… · 2 more drops
    waiting" next to a long summary made the window widen by itself (1100 -> 1217 px)
    and keep that width once the batch was done.
    """
    tab.add_paths([str(p) for p in write_pictures(tmp_path / "few", 3)])
    wait_idle(qtbot, tab)
    assert tab.status_row.isVisible()
    qtbot.wait(20)  # the layout settles after the batch
    width = tab.minimumSizeHint().width() + 10
    tab.resize(width, 700)
    qtbot.wait(20)
    assert tab.width() == width
    short_minimum = tab.minimumSizeHint().width()
    tab.status_row.summary.setText(
        "12,345 pictures: 6,000 cats, 5,000 non-cats, 1,000 unsure, 345 errors"
    )
    tab.status_row.status.setText("Classifying 12,345 of 67,890… · 12 more drops waiting" * 3)
    qtbot.wait(20)
    assert tab.minimumSizeHint().width() == short_minimum
    assert tab.width() == width
    assert tab.status_row.summary.text().startswith("12,345 pictures")  # cut when drawn, kept whole


def test_an_idle_status_leaves_the_summary_its_whole_width(qtbot, tab, tmp_path):
    """At the window's usual width the summary of a mixed batch is shown whole: an empty
    status beside it takes no room (it used to cut "…, 1 error" to "…, 1…")."""
    tab.add_paths([str(p) for p in write_pictures(tmp_path / "few", 3)])
    wait_idle(qtbot, tab)
    tab.resize(1076, 700)  # the tab's width in a 1100-pixel window
    tab.status_row.summary.setText("11 pictures: 5 cats, 3 non-cats, 2 unsure, 1 error")
    tab.status_row.status.setText("")
    qtbot.wait(20)
    needed = tab.status_row.summary.fontMetrics().horizontalAdvance(tab.status_row.summary.text())
    assert tab.status_row.summary.contentsRect().width() >= needed


def test_a_cut_status_shows_whole_as_its_tooltip(qtbot, tab, tmp_path):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    tab.add_paths([str(p) for p in write_pictures(tmp_path / "few", 3)])
    wait_idle(qtbot, tab)
    tab.resize(700, 600)
    long_text = "“a photo with a very long name indeed.jpg”: not a cat · Ctrl+Z undoes"
    tab.status_row.status.setText(long_text)
    qtbot.wait(20)
    assert tab.status_row.status.is_cut()
    event = QHelpEvent(
        QEvent.Type.ToolTip, QPoint(2, 2), tab.status_row.status.mapToGlobal(QPoint(2, 2))
    )
    QApplication.sendEvent(tab.status_row.status, event)
    qtbot.waitUntil(lambda: QToolTip.isVisible() and QToolTip.text() == long_text)
    QToolTip.hideText()
