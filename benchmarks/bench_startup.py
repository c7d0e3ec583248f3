"""Figure 5: launch to first painted window, and ``catgui --help``.

Each run starts a fresh interpreter that does what ``python main.py`` does (``catgui.cli``
with no arguments opens the window: the default model and the data set are opened as
for a user), with one addition: an event filter notes the wall-clock time of the first
paint event of the main window and quits. The figure is that time minus the time just
before the process was started. User folders point at a temporary directory; Qt runs
offscreen unless ``QT_QPA_PLATFORM`` says otherwise. For context, the start-up of a bare
``python -c pass`` is measured too, and the CPU time the process had used at the first
paint (``time.process_time``): on a shared, loaded machine the wall time waits for a core,
the CPU time much less so. ``catgui --help`` (``python main.py --help``) is timed as a
whole process. The launches use Python's bytecode cache, as an installed catgui does
(``PYTHONDONTWRITEBYTECODE`` is dropped from their environment: with it and no cache,
every launch compiles catgui's ~110 modules again, about 0.15 s of CPU).

Run: ``python benchmarks/bench_startup.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, emit, machine, median, seconds, skip, table
from _gui import gui_missing

CHILD = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if (
            "painted" not in seen
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and obj.window().objectName() == "mainWindow"
        ):
            seen["painted"] = time.time()
            seen["cpu"] = time.process_time()  # CPU the process used to get there
            seen["title"] = obj.window().windowTitle()
            QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaint()
app.installEventFilter(spy)
QTimer.singleShot(20000, app.quit)  # never hang
from catgui.cli import main
main([])
print(json.dumps(seen))
"""


def launch(env: dict, attempts: int = 2) -> dict:
    """Start the app once; ``{"seconds": launch to first paint, "title": ...}``."""
    problem = "no paint event"
    for _ in range(attempts):  # a loaded machine can lose one; a second failure counts
        start = time.time()
        done = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True
        )
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        seen = json.loads(lines[-1]) if lines else {}
        if "painted" in seen:
            return {
                "seconds": seen["painted"] - start,
                "cpu_seconds": seen["cpu"],
                "title": seen.get("title"),
            }
        noise = "propagateSizeHints"
        errors = [ln for ln in done.stderr.strip().splitlines() if noise not in ln]
        problem = f"exit status {done.returncode}" + (f": {errors[-1]}" if errors else "")
    raise RuntimeError(f"the window was not painted ({problem})")


def bare_python(env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - start


def command_help(env: dict) -> float:
    """Wall time of ``python main.py --help`` (the CLI's start: no NumPy, no Qt)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    reason = gui_missing()
    if reason:
        skip(5, "startup", reason)
        return 0
    home = Path(tempfile.mkdtemp(prefix="catgui-bench-home-"))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "CATGUI_HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    # as an installed catgui (pip compiles it) and every start after the first: the
    # launches read catgui's bytecode, which the first launch writes if it is missing
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        first = launch(env)  # cold-ish: file caches may be cold
        launched = [launch(env) for _ in range(args.runs)]
        runs = [one["seconds"] for one in launched]
        cpu = [one["cpu_seconds"] for one in launched]
    except RuntimeError as exc:
        skip(5, "startup", str(exc))
        return 0
    python_alone = median([bare_python(env) for _ in range(3)])
    help_alone = median([command_help(env) for _ in range(max(3, args.runs))])
    record = {
        "figure": 5,
        "name": "startup",
        "seconds_median": median(runs),
        "seconds_all": runs,
        "seconds_first_launch": first["seconds"],
        "cpu_seconds_median": median(cpu),
        "cpu_seconds_all": cpu,
        "bare_python_seconds": python_alone,
        "help_seconds": help_alone,
        "platform": env["QT_QPA_PLATFORM"],
        "window_title": first["title"],
        "machine": machine(),
    }
    print(
        table(
            ["measure", "time"],
            [
                ["launch -> first painted window (median)", seconds(record["seconds_median"])],
                ["  first launch of this run", seconds(first["seconds"])],
                ["  CPU time to the first paint (median)", seconds(record["cpu_seconds_median"])],
                ["catgui --help (median)", seconds(help_alone)],
                ["  python -c pass, for context", seconds(python_alone)],
            ],
        )
    )
    emit(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
