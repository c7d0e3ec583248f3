"""A map of the pictures: one point each, placed by their features, coloured by verdict.

Points that lie close together are pictures the backbone sees alike (the map is
:mod:`catgui.core.projection`'s two principal axes). Hovering a point shows its thumbnail
and name; drawing a loop around points (a lasso) selects them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.widgets import LassoSelector
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from catgui.ui.common import tones
from catgui.ui.common.figure_colours import FigureColours
from catgui.ui.common.palette_follower import follow_palette

#: What each verdict looks like on the map, in the legend's order: the grid's colours.
VERDICT_COLOURS = {
    "cat": tones.CAT,
    "not cat": tones.NON_CAT,
    "unsure": tones.AMBER,
    "not scored": "#8e8e93",
}
#: How near the pointer must be to a point to show its picture, in pixels.
HOVER_PIXELS = 8.0
POINT_SIZE = 7.0


class PictureMap(FigureCanvasQTAgg):
    """A scatter plot of the pictures; hover shows a picture, a lasso selects.

    Call :meth:`set_points` with the map's points, each picture's verdict (a key of
    :data:`VERDICT_COLOURS`) and its name. ``thumbnail(row)`` gives the JPEG or PNG bytes
    of a picture's thumbnail (or ``None``); it is asked only for the point under the
    pointer.

    Signals
    -------
    selected(list)
        The rows the lasso took (sorted; empty when it took none).
    hovered(int)
        The row under the pointer, or -1 when it left every point.
    """

    selected = Signal(list)
    hovered = Signal(int)

    def __init__(
        self,
        thumbnail: Callable[[int], bytes | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.figure = Figure(figsize=(5, 4), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("pictureMap")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setMouseTracking(True)
        self.thumbnail = thumbnail
        self.axes = self.figure.add_subplot()
        self.points = np.empty((0, 2), dtype=np.float32)
        self.names: list[str] = []
        self.verdicts: list[str] = []
        self.chosen: list[int] = []
        self.hovered_row = -1
        self._screen: np.ndarray | None = None  # the points in pixels, as last drawn
        self._scatter = self.axes.scatter([], [], s=POINT_SIZE, linewidths=0)
        self._marked = self.axes.scatter(
            [], [], s=POINT_SIZE * 3, facecolors="none", linewidths=1.2
        )  # ringed in the text's colour (every verdict's colour is taken)
        self.tip = QLabel(self)
        self.tip.setObjectName("pictureMapTip")
        self.tip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tip.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.tip.setStyleSheet(
            "#pictureMapTip { background: palette(window); border: 1px solid palette(mid);"
            " border-radius: 4px; padding: 4px; }"
        )
        self.tip.hide()
        self.lasso = LassoSelector(self.axes, self._lassoed, useblit=True)
        self.mpl_connect("motion_notify_event", self._moved)
        self.mpl_connect("axes_leave_event", lambda _e: self._hover(-1))
        self.mpl_connect("draw_event", lambda _e: self._remember_screen())
        follow_palette(self, self._style)

    # -- data ---------------------------------------------------------------------------------
    def set_points(self, points: np.ndarray, verdicts: Sequence[str], names: Sequence[str]) -> None:
        """Show ``points (n, 2)``, coloured by ``verdicts``, named ``names`` (n each)."""
        points = np.asarray(points, dtype=np.float32).reshape(-1, 2)
        if not len(points) == len(verdicts) == len(names):
            raise ValueError("points, verdicts and names must have one entry per picture")
        unknown = set(verdicts) - set(VERDICT_COLOURS)
        if unknown:
            raise ValueError(f"unknown verdicts: {sorted(unknown)}")
        self.points, self.verdicts, self.names = points, list(verdicts), list(names)
        self.chosen = []
        self._scatter.set_offsets(points)
        self._scatter.set_facecolors([VERDICT_COLOURS[v] for v in self.verdicts])
        self._marked.set_offsets(np.empty((0, 2)))
        self._legend()
        if len(points):
            low, high = points.min(axis=0), points.max(axis=0)
            pad = np.maximum((high - low) * 0.04, 1e-3)
            self.axes.set_xlim(low[0] - pad[0], high[0] + pad[0])
            self.axes.set_ylim(low[1] - pad[1], high[1] + pad[1])
        self._hover(-1)
        self.draw_idle()

    def set_verdicts(self, verdicts: Sequence[str]) -> None:
        """Colour the points shown by other ``verdicts`` (one per point; the places, the
        names and the selection stay): what a new model changes."""
        if len(verdicts) != len(self.points):
            raise ValueError("verdicts must have one entry per picture shown")
        unknown = set(verdicts) - set(VERDICT_COLOURS)
        if unknown:
            raise ValueError(f"unknown verdicts: {sorted(unknown)}")
        self.verdicts = list(verdicts)
        self._scatter.set_facecolors([VERDICT_COLOURS[v] for v in self.verdicts])
        self._legend()
        self.draw_idle()

    def select(self, rows: Sequence[int]) -> None:
        """Mark these rows as selected (what the lasso does, without the signal)."""
        self.chosen = sorted({int(r) for r in rows if 0 <= int(r) < len(self.points)})
        self._marked.set_offsets(self.points[self.chosen] if self.chosen else np.empty((0, 2)))
        self.draw_idle()

    def point_at(self, x: float, y: float) -> int:
        """The row nearest the pixel ``(x, y)`` (matplotlib's: from the bottom left) within
        :data:`HOVER_PIXELS`, or -1."""
        screen = self._screen
        if screen is None or not len(screen):
            return -1
        d2 = (screen[:, 0] - x) ** 2 + (screen[:, 1] - y) ** 2
        row = int(np.argmin(d2))
        return row if d2[row] <= (HOVER_PIXELS * self.device_pixel_ratio) ** 2 else -1

    def screen_point(self, row: int) -> QPoint:
        """Where a point is drawn, in the widget's coordinates (from the top left)."""
        x, y = self.axes.transData.transform(self.points[row].astype(np.float64))
        ratio = self.device_pixel_ratio
        return QPoint(round(x / ratio), round(self.figure.bbox.height / ratio - y / ratio))

    # -- drawing ------------------------------------------------------------------------------
    def _style(self) -> None:
        c = FigureColours.of()
        self.colours = c
        self.figure.set_facecolor(c.face)
        ax = self.axes
        ax.set_facecolor(c.face)
        ax.set_title("Pictures by likeness", loc="left", fontsize=11, color=c.text)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color(c.spine)
        self.lasso.set_props(color=c.text)
        self._marked.set_edgecolor(c.text)
        self._legend()
        self.draw_idle()

    def _legend(self) -> None:
        present = [v for v in VERDICT_COLOURS if v in set(self.verdicts)]
        handles = [
            self.axes.scatter([], [], s=POINT_SIZE * 3, color=VERDICT_COLOURS[v], label=v)
            for v in present
        ]
        old = self.axes.get_legend()
        if old is not None:
            old.remove()
        if handles:
            colours = getattr(self, "colours", None)
            self.axes.legend(
                handles=handles,
                loc="upper right",
                frameon=False,
                fontsize=9,
                labelcolor=colours.text if colours else None,
            )

    def _remember_screen(self) -> None:
        self._screen = self.axes.transData.transform(self.points.astype(np.float64))

    # -- the pointer --------------------------------------------------------------------------
    def _moved(self, event) -> None:
        if event.inaxes is not self.axes or self.lasso.verts:  # drawing a lasso: no pictures
            self._hover(-1)
            return
        self._hover(self.point_at(event.x, event.y))

    def _hover(self, row: int) -> None:
        if row == self.hovered_row:
            return
        self.hovered_row = row
        if row < 0:
            self.tip.hide()
        else:
            self._show_tip(row)
        self.hovered.emit(row)

    def _show_tip(self, row: int) -> None:
        data = self.thumbnail(row) if self.thumbnail is not None else None
        pixmap = QPixmap()
        name = self.names[row].replace("\\", "/").rsplit("/", 1)[-1]
        if data and pixmap.loadFromData(data):
            self.tip.setPixmap(pixmap)
            self.tip.setToolTip(name)
        else:
            self.tip.setText(name)
        self.tip.setAccessibleName(f"{name}: {self.verdicts[row]}")
        self.tip.adjustSize()
        spot = self.screen_point(row)
        x = spot.x() + 12
        y = spot.y() + 12
        if x + self.tip.width() > self.width():
            x = spot.x() - 12 - self.tip.width()
        if y + self.tip.height() > self.height():
            y = spot.y() - 12 - self.tip.height()
        self.tip.move(max(0, x), max(0, y))
        self.tip.show()
        self.tip.raise_()

    def _lassoed(self, vertices) -> None:
        if len(vertices) < 3 or not len(self.points):
            rows: list[int] = []
        else:
            inside = MplPath(vertices).contains_points(self.points)
            rows = np.flatnonzero(inside).tolist()
        self.select(rows)
        self.selected.emit(self.chosen)
