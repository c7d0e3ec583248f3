"""Corrections made through the Classify tab: copied, counted, reviewed, removed, undone."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence

from catgui.core import corrections, paths
from catgui.ui.classify import correction_buttons as cb
from catgui.ui.classify.corrections_dialog import CorrectionsDialog
from catgui.ui.classify.tab import ClassifyTab
from tests.classify_helpers import (
    shown_tab,
    state_with_a_model,
    wait_idle,
    write_pictures,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot, tmp_path):
    widget = shown_tab(qtbot, state_with_a_model(tmp_path), size=(1000, 700))
    yield widget
    widget.shutdown()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored() -> dict[str, list[str]]:
    """The corrections folder as the user's file manager shows it: class -> file names."""
    root = paths.user_data_dir() / "corrections"
    return {
        sub: sorted(p.name for p in (root / sub).glob("*") if not p.name.startswith("."))
        for sub in ("cat", "non-cat")
        if (root / sub).is_dir()
    }


def classify(qtbot, tab, pictures) -> None:
    tab.add_paths([str(p) for p in pictures])
    wait_idle(qtbot, tab)


def button_point(tab: ClassifyTab, row: int, key: str) -> QPoint:
    """Where the user clicks ``key`` (a correction button) in ``row``, in viewport pixels."""
    view = tab.results_view
    index = tab.results.index(row)
    view.scrollTo(index)
    area = view.delegate.rects(view.visualRect(index))["corrections"]
    entry = tab.results.entry(row)
    parts = cb.layout(area, tab.results.label_of(entry), entry.corrected, view.font())
    assert key in parts, f"row {row} offers {sorted(parts)}, not {key!r}"
    return parts[key].center()


def click(qtbot, tab, row: int, key: str) -> None:
    point = button_point(tab, row, key)
    qtbot.mouseMove(tab.results_view.viewport(), point)
    qtbot.mouseClick(tab.results_view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def contradiction(tab: ClassifyTab, row: int) -> tuple[str, bool]:
    """The button contradicting the model's label in ``row``, and the class it says."""
    label = tab.results.label_of(tab.results.entry(row))
    return (cb.IS_NOT_CAT, False) if label == "cat" else (cb.IS_CAT, True)


def test_clicking_wrong_copies_the_picture_marks_the_row_counts_and_undoes(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 3)
    before = {p: (digest(p), p.stat().st_mtime_ns) for p in pictures}
    classify(qtbot, tab, pictures)
    assert tab.status_row.corrections_button.text() == "Corrections: 0"
    key, is_cat = contradiction(tab, 1)

    click(qtbot, tab, 1, key)

    folder = "cat" if is_cat else "non-cat"
    (name,) = stored()[folder]
    copy = paths.user_data_dir() / "corrections" / folder / name
    assert name.startswith("photo 001-") and digest(copy) == before[pictures[1]][0]
    assert {p: (digest(p), p.stat().st_mtime_ns) for p in pictures} == before  # untouched
    assert pictures[1].exists()
    assert tab.results.entry(1).corrected is is_cat
    said = "cat" if is_cat else "not a cat"
    assert f"You said: {said}" in tab.results.index(1).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.status_row.corrections_button.text() == "Corrections: 1"
    assert tab.status_row.corrections_button.isVisible()
    assert "Ctrl+Z" in tab.status_row.status.text() and "photo 001" in tab.status_row.status.text()

    tab.results_view.setFocus()
    qtbot.keySequence(tab.results_view, QKeySequence(QKeySequence.StandardKey.Undo))
    assert stored().get(folder) == []
    assert tab.results.entry(1).corrected is None
    assert tab.status_row.corrections_button.text() == "Corrections: 0"
    assert digest(pictures[1]) == before[pictures[1]][0]


def test_undo_button_in_the_row_takes_that_correction_back(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 2)
    classify(qtbot, tab, pictures)
    for row in (0, 1):
        click(qtbot, tab, row, contradiction(tab, row)[0])
    assert sum(len(v) for v in stored().values()) == 2
    click(qtbot, tab, 0, cb.UNDO)  # not the latest one
    assert tab.results.entry(0).corrected is None
    assert tab.results.entry(1).corrected is not None
    assert [n.split("-")[0] for v in stored().values() for n in v] == ["photo 001"]


def test_keyboard_and_menu_path_corrects_the_selected_rows(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 3)
    classify(qtbot, tab, pictures)
    view = tab.results_view
    view.setFocus()
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_C)  # "It's a cat" for every selected row
    assert stored() == {"cat": sorted(stored()["cat"])} and len(stored()["cat"]) == 3
    assert all(e.corrected is True for e in tab.results.entries())
    assert tab.status_row.corrections_button.text() == "Corrections: 3"
    assert "3 pictures" in tab.status_row.status.text()


def test_changing_ones_mind_moves_the_copy_and_undo_moves_it_back(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 1)
    classify(qtbot, tab, pictures)
    tab.corrections.correct_rows([0], True)
    assert len(stored()["cat"]) == 1
    tab.corrections.correct_rows([0], False)  # the user changed their mind
    assert stored() == {"cat": [], "non-cat": stored()["non-cat"]} and len(stored()["non-cat"]) == 1
    assert tab.results.entry(0).corrected is False
    tab.undo_last()
    assert len(stored()["cat"]) == 1 and stored()["non-cat"] == []
    assert tab.results.entry(0).corrected is True
    tab.undo_last()
    assert stored() == {"cat": [], "non-cat": []}
    assert tab.results.entry(0).corrected is None


def test_review_dialog_lists_and_removes(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 3)
    classify(qtbot, tab, pictures)
    tab.corrections.correct_rows([0, 2], True)
    tab.corrections.correct_rows([1], False)
    qtbot.mouseClick(tab.status_row.corrections_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(CorrectionsDialog, "correctionsDialog")
    assert dialog is not None and dialog.isVisible()
    listed = [(e.original_name, e.label) for e in dialog.entries()]
    assert listed == [
        ("photo 000.png", "cat"),
        ("photo 002.png", "cat"),
        ("photo 001.png", "non-cat"),
    ]
    assert dialog.summary.text() == "3 corrections: 2 cats, 1 non-cat"
    assert not dialog.list.item(0).icon().isNull()
    assert not dialog.remove_button.isEnabled()

    dialog.list.item(1).setSelected(True)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [(e.original_name, e.label) for e in dialog.entries()] == [
        ("photo 000.png", "cat"),
        ("photo 001.png", "non-cat"),
    ]
    assert len(stored()["cat"]) == 1
    assert pictures[2].exists()  # the original stays
    assert tab.results.entry(2).corrected is None  # the row no longer says "You said"
    assert tab.status_row.corrections_button.text() == "Corrections: 2"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.list.setFocus()
    dialog.list.selectAll()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert dialog.entries() == [] and dialog.empty_label.isVisible()
    assert "No corrections" in dialog.summary.text()
    dialog.reject()


def test_a_vanished_file_is_explained_and_nothing_is_stored(qtbot, tab, tmp_path):
    pictures = write_pictures(tmp_path / "in", 2)
    classify(qtbot, tab, pictures)
    pictures[0].unlink()
    tab.corrections.correct_rows([0], True)
    assert tab.notice.isVisible()
    assert "not saved" in tab.notice.text() and "photo 000.png" in tab.notice.text()
    assert tab.results.entry(0).corrected is None
    assert corrections.count() == 0
    assert tab.status_row.corrections_button.text() == "Corrections: 0"


def test_a_full_disk_is_explained(qtbot, tab, tmp_path, monkeypatch):
    pictures = write_pictures(tmp_path / "in", 1)
    classify(qtbot, tab, pictures)

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(corrections.shutil, "copyfileobj", full)
    tab.corrections.correct_rows([0], False)
    assert "No space left on device" in tab.notice.text()
    assert "photo 000.png" in tab.notice.text()
    assert tab.results.entry(0).corrected is None
    assert corrections.count() == 0


def test_a_pasted_image_can_be_corrected_and_its_copy_outlives_the_temp_file(qtbot, tab):
    image = QImage(90, 60, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkYellow)
    QGuiApplication.clipboard().setImage(image)
    tab.paste_image()
    wait_idle(qtbot, tab)
    temp = tab.results.entry(0).path
    tab.corrections.correct_rows([0], True)
    (name,) = stored()["cat"]
    tab.shutdown()  # the temporary folder of pasted pictures goes away
    assert not temp.exists()
    copy = paths.user_data_dir() / "corrections" / "cat" / name
    assert copy.is_file() and copy.stat().st_size > 0
