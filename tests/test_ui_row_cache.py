"""Classify rows are drawn once and reused until something they show changes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPixmapCache

from catgui.core import network, persistence
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui.classify import correction_buttons

pytestmark = pytest.mark.gui


@pytest.fixture
def shown(qtbot, window, state, tmp_path):
    """The window on the Classify tab with four classified pictures on screen."""
    state.set_model(
        persistence.Model(NetworkClassifier(network.initialize((12288, 4, 1), seed=3)), metadata={})
    )
    rng = np.random.default_rng(1)
    folder = tmp_path / "pics"
    folder.mkdir()
    for i in range(4):
        Image.fromarray(rng.integers(0, 256, (50, 70, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    window.resize(1000, 700)
    window.show()
    tab = window.classify_tab
    window.tabs.setCurrentWidget(tab)
    tab.add_paths([str(folder)])
    qtbot.waitUntil(lambda: not tab.is_busy() and tab.results.rowCount() == 4, timeout=10_000)
    QPixmapCache.clear()
    view = tab.results_view
    view.viewport().repaint()
    return tab, view, view.delegate


def test_repainting_unchanged_rows_draws_nothing_afresh(shown):
    _tab, view, delegate = shown
    first = delegate.renders
    assert first >= 4  # every visible row was drawn once
    for _ in range(5):
        view.viewport().repaint()
    assert delegate.renders == first


def test_a_new_threshold_redraws_the_rows(shown):
    tab, view, delegate = shown
    before = delegate.renders
    tab.set_threshold(0.9)
    view.viewport().repaint()
    assert delegate.renders >= before + 4


def test_a_correction_redraws_its_row(shown):
    tab, view, delegate = shown
    before = delegate.renders
    view.correctionRequested.emit([0], True)
    view.viewport().repaint()
    assert delegate.renders > before
    assert tab.results.entry(0).corrected is not None


def test_hovering_a_button_redraws_only_that_row(shown):
    tab, view, delegate = shown
    entry = tab.results.entry(1)
    before = delegate.renders
    delegate.hovered = (entry.uid, correction_buttons.IS_CAT)
    view.viewport().repaint()
    assert delegate.renders == before + 1
    delegate.hovered = None
    view.viewport().repaint()  # back to the look drawn before: cached
    assert delegate.renders == before + 1


def test_a_resize_draws_rows_at_the_new_width(qtbot, shown):
    tab, view, delegate = shown
    before = delegate.renders
    tab.window().resize(1200, 700)
    qtbot.waitUntil(lambda: view.viewport().width() > 1000, timeout=5000)
    view.viewport().repaint()
    assert delegate.renders >= before + 4
    assert view.indexAt(QPoint(10, 10)).isValid()


def test_the_pixmap_cache_has_room_for_a_screenful_of_rows(shown):
    _tab, view, _delegate = shown
    from catgui.ui.classify.result_delegate import ROW_CACHE_KB

    row_kb = view.viewport().width() * view.sizeHintForRow(0) * 4 / 1024
    assert QPixmapCache.cacheLimit() >= ROW_CACHE_KB >= 40 * row_kb
