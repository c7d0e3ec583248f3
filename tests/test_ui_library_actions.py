"""What the Library tab does to its pictures: the large view with *Why?*, *Copy path*, *Open
file location*, corrections with Ctrl+Z, *Export selected* (copies and links), and a new
active model re-scoring the grid from the stored features."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from catgui.core.library import index as library_index
from tests.data_helpers import ROOT
from tests.library_helpers import PHOTO_MODEL, needs_photo_model, photo_folder, scan

pytestmark = needs_photo_model


@pytest.fixture
def photo_state():
    from catgui.core import paths, persistence
    from catgui.ui.app_state import AppState

    state = AppState(paths.models_dir())
    state.set_model(persistence.load(PHOTO_MODEL))
    return state


def settled(tab, rows: int) -> bool:
    return (
        not tab.is_scanning()
        and not tab.browser.is_busy()
        and not tab.follower.is_busy()
        and tab.browser.shown_view == tab.browser.view
        and tab.model.rowCount() == rows
    )


@pytest.fixture
def scanned(qtbot, photo_state, scorer, tmp_path):
    """The tab over an index of 4 real JPEGs (scanned with the shipped pretrained model)."""
    from catgui.ui.library.tab import LibraryTab

    folder = photo_folder(tmp_path / "photos", n=4)
    scan(library_index.default_path(), [folder], scorer)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    tab = LibraryTab(photo_state, settings)
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    tab.show()
    qtbot.waitUntil(lambda: settled(tab, 4), timeout=20_000)
    tab.actions.log._folder = tmp_path / "corrections"
    yield tab
    tab.shutdown()


def select(tab, rows) -> None:
    tab.grid.setFocus()
    tab.grid.clearSelection()
    for row in rows:
        tab.grid.selectionModel().select(
            tab.model.index(row), tab.grid.selectionModel().SelectionFlag.Select
        )
    tab.grid.selectionModel().setCurrentIndex(
        tab.model.index(rows[0]), tab.grid.selectionModel().SelectionFlag.NoUpdate
    )


def test_a_double_click_opens_the_picture_large_and_why_explains_it(qtbot, scanned):
    tab = scanned
    qtbot.waitUntil(lambda: tab.grid.visualRect(tab.model.index(1)).width() > 0)
    rect = tab.grid.visualRect(tab.model.index(1))
    qtbot.mouseClick(tab.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = tab.actions.large
    assert view is not None and view.isVisible()
    item = tab.model.item(1)
    assert view.item.path == item.path and item.name in view.caption.text()
    qtbot.waitUntil(lambda: not view.picture.pixmap().isNull(), timeout=20_000)
    shown = view.picture.pixmap()  # the 120 x 90 photo, shown 3 times larger
    assert (shown.width(), shown.height()) == (360, 270)
    view.why_button.click()
    qtbot.waitUntil(lambda: view.why_view is not None, timeout=60_000)
    assert view.why_view.isVisible() and view.why_view.windowTitle() == f"Why? — {item.name}"
    assert not view.why_view.picture.pixmap().isNull()
    assert view.why_view.hide_button.parent() is None or not view.why_view.hide_button.isVisible()
    view.why_view.close()
    view.close()


def test_enter_opens_the_current_picture_large(qtbot, scanned):
    select(scanned, [2])
    qtbot.keyClick(scanned.grid, Qt.Key.Key_Return)
    assert scanned.actions.large is not None and scanned.actions.large.item == scanned.model.item(2)
    scanned.actions.large.close()


def test_copy_path_by_key_menu_and_large_view(qtbot, scanned):
    tab = scanned
    select(tab, [0, 2])
    qtbot.keyClick(tab.grid, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    wanted = "\n".join(tab.model.item(r).path for r in (0, 2))
    assert QGuiApplication.clipboard().text() == wanted
    assert "Copied 2 paths" in tab.notice.text()
    assert tab.actions.copy_action in tab.grid.actions()  # the context menu's entry
    QGuiApplication.clipboard().clear()
    tab.actions.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == wanted
    view = tab.actions.open_large(3)
    view.copy_button.click()
    assert QGuiApplication.clipboard().text() == tab.model.item(3).path
    view.close()


def test_open_file_location_opens_the_folder(qtbot, scanned):
    tab = scanned
    opened = []
    tab.actions.opener = lambda url: opened.append(url.toLocalFile()) or True
    select(tab, [0])
    qtbot.keyClick(
        tab.grid,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert opened == [os.path.dirname(tab.model.item(0).path)]
    view = tab.actions.open_large(1)
    view.locate_button.click()
    assert opened[-1] == os.path.dirname(tab.model.item(1).path)
    view.close()


def test_corrections_are_stored_as_classify_stores_them_and_ctrl_z_undoes(qtbot, scanned, tmp_path):
    from catgui.core.corrections import Corrections

    tab = scanned
    store = Corrections(tmp_path / "corrections")
    select(tab, [0, 1])
    qtbot.keyClick(tab.grid, Qt.Key.Key_C)  # It's a cat
    assert [c.label for c in store.list()] == ["cat", "cat"]
    assert tab.model.corrected == {tab.model.item(0).path: True, tab.model.item(1).path: True}
    assert "2 pictures: a cat" in tab.notice.text()
    originals = {tab.model.item(r).path: open(tab.model.item(r).path, "rb").read() for r in (0, 1)}
    select(tab, [1])
    tab.actions.not_cat_action.trigger()  # changed their mind: moved to non-cat
    assert sorted(c.label for c in store.list()) == ["cat", "non-cat"]
    qtbot.keyClick(tab.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [c.label for c in store.list()] == ["cat", "cat"]
    assert tab.model.corrected[tab.model.item(1).path] is True
    qtbot.keyClick(tab.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    button = tab.filters.buttons["cats"]
    button.setFocus()  # Ctrl+Z works anywhere in the tab (a text field undoes its typing)
    qtbot.keyClick(button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.list() == [] and tab.model.corrected == {}
    assert "Took back" in tab.notice.text()
    for path, data in originals.items():  # the originals were only read
        assert open(path, "rb").read() == data


@pytest.mark.parametrize("link", [False, True])
def test_export_selected_copies_or_links_with_suffixes(qtbot, scanned, tmp_path, link):
    tab = scanned
    target = tmp_path / "out"
    target.mkdir()
    first = tab.model.item(0)
    (target / first.name).write_bytes(b"already here")
    select(tab, [0, 1])
    paths = [i.path for i in tab.selected_items()]
    assert tab.actions.export(paths, str(target), link=link) is not None
    qtbot.waitUntil(lambda: "photos into" in tab.notice.text(), timeout=20_000)
    stem, suffix = os.path.splitext(first.name)
    made = target / f"{stem}-2{suffix}"
    assert (target / first.name).read_bytes() == b"already here"  # never replaced
    assert made.is_symlink() == link
    assert made.read_bytes() == open(first.path, "rb").read()
    assert ("Linked" if link else "Copied") + " 2 photos" in tab.notice.text()


def test_export_dialog_asks_where_and_how(qtbot, scanned, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    tab = scanned
    target = tmp_path / "chosen"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(target))

    def answer(box):  # the user clicks Link
        box.show()
        next(b for b in box.buttons() if b.text() == "Link").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    select(tab, [2])
    tab.actions.export_action.trigger()
    qtbot.waitUntil(lambda: "Linked 1 photos" in tab.notice.text(), timeout=20_000)
    assert (target / tab.model.item(2).name).is_symlink()
    assert tab.settings.value("folders/libraryExport") == str(target)


def test_a_new_active_model_rescores_the_grid_from_stored_features(qtbot, scanned):
    from catgui.core import persistence
    from catgui.core.library import browse, chunks
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer

    tab = scanned
    before = tab.browser.view.model
    zero_shot = ROOT / "models" / "zero-shot.npz"
    new = Scorer.of_file(zero_shot)
    tab.state.set_model(persistence.load(zero_shot))
    qtbot.waitUntil(
        lambda: tab.browser.view.model == new.sha256 and settled(tab, 4), timeout=20_000
    )
    assert before != new.sha256 and not tab.notice.isVisible()
    with Index(library_index.default_path()) as index:
        assert browse.scored(index, new.sha256)
        _, features = chunks.all_features(index.conn)
    expected = new.probabilities(features)
    shown = [tab.model.item(r).probability for r in range(4)]
    assert np.allclose(sorted(shown), sorted(expected))


def test_a_model_that_reads_pixels_is_said_in_words(qtbot, scanned):
    from catgui.core import paths, persistence
    from catgui.core.library.rescore import Scorer

    tab = scanned
    tab.state.set_model(persistence.load(ROOT / "models" / "default.npz"))
    first = Scorer.of_file(paths.first_model_path()).sha256
    qtbot.waitUntil(lambda: tab.browser.view.model == first and settled(tab, 4), timeout=20_000)
    assert tab.notice.isVisible() and "reads the pictures' pixels" in tab.notice.text()
    assert not [w for w in QGuiApplication.topLevelWindows() if w.title() == "Model not opened"]
    assert all(tab.model.item(r).probability is not None for r in range(4))


def test_notes_of_different_sources_never_hide_each_other(qtbot, scanned):
    from catgui.core import persistence

    tab = scanned
    tab.state.set_model(persistence.load(ROOT / "models" / "default.npz"))
    qtbot.waitUntil(lambda: "reads the pictures' pixels" in tab.notice.text(), timeout=20_000)
    select(tab, [0])
    tab.actions.copy_action.trigger()
    assert "reads the pictures' pixels" in tab.notice.text() and "Copied" in tab.notice.text()
    tab.state.set_model(persistence.load(PHOTO_MODEL))  # the model's note is taken back
    qtbot.waitUntil(lambda: "pixels" not in tab.notice.text(), timeout=20_000)
    assert tab.notice.text().startswith("Copied") and tab.notice.isVisible()


def test_arrows_in_the_large_view_walk_through_the_grid(qtbot, scanned):
    tab = scanned
    first = tab.actions.open_large(1)
    qtbot.keyClick(first.why_button, Qt.Key.Key_Right)  # a button has the focus
    second = tab.actions.large
    assert second is not first and second.item == tab.model.item(2)
    assert tab.grid.currentIndex().row() == 2
    qtbot.keyClick(second, Qt.Key.Key_Left)
    qtbot.keyClick(tab.actions.large, Qt.Key.Key_Left)
    assert tab.actions.large.item == tab.model.item(0)
    last = tab.actions.large
    qtbot.keyClick(last, Qt.Key.Key_Left)  # nothing before the first
    assert tab.actions.large is last
    last.close()


def test_a_correction_of_an_earlier_session_is_known_and_undo_restores_it(qtbot, scanned, tmp_path):
    from catgui.core.corrections import Corrections

    tab = scanned
    store = Corrections(tmp_path / "corrections")
    first = tab.model.item(0)
    store.add(first.path, True)  # said in an earlier session (or in Classify)
    tab.browser.reload()
    qtbot.waitUntil(lambda: settled(tab, 4))
    row = next(r for r in range(4) if tab.model.item(r).path == first.path)
    item = tab.model.item(row)
    assert tab.model.said(item) is True and tab.model.corrected == {}
    tooltip = tab.model.data(tab.model.index(row), Qt.ItemDataRole.ToolTipRole)
    assert "You said: a cat" in tooltip
    select(tab, [row])
    qtbot.keyClick(tab.grid, Qt.Key.Key_C)  # said already: nothing new is stored
    assert [c.label for c in store.list()] == ["cat"] and "a cat" not in tab.notice.text()
    qtbot.keyClick(tab.grid, Qt.Key.Key_N)  # changed their mind
    assert [c.label for c in store.list()] == ["non-cat"]
    qtbot.keyClick(tab.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [c.label for c in store.list()] == ["cat"]  # the earlier word back, not deleted
    assert tab.model.said(tab.model.item(row)) is True
