"""Figure 3: does the window stay responsive while it trains and while it classifies?

A 5 ms ``QTimer`` in the GUI thread of catgui's real main window (offscreen) records
how late each tick arrives: that delay is a stall, the time a click or a repaint would
have waited. Measured during

* a training run of the article's recipe started as the Train button does,
* a training run of the ``pretrained`` kind on the same pictures (the backbone reads the
  209 pictures in a worker, two threads, nothing cached yet),
* a 10-seed sweep of the article's recipe from the Train tab's Sweep… dialog, and
* the classification of 200 12-megapixel JPEGs dropped on the Classify tab (generated
  with Pillow into a temporary folder, as in ``bench_classify.py``), which also gives
  the time to classify them inside the window, with progress shown, and
* the Library tab on a synthetic library of 100,000 files (``_library_gui.py``): the time
  from selecting the tab to its grid showing them (and to the visible thumbnails), then
  the stalls while it is scrolled (a page a frame; a fast mouse wheel) and while it is
  filtered, re-ordered and searched, and
* the map of 20,000 pictures (``catgui.ui.library.map_view``): from their features
  (synthetic, 1,280 each) to the map drawn: the PCA, the points set and a full render
  (``bench_map.py`` sets it against pyqtgraph).

Printed: worst stall and 99th percentile per activity.

Run: ``python benchmarks/bench_responsiveness.py [--photos 200] [--library-rows 100000]
[--only library]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import data_folder, emit, machine, seconds, skip, table
from _gui import StallProbe, gui_missing, isolate_user_folders, main_window, wait_until
from _library_gui import probe_library
from bench_classify import VARIANTS, make_photo


def probe_training(window, kind: str | None = None) -> dict:
    tab = window.train_tab
    if kind is not None:
        tab.form.kind.setCurrentIndex(tab.form.kind.findData(kind))
    window.tabs.setCurrentWidget(tab)
    probe = StallProbe()
    probe.start()
    start = time.perf_counter()
    tab.start()
    if not tab.is_running():
        raise RuntimeError("the Train tab did not start a run")
    wait_until(lambda: not tab.is_running(), timeout=900)
    took = time.perf_counter() - start
    return {**probe.stop(), "seconds": took}


def probe_sweep(window) -> dict:
    """The Sweep… dialog's default: seeds 1-10 of the deep network's recipe in the form."""
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    tab.form.kind.setCurrentIndex(tab.form.kind.findData("dnn"))
    tab.open_sweep()
    dialog = tab.sweep_dialog
    probe = StallProbe()
    probe.start()
    start = time.perf_counter()
    if dialog is None or not dialog.start():
        raise RuntimeError("the Sweep dialog did not start")
    wait_until(lambda: not dialog.is_running(), timeout=900)
    took = time.perf_counter() - start
    wait_until(lambda: False, timeout=0.3)  # the figure's last draw comes just after
    dialog.close()
    return {**probe.stop(), "seconds": took, "runs": len(dialog.records)}


def probe_classifying(window, folder: Path, photos: int) -> dict:
    tab = window.classify_tab
    window.tabs.setCurrentWidget(tab)
    probe = StallProbe()
    probe.start()
    start = time.perf_counter()
    tab.add_paths([str(folder)])
    if not tab.is_busy():
        raise RuntimeError("the Classify tab did not start (no model?)")
    wait_until(lambda: not tab.is_busy(), timeout=900)
    took = time.perf_counter() - start
    rows = tab.results.rowCount()
    return {**probe.stop(), "seconds": took, "photos": photos, "rows": rows}


def open_default_model(window) -> None:
    """Activate the shipped default model, as the app does when it opens.

    Without it the first run must redraw the plot's axes in full (about 80-100 ms in the
    GUI thread, before the run starts); that case is the one a user meets only when no
    model at all is available.
    """
    from catgui.core.paths import default_model_path

    if default_model_path().is_file():
        window.state.open_model(default_model_path())


def ensure_model(window) -> None:
    """Without a trained model (no data set here), classify with a fresh network."""
    if window.state.model is not None:
        return
    from catgui.core import network as nn
    from catgui.core.kinds.network_kind import NetworkClassifier
    from catgui.core.persistence import Model

    window.state.set_model(
        Model(NetworkClassifier(nn.initialize((12288, 20, 7, 5, 1))), {"kind": "dnn"})
    )


def probe_map(points: int) -> dict:
    """Features of ``points`` pictures -> PCA -> the map drawn, in the GUI thread."""
    import numpy as np

    from catgui.core import projection
    from catgui.ui.library.map_view import PictureMap

    rng = np.random.default_rng(0)
    centres = rng.gamma(1.0, 1.0, (20, 1280)).astype(np.float32)
    features = centres[rng.integers(0, 20, points)]
    features += rng.gamma(1.0, 0.3, features.shape).astype(np.float32)
    verdicts = [("cat", "not cat", "unsure")[i] for i in rng.integers(0, 3, points)]
    names = [f"/photos/p{i}.jpg" for i in range(points)]
    view = PictureMap()
    view.resize(900, 700)
    view.show()
    wait_until(lambda: False, timeout=0.2)
    probe = StallProbe()
    probe.start()
    start = time.perf_counter()
    xy = projection.map_points(features)
    view.set_points(xy, verdicts, names)
    view.draw()
    view.grab()
    took = time.perf_counter() - start
    stalls = probe.stop()
    view.close()
    return {"points": points, "seconds": took, **stalls}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--library-rows", type=int, default=100_000)
    parser.add_argument("--only", choices=["library"], help="measure the Library tab alone")
    args = parser.parse_args(argv)
    reason = gui_missing()
    if reason:
        skip(3, "stalls_training", reason)
        skip(3, "stalls_classifying", reason)
        return 0
    home = isolate_user_folders()
    data = data_folder()
    window = main_window(data, home)
    open_default_model(window)
    # Let the window settle: its first paint, then the cost plot it builds right after
    # (importing matplotlib and a first full draw belong to start-up, figure 5).
    wait_until(lambda: window.train_tab.plot_slot.is_built(), timeout=30)
    wait_until(lambda: False, timeout=0.5)
    records = []
    if args.only == "library":
        pass
    elif data is None:
        skip(3, "stalls_training", "the cat/non-cat data set is not at $CATGUI_DATA or ../shared")
    else:
        training = probe_training(window)
        records.append({"figure": 3, "name": "stalls_training", **training})
        from catgui.core import backbone

        reason = backbone.unavailable()
        if reason:
            skip(3, "stalls_pretrained", reason)
        else:
            pretrained = probe_training(window, "pretrained")
            records.append({"figure": 3, "name": "stalls_pretrained", **pretrained})
        records.append({"figure": 3, "name": "stalls_sweep", **probe_sweep(window)})
    ensure_model(window)
    with tempfile.TemporaryDirectory(prefix="catgui-bench-") as tmp:
        if args.only == "library":
            records.extend(probe_library(window, args.library_rows))
            window.close()
            return report(records)
        folder = Path(tmp) / "photos"
        folder.mkdir()
        sources = [Path(tmp) / f"variant-{i}.jpg" for i in range(VARIANTS)]
        for i, path in enumerate(sources):
            make_photo(path, i)
        for i in range(args.photos):
            os.link(sources[i % VARIANTS], folder / f"photo-{i:03d}.jpg")
        classifying = probe_classifying(window, folder, args.photos)
        records.append({"figure": 3, "name": "stalls_classifying", **classifying})
    records.extend(probe_library(window, args.library_rows))
    window.close()
    records.append({"figure": 11, "name": "map_draw", **probe_map(20000)})
    return report(records)


def report(records: list[dict]) -> int:
    rows = []
    for r in records:
        rows.append(
            [
                r["name"].removeprefix("stalls_"),
                seconds(r["seconds"]),
                str(r["ticks"]),
                f"{r['worst_stall_seconds'] * 1000:.0f} ms",
                f"{r['p99_stall_seconds'] * 1000:.0f} ms",
                f"{r['median_stall_seconds'] * 1000:.1f} ms",
            ]
        )
    print(table(["while", "took", "ticks", "worst stall", "p99", "median"], rows))
    for r in records:
        emit({**r, "machine": machine()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
