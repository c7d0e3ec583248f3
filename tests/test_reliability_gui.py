"""Issue 5, faults in the window: closing it while threads work; a whole session offline.

Closing must interrupt and wait for every thread: no worker left running and no
"QThread: Destroyed while thread is still running" (which Qt treats as fatal). The same
is checked in a separate process that really exits, where a fatal message would show as
a non-zero exit status.
"""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from catgui.core import network, paths, persistence
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui import application
from catgui.ui.app_state import AppState
from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]
PICTURES = 600


@pytest.fixture(scope="module")
def picture_folder(tmp_path_factory) -> Path:
    """600 small PNGs: enough that a batch is still running when the window closes."""
    folder = tmp_path_factory.mktemp("many-pictures")
    rng = np.random.default_rng(3)
    for i in range(PICTURES):
        pixels = rng.integers(0, 256, (48, 40, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"p{i:04d}.png", compress_level=1)
    return folder


def random_model(seed: int = 0) -> persistence.Model:
    net = network.initialize((12288, 4, 1), seed=seed)
    return persistence.Model(NetworkClassifier(net), metadata={"name": "random", "kind": "dnn"})


@pytest.fixture
def window(qtbot, tiny_data, tmp_path) -> MainWindow:
    state = AppState(paths.models_dir())
    state.open_dataset(tiny_data)
    state.set_model(random_model())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(state, settings=settings)
    win.show()
    yield win
    if shiboken6.isValid(win):  # the tests delete it themselves
        win.close()
        win.deleteLater()


def start_training(qtbot, win: MainWindow) -> None:
    tab = win.train_tab
    tab.form.set_field("iterations", "1000000")  # far longer than the test
    tab.start()
    assert tab.worker is not None
    qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=10_000)


def start_classifying(qtbot, win: MainWindow, folder: Path) -> None:
    tab = win.classify_tab
    win.add_paths([str(folder)])
    qtbot.waitUntil(lambda: tab.queue.progress[0] > 0, timeout=10_000)


@pytest.mark.parametrize("busy", ["training", "classifying", "both"])
@pytest.mark.parametrize("how", ["close", "quit-action"])
def test_closing_the_window_while_threads_work_leaves_none_running(
    qtbot, qtlog, window, picture_folder, busy, how
):
    if busy in ("training", "both"):
        start_training(qtbot, window)
    if busy in ("classifying", "both"):
        start_classifying(qtbot, window, picture_folder)
    workers = running_workers()
    assert len(workers) == (2 if busy == "both" else 1)
    assert window.classify_tab.is_busy() == (busy != "training")  # the batch is mid-way

    if how == "close":
        assert window.close()
    else:
        window.quit_action.trigger()
    assert not window.isVisible()
    assert running_workers() == []
    assert all(w.isFinished() for w in workers)

    # destroying the window and its threads now must not complain
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5000)
    del workers
    gc.collect()
    QApplication.processEvents()
    complaints = [r.message for r in qtlog.records if "QThread" in r.message]
    assert complaints == []


_CLOSE_SCRIPT = r"""
import gc, sys
from PySide6.QtCore import QSettings, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

def handler(mode, context, message):
    print("QT:", message, flush=True)

qInstallMessageHandler(handler)
app = QApplication(sys.argv[:1])
from catgui.core import network, paths, persistence
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.ui.app_state import AppState
from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers

state = AppState(paths.models_dir())
state.open_dataset(sys.argv[1])
state.set_model(persistence.Model(NetworkClassifier(network.initialize((12288, 4, 1), seed=0))))
win = MainWindow(state, QSettings(sys.argv[3], QSettings.Format.IniFormat))
win.show()
win.train_tab.form.set_field("iterations", "1000000")
win.train_tab.start()
win.add_paths([sys.argv[2]])
tries = [0]

def close_when_busy():
    tries[0] += 1
    busy = win.train_tab.progress.value() > 0 and win.classify_tab.queue.progress[0] > 0
    if not busy and tries[0] < 1000:
        QTimer.singleShot(10, close_when_busy)
        return
    print("BUSY", win.train_tab.is_running(), win.classify_tab.is_busy(), flush=True)
    win.close()
    print("LEFT", len(running_workers()), flush=True)
    win.deleteLater()
    QTimer.singleShot(0, app.quit)

QTimer.singleShot(0, close_when_busy)
status = app.exec()
del win, state
gc.collect()
print("EXIT", status, flush=True)
"""


def test_a_real_process_closed_mid_work_exits_cleanly(tiny_data, picture_folder, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", _CLOSE_SCRIPT, str(tiny_data), str(picture_folder)]
        + [str(tmp_path / "settings.ini")],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen"),
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "BUSY True True" in proc.stdout, output  # training and a batch were both running
    assert "LEFT 0" in proc.stdout and "EXIT 0" in proc.stdout, output
    assert "QThread" not in output and "Traceback" not in output, output


# -- no network request unless the user asks for the download -------------------------------------
@pytest.fixture
def no_network(monkeypatch) -> list[str]:
    """Every attempt to resolve a name or connect a socket is recorded and refused."""
    attempts: list[str] = []

    def refuse(what: str):
        def trap(*args, **_kwargs):
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"network use is not allowed in this test: {what}")

        return trap

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    # the trap works: a connection attempt is recorded
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 9), timeout=0.1)
    assert attempts
    attempts.clear()
    return attempts


def test_a_whole_session_makes_no_network_request(
    qtbot, no_network, tmp_path, real_data, monkeypatch
):
    monkeypatch.setenv("CATGUI_DATA", str(real_data))  # where the app looks first
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    state, problems = application.initial_state(settings)  # default model, data set found
    assert problems == [] and state.model is not None and state.dataset is not None
    win = MainWindow(state, settings=settings)
    qtbot.addWidget(win)
    win.show()
    folder = tmp_path / "pics"
    folder.mkdir()
    for i in range(5):
        Image.new("RGB", (30 + i, 40), (40 * i, 90, 200)).save(folder / f"{i}.jpg")
    win.add_paths([str(folder)])
    tab = win.classify_tab
    qtbot.waitUntil(lambda: not tab.is_busy() and tab.results.rowCount() == 5, timeout=30_000)
    train = win.train_tab
    # the form shows the active model's recipe (the pretrained one): train the article's
    train.form.kind.setCurrentIndex(train.form.kind.findData("dnn"))
    train.form.set_field("iterations", "15")
    with qtbot.waitSignal(train.runningChanged, timeout=60_000, check_params_cb=lambda r: not r):
        train.start()
    assert len(train.pending.model.metadata["costs"]) == 15
    qtbot.mouseClick(train.summary.save_button, Qt.MouseButton.LeftButton)  # Save and use
    assert state.model is train.keeper.own_model
    win.tabs.setCurrentWidget(win.mistakes_tab)
    qtbot.waitUntil(lambda: not running_workers(), timeout=30_000)
    win.model_selector.refresh()
    win.show_about().close()
    win.close()
    assert no_network == []
