""" "Why?" in the window for the article's deep network (models/default.npz): no backbone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from catgui.core import heatmap, persistence
from catgui.ui.mistakes.image_viewer import ImageViewer
from tests.why_helpers import classified, mistake_items, previews, wide_tab

pytestmark = pytest.mark.gui
DEFAULT = Path(__file__).resolve().parents[1] / "models" / "default.npz"


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_why_is_enabled_for_the_default_network_and_shows_its_occlusion_maps(
    qtbot, state, settings, tmp_path
):
    state.set_model(persistence.load(DEFAULT))
    classifier = state.model.classifier
    assert classifier.kind == "dnn" and classifier.cannot_explain is None
    tab = wide_tab(qtbot, state, settings)
    classified(qtbot, tab, tmp_path)
    why = tab.status_row.why_button
    assert why.isEnabled()
    qtbot.mouseClick(why, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(k.startswith("why") for k, _ in previews(tab)), timeout=30_000)
    for row, (_key, shown) in enumerate(previews(tab)):
        square = tab.results.entry(row).seen
        assert square.shape == (64, 64, 3)
        expected = heatmap.overlay(square, classifier.evidence(square, "occlusion"))
        np.testing.assert_array_equal(shown, expected)
        assert not np.array_equal(shown, square)
    tab.shutdown()


def test_the_large_view_explains_the_default_network(qtbot):
    classifier = persistence.load(DEFAULT).classifier
    items = mistake_items()
    viewer = ImageViewer(items, 0, classifier=classifier)
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.why_button.isEnabled()
    qtbot.mouseClick(viewer.why_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(viewer.showing_why, timeout=30_000)
    expected = heatmap.overlay(items[0].pixels, classifier.evidence(items[0].pixels))
    np.testing.assert_array_equal(viewer.explained[0].overlay, expected)
    viewer.reject()
    assert viewer.worker is None


def test_clicking_a_heat_map_opens_it_large_with_its_legend_beside_it(
    qtbot, state, settings, tmp_path
):
    from catgui.ui.classify.results import PREVIEW
    from catgui.ui.common.why_view import SIDE

    state.set_model(persistence.load(DEFAULT))
    tab = wide_tab(qtbot, state, settings)
    classified(qtbot, tab, tmp_path)
    qtbot.mouseClick(tab.status_row.why_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(k.startswith("why") for k, _ in previews(tab)), timeout=30_000)
    tab.results_view.click_button(0, PREVIEW)  # what a click on the preview does
    view = tab.why_view
    assert view is not None and view.isVisible()
    assert view.picture.pixmap().width() == SIDE  # large, not the row's ~90 px
    assert previews(tab)[0][0].startswith("why")  # the row did not revert silently
    legend = view.findChild(type(view.picture), "whyLegend").text()
    assert "evidence for cat" in legend and tab.results.entry(0).name in legend
    qtbot.mouseClick(view.hide_button, Qt.MouseButton.LeftButton)  # asked for: the plain picture
    assert not previews(tab)[0][0].startswith("why")
    tab.results_view.click_button(0, PREVIEW)  # a plain picture: shows its heat map again
    qtbot.waitUntil(lambda: previews(tab)[0][0].startswith("why"), timeout=30_000)
    tab.shutdown()


def test_the_heat_maps_legend_is_beside_why_not_over_each_picture(qtbot, state, settings, tmp_path):
    state.set_model(persistence.load(DEFAULT))
    tab = wide_tab(qtbot, state, settings)
    classified(qtbot, tab, tmp_path)
    legend = tab.status_row.why_legend
    assert not legend.isVisible()
    view = tab.results_view
    index = tab.results.index(0)
    box = view.itemDelegate().rects(view.visualRect(index))["input"]
    corner = box.adjusted(box.width() - 50, box.height() - 16, 0, 0)  # where a legend sat

    def corner_pixels():
        from tests.contrast_helpers import pixels

        return pixels(view.viewport().grab().toImage(), corner)

    qtbot.mouseClick(tab.status_row.why_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(k.startswith("why") for k, _ in previews(tab)), timeout=30_000)
    assert legend.isVisible() and "cat" in legend.text() and "not" in legend.text()
    qtbot.wait(20)
    dark = corner_pixels().reshape(-1, 3).sum(axis=1) < 60  # a legend's near-black plate
    assert dark.mean() < 0.5, "the corner of the heat map is covered"
    tab.shutdown()
