"""Issue 5, load: 1,000 pictures in one drop, 50 Start/Stop cycles, 500 saved models.

No timing assertions: "responsive" means the event loop keeps turning during the work (a
timer's counter advances while the batch runs), "bounded memory" is a generous ceiling on
the growth of the resident set, and "fast" for the selector means it opens no model file
to list them.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from catgui.core import network, paths, persistence
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui.app_state import AppState
from catgui.ui.classify.model import ERROR, ErrorRole, LabelRole, PathRole
from catgui.ui.classify.tab import ClassifyTab
from catgui.ui.main_window import MainWindow
from catgui.ui.model_selector import ModelSelector
from catgui.workers import base
from catgui.workers.base import running_workers
from catgui.workers.train import TrainOutcome
from tests.classify_helpers import shown_tab
from tests.qt_helpers import drop_files

pytestmark = [pytest.mark.gui, pytest.mark.slow]
MB = 1024 * 1024
DROP = 1000


def rss_bytes() -> int:
    """The resident set size of this process now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture(scope="module")
def thousand_pictures(tmp_path_factory) -> list[Path]:
    """1,000 tiny PNGs of varied sizes, written once for the module."""
    folder = tmp_path_factory.mktemp("thousand")
    rng = np.random.default_rng(11)
    out = []
    for i in range(DROP):
        h, w = int(rng.integers(16, 48)), int(rng.integers(16, 48))
        path = folder / f"photo {i:04d}.png"
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(
            path, compress_level=1
        )
        out.append(path)
    return out


class Watch:
    """A 5 ms timer in the GUI thread: counts its ticks while ``tab`` is busy, samples RSS."""

    def __init__(self, tab: ClassifyTab) -> None:
        self.tab = tab
        self.ticks_while_busy = 0
        self.peak = rss_bytes()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        if self.tab.is_busy():
            self.ticks_while_busy += 1
        self.peak = max(self.peak, rss_bytes())

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def tab(qtbot, tmp_path) -> ClassifyTab:
    state = AppState(tmp_path / "models")
    net = network.initialize((12288, 7, 1), seed=0)
    state.set_model(persistence.Model(NetworkClassifier(net), metadata={"name": "load test"}))
    widget = shown_tab(qtbot, state)
    yield widget
    widget.shutdown()


def row_values(tab: ClassifyTab) -> tuple[list, list]:
    model = tab.results
    rows = [model.index(r) for r in range(model.rowCount())]
    return [i.data(LabelRole) for i in rows], [i.data(ErrorRole) for i in rows]


def test_a_drop_of_1000_pictures_is_all_classified_with_progress_in_bounded_memory(
    qtbot, tab, thousand_pictures
):
    progress_values: list[int] = []
    statuses: list[str] = []
    tab.status_row.progress.valueChanged.connect(progress_values.append)
    tab.queue.progressed.connect(lambda *_a: statuses.append(tab.status_row.status.text()))
    gc.collect()
    before = rss_bytes()
    watch = Watch(tab)
    drop_files(tab.drop_area, thousand_pictures)
    assert tab.is_busy()
    qtbot.waitUntil(lambda: not tab.is_busy(), timeout=120_000)
    watch.stop()
    after = rss_bytes()

    labels, errors = row_values(tab)
    assert len(labels) == DROP
    assert all(e in (None, "") for e in errors)
    assert ERROR not in labels and None not in labels
    assert tab.status_row.progress.maximum() == DROP and max(progress_values) == DROP
    assert len({v for v in progress_values if 0 < v < DROP}) >= 2  # shown on the way
    assert any(s.startswith("Classifying ") and "of 1,000" in s for s in statuses)
    assert watch.ticks_while_busy >= 3  # the event loop kept turning during the batch
    growth = max(after, watch.peak) - before
    print(f"\n1,000-picture drop: RSS growth {growth / MB:.1f} MB, ticks {watch.ticks_while_busy}")
    assert growth < 300 * MB


def test_a_second_drop_during_the_first_is_queued_and_classified(
    qtbot, tab, thousand_pictures, tmp_path
):
    extra = []
    for i in range(50):
        path = tmp_path / "second" / f"late {i}.png"
        path.parent.mkdir(exist_ok=True)
        Image.new("RGB", (20 + i, 30), (i * 5, 100, 150)).save(path)
        extra.append(path)
    drop_files(tab.drop_area, thousand_pictures)
    assert tab.is_busy()
    drop_files(tab.drop_area, extra)
    assert tab.queue.waiting() == 1 and tab.is_busy()  # queued, not lost, not run in parallel
    assert len(running_workers()) == 1
    qtbot.waitUntil(lambda: "1 more drop waiting" in tab.status_row.status.text(), timeout=30_000)
    qtbot.waitUntil(lambda: not tab.is_busy(), timeout=120_000)
    labels, errors = row_values(tab)
    assert len(labels) == DROP + 50 and all(e in (None, "") for e in errors)
    paths = [Path(tab.results.index(r).data(PathRole)) for r in range(tab.results.rowCount())]
    assert sorted(paths[:DROP]) == sorted(thousand_pictures)
    assert sorted(paths[-50:]) == sorted(extra)
    assert tab.queue.waiting() == 0


# -- Start / Stop 50 times through the real Train tab ---------------------------------------------
@pytest.fixture
def window(qtbot, tiny_data, tmp_path) -> MainWindow:
    state = AppState(paths.models_dir())
    state.open_dataset(tiny_data)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def live(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


def test_start_stop_50_times_leaks_no_thread_and_no_memory(qtbot, window):
    tab = window.train_tab
    tab.form.set_field("iterations", "100000")
    rss = []
    for cycle in range(50):
        assert tab.buttons.train_button.isEnabled()
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
        assert tab.is_running() and tab.buttons.stop_button.isEnabled()
        if cycle % 2 == 0:  # half the time stop mid-run, half the time at once
            qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=10_000)
        with qtbot.waitSignal(tab.runningChanged, timeout=30_000, check_params_cb=lambda r: not r):
            qtbot.mouseClick(tab.buttons.stop_button, Qt.MouseButton.LeftButton)
        assert not tab.is_running()
        assert running_workers() == []
        if cycle in (9, 49):
            gc.collect()
            rss.append(rss_bytes())
    QApplication.processEvents()
    assert running_workers() == []
    assert len([w for w in list(base._live)]) <= 2  # finished workers are freed
    assert live(TrainOutcome) <= 2  # only the pending run is kept, not 50 of them
    growth = rss[1] - rss[0]
    print(f"\nRSS growth over 40 start/stop cycles: {growth / MB:.1f} MB")
    assert growth < 100 * MB
    assert persistence.list_models(window.state.models_folder) == []  # nothing saved unasked


# -- a models folder with 500 models -------------------------------------------------------------
def test_500_models_are_listed_without_opening_them_and_switching_works(
    qtbot, tmp_path, monkeypatch
):
    folder = tmp_path / "models"
    net = network.initialize((12288, 1), seed=5)
    first = persistence.save(
        persistence.Model(NetworkClassifier(net), metadata={}), folder / "m000.npz"
    )
    for i in range(1, 500):
        shutil.copyfile(first, folder / f"m{i:03d}.npz")
    for i in range(500):
        os.utime(folder / f"m{i:03d}.npz", (1_000_000 + i, 1_000_000 + i))  # m499 newest
    state = AppState(folder)
    loads: list[Path] = []
    real_load = persistence.load

    def counting_load(path, *args, **kwargs):
        loads.append(Path(path))
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(persistence, "load", counting_load)
    selector = ModelSelector(state)
    qtbot.addWidget(selector)
    selector.show()
    assert selector.count() == 500 and selector.isEnabled()
    assert selector.paths() == persistence.list_models(folder)
    assert selector.itemText(0) == "m499" and selector.itemText(499) == "m000"
    state.notify_models_list_changed()
    assert loads == []  # listing never opens a model file

    for index in (250, 0, 499):
        selector.activated.emit(index)
        assert state.model is not None and state.model.path == selector.paths()[index]
        assert selector.currentIndex() == index
    assert len(loads) == 3
    selector.setFocus()
    qtbot.keyClick(selector, Qt.Key.Key_Up)  # the keyboard path: previous entry
    assert state.model.path.name == "m001.npz" and len(loads) == 4
    assert selector.count() == 500
