"""A friendly first start on Linux: no display or missing X11 libraries give one readable
message with what to do and exit status 1, never Qt's own abort."""

from __future__ import annotations

import os
import subprocess
import sys

from catgui import app
from tests.data_helpers import ROOT


def test_a_missing_library_is_named_with_the_line_that_installs_it():
    problem = app.desktop_problem(
        {"DISPLAY": ":0"}, "linux", loads=lambda soname: soname != "libxcb-cursor.so.0"
    )
    assert "libxcb-cursor.so.0" in problem
    assert "sudo apt-get install libxcb-cursor0" in problem
    assert "sudo dnf install xcb-util-cursor" in problem


def test_several_missing_libraries_make_one_line_each_way():
    missing = {"libxkbcommon-x11.so.0", "libxcb-icccm.so.4"}
    problem = app.desktop_problem({"DISPLAY": ":0"}, "linux", loads=lambda s: s not in missing)
    assert "apt-get install libxcb-icccm4 libxkbcommon-x11-0" in problem
    assert "dnf install libxkbcommon-x11 xcb-util-wm" in problem


def test_no_display_suggests_xvfb_and_offscreen():
    problem = app.desktop_problem({}, "linux", loads=lambda s: True)
    assert "no display" in problem and "xvfb-run" in problem
    assert "QT_QPA_PLATFORM=offscreen" in problem


def test_nothing_is_said_when_the_window_can_open_or_qt_uses_no_x11():
    assert app.desktop_problem({"DISPLAY": ":0"}, "linux", loads=lambda s: True) is None
    assert app.desktop_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", lambda s: True) is None
    assert app.desktop_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", lambda s: False) is None
    assert app.desktop_problem({}, "darwin", loads=lambda s: False) is None


def test_the_command_without_a_display_exits_1_with_the_message(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["CATGUI_HOME"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    if sys.platform.startswith("linux"):
        assert proc.returncode == 1, proc.stderr[-2000:]
        assert "no display" in proc.stderr and "xvfb-run" in proc.stderr
        assert "Traceback" not in proc.stderr and "Aborted" not in proc.stderr
