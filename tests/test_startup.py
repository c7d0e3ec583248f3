"""A fast start (issue 20, item 9): the first paint imports and does only what it shows.

What is measured lives in ``benchmarks/bench_startup.py`` (no timing here); these tests
check, in a fresh interpreter each, what start-up has imported and done at the first
paint, and that what was deferred comes right after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.data_helpers import ROOT

pytestmark = pytest.mark.gui

#: Like ``python main.py``, with a look at the modules at the first paint and once the
#: window says its start-up is over (then it quits).
_SCRIPT = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

WATCHED = ("matplotlib", "h5py", "onnx", "catgui.ui.train.tab", "catgui.ui.mistakes.tab",
           "catgui.ui.train.cost_plot")
app = QApplication(sys.argv[:1])
seen = {}

def modules():
    return sorted(m for m in WATCHED if m in sys.modules)

def window():
    return next(w for w in app.topLevelWidgets() if w.objectName() == "mainWindow")

def over():
    win = window()
    if win.statusBar().data_label.text().endswith("opening…"):  # read in a thread
        QTimer.singleShot(20, over)
        return
    seen["after"] = {
        "modules": modules(),
        "data": win.statusBar().data_label.text(),
        "train_built": win.pages.is_built("train"),
        "plot_built": win.pages.is_built("train") and win.train_tab.plot_slot.is_built(),
        "mistakes_built": win.pages.is_built("mistakes"),
        "tab": win.tabs.currentWidget().objectName(),
    }
    win.close()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if (
            "paint" not in seen
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and obj.window().objectName() == "mainWindow"
        ):
            win = obj.window()
            seen["paint"] = {
                "modules": modules(),
                "data": win.statusBar().data_label.text(),
                "tab": win.tabs.currentWidget().objectName(),
                "built": [n for n in win.pages.names if win.pages.is_built(n)],
            }
            win.startedUp.connect(over)
        return False

spy = FirstPaint()
app.installEventFilter(spy)
QTimer.singleShot(60000, app.quit)  # never hang
from catgui.cli import main
status = main([])
print(json.dumps(seen))
sys.exit(status)
"""


def test_the_first_paint_comes_before_the_heavy_modules_and_the_data(tmp_path, tiny_data):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        CATGUI_DATA=str(tiny_data),
        CATGUI_HOME=str(tmp_path / "home"),
        CATGUI_MODELS=str(tmp_path / "home" / "models"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    paint, after = seen["paint"], seen["after"]
    # a first start paints Classify, built alone, before matplotlib, h5py and the other tabs
    assert paint["tab"] == "classifyTab" and paint["built"] == ["classify"]
    assert paint["modules"] == []
    assert paint["data"] == "Data set: opening…"
    # right after: the data set, the Train tab and its plot; the Mistakes tab waits
    assert after["data"].startswith("Data set: the article's (12 train / 6 test)")
    assert after["train_built"] and after["plot_built"] and not after["mistakes_built"]
    assert {"matplotlib", "h5py", "catgui.ui.train.tab"} <= set(after["modules"])
    assert "onnx" not in after["modules"]
    assert after["tab"] == "classifyTab"
    # the one log says when the app started
    log = (tmp_path / "home" / "logs" / "catgui.log").read_text(encoding="utf-8")
    assert "INFO catgui.ui.application [MainThread]: catgui " in log and " started: " in log


def test_the_data_set_read_after_the_paint_falls_back_to_the_folder_located_last(
    tmp_path, tiny_data, monkeypatch
):
    from catgui.core.steps import run_to_end
    from catgui.ui.application import data_steps

    monkeypatch.delenv("CATGUI_DATA", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./datasets here
    assert run_to_end(data_steps("")) is None
    assert run_to_end(data_steps(str(tmp_path / "gone"))) is None
    data = run_to_end(data_steps(str(tiny_data)))
    assert data is not None and data.folder == tiny_data and len(data.test) == 6
    monkeypatch.setenv("CATGUI_DATA", str(tiny_data))  # where it is found first
    assert run_to_end(data_steps(str(tmp_path / "gone"))).folder == tiny_data
