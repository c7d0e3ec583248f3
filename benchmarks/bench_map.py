"""The map of the pictures with 20,000 points: matplotlib (catgui's PictureMap) against
pyqtgraph, side by side in one run.

Measured, each the median of ``--repeats`` (offscreen, a 900 x 700 widget):

* draw: from new points to the widget painted (``set_points`` + a full render + ``grab``);
* hover: a mouse move over a point until its thumbnail is shown (matplotlib: the real
  event through PictureMap; pyqtgraph: ``ScatterPlotItem.pointsAt`` for the same point);
* lasso: from a finished loop to the selection drawn (the points inside found by
  ``matplotlib.path.Path.contains_points`` in both, then the selection rendered).

pyqtgraph is not a catgui dependency: ``pip install pyqtgraph`` to measure it (else its
rows are skipped). Run: ``python benchmarks/bench_map.py [--points 20000] [--repeats 5]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time

import numpy as np
from _common import emit, machine, seconds, table
from _gui import application, gui_missing

SIZE = (900, 700)


def points(n: int, seed: int = 0) -> tuple[np.ndarray, list[str], list[str]]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (12, 2))
    xy = centres[rng.integers(0, 12, n)] + rng.standard_normal((n, 2))
    verdicts = [("cat", "not cat", "unsure")[i] for i in rng.integers(0, 3, n)]
    return xy.astype(np.float32), verdicts, [f"/photos/p{i}.jpg" for i in range(n)]


def thumbnail() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (96, 72), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def lasso_square(xy: np.ndarray) -> np.ndarray:
    low, high = np.percentile(xy, 30, axis=0), np.percentile(xy, 60, axis=0)
    return np.array([low, [high[0], low[1]], high, [low[0], high[1]], low])


def measure_matplotlib(xy, verdicts, names, repeats: int) -> dict:
    from matplotlib.path import Path as MplPath
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from catgui.ui.library.map_view import PictureMap

    jpeg = thumbnail()
    view = PictureMap(thumbnail=lambda row: jpeg)
    view.resize(*SIZE)
    view.show()
    QApplication.processEvents()
    draws, hovers, lassos = [], [], []
    for _ in range(repeats):
        start = time.perf_counter()
        view.set_points(xy, verdicts, names)
        view.draw()
        view.grab()
        draws.append(time.perf_counter() - start)
    for k in range(repeats):
        for row in (k * 97 % len(xy), (k * 97 + 1) % len(xy)):
            pos = QPointF(view.screen_point(row))
            event = QMouseEvent(
                QMouseEvent.Type.MouseMove,
                pos,
                view.mapToGlobal(pos),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            )
            start = time.perf_counter()
            QApplication.sendEvent(view, event)
            view.tip.repaint()
            hovers.append(time.perf_counter() - start)
        square = lasso_square(xy)
        start = time.perf_counter()
        rows = np.flatnonzero(MplPath(square).contains_points(xy))
        view.select(rows)
        view.draw()
        view.grab()
        lassos.append(time.perf_counter() - start)
    view.close()
    return {"draw": draws, "hover": hovers, "lasso": lassos, "selected": len(rows)}


def measure_pyqtgraph(xy, verdicts, repeats: int) -> dict | str:
    try:
        import pyqtgraph as pg
    except ImportError:
        return "pyqtgraph is not installed (pip install pyqtgraph)"
    from matplotlib.path import Path as MplPath
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from catgui.ui.library.map_view import VERDICT_COLOURS

    widget = pg.PlotWidget()
    widget.resize(*SIZE)
    widget.show()
    QApplication.processEvents()
    brushes = {v: pg.mkBrush(c) for v, c in VERDICT_COLOURS.items()}
    draws, hovers, lassos = [], [], []
    scatter = None
    for _ in range(repeats):
        start = time.perf_counter()
        widget.clear()
        scatter = pg.ScatterPlotItem(pos=xy, size=3, pen=None, brush=[brushes[v] for v in verdicts])
        widget.addItem(scatter)
        widget.grab()
        draws.append(time.perf_counter() - start)
    marked = pg.ScatterPlotItem(size=8, pen=pg.mkPen("#30d158"), brush=None)
    widget.addItem(marked)
    for k in range(repeats):
        for row in (k * 97 % len(xy), (k * 97 + 1) % len(xy)):
            start = time.perf_counter()
            found = scatter.pointsAt(QPointF(float(xy[row, 0]), float(xy[row, 1])))
            hovers.append(time.perf_counter() - start)
            assert len(found)
        square = lasso_square(xy)
        start = time.perf_counter()
        rows = np.flatnonzero(MplPath(square).contains_points(xy))
        marked.setData(pos=xy[rows])
        widget.grab()
        lassos.append(time.perf_counter() - start)
    widget.close()
    return {"draw": draws, "hover": hovers, "lasso": lassos, "selected": len(rows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    reason = gui_missing()
    if reason:
        emit({"name": "map_libraries", "skipped": reason})
        return 0
    application()
    xy, verdicts, names = points(args.points)
    results = {"matplotlib": measure_matplotlib(xy, verdicts, names, args.repeats)}
    results["pyqtgraph"] = measure_pyqtgraph(xy, verdicts, args.repeats)
    rows = []
    for library, found in results.items():
        if isinstance(found, str):
            rows.append([library, "skipped", found, "", ""])
            emit({"name": "map_libraries", "library": library, "skipped": found})
            continue
        med = {k: statistics.median(found[k]) for k in ("draw", "hover", "lasso")}
        worst = {k: max(found[k]) for k in ("draw", "hover", "lasso")}
        rows.append(
            [
                library,
                seconds(med["draw"]),
                seconds(med["hover"]),
                seconds(med["lasso"]),
                seconds(worst["draw"]),
            ]
        )
        emit(
            {
                "name": "map_libraries",
                "library": library,
                "points": args.points,
                "draw_seconds": med["draw"],
                "hover_seconds": med["hover"],
                "lasso_seconds": med["lasso"],
                "worst_draw_seconds": worst["draw"],
                "machine": machine(),
            }
        )
    print(f"a map of {args.points:,} points, {SIZE[0]} x {SIZE[1]} px (median of {args.repeats})")
    print(table(["library", "draw", "hover", "lasso", "worst draw"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
