"""The list of classified pictures behind the Classify tab (a Qt item model, no widget).

Each row is an :class:`Entry`: the file, the 64x64 model input, a small thumbnail and the
probability of "cat" under the active model (or the reason the file could not be read).
The decoded pixels are kept, so a new model re-scores every row without reading a file.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, QTimer, Signal

from catgui.core import prediction
from catgui.core.network import Network

#: Probabilities strictly inside this band are shown as "unsure" (the model cannot tell).
UNSURE_BAND = (0.4, 0.6)
CAT, NON_CAT, UNSURE, ERROR = "cat", "non-cat", "unsure", "error"
#: Rows re-scored per step when the model changes; steps run from the event loop, so the
#: window stays responsive while thousands of rows are re-scored.
RESCORE_CHUNK = 32

EntryRole = Qt.ItemDataRole.UserRole + 1
LabelRole = Qt.ItemDataRole.UserRole + 2
ProbabilityRole = Qt.ItemDataRole.UserRole + 3
ErrorRole = Qt.ItemDataRole.UserRole + 4
PathRole = Qt.ItemDataRole.UserRole + 5

_uids = itertools.count(1)


def label_for(probability: float | None, band: tuple[float, float] = UNSURE_BAND) -> str:
    """``"cat"``, ``"non-cat"`` or ``"unsure"`` for a probability of cat; ``"error"`` for None."""
    if probability is None:
        return ERROR
    if band[0] < probability < band[1]:
        return UNSURE
    return CAT if probability > 0.5 else NON_CAT


@dataclass
class Entry:
    """One row: a picture and what the model says about it.

    Attributes
    ----------
    path : Path
        The file (or folder, for a folder without pictures).
    name : str
        What the row calls it (the file name, or e.g. "Pasted image 1").
    pixels : ndarray or None
        (64, 64, 3) uint8 model input; None for an error row.
    thumbnail : ndarray or None
        (h, w, 3) uint8, longest side at most the worker's thumbnail size.
    probability : float or None
        Probability of "cat" under the active model.
    error : str or None
        Why the file could not be classified (names the file and the problem).
    """

    path: Path
    name: str
    pixels: np.ndarray | None = None
    thumbnail: np.ndarray | None = None
    probability: float | None = None
    error: str | None = None
    original_size: tuple[int, int] | None = None  # (width, height) of the file's picture
    #: The network that computed ``probability`` (compared by identity).
    scored_with: Network | None = None
    #: Unique number of this row's picture (keys the painter's pixmap cache).
    uid: int = field(default_factory=lambda: next(_uids))

    @property
    def label(self) -> str:
        return label_for(self.probability) if self.error is None else ERROR

    @classmethod
    def from_result(cls, result: prediction.Result, name: str | None = None) -> Entry:
        picture = result.picture
        return cls(
            path=Path(result.path),
            name=name or Path(result.path).name or str(result.path),
            pixels=None if picture is None else picture.pixels,
            thumbnail=None if picture is None else picture.thumbnail,
            probability=result.probability,
            error=result.error,
            original_size=None if picture is None else tuple(picture.original_size),
        )


class ResultsModel(QAbstractListModel):
    """Rows of :class:`Entry`; a path added again replaces its row instead of repeating it.

    Signals
    -------
    rescored()
        Every row now carries the probability of the network given to :meth:`rescore`.
    """

    rescored = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._network: Network | None = None
        self._rescore_timer = QTimer(self)
        self._rescore_timer.setInterval(0)
        self._rescore_timer.timeout.connect(self._rescore_step)
        self._entries: list[Entry] = []
        self._rows: dict[Path, int] = {}
        #: Optional display names for paths (pasted images live in a temporary file).
        self.names: dict[Path, str] = {}

    # -- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 - Qt API
        if parent is not None and parent.isValid():
            return 0
        return len(self._entries)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return describe(entry)
        if role == EntryRole:
            return entry
        if role == LabelRole:
            return entry.label
        if role == ProbabilityRole:
            return entry.probability
        if role == ErrorRole:
            return entry.error
        if role == PathRole:
            return str(entry.path)
        return None

    # -- editing ----------------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def add_results(
        self, results: Iterable[prediction.Result], network: Network | None = None
    ) -> None:
        """Append new pictures scored by ``network``; a path listed already is updated in place."""
        fresh: list[Entry] = []
        for result in results:
            path = Path(result.path)
            entry = Entry.from_result(result, self.names.get(path))
            entry.scored_with = network
            row = self._rows.get(path)
            if row is not None:
                self._entries[row] = entry
                index = self.index(row)
                self.dataChanged.emit(index, index)
            elif any(e.path == path for e in fresh):
                fresh[[e.path for e in fresh].index(path)] = entry
            else:
                fresh.append(entry)
        if not fresh:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for offset, entry in enumerate(fresh):
            self._rows[entry.path] = first + offset
            self._entries.append(entry)
        self.endInsertRows()

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Remove the given rows (any order)."""
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._entries):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._entries[row]
                self.endRemoveRows()
        self._rows = {e.path: i for i, e in enumerate(self._entries)}

    def clear(self) -> None:
        self.beginResetModel()
        self._entries.clear()
        self._rows.clear()
        self.names.clear()
        self.endResetModel()

    def rescore(self, network: Network) -> None:
        """Recompute every probability with ``network`` from the kept 64x64 inputs.

        Runs in steps of :data:`RESCORE_CHUNK` rows from the event loop; :attr:`rescored`
        is emitted when every row is done. A later call replaces an unfinished one.
        """
        self._network = network
        self._rescore_timer.start()

    def is_rescoring(self) -> bool:
        return self._rescore_timer.isActive()

    def _rescore_step(self) -> None:
        network = self._network
        stale = [
            i
            for i, e in enumerate(self._entries)
            if e.pixels is not None and e.scored_with is not network
        ][:RESCORE_CHUNK]
        if network is None or not stale:
            self._rescore_timer.stop()
            self.rescored.emit()
            return
        pixels = np.stack([self._entries[i].pixels for i in stale])
        for i, p in zip(stale, prediction.classify_pixels(network, pixels), strict=True):
            self._entries[i].probability = float(p)
            self._entries[i].scored_with = network
        self.dataChanged.emit(self.index(stale[0]), self.index(stale[-1]))

    def counts(self) -> Counter:
        """How many rows carry each label (cat, non-cat, unsure, error)."""
        return Counter(e.label for e in self._entries)


def describe(entry: Entry) -> str:
    """One sentence about a row, for tooltips and screen readers."""
    if entry.error is not None:
        return entry.error
    p = entry.probability
    label = entry.label
    if label == UNSURE:
        verdict = "unsure — too close to call"
    elif label == CAT:
        verdict = "a cat"
    else:
        verdict = "not a cat"
    return f"{entry.path}\n{verdict}: probability of cat {p:.3f}"


def _percent(x: float) -> str:
    if x >= 0.995:
        return "> 99 %"
    return f"{100 * x:.0f} %"


def verdict_text(p: float, label: str) -> str:
    """The words beside the label chip, e.g. ``"85 % cat"``, for a probability ``p`` of cat."""
    if label == UNSURE:
        return f"too close to call ({_percent(p)} cat)"
    if p > 0.5:
        return f"{_percent(p)} cat"
    return f"{_percent(1.0 - p)} not a cat"


def summary_text(counts: Counter) -> str:
    """``"12 pictures: 7 cats, 3 non-cats, 1 unsure, 1 error"`` (empty parts left out)."""
    total = sum(counts.values())
    if not total:
        return "No pictures yet"
    parts = []
    for key, one, many in (
        (CAT, "cat", "cats"),
        (NON_CAT, "non-cat", "non-cats"),
        (UNSURE, "unsure", "unsure"),
        (ERROR, "error", "errors"),
    ):
        n = counts.get(key, 0)
        if n:
            parts.append(f"{n:,} {one if n == 1 else many}")
    noun = "picture" if total == 1 else "pictures"
    return f"{total:,} {noun}: " + ", ".join(parts)
