"""Issue 5, faults: files vanish or turn to garbage under a running app; a save is killed.

Each test injects one fault into a real window (or a real CLI process) and checks what the
user sees: the work in memory goes on, the message names the file, nothing crashes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from catgui import cli
from catgui.core import persistence, prediction
from catgui.ui import application
from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers
from tests.model_helpers import save_model
from tests.qt_helpers import drop_files

ROOT = Path(__file__).resolve().parents[1]


# -- helpers -------------------------------------------------------------------------------------
def write_pictures(folder: Path, count: int) -> list[Path]:
    rng = np.random.default_rng(7)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        path = folder / f"pic {i}.png"
        Image.fromarray(rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)).save(path)
        out.append(path)
    return out


def error_texts(window: MainWindow) -> list[str]:
    boxes = window.findChildren(QMessageBox, "errorDialog")
    return [f"{b.windowTitle()}: {b.text()}" for b in boxes if b.isVisible()]


def classify(qtbot, window: MainWindow, pictures: list[Path]) -> None:
    """Drop ``pictures`` on the window (as a file manager would) and wait for every row."""
    tab = window.classify_tab
    tab.clear()
    drop_files(tab.drop_area, pictures)
    qtbot.waitUntil(
        lambda: not tab.is_busy() and tab.results.rowCount() == len(pictures), timeout=30_000
    )


def probabilities(window: MainWindow) -> list[float | None]:
    from catgui.ui.classify.model import ErrorRole, ProbabilityRole

    model = window.classify_tab.results
    rows = [model.index(r) for r in range(model.rowCount())]
    assert all(i.data(ErrorRole) in (None, "") for i in rows), [i.data(ErrorRole) for i in rows]
    return [i.data(ProbabilityRole) for i in rows]


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """conftest's window (and its ``state``), shown: these faults hit a visible app."""
    window.show()
    return window


# -- a model file deleted or replaced while it is the active model --------------------------------
@pytest.mark.gui
def test_active_model_file_deleted_keeps_classifying_and_the_selector_says_so(
    qtbot, window, state, tmp_path
):
    folder = state.models_folder
    a = save_model(folder, "alpha", seed=1)
    b = save_model(folder, "beta", seed=2)
    state.notify_models_list_changed()
    assert window.open_model(str(a))
    pictures = write_pictures(tmp_path / "pics", 4)
    expected = [prediction.classify_file(state.model.classifier, p).probability for p in pictures]

    selector = window.model_selector
    with qtbot.waitSignal(selector.fileMissing, timeout=5000) as missing:
        a.unlink()  # the fault: the active model's file is gone; the models watcher notices
    message = missing.args[0]
    assert str(a) in message and "in memory" in message and "Save Model As" in message
    assert selector.currentText() == "alpha (file missing)"
    assert selector.itemData(selector.currentIndex(), 3) == message  # the tooltip says it
    assert [p.name for p in selector.paths()] == ["alpha.npz", "beta.npz"]
    assert error_texts(window) == [f"Model file missing: {message}"]  # told once, not more

    classify(qtbot, window, pictures)
    assert probabilities(window) == pytest.approx(expected)
    state.notify_models_list_changed()  # e.g. another model was saved
    assert state.model is not None and state.model.path == a
    assert len(error_texts(window)) == 1

    # saving it again brings the entry back to normal
    assert window.save_model_to(str(a))
    assert selector.currentText() == "alpha" and selector.missing_message() is None

    # switching away from a vanished model works and the vanished entry is not kept
    a.unlink()
    state.notify_models_list_changed()
    selector.activated.emit(selector.paths().index(b))
    assert state.model.path == b
    assert [p.name for p in selector.paths()] == ["beta.npz"]
    assert selector.missing_message() is None


@pytest.mark.gui
def test_choosing_a_model_whose_file_vanished_after_listing_is_a_clear_error(qtbot, window, state):
    folder = state.models_folder
    a = save_model(folder, "alpha", seed=1)
    b = save_model(folder, "beta", seed=2)
    assert window.open_model(str(b))
    selector = window.model_selector
    index = [p.name for p in selector.paths()].index("alpha.npz")
    a.unlink()
    with qtbot.waitSignal(selector.failed, timeout=5000) as failed:
        selector.activated.emit(index)
    assert str(a) in failed.args[0] and "not found" in failed.args[0]
    assert state.model.path == b and selector.currentText() == "beta"
    assert any("Model not opened" in t and "alpha.npz" in t for t in error_texts(window))
    assert [p.name for p in selector.paths()] == ["beta.npz"]


@pytest.mark.gui
def test_active_model_replaced_by_garbage_keeps_working_in_memory(qtbot, window, state, tmp_path):
    folder = state.models_folder
    a = save_model(folder, "alpha", seed=1)
    b = save_model(folder, "beta", seed=2)
    assert window.open_model(str(a))
    in_memory = state.model
    pictures = write_pictures(tmp_path / "pics", 3)
    expected = [prediction.classify_file(in_memory.classifier, p).probability for p in pictures]

    a.write_bytes(b"PK\x03\x04 this is not a model any more" * 10)
    state.notify_models_list_changed()
    classify(qtbot, window, pictures)
    assert probabilities(window) == pytest.approx(expected)
    assert state.model is in_memory and error_texts(window) == []

    selector = window.model_selector
    selector.activated.emit(selector.paths().index(b))
    assert state.model.path == b
    with qtbot.waitSignal(selector.failed, timeout=5000) as failed:
        selector.activated.emit(selector.paths().index(a))
    assert str(a) in failed.args[0] and "not a readable model file" in failed.args[0]
    assert state.model.path == b and selector.currentText() == "beta"
    # the results on screen were re-scored with beta (in steps from the event loop), not lost
    results = window.classify_tab.results
    qtbot.waitUntil(lambda: not results.is_rescoring(), timeout=5000)
    expected_b = [prediction.classify_file(state.model.classifier, p).probability for p in pictures]
    assert probabilities(window) == pytest.approx(expected_b)


# -- the data set folder moved or deleted while the app runs --------------------------------------
@pytest.mark.gui
@pytest.mark.parametrize("fault", ["moved", "deleted"])
def test_data_set_folder_gone_the_loaded_data_stays_usable(qtbot, window, state, fault):
    old = state.dataset.folder
    if fault == "moved":
        old.rename(old.with_name("moved-away"))
    else:
        shutil.rmtree(old)
    tab = window.train_tab
    tab.form.set_field("iterations", "30")
    with qtbot.waitSignal(tab.runningChanged, timeout=30_000, check_params_cb=lambda r: not r):
        tab.start()
    assert state.model is not None and len(state.model.metadata["costs"]) == 30
    assert state.model.path is not None and state.model.path.is_file()

    loaded = state.dataset
    message = tab.open_dataset(str(old))  # re-opening the vanished folder
    assert message is not None and str(old) in message and "not found" in message
    assert state.dataset is loaded  # the data in memory is kept
    assert "Data set not opened" in tab.summary.headline.text()
    assert str(old) in tab.summary.details.text()
    assert not running_workers()


def test_start_up_with_the_remembered_data_folder_deleted_is_not_fatal(
    tmp_path, tiny_data, monkeypatch
):
    remembered = tmp_path / "old-data"
    shutil.copytree(tiny_data, remembered)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("folders/data", str(remembered))
    shutil.rmtree(remembered)
    monkeypatch.setenv("CATGUI_DATA", str(tmp_path / "nowhere"))
    monkeypatch.chdir(tmp_path)
    state, problems = application.initial_state(settings)
    assert state.dataset is None
    assert state.try_open_dataset(str(remembered)) is not None
    assert "not found" in state.try_open_dataset(str(remembered))


# -- the process killed while the CLI saves (train --out) -----------------------------------------
_KILLED_CLI = r"""
import os, sys, time
import numpy as np
from catgui import cli
from catgui.core import persistence

point = sys.argv[1]

def pause(*_args, **_kwargs):
    print("KILL-ME", flush=True)
    time.sleep(120)

if point == "write":  # the temporary file is half written
    real_savez = np.savez
    def savez(f, **arrays):
        real_savez(f, **arrays)
        f.flush()
        pause()
    persistence.np.savez = savez
elif point == "replace":  # written and flushed, about to be renamed over the old model
    os.replace = pause
elif point == "link":  # written and flushed, about to be linked under a new name
    os.link = pause
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("point", ["write", "replace", "link"])
def test_cli_train_killed_while_saving_loses_nothing(tiny_data, tmp_path, point):
    out = tmp_path / "models" / "cat.npz"
    old = save_model(out.parent, "cat", seed=3) if point != "link" else None
    before = old.read_bytes() if old else None
    args = ["train", "--data", str(tiny_data), "--layers", "3", "--iterations", "20"]
    args += ["--out", str(out)] + (["--overwrite"] if point != "link" else [])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CLI, point, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = []
        for line in proc.stdout:  # training output first, then the pause inside save
            lines.append(line)
            if line.strip() == "KILL-ME":
                break
        assert lines and lines[-1].strip() == "KILL-ME", "".join(lines) + proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    if before is None:
        assert not out.exists()
        assert persistence.list_models(out.parent) == []
    else:
        assert out.read_bytes() == before
        assert persistence.load(out).classifier.network.sizes == (12288, 3, 1)
        assert persistence.list_models(out.parent) == [out]
    leftovers = [p for p in out.parent.iterdir() if p != out]
    assert all(p.name.startswith(".") and p.name.endswith(".partial") for p in leftovers)
    # a leftover temporary file does not get in the way of the next save
    assert cli.main(args) == 0
    model = persistence.load(out)
    assert len(model.metadata["costs"]) == 20
    assert persistence.list_models(out.parent) == [out]
