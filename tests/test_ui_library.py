"""The Library tab over an index: the grid, its filters and counts, the text filter, the
order, thumbnails, and the seams other features use (select by path or hash, filters)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from catgui.core.library import index as library_index
from tests.library_helpers import PHOTO_MODEL, needs_photo_model, synthetic_index

pytestmark = needs_photo_model

#: P(cat) of the synthetic library's files: 3 cats, 1 unsure cat, 1 unsure non-cat, 3 non-cats.
PROBABILITIES = [0.97, 0.91, 0.83, 0.55, 0.45, 0.2, 0.1, 0.02]


@pytest.fixture
def photo_state():
    from catgui.core import paths, persistence
    from catgui.ui.app_state import AppState

    state = AppState(paths.models_dir())
    state.set_model(persistence.load(PHOTO_MODEL))
    return state


def open_tab(qtbot, state, tmp_path, rows: int | None = None):
    from catgui.ui.library.tab import LibraryTab

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    tab = LibraryTab(state, settings)
    qtbot.addWidget(tab)
    tab.resize(900, 600)
    tab.show()
    if rows is not None:
        qtbot.waitUntil(lambda: shows(tab, rows), timeout=15000)
    return tab


def shows(tab, rows: int) -> bool:
    """The grid has settled on ``rows`` rows scored by the active model."""
    return (
        not tab.browser.is_busy()
        and not tab.follower.is_busy()
        and tab.browser.view.model is not None
        and tab.browser.shown_view == tab.browser.view
        and tab.model.rowCount() == rows
    )


@pytest.fixture
def library(qtbot, photo_state, scorer, tmp_path):
    paths = synthetic_index(library_index.default_path(), scorer, PROBABILITIES, errors=2)
    tab = open_tab(qtbot, photo_state, tmp_path, rows=len(paths))
    yield tab, paths
    tab.shutdown()


def names(tab) -> list[str]:
    return [tab.model.item(r).name for r in range(tab.model.rowCount())]


def test_a_first_visit_says_how_to_add_folders(qtbot, photo_state, tmp_path):
    tab = open_tab(qtbot, photo_state, tmp_path)
    qtbot.waitUntil(lambda: not tab.browser.is_busy() and not tab.follower.is_busy())
    assert tab.stack.currentWidget() is tab.empty
    assert "Add folder" in tab.empty.text()
    assert tab.panel.folders_label.text() == "No folders yet"
    assert not tab.notice.isVisible()  # no index yet is not an error
    tab.shutdown()


def test_filters_show_their_counts_and_rows(qtbot, library):
    tab, paths = library
    counts = tab.browser.counts
    assert counts == {
        "all": 10,
        "cats": 4,
        "non-cats": 4,
        "unsure": 2,
        "unfamiliar": 2,
        "errors": 2,
        "duplicates": 0,  # the synthetic features are all zero: like nothing
    }
    assert tab.filters.buttons["cats"].text() == "Cats 4"
    assert tab.filters.buttons["errors"].text() == "Errors 2"
    for name, expected in (("cats", 4), ("unsure", 2), ("errors", 2), ("unfamiliar", 2)):
        tab.filters.buttons[name].click()
        qtbot.waitUntil(lambda n=expected: shows(tab, n))
        items = [tab.model.item(r) for r in range(tab.model.rowCount())]
        if name == "cats":
            assert all(i.probability > 0.5 for i in items)
        if name == "errors":
            assert all(i.error == "not an image file" for i in items)
        if name == "unsure":
            assert sorted(i.probability for i in items) == [0.45, 0.55]
    tab.filters.buttons[""].click()
    qtbot.waitUntil(lambda: shows(tab, 10))


def test_the_text_filter_keeps_paths_containing_it(qtbot, library):
    tab, _paths = library
    tab.grid.setFocus()
    qtbot.keyClick(tab.grid, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.filters.text.hasFocus()
    qtbot.keyClicks(tab.filters.text, "broken")
    qtbot.waitUntil(lambda: shows(tab, 2))
    assert all("broken" in n for n in names(tab))
    assert tab.filters.buttons[""].text() == "All 2"  # the counts follow the text
    tab.filters.text.clear()
    tab.filters.text.setText("100%_")  # SQL wildcards are plain characters here
    qtbot.waitUntil(lambda: shows(tab, 0))


def test_the_order_is_by_probability_date_or_folder(qtbot, library):
    tab, _paths = library
    tab.filters.choose_sort("probability")
    qtbot.waitUntil(lambda: shows(tab, 10) and tab.browser.view.sort == "probability")
    p = [tab.model.item(r).probability for r in range(10)]
    assert p[:8] == sorted(PROBABILITIES, reverse=True) and p[8:] == [None, None]
    tab.filters.choose_sort("date")  # the synthetic files' mtime is their number
    qtbot.waitUntil(lambda: shows(tab, 10) and tab.browser.view.sort == "date")
    assert names(tab)[:3] == ["photo7.jpg", "photo6.jpg", "photo5.jpg"]
    tab.filters.choose_sort("folder")
    qtbot.waitUntil(lambda: shows(tab, 10) and tab.browser.view.sort == "folder")
    paths = [tab.model.item(r).path for r in range(10)]
    assert paths == sorted(paths)
    tab.save_settings()
    assert tab.settings.value("library/sort") == "folder"


def test_thumbnails_are_loaded_off_the_gui_thread_and_painted(qtbot, library):
    from catgui.ui.library.grid_model import THUMBNAIL_ROLE

    tab, _paths = library
    ok = next(r for r in range(10) if tab.model.item(r).error is None)
    first = tab.model.index(ok)
    qtbot.waitUntil(lambda: tab.model.data(first, THUMBNAIL_ROLE) is not None)
    pixmap = tab.model.data(first, THUMBNAIL_ROLE)
    assert not pixmap.isNull() and (pixmap.width(), pixmap.height()) == (32, 24)
    errors = [r for r in range(10) if tab.model.item(r).error]
    assert tab.model.data(tab.model.index(errors[0]), THUMBNAIL_ROLE).isNull()
    assert not tab.grid.grab().isNull()


def test_other_features_select_by_path_or_hash_and_add_filters(qtbot, library):
    from PySide6.QtWidgets import QLabel

    tab, paths = library
    assert tab.select_paths([paths[0], paths[3]]) == 2
    assert sorted(i.path for i in tab.selected_items()) == sorted([paths[0], paths[3]])
    assert tab.select_hashes([f"{5:064x}"]) == 1
    assert [i.path for i in tab.selected_items()] == [paths[5]]
    strip = QLabel("a strip")
    tab.add_widget_above(strip)
    side = QLabel("a map")
    tab.add_widget_beside(side)
    qtbot.waitUntil(lambda: strip.isVisible() and side.isVisible())
    tab.add_filter("firsts", "Firsts", "the first two", "f.path LIKE ?", ("%photo1.jpg",))
    assert tab.filters.buttons["firsts"].text().startswith("Firsts")
    qtbot.waitUntil(lambda: tab.browser.counts.get("firsts") == 1)
    tab.filters.buttons["firsts"].click()
    qtbot.waitUntil(lambda: shows(tab, 1))
    assert names(tab) == ["photo1.jpg"]
    from catgui.core.library.index import Index

    with Index(library_index.default_path(), writable=True) as index, index.transaction() as tx:
        tx.execute(
            "UPDATE files SET path = '/library/cats/photo11.jpg' WHERE path LIKE '%photo1.jpg'"
        )
    tab.refresh()  # another feature wrote to the index
    qtbot.waitUntil(lambda: shows(tab, 0))


def test_a_damaged_index_is_said_in_words(qtbot, photo_state, tmp_path):
    path = library_index.default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database at all")
    tab = open_tab(qtbot, photo_state, tmp_path)
    qtbot.waitUntil(lambda: tab.notice.isVisible())
    assert str(path) in tab.notice.text() and "not a catgui library index" in tab.notice.text()
    assert path.read_bytes() == b"not a database at all"
    tab.shutdown()


def test_the_order_chosen_last_time_is_used_again(qtbot, photo_state, scorer, tmp_path):
    paths = synthetic_index(library_index.default_path(), scorer, PROBABILITIES)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("library/sort", "probability")
    settings.sync()
    tab = open_tab(qtbot, photo_state, tmp_path, rows=len(paths))
    assert tab.filters.sort_name() == "probability" and tab.browser.shown_view.sort == "probability"
    assert tab.model.item(0).probability == max(PROBABILITIES)
    tab.shutdown()
