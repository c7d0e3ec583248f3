"""The Library tab's near-copies and map: the *Duplicates* filter, the map beside the grid.

A worker reads the index (:func:`catgui.core.library.similar.likeness_steps`): the map of
its pictures and their groups of near-copies. The groups make the tab's *Duplicates*
filter (the files of every group, each group's files next to each other, groups in the
order of their first file); the map goes beside the grid, and its lasso selects in the
grid the pictures it took. Both are kept in the index (computed once; after a scan only
what is new is compared and placed): they are read again after a scan, and when the
verdicts change model only the map's colours are (the model's scores: no features, no
grouping).
"""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, QTimer, Signal

from catgui.core.errors import CatguiError
from catgui.core.library import jobs, similar
from catgui.ui.library.map_view import PictureMap
from catgui.workers.generator import GeneratorWorker
from catgui.workers.latest_job import LatestJob

FILTER = "duplicates"
#: Pictures selected in the grid that the map rings at most (each is read from its page).
MARKED = 2000
TIP = (
    "Pictures that are near-copies of one another (the same photo re-encoded, flipped, "
    "resized or lightly cropped; files with the same bytes), each group together"
)
#: The filter's SQL: the files whose content is in a group (a JSON object hash -> group),
#: shown group by group.
CONDITION = "f.hash IN (SELECT key FROM json_each(?))"
ORDER = "json_extract(?, '$.\"' || f.hash || '\"'), f.path"


class Likeness(QObject):
    """Adds the map and the *Duplicates* filter to a Library tab through its seams
    (``add_widget_beside``, ``add_filter``, ``select_hashes``).

    Signals
    -------
    loaded(object)
        The map and the groups were read (the
        :class:`~catgui.core.library.similar.PictureMapData`).
    """

    loaded = Signal(object)

    def __init__(self, tab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.data: similar.PictureMapData | None = None
        self.groups: list[list[str]] = []
        self._thumbs: dict[str, bytes | None] = {}
        self._job = LatestJob(self._make_worker, self)
        self._colours = LatestJob(self._make_colours_worker, self)
        self.map = PictureMap(thumbnail=self._thumbnail)
        self.map.setObjectName("libraryMap")
        self.map.setMinimumSize(200, 120)  # the window still fits 800 x 560
        tab.add_widget_beside(self.map)
        tab.splitter.setStretchFactor(0, 2)
        tab.splitter.setStretchFactor(1, 1)
        self._register({})
        self.map.selected.connect(self._selected)
        self._row_of: dict[str, int] = {}  # a content's point on the map
        # the grid's selection ringed on the map (once per turn of the event loop)
        self._mark = QTimer(self, singleShot=True, interval=0)
        self._mark.timeout.connect(self._mark_selection)
        tab.grid.selectionModel().selectionChanged.connect(lambda *_: self._mark.start())
        tab.scanFinished.connect(lambda _summary: self.refresh())
        # after the scores are written (modelKnown comes before): the map's colours
        tab.follower.rescored.connect(lambda _sha, _n: self.recolour())
        self.refresh()

    def refresh(self) -> None:
        """Read the map and the groups again (in a worker; once more after it if asked
        while it runs)."""
        self._job.request()

    def recolour(self) -> None:
        """Colour the map by the active model's verdicts again (its scores only; the map
        and the groups are read whole when none is shown yet)."""
        if self.data is None or self._job.is_busy():
            self.refresh()  # a read in progress runs again, with the new model's scores
        else:
            self._colours.request()

    def _make_colours_worker(self) -> GeneratorWorker | None:
        path, model, data = self.tab.index_path, self.tab.follower.sha256, self.data
        if data is None or not path.is_file():
            return None
        worker = GeneratorWorker(
            lambda: jobs.colours_job(path, data.hashes, model), "colouring the map", 0, self
        )
        worker.returned.connect(lambda p: self._recoloured(data, p))
        worker.failed.connect(self._failed)
        return worker

    def _recoloured(self, data: similar.PictureMapData, probabilities) -> None:
        if data is not self.data:  # the map was read again meanwhile: it has its colours
            return
        self.data = data.recoloured(probabilities)
        self.map.set_verdicts(self.data.verdicts())
        self.loaded.emit(self.data)

    def _make_worker(self) -> GeneratorWorker | None:
        path, model = self.tab.index_path, self.tab.follower.sha256
        if not path.is_file():
            return None
        worker = GeneratorWorker(
            lambda: similar.likeness_steps(path, model), "reading the map of the library", 0, self
        )
        worker.returned.connect(self._loaded)
        worker.failed.connect(self._failed)
        return worker

    def is_busy(self) -> bool:
        return self._job.is_busy() or self._colours.is_busy()

    def shutdown(self) -> None:
        self._job.shutdown()
        self._colours.shutdown()

    def _failed(self, message: str) -> None:
        self.map.set_points([], [], [])
        self.map.setToolTip(message)

    def _loaded(self, result) -> None:
        data, groups = result
        self.data, self.groups = data, groups
        self._thumbs = {}
        self._row_of = {h: i for i, h in enumerate(data.hashes)}
        self.map.set_points(data.points, data.verdicts(), data.paths)
        self._mark_selection()
        self._register({h: i for i, group in enumerate(groups) for h in group})  # reads again
        self.loaded.emit(data)

    def _register(self, group_of: dict[str, int]) -> None:
        text = json.dumps(group_of)
        self.tab.add_filter(FILTER, "Duplicates", TIP, CONDITION, (text,), ORDER, (text,))

    def _thumbnail(self, row: int) -> bytes | None:
        """The hovered point's thumbnail, read from the index once (a few ms)."""
        if self.data is None:
            return None
        digest = self.data.hashes[row]
        if digest not in self._thumbs:
            from catgui.core.library.index import Index

            try:
                with Index(self.tab.index_path) as index, index.guard():
                    self._thumbs[digest] = similar.thumbnails(index, [digest]).get(digest)
            except CatguiError:  # the index went away or is busy: no picture, no crash
                self._thumbs[digest] = None
        return self._thumbs[digest]

    def _mark_selection(self) -> None:
        """Ring on the map the pictures selected in the grid (up to :data:`MARKED`; a
        larger selection, a lasso's or *Select all*, leaves the rings as they are)."""
        ranges = self.tab.grid.selectionModel().selection()
        if sum(r.bottom() - r.top() + 1 for r in ranges) > MARKED:
            return
        model, row_of = self.tab.model, self._row_of
        items = (model.item(i) for r in ranges for i in range(r.top(), r.bottom() + 1))
        rows = {row_of.get(item.hash, -1) for item in items if item is not None and item.hash}
        rows.discard(-1)
        if sorted(rows) != self.map.chosen:
            self.map.select(sorted(rows))

    def _selected(self, rows: list) -> None:
        if self.data is not None:
            self.tab.select_hashes([self.data.hashes[r] for r in rows])
