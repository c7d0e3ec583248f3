"""What the Classify tab's tests share: a small network model, pictures on disk, a drop
that checks the highlight, and waiting until the tab is idle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from catgui.core import network, persistence
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui.app_state import AppState
from catgui.ui.classify.drop_area import DropArea
from catgui.ui.classify.tab import ClassifyTab
from tests.qt_helpers import drag_enter, drop_files


def make_model(seed: int) -> persistence.Model:
    net = network.initialize((12288, 4, 1), seed=seed)
    return persistence.Model(
        NetworkClassifier(net), metadata={"name": f"test model {seed}", "kind": "dnn"}
    )


def write_pictures(folder: Path, count: int, seed: int = 0, suffix: str = ".png") -> list[Path]:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        h, w = int(rng.integers(30, 150)), int(rng.integers(30, 150))
        path = folder / f"photo {i:03d}{suffix}"  # a space, as real file names have
        Image.fromarray(rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return paths


def drop(area: DropArea, paths: list[Path]) -> None:
    """Drop ``paths`` on ``area``; it is highlighted while they hover and not after."""
    assert drag_enter(area, paths).isAccepted()
    assert area.is_highlighted()
    drop_files(area, paths)
    assert not area.is_highlighted()


def wait_idle(qtbot, tab: ClassifyTab) -> None:
    qtbot.waitUntil(lambda: not tab.is_busy(), timeout=30_000)


def state_with_a_model(folder: Path) -> AppState:
    """An app state on ``folder``/models with :func:`make_model` (seed 0) active."""
    state = AppState(folder / "models")
    state.set_model(make_model(0))
    return state


def shown_tab(qtbot, state: AppState, settings=None, size=(900, 700)) -> ClassifyTab:
    """A Classify tab on ``state``, shown at ``size`` (its caller shuts it down)."""
    tab = ClassifyTab(state, settings) if settings is not None else ClassifyTab(state)
    qtbot.addWidget(tab)
    tab.resize(*size)
    tab.show()
    return tab
