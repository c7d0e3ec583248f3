"""The Library grid's Qt model over the index's rows: rowids in order, details by pages.

The model holds only the rowids the current filter shows (a NumPy array, read off the
GUI thread by :func:`catgui.core.library.jobs.matching_job`). The details of a row (path,
verdict, ...) are read with the :data:`PAGE` rows around it the first time the view asks
for it (a query by rowid: about a millisecond), and a few pages are kept. Thumbnails come
from a :class:`~catgui.ui.library.thumbnails.ThumbnailCache`.
"""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from catgui.core.corrections import Corrections
from catgui.core.errors import CatguiError
from catgui.core.library import browse, label_next
from catgui.core.library.index import Index
from catgui.ui.library.thumbnails import ThumbnailCache

#: Rows read together; pages kept.
PAGE = 200
PAGES_KEPT = 60
#: The role that gives a row's :class:`~catgui.core.library.browse.Item` (or ``None``).
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
#: The role that gives a row's thumbnail pixmap, or ``None`` while it loads.
THUMBNAIL_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class LibraryModel(QAbstractListModel):
    """The files the grid shows, in order: :meth:`set_rows` gives them."""

    def __init__(self, index_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index_path = Path(index_path)
        self.ids = np.zeros(0, dtype=np.int64)
        self.model_sha: str | None = None
        self.threshold = 0.5
        self.corrected: dict[str, bool] = {}  # path -> what the user said, this session
        self._kept: dict[str, bool] = {}  # hash prefix -> what the corrections folder says
        #: The corrections folder to read (the tab's actions point it at their own log's).
        self.corrections_store: Callable[[], Corrections] = Corrections
        self._pages: collections.OrderedDict[int, dict] = collections.OrderedDict()
        self._rows_of_hash: dict[str, set[int]] = {}
        self._position: dict[int, int] | None = None
        self._index: Index | None = None
        self.thumbnails = ThumbnailCache(self.index_path, self)
        self.thumbnails.ready.connect(self._thumbnail_ready)

    # -- what the tab calls ------------------------------------------------------------
    def set_rows(self, ids: np.ndarray, model_sha: str | None, threshold: float) -> None:
        """Show the files of these rowids, in this order, with this model's verdicts."""
        self.beginResetModel()
        self.ids = np.asarray(ids, dtype=np.int64)
        self.model_sha = model_sha
        self.threshold = threshold
        self.read_corrections()
        self._forget()
        self.endResetModel()

    def refresh(self) -> None:
        """Read the details again (the index changed: new scores, a scan)."""
        self._forget()
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def item(self, row: int) -> browse.Item | None:
        """The details of ``row`` (``None``: the file left the index since it was listed)."""
        if not 0 <= row < len(self.ids):
            return None
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page.get(int(self.ids[row]))

    def rows_of(self, rowids: set[int]) -> list[int]:
        """The grid rows showing these rowids (those the filter shows), in order."""
        if not rowids or not len(self.ids):
            return []
        wanted = np.fromiter(rowids, dtype=np.int64, count=len(rowids))
        return np.flatnonzero(np.isin(self.ids, wanted)).tolist()

    def rows_for(self, paths=(), hashes=()) -> list[int]:
        """The grid rows of the files with these paths, or showing these contents."""
        index = self._connection()
        if index is None:
            return []
        try:
            return self.rows_of(browse.rowids_of(index, paths, hashes))
        except CatguiError:
            self._close_index()
            return []

    def set_corrected(self, path: str, is_cat: bool | None) -> None:
        if is_cat is None:
            self.corrected.pop(path, None)
        else:
            self.corrected[path] = is_cat
        self.read_corrections()
        self.refresh()

    def read_corrections(self) -> None:
        """Read again what the corrections folder holds (corrections of earlier sessions,
        of Classify, of the label-next strip), by content."""
        try:
            self._kept = label_next.corrected_labels(self.corrections_store())
        except OSError:  # the folder cannot be listed: this session's words only
            self._kept = {}

    def said(self, item: browse.Item) -> bool | None:
        """What the user said of ``item`` (``True``: a cat), or ``None``: nothing yet."""
        if item.path in self.corrected:
            return self.corrected[item.path]
        if item.hash:
            return self._kept.get(item.hash[: label_next.HASH_DIGITS])
        return None

    def close(self) -> None:
        """Stop loading thumbnails and close the index (the window is closing)."""
        self.thumbnails.shutdown()
        self._close_index()

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt)
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.item(index.row())
        if role == ITEM_ROLE:
            return item
        if item is None:
            return "(gone)" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(item, self.said(item))
        if role in (THUMBNAIL_ROLE, Qt.ItemDataRole.DecorationRole):
            if item.hash is None:
                return QPixmap() if role == THUMBNAIL_ROLE else None
            return self.thumbnails.pixmap(item.hash)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- pages -------------------------------------------------------------------------------
    def _connection(self) -> Index | None:
        if self._index is None:
            with contextlib.suppress(CatguiError):
                self._index = Index(self.index_path)
        return self._index

    def _close_index(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    def _load(self, page_no: int) -> dict:
        start = page_no * PAGE
        ids = self.ids[start : start + PAGE]
        index = self._connection()
        found: dict = {}
        if index is not None:
            try:
                found = browse.page(index, ids.tolist(), self.model_sha, self.threshold)
            except CatguiError:
                self._close_index()  # opened again at the next page
        self._pages[page_no] = found
        for position, rowid in enumerate(ids.tolist(), start):
            item = found.get(rowid)
            if item is not None and item.hash is not None:
                self._rows_of_hash.setdefault(item.hash, set()).add(position)
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return found

    def _forget(self) -> None:
        self._pages.clear()
        self._rows_of_hash.clear()  # (the connection stays: each read sees the last commit)

    def _thumbnail_ready(self, digest: str) -> None:
        for row in sorted(self._rows_of_hash.get(digest, ())):
            if row < len(self.ids):
                at = self.index(row)
                self.dataChanged.emit(at, at, [Qt.ItemDataRole.DecorationRole, THUMBNAIL_ROLE])


def _tooltip(item: browse.Item, corrected: bool | None) -> str:
    if item.error is not None:
        return f"{item.path}\n{item.error}"
    lines = [item.path]
    if item.probability is not None:
        verdict = "cat" if item.label == "cat" else "not a cat"
        lines.append(f"P(cat) {item.probability:.3f}: {verdict}")
        if item.unsure:
            lines.append("unsure (near the threshold)")
        if item.unfamiliar:
            lines.append("unfamiliar: unlike the pictures the model learnt from")
    else:
        lines.append("not scored by this model yet")
    if corrected is not None:
        lines.append(f"You said: {'a cat' if corrected else 'not a cat'}")
    return "\n".join(lines)
