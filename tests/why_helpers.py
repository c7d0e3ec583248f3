"""What the "Why?" tests share: a shown Classify tab, pictures classified in it, the rows'
previews, and Mistakes items for the large view."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from catgui.core.evaluation import Mistake
from catgui.ui.classify.model import PreviewRole
from catgui.ui.classify.tab import ClassifyTab
from catgui.ui.common.qimages import to_qimage
from catgui.ui.mistakes.model import MistakeItem
from tests.classify_helpers import shown_tab, write_pictures


def wide_tab(qtbot, state, settings) -> ClassifyTab:
    """A Classify tab with ``settings``, wide enough for the "Why?" column."""
    return shown_tab(qtbot, state, settings, size=(1100, 700))


def classified(qtbot, tab, tmp_path, count=2) -> list[Path]:
    paths = write_pictures(tmp_path / "pics", count, seed=4)
    tab.add_paths([str(p) for p in paths])
    qtbot.waitUntil(
        lambda: (
            not tab.is_busy() and tab.results.rowCount() == count and not tab.insights.is_busy()
        ),
        timeout=30_000,
    )
    return paths


def previews(tab) -> list[tuple[str, np.ndarray]]:
    results = tab.results
    return [results.index(r).data(PreviewRole) for r in range(results.rowCount())]


def mistake_items(count: int = 2) -> list[MistakeItem]:
    rng = np.random.default_rng(7)
    items = []
    for i in range(count):
        pixels = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
        mistake = Mistake(index=i, label=1, predicted=0, probability=0.2)
        items.append(MistakeItem(mistake, to_qimage(pixels), None, pixels))
    return items
