"""Retrain from the library (issue 18): corrections to a new model and a re-ranked library.

Scans ``--photos`` real photos of the shared data set into a fresh index, copies its rows
under new hashes until it holds ``--rows`` files (as ``bench_library.py`` grows it),
labels 12 photos as the label-next strip would (corrections), then times
:func:`catgui.core.library.retrain.retrain_steps` end to end, by stage: importing the
article's pictures and the corrections, fitting the pretrained head (cross-validation),
re-scoring the index from its stored features and counting what changed. The window
runs the same generator in its worker.

Run: ``CATGUI_HOME=$(mktemp -d) python benchmarks/bench_retrain.py [--photos 40] [--rows 20000]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import data_folder, emit, table  # noqa: E402
from _library_index import MODEL, grow  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument(
        "--window", action="store_true", help="also time Retrain in a shown label-next strip"
    )
    args = parser.parse_args(argv)
    data = data_folder()
    if data is None or not (data / "photos").is_dir():
        emit({"figure": 11, "name": "library_retrain", "skipped": "the shared photos are missing"})
        return 0
    with tempfile.TemporaryDirectory(prefix="catgui-retrain-") as top:
        return run(args, Path(top), data)


def run(args, top: Path, data: Path) -> int:
    os.environ.setdefault("CATGUI_HOME", str(top / "home"))
    from catgui.core.corrections import Corrections
    from catgui.core.library import label_next
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer
    from catgui.core.library.retrain import retrain_steps
    from catgui.core.library.scan import scan_steps
    from catgui.core.sources import DataRecipe
    from catgui.core.steps import run_to_end

    photos = top / "photos"
    photos.mkdir()
    half = args.photos // 2
    for name in ("cat", "dog"):
        for i in range(1, half + 1):
            (photos / f"{name}.{i}.jpg").symlink_to(data / "photos" / name / f"{name}.{i}.jpg")
    scorer = Scorer.of_file(MODEL)
    index_path = top / "library.sqlite"
    with Index(index_path, writable=True) as index:
        run_to_end(scan_steps(index, [str(photos)], scorer))
    grow(index_path, args.rows)
    with Index(index_path) as index:
        chosen = label_next.least_sure(index, scorer.sha256, 10 * args.rows)
    real = [c for c in chosen if Path(c.path).parent == photos.resolve()][:12]
    store = Corrections(top / "corrections")
    for c in real:
        store.add(c.path, Path(c.path).name.startswith("cat."))
    recipe = DataRecipe(article_folder=data, corrections_folder=top / "corrections")
    # the first retrain reads the article's pictures through the backbone (cached after);
    # the second is what a user meets every time after that
    cold, _stages, _done = timed_retrain(
        lambda: retrain_steps(index_path, scorer, top / "models", recipe)
    )
    total, stages, done = timed_retrain(
        lambda: retrain_steps(index_path, scorer, top / "models", recipe)
    )
    window = in_window(index_path, recipe, top) if args.window else None
    load = os.getloadavg()[0]
    print(
        table(
            ["what", "measured"],
            [
                ["library rows", f"{args.rows:,}"],
                ["corrections", str(done.corrections)],
                ["first retrain (pictures through the backbone)", f"{cold:.2f} s"],
                ["next retrains, by stage:", ""],
                *[[f"  {name}", f"{seconds:.2f} s"] for name, seconds in stages.items()],
                ["retrain + re-score, total", f"{total:.2f} s (target <= 2 s in the window)"],
                ["what changed", done.sentence()],
                *(
                    [
                        [
                            "in the label-next strip: click to new model active",
                            f"{window['seconds']:.2f} s",
                        ],
                        [
                            "  worst / p99 stall of the event loop",
                            f"{window['worst_stall_seconds'] * 1000:.0f} / {window['p99_stall_seconds'] * 1000:.0f} ms",
                        ],
                    ]
                    if window
                    else []
                ),
                ["load average (1 min)", f"{load:.1f}"],
            ],
        )
    )
    emit(
        {
            "figure": 11,
            "name": "library_retrain",
            "rows": args.rows,
            "seconds": round(total, 3),
            "first_seconds": round(cold, 3),
            "stages": {k: round(v, 3) for k, v in stages.items()},
            "changed": done.changed,
            "load": load,
        }
    )
    if window:
        emit({"figure": 11, "name": "library_retrain_window", "rows": args.rows, **window})
    return 0


def in_window(index_path: Path, recipe, top: Path) -> dict:
    """*Retrain* clicked in a shown label-next strip: seconds until the new model is active,
    and the event loop's stalls meanwhile (``_gui.StallProbe``)."""
    from _gui import StallProbe, application, wait_until

    from catgui.ui.app_state import AppState
    from catgui.ui.library.label_next_strip import LabelNextStrip

    application()
    state = AppState(top / "models")
    state.open_model(MODEL)
    strip = LabelNextStrip(state, index_path, recipe)
    strip.resize(1100, 260)
    strip.show()
    wait_until(lambda: strip.tiles and strip.loader is None, 60, strip.loaded)
    probe = StallProbe()
    done: list = []
    strip.retrained.connect(done.append)
    probe.start()
    start = time.perf_counter()
    strip.retrain()
    wait_until(lambda: bool(done), 300, strip.retrained)
    seconds = time.perf_counter() - start
    wait_until(lambda: strip.trainer is None and strip.loader is None, 60)
    stalls = probe.stop()
    strip.shutdown()
    strip.close()
    return {"seconds": round(seconds, 3), **stalls}


def timed_retrain(make_steps) -> tuple[float, dict[str, float], object]:
    """Seconds in all, seconds by stage, and the result of one retrain."""
    from catgui.core.steps import run_to_end

    stages: dict[str, float] = {}
    last: list = [time.perf_counter(), None]

    def clock(step) -> None:
        now = time.perf_counter()
        if last[1] is not None:
            stages[last[1]] = stages.get(last[1], 0.0) + now - last[0]
        last[0], last[1] = now, step.stage

    start = time.perf_counter()
    done = run_to_end(make_steps(), clock)
    end = time.perf_counter()
    if last[1] is not None:
        stages[last[1]] = stages.get(last[1], 0.0) + end - last[0]
    return end - start, stages, done


if __name__ == "__main__":
    sys.exit(main())
