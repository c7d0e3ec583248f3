"""The Suspects… dialog: flagged pictures with thumbnails, Relabel / Exclude / Undo kept
beside the data, Train again's accuracy before and after, and its place in the Training menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from catgui.core import backbone, suspects
from catgui.core.label_fixes import LabelFixes
from catgui.ui.train.suspects_dialog import SuspectsDialog
from tests.suspects_helpers import FLIPPED, flipped_h5_pair

pytestmark = pytest.mark.skipif(
    backbone.unavailable() is not None, reason="the pretrained weights are missing"
)


@pytest.fixture
def dialog(qtbot, tmp_path):
    data = flipped_h5_pair(tmp_path / "data")
    widget = SuspectsDialog(article=data)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.found, timeout=120_000):
        widget.start()
    qtbot.waitUntil(lambda: widget.worker is None)  # its thread has ended
    yield widget
    widget.shutdown()


def fixes_of(dialog) -> tuple[dict, set]:
    fixes = LabelFixes().of(dialog.findings.pictures.set_key)
    return fixes.relabel, fixes.exclude


def test_the_flagged_pictures_are_listed_worst_first_with_thumbnails(dialog):
    # the two flagged, worst first, then the 8 the model agrees least with (not flagged)
    assert dialog.list.count() == 10
    rows = [dialog.list.item(i) for i in range(dialog.list.count())]
    found = [r.data(Qt.ItemDataRole.UserRole) for r in rows]
    assert sorted(s.position for s in found[:2]) == sorted(FLIPPED)
    assert found[:2] == dialog.findings.suspects  # worst first, as the core ranks them
    assert found[2:] == dialog.findings.least_agreed(8)
    assert rows[0].text().startswith(f"article train #{found[0].position}\nlabelled ")
    assert "(not flagged)" not in rows[1].text() and "(not flagged)" in rows[2].text()
    assert not rows[0].icon().isNull()
    assert dialog.summary.text().startswith("2 of 40 training pictures have a label")
    assert (
        "Northcutt" in dialog.summary.text() and "agrees least with the 8" in dialog.summary.text()
    )
    assert not dialog.undo_button.isEnabled()


def test_relabel_exclude_and_undo_are_kept_beside_the_data(dialog, qtbot, tmp_path):
    h5 = tmp_path / "data" / "train_catvnoncat.h5"
    before = h5.read_bytes()
    first, second = (dialog.list.item(i) for i in range(2))
    s1, s2 = (i.data(Qt.ItemDataRole.UserRole) for i in (first, second))
    dialog.list.setCurrentItem(first)
    with qtbot.waitSignal(dialog.fixesChanged):
        qtbot.mouseClick(dialog.relabel_button, Qt.MouseButton.LeftButton)
    assert fixes_of(dialog) == ({s1.key: 1 - s1.label}, set())
    assert "relabelled" in first.text()
    dialog.list.setCurrentItem(second)
    qtbot.keyClick(dialog.list, Qt.Key.Key_E)
    assert fixes_of(dialog) == ({s1.key: 1 - s1.label}, {s2.key})
    assert "excluded from training" in second.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fixes_of(dialog) == ({s1.key: 1 - s1.label}, set())
    assert "excluded" not in second.text()
    dialog.undo()
    assert fixes_of(dialog) == ({}, set()) and "relabelled" not in first.text()
    assert not dialog.undo_button.isEnabled()
    assert h5.read_bytes() == before  # the data set's file is never changed


def test_train_again_shows_the_accuracy_before_and_after(dialog, qtbot):
    for row in range(2):  # the two flagged
        dialog.list.item(row).setSelected(True)
    dialog.relabel()
    with qtbot.waitSignal(dialog.compared, timeout=120_000) as done:
        qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None)
    result: suspects.Comparison = done.args[0]
    assert result.relabelled == 2 and result.tested == 10
    assert dialog.result.text() == result.sentence()
    assert dialog.result.text().startswith("Test accuracy ")
    assert result.after >= result.before


def test_the_train_tab_opens_it_on_the_data_in_use(window, qtbot):
    tab = window.train_tab
    assert window.suspects_action in window.menuBar().actions()[1].menu().actions()
    window.suspects_action.trigger()
    dialog = tab.suspects_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.found, timeout=120_000):
        pass
    assert dialog.summary.text().split(" training pictures")[0].endswith("of 12")
    # a fix changes what the Train tab's data is: it offers to import it again
    qtbot.waitUntil(lambda: dialog.worker is None)
    pictures = dialog.findings.pictures
    assert tab.data_box.is_current()
    LabelFixes().set(pictures.set_key, pictures.keys[0], "exclude")
    dialog.fixesChanged.emit()
    assert not tab.data_box.is_current()
    dialog.close()


def test_a_folder_s_suspects_name_their_files_and_say_which_are_held_out(qtbot, tmp_path):
    from tests.suspects_helpers import misfiled_folder

    folder, wrong = misfiled_folder(tmp_path / "photos")
    widget = SuspectsDialog(images=folder)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.found, timeout=120_000) as found:
        widget.start()
    qtbot.waitUntil(lambda: widget.worker is None)
    first = widget.list.item(0)
    assert first.text().startswith(f"{wrong.resolve()}\nlabelled non-cat")
    pictures = found.args[0].pictures
    held = first.data(Qt.ItemDataRole.UserRole).position not in set(pictures.train_index)
    assert held  # the seed-0 hold-out keeps the misfiled photo for testing
    assert "held out for testing" in first.text()
    rows = [widget.list.item(i) for i in range(widget.list.count())]
    trained = [
        r for r in rows if r.data(Qt.ItemDataRole.UserRole).position in set(pictures.train_index)
    ]
    assert trained and all("held out" not in r.text() for r in trained)
