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
