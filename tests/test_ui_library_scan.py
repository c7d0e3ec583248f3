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
    assert tab.panel.pause_button.text() == "R&esume"
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
    with library_index.Index(library_index.default_path(), writable=True):  # another scan
        tab = open_tab(qtbot, photo_state, settings)
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


def test_the_window_continues_an_unfinished_scan_after_it_starts(
    qtbot, photo_state, settings, tmp_path
):
    from catgui.ui import settings as remembered
    from catgui.ui.main_window import MainWindow

    folder = photo_folder(tmp_path / "photos", n=3)
    remembered.remember_library_folders(settings, [str(folder)])
    remembered.remember_library_scan_unfinished(settings, True)
    window = MainWindow(photo_state, settings)
    qtbot.addWidget(window)
    assert not window.pages.is_built("library")  # not before the first paint
    with qtbot.waitSignal(window.startedUp, timeout=60_000):
        window.show()
    assert window.pages.is_built("library")
    tab = window.library_tab
    qtbot.waitUntil(lambda: settled(tab, 3), timeout=120_000)
    assert not remembered.library_scan_unfinished(settings)
    window.close()


def test_progress_says_photos_per_second_and_the_time_left(qtbot, monkeypatch, tmp_path):
    from catgui.core.library.scan import ScanStep
    from catgui.ui.library import scanner as scanning

    clock = [100.0]
    monkeypatch.setattr(scanning.time, "monotonic", lambda: clock[0])
    scanner = scanning.Scanner(tmp_path / "library.sqlite")
    said = []
    scanner.progressed.connect(lambda done, total, text: said.append((done, total, text)))
    scanner._stepped(ScanStep("walking", 1000, 0))
    scanner._stepped(ScanStep("reading", 0, 3000))
    clock[0] += 10
    scanner._stepped(ScanStep("reading", 600, 3000))
    clock[0] += 10
    scanner._stepped(ScanStep("reading", 3000, 3000))
    assert said[0] == (0, 0, "Looking for pictures: 1,000 so far")
    assert said[1] == (0, 3000, "Reading 0 of 3,000 photos")
    assert said[2] == (600, 3000, "Reading 600 of 3,000 photos · 60 photos/s · about 40 s left")
    assert said[3] == (3000, 3000, "Reading 3,000 of 3,000 photos")
    scanner.pause(True)
    assert said[-1][2].startswith("Paused. Reading 3,000")
    from catgui.core.library.scan import Summary

    assert (
        scanning.summary_text(
            Summary(found=10, read=4, unchanged=6, removed=1, errors=2, seconds=1.25)
        )
        == "Scanned in 1.2 s: 10 photos, 4 read, 6 unchanged, 1 gone, 2 could not be read"
    )


def test_remove_a_folder_takes_its_files_out_of_the_library(qtbot, photo_state, settings, tmp_path):
    from catgui.ui import settings as remembered

    first = photo_folder(tmp_path / "first", n=2)
    second = photo_folder(tmp_path / "second", n=3, start=10)
    tab = open_tab(qtbot, photo_state, settings)
    with qtbot.waitSignal(tab.scanFinished, timeout=120_000):
        tab.add_folders([str(first), str(second)])
    qtbot.waitUntil(lambda: settled(tab, 5))
    menu = tab.panel.remove_button.menu()
    assert [a.text() for a in menu.actions()] == [
        f"Remove {first} from the library",
        f"Remove {second} from the library",
    ]
    menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: settled(tab, 3) and "Removed" in tab.panel.status.text())
    assert all(str(second) in tab.model.item(r).path for r in range(3))
    assert tab.folders == [str(second)]
    assert remembered.library_folders(settings) == [str(second)]
    assert "2 files; the files stay" in tab.panel.status.text()
    assert len(list(first.rglob("*.jpg"))) == 2  # the photos are untouched
    assert not tab.is_scanning() and tab.panel.add_button.isEnabled()
    tab.shutdown()


def test_a_folder_stays_listed_when_the_index_is_busy_at_its_removal(
    qtbot, photo_state, settings, tmp_path
):
    from catgui.ui import settings as remembered

    first = photo_folder(tmp_path / "first", n=2)
    second = photo_folder(tmp_path / "second", n=1, start=10)
    tab = open_tab(qtbot, photo_state, settings)
    with qtbot.waitSignal(tab.scanFinished, timeout=120_000):
        tab.add_folders([str(first), str(second)])
    qtbot.waitUntil(lambda: settled(tab, 3) and not tab.follower.is_busy())
    with library_index.Index(library_index.default_path(), writable=True):  # another scan
        with qtbot.waitSignal(tab.scanner.failed, timeout=30_000):
            tab.panel.remove_button.menu().actions()[0].trigger()
    assert f"{first} was not removed" in tab.panel.status.text()
    assert "busy" in tab.notice.text()
    assert tab.folders == [str(first), str(second)]  # still listed, still remembered
    assert remembered.library_folders(settings) == [str(first), str(second)]
    tab.panel.remove_button.menu().actions()[0].trigger()  # the index is free again
    qtbot.waitUntil(lambda: "Removed" in tab.panel.status.text(), timeout=30_000)
    assert tab.folders == [str(second)]
    tab.shutdown()
