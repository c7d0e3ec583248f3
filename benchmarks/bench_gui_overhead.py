"""Figure 2: training inside the window (live plot, progress bar) against headless.

The window is catgui's real main window (offscreen); a run is started the way the Train
button does (``TrainTab.start``) with the form's settings (the article's recipe) and
followed to the end. Headless is the same ``Trainer`` on the same data in the same
process. Runs alternate (headless, window, headless, ...); medians are compared.

Two overheads are printed:

* ``loop``: the training loop only, as the worker times it (``TrainOutcome.seconds``)
  against the same loop headless. The plot and the progress bar are drawn in the GUI
  thread meanwhile, so this is what the live view costs the training.
* ``end to end``: from pressing Train until the window shows the new model (features,
  thread start, training, evaluation, saving, every tab refreshed) against headless
  features + training + evaluation (``runs.build_model``).

Run: ``python benchmarks/bench_gui_overhead.py [--runs 9]``
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import data_folder, emit, machine, median, seconds, skip, table
from _gui import gui_missing, isolate_user_folders, main_window, wait_until


def gui_run(window) -> tuple[float, float, int]:
    """Press Train, wait for the end; ``(wall seconds, loop seconds, progress signals)``."""
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    got: dict = {"signals": 0}
    start = time.perf_counter()
    tab.start()
    worker = tab.worker
    if worker is None:
        raise RuntimeError("the Train tab did not start a run")
    worker.succeeded.connect(lambda outcome: got.setdefault("outcome", outcome))
    worker.progressed.connect(lambda *_: got.__setitem__("signals", got["signals"] + 1))
    if not wait_until(lambda: not tab.is_running(), timeout=900, wake=tab.runningChanged):
        raise RuntimeError("the run did not end within 15 minutes")
    wall = time.perf_counter() - start
    if "outcome" not in got:
        raise RuntimeError("the run ended without a result")
    return wall, got["outcome"].seconds, got["signals"]


def headless_run(data, config) -> tuple[float, float]:
    """``(end-to-end seconds, loop seconds)`` of the same work without a window."""
    from catgui.core import runs

    start = time.perf_counter()
    trainer = runs.make_trainer(data.train, config)
    loop_start = time.perf_counter()
    for _ in trainer.steps():
        pass
    loop = time.perf_counter() - loop_start
    runs.build_model(trainer, data, loop)
    return time.perf_counter() - start, loop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    reason = gui_missing()
    folder = data_folder()
    if reason is None and folder is None:
        reason = "the cat/non-cat data set is not at $CATGUI_DATA or ../shared/datasets"
    if reason:
        skip(2, "gui_training_overhead", reason)
        return 0
    home = isolate_user_folders()
    window = main_window(folder, home)
    data = window.state.dataset
    config = window.train_tab.form.config()
    headless_run(data, config)  # warm up both
    gui_run(window)
    gui_wall, gui_loop, head_wall, head_loop, signals = [], [], [], [], []
    for _ in range(args.runs):
        wall, loop = headless_run(data, config)
        head_wall.append(wall)
        head_loop.append(loop)
        wall, loop, count = gui_run(window)
        gui_wall.append(wall)
        gui_loop.append(loop)
        signals.append(count)
    window.close()
    record = {
        "figure": 2,
        "name": "gui_training_overhead",
        "recipe": config.as_dict(),
        "headless_loop_seconds_median": median(head_loop),
        "gui_loop_seconds_median": median(gui_loop),
        "loop_overhead": median(gui_loop) / median(head_loop) - 1,
        "headless_end_to_end_seconds_median": median(head_wall),
        "gui_end_to_end_seconds_median": median(gui_wall),
        "end_to_end_overhead": median(gui_wall) / median(head_wall) - 1,
        "progress_signals_per_run": median(signals),
        "runs": args.runs,
        "machine": machine(),
    }
    print(
        table(
            ["measure", "headless", "in the window", "overhead"],
            [
                [
                    "training loop",
                    seconds(record["headless_loop_seconds_median"]),
                    seconds(record["gui_loop_seconds_median"]),
                    f"{record['loop_overhead'] * 100:+.1f} %",
                ],
                [
                    "Train pressed -> model shown",
                    seconds(record["headless_end_to_end_seconds_median"]),
                    seconds(record["gui_end_to_end_seconds_median"]),
                    f"{record['end_to_end_overhead'] * 100:+.1f} %",
                ],
            ],
        )
    )
    emit(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
