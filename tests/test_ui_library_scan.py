"""The Library tab's scans: folders added by a drop and by *Add folder…*, progress, *Pause*,
*Stop*, an unfinished scan continued at the next start, and a busy index said in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from catgui.core.library import index as library_index
from tests.library_helpers import PHOTO_MODEL, needs_photo_model, photo_folder
from tests.qt_helpers import drop_files

pytestmark = needs_photo_model


@pytest.fixture
def photo_state():
    from catgui.core import paths, persistence
    from catgui.ui.app_state import AppState

    state = AppState(paths.models_dir())
    state.set_model(persistence.load(PHOTO_MODEL))
    return state


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_tab(qtbot, state, settings):
    from catgui.ui.library.tab import LibraryTab

    tab = LibraryTab(state, settings)
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    tab.show()
    return tab


def settled(tab, rows: int) -> bool:
    return (
        not tab.is_scanning()
        and not tab.browser.is_busy()
        and not tab.follower.is_busy()
        and tab.model.rowCount() == rows
    )


def test_a_dropped_folder_is_scanned_with_progress_and_shown(
    qtbot, photo_state, settings, tmp_path
):
    folder = photo_folder(tmp_path / "photos", n=6)
    (folder / "notes.jpg").write_text("not a picture")
    tab = open_tab(qtbot, photo_state, settings)
    steps = []
    tab.scanner.progressed.connect(lambda done, total, text: steps.append((done, total, text)))
    with qtbot.waitSignal(tab.scanFinished, timeout=120_000) as finished:
        drop_files(tab, [folder])
        assert tab.panel.stop_button.isVisible() and tab.panel.pause_button.isVisible()
    summary = finished.args[0]
    assert not summary.interrupted and summary.found == 7 and summary.errors == 1
    assert any(text.startswith("Reading") and total == 7 for _d, total, text in steps)
    assert steps[-1][0] == steps[-1][1] or "Scoring" in steps[-1][2]
    assert (
        "Scanned in" in tab.panel.status.text() and "1 could not be read" in tab.panel.status.text()
    )
    assert not tab.panel.stop_button.isVisible()
    qtbot.waitUntil(lambda: settled(tab, 7))
    assert tab.browser.counts["all"] == 7 and tab.browser.counts["errors"] == 1
    assert tab.folders == [str(folder)]
    assert tab.panel.folders_label.toolTip() == str(folder)
    assert not tab.notice.isVisible()
    tab.shutdown()


def test_add_folder_button_scans_the_chosen_folder_and_remembers_it(
    qtbot, photo_state, settings, tmp_path, monkeypatch
):
    folder = photo_folder(tmp_path / "more", n=3)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    tab = open_tab(qtbot, photo_state, settings)
    with qtbot.waitSignal(tab.scanFinished, timeout=120_000):
        tab.panel.add_button.click()
    qtbot.waitUntil(lambda: settled(tab, 3))
    tab.shutdown()
    from catgui.ui import settings as remembered

    assert remembered.library_folders(settings) == [str(folder)]
    assert not remembered.library_scan_unfinished(settings)


def test_pause_then_stop_keeps_the_scan_for_the_next_start(qtbot, photo_state, settings, tmp_path):
    from catgui.ui import settings as remembered

    folder = photo_folder(tmp_path / "photos", n=5)
    tab = open_tab(qtbot, photo_state, settings)
    texts = []
    tab.scanner.progressed.connect(lambda _d, _t, text: texts.append(text))
    tab.add_folders([str(folder)])
    tab.panel.pause_button.click()  # held at the first batch boundary
    assert tab.panel.pause_button.text() == "&Resume"
    assert texts and texts[-1].startswith("Paused")
    qtbot.wait(300)
    assert tab.is_scanning()  # paused, not ended
    with qtbot.waitSignal(tab.scanFinished, timeout=30_000) as finished:
        tab.panel.stop_button.click()
    assert finished.args[0].interrupted
    assert "Scan again (or the next start) continues" in tab.panel.status.text()
    assert remembered.library_scan_unfinished(settings)
    tab.shutdown()
    tab.close()
    # the next start: the scan continues by itself, to the end
    again = open_tab(qtbot, photo_state, settings)
    assert again.is_scanning()
    with qtbot.waitSignal(again.scanFinished, timeout=120_000) as finished:
        pass
    assert not finished.args[0].interrupted
    qtbot.waitUntil(lambda: settled(again, 5))
    assert not remembered.library_scan_unfinished(settings)
    again.shutdown()


def test_a_scan_of_a_busy_index_is_said_in_words(qtbot, photo_state, settings, tmp_path):
    folder = photo_folder(tmp_path / "photos", n=2)
    tab = open_tab(qtbot, photo_state, settings)
    # the tab's own first re-scoring holds the index as a writer too: let it end first
    qtbot.waitUntil(lambda: not tab.follower.is_busy() and not tab.likeness.is_busy())
    with library_index.Index(library_index.default_path(), writable=True):  # another scan
        with qtbot.waitSignal(tab.scanner.failed, timeout=30_000):
            tab.add_folders([str(folder)])
    assert "busy" in tab.notice.text() and tab.notice.isVisible()
    assert "did not run" in tab.panel.status.text()
    assert not tab.panel.stop_button.isVisible()
    tab.shutdown()


def test_files_dropped_on_the_tab_are_left_to_the_window(qtbot, photo_state, settings, tmp_path):
    from tests.qt_helpers import drag_enter

    picture = photo_folder(tmp_path / "one", n=1) / "photo1.jpg"
    if not picture.exists():
        picture = next((tmp_path / "one").rglob("*.jpg"))
    tab = open_tab(qtbot, photo_state, settings)
    assert not drag_enter(tab, [picture]).isAccepted()
    tab.shutdown()
