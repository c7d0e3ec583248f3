"""Every tab has one shape; the window remembers the selected tab by name (settings v2)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from catgui.ui import settings as remembered
from catgui.ui.classify.tab import ClassifyTab
from catgui.ui.main_window import MainWindow
from catgui.ui.mistakes.tab import MistakesTab
from catgui.ui.train.tab import TrainTab

pytestmark = pytest.mark.gui


@pytest.fixture
def ini(tmp_path) -> str:
    return str(tmp_path / "settings.ini")


def _settings(ini: str) -> QSettings:
    return QSettings(ini, QSettings.Format.IniFormat)


@pytest.mark.parametrize("cls", [TrainTab, ClassifyTab, MistakesTab])
def test_every_tab_is_built_alike_and_can_be_saved_and_shut_down(qtbot, state, ini, cls):
    parent = QWidget()
    qtbot.addWidget(parent)
    tab = cls(state, _settings(ini), parent)
    assert tab.parent() is parent and tab.NAME in remembered.TABS_IN_VERSION_1
    tab.load_settings()
    tab.save_settings()
    tab.shutdown()


def test_the_selected_tab_is_remembered_by_name(qtbot, state, ini):
    first = MainWindow(state, _settings(ini))
    qtbot.addWidget(first)
    first.tabs.setCurrentWidget(first.mistakes_tab)
    first.close()
    settings = _settings(ini)
    assert settings.value(remembered.TAB) == "mistakes"
    assert int(settings.value(remembered.VERSION_KEY)) == remembered.VERSION
    again = MainWindow(state, settings)
    qtbot.addWidget(again)
    assert again.tabs.currentWidget() is again.mistakes_tab
    again.close()


@pytest.mark.parametrize(
    ("position", "name"), [("1", "classify"), ("2", "mistakes"), ("9", "train")]
)
def test_a_tab_remembered_by_position_opens_once_then_by_name(qtbot, state, ini, position, name):
    old = _settings(ini)
    old.setValue(remembered.TAB_POSITION, position)  # what catgui wrote before version 2
    old.sync()
    win = MainWindow(state, _settings(ini))
    qtbot.addWidget(win)
    assert win.tabs.currentWidget().NAME == name
    win.close()
    settings = _settings(ini)
    assert settings.value(remembered.TAB_POSITION) is None
    assert settings.value(remembered.TAB) == name


def test_a_first_start_opens_on_classify_with_only_that_tab_built(qtbot, state, ini):
    """A newcomer's first act is dropping a picture; the other tabs wait for the paint."""
    win = MainWindow(state, _settings(ini))
    qtbot.addWidget(win)
    assert win.tabs.currentWidget().objectName() == "classifyTab"
    assert not win.pages.is_built("train") and not win.pages.is_built("mistakes")
    with qtbot.waitSignal(win.startedUp, timeout=30_000):
        win.show()
    assert win.pages.is_built("train") and win.train_tab.plot_slot.is_built()
    assert win.tabs.currentWidget() is win.classify_tab  # building did not switch tabs
    assert not win.pages.is_built("mistakes")
    win.close()
    assert _settings(ini).value(remembered.TAB) == "classify"


def test_an_unknown_tab_name_opens_as_a_first_start(qtbot, state, ini):
    settings = _settings(ini)
    settings.setValue(remembered.VERSION_KEY, remembered.VERSION)
    settings.setValue(remembered.TAB, "gone")
    win = MainWindow(state, settings)
    qtbot.addWidget(win)
    assert win.tabs.currentWidget() is win.classify_tab
    win.close()


def test_a_tab_selected_before_it_was_built_is_built_and_shown(qtbot, state, ini):
    win = MainWindow(state, _settings(ini))
    qtbot.addWidget(win)
    index = win.pages.names.index("mistakes")
    placeholder = win.tabs.widget(index)
    assert placeholder.objectName() == "mistakesPlaceholder"
    win.tabs.setCurrentIndex(index)  # as a click on its tab does
    assert win.tabs.currentWidget().objectName() == "mistakesTab"
    assert win.tabs.currentIndex() == index and win.tabs.tabText(index) == "Mista&kes"
    assert win.tabs.count() == 3
    win.close()


def test_the_keys_users_have_are_still_the_keys():
    keys = {
        remembered.GEOMETRY: "window/geometry",
        remembered.TAB_POSITION: "window/tab",
        remembered.MODELS_FOLDER: "folders/models",
        remembered.SAVE_FOLDER: "folders/save",
        remembered.DATA_FOLDER: "folders/data",
        remembered.IMAGES_FOLDER: "folders/images",
        remembered.TEST_IMAGES_FOLDER: "folders/testImages",
        remembered.CLASSIFY_FOLDER: "classify/lastFolder",
        remembered.DATA_SOURCE: "data/source",
        remembered.DATA_TEST: "data/test",
        remembered.DATA_SHARE: "data/share",
        remembered.TRAIN_KIND: "train/kind",
        remembered.UNSURE_HALF_WIDTH: "classify/unsureHalfWidth",
        remembered.train_field("dnn", "lr"): "train/dnn/lr",
    }
    assert all(key == old for key, old in keys.items()), keys
