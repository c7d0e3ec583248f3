"""The list of classified pictures behind the Classify tab (a Qt item model, no widget).

Each row is an :class:`Entry`: the file, the 64x64 model input, a small thumbnail and the
probability of "cat" under the active model (or the reason the file could not be read).
The decoded pixels are kept, so a new model re-scores every row without reading a file.
The rows also carry what the tab shows beside the verdict: the "Why?" heat maps (of which
classifier, on which rows) and a comparison model's verdict, brought back by the workers
of :mod:`catgui.ui.classify.insights`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, QTimer, Signal

from catgui.core import prediction
from catgui.core.classifier import Classifier, probabilities_of
from catgui.ui.classify.entry import (  # noqa: F401 - re-exported for callers and tests
    CAT,
    ERROR,
    NON_CAT,
    UNSURE,
    UNSURE_BAND,
    Entry,
    band_around,
    label_for,
)
from catgui.ui.classify.text import (  # noqa: F401 - re-exported for callers and tests
    describe,
    summary_text,
    verdict_text,
)

#: Rows re-scored per step when the model changes; steps run from the event loop, so the
#: window stays responsive while thousands of rows are re-scored.
RESCORE_CHUNK = 32

EntryRole = Qt.ItemDataRole.UserRole + 1
LabelRole = Qt.ItemDataRole.UserRole + 2
ProbabilityRole = Qt.ItemDataRole.UserRole + 3
ErrorRole = Qt.ItemDataRole.UserRole + 4
PathRole = Qt.ItemDataRole.UserRole + 5
#: ``(threshold, (low, high))`` the row is labelled with.
DecisionRole = Qt.ItemDataRole.UserRole + 6
#: ``(key, (s, s, 3) uint8 or None)``: the preview to draw, the "Why?" heat map or what
#: the model sees; the key changes whenever the picture does.
PreviewRole = Qt.ItemDataRole.UserRole + 7
#: ``(model name, p(cat) or None while it is computed)`` of the comparison model; None
#: when nothing is compared.
SecondRole = Qt.ItemDataRole.UserRole + 8


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
        self._classifier: Classifier | None = None
        self._skip: set[Path] = set()
        self._rescore_timer = QTimer(self)
        self._rescore_timer.setInterval(0)
        self._rescore_timer.timeout.connect(self._rescore_step)
        self._entries: list[Entry] = []
        self._rows: dict[Path, int] = {}
        #: Optional display names for paths (pasted images live in a temporary file).
        self.names: dict[Path, str] = {}
        #: Cat when p(cat) > threshold; unsure strictly inside band.
        self.threshold = 0.5
        self.band = UNSURE_BAND
        #: The user's corrections of rows (path -> is cat); survives a row being re-added.
        self.corrected: dict[Path, bool] = {}
        #: The classifier whose heat maps rows show (None: the active one cannot explain).
        self.explainer: Classifier | None = None
        #: Heat maps instead of previews on every row, but for the rows flipped (uids).
        self.why_all = False
        self._why_flipped: set[int] = set()
        #: The comparison model and its name (None: no comparison).
        self.second: Classifier | None = None
        self.second_name = ""

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
            return describe(entry, self.label_of(entry))
        if role == EntryRole:
            return entry
        if role == LabelRole:
            return self.label_of(entry)
        if role == DecisionRole:
            return (self.threshold, self.band)
        if role == ProbabilityRole:
            return entry.probability
        if role == ErrorRole:
            return entry.error
        if role == PathRole:
            return str(entry.path)
        if role == PreviewRole:
            return self.preview_of(entry)
        if role == SecondRole:
            if self.second is None or entry.error is not None:
                return None
            p = entry.second_probability if entry.second_with is self.second else None
            return (self.second_name, p)
        return None

    # -- editing ----------------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def add_results(
        self, results: Iterable[prediction.Result], classifier: Classifier | None = None
    ) -> None:
        """Append new pictures scored by ``classifier``; a path listed already is updated in place."""
        fresh: list[Entry] = []
        for result in results:
            path = Path(result.path)
            entry = Entry.from_result(result, self.names.get(path))
            entry.scored_with = classifier
            if classifier is not None and result.picture is not None:
                entry.seen = classifier.sees(result.picture)
            entry.corrected = self.corrected.get(path)
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
        self.corrected.clear()
        self.endResetModel()

    def label_of(self, entry: Entry) -> str:
        """``entry``'s label under this list's threshold and unsure band."""
        if entry.error is not None:
            return ERROR
        return label_for(entry.probability, self.band, self.threshold)

    def set_decision(self, threshold: float, band: tuple[float, float]) -> None:
        """Label rows as cat when p(cat) > ``threshold``, unsure strictly inside ``band``."""
        self.threshold, self.band = float(threshold), (float(band[0]), float(band[1]))
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))

    def set_corrected(self, path: Path, is_cat: bool | None) -> None:
        """Mark the row of ``path`` as corrected to ``is_cat`` (None: not corrected)."""
        path = Path(path)
        if is_cat is None:
            self.corrected.pop(path, None)
        else:
            self.corrected[path] = bool(is_cat)
        row = self._rows.get(path)
        if row is not None:
            self._entries[row].corrected = is_cat
            self.dataChanged.emit(self.index(row), self.index(row))

    def row_of(self, path: Path) -> int | None:
        return self._rows.get(Path(path))

    def rescore(self, classifier: Classifier, skip: Iterable[Path] = ()) -> None:
        """Recompute every probability with ``classifier`` from the kept 64x64 inputs.

        Runs in steps of :data:`RESCORE_CHUNK` rows from the event loop (one row for a
        classifier that is not :attr:`~catgui.core.classifier.Classifier.quick`);
        :attr:`rescored` is emitted when every row is done. Rows of the files in ``skip``
        are left alone (the tab classifies those files anew). A later call replaces an
        unfinished one.
        """
        self._classifier = classifier
        self._skip = {Path(p) for p in skip}
        self._rescore_timer.start()

    def is_rescoring(self) -> bool:
        return self._rescore_timer.isActive()

    def _rescore_step(self) -> None:
        classifier = self._classifier
        chunk = RESCORE_CHUNK if classifier is None or classifier.quick else 1
        stale = [
            i
            for i, e in enumerate(self._entries)
            if e.pixels is not None and e.scored_with is not classifier and e.path not in self._skip
        ][:chunk]
        if classifier is None or not stale:
            self._rescore_timer.stop()
            self.rescored.emit()
            return
        pixels = np.stack([self._entries[i].pixels for i in stale])
        known = classifier.familiarity(pixels)
        for k, (i, p) in enumerate(zip(stale, probabilities_of(classifier, pixels), strict=True)):
            entry = self._entries[i]
            entry.probability = float(p)
            entry.familiarity = None if known is None else float(known[k])
            entry.scored_with = classifier
            if entry.seen is not None and entry.seen.shape[0] != classifier.input_size:
                entry.seen = None  # the preview: what this model sees
        self.dataChanged.emit(self.index(stale[0]), self.index(stale[-1]))

    def counts(self) -> Counter:
        """How many rows carry each label (cat, non-cat, unsure, error)."""
        return Counter(self.label_of(e) for e in self._entries)

    def agreement(self) -> tuple[int, int] | None:
        """``(agree, compared)``: of the rows both models scored, how many they put on the
        same side of the threshold; ``None`` without a comparison model."""
        if self.second is None:
            return None
        t = self.threshold
        pairs = [
            (e.probability, e.second_probability)
            for e in self._entries
            if e.error is None
            and e.probability is not None
            and e.second_with is self.second
            and e.second_probability is not None
        ]
        return sum((p > t) == (q > t) for p, q in pairs), len(pairs)

    # -- "Why?" heat maps and the comparison model ------------------------------------------
    def shows_why(self, entry: Entry) -> bool:
        """Whether ``entry``'s preview is to be its heat map (drawn once computed)."""
        flipped = entry.uid in self._why_flipped
        return self.explainer is not None and entry.pixels is not None and self.why_all != flipped

    def preview_of(self, entry: Entry) -> tuple[str, np.ndarray | None]:
        """``(key, pixels)`` of the row's preview: the heat map when shown and current."""
        if self.shows_why(entry) and entry.overlay_for is self.explainer:
            if entry.overlay is not None:
                return f"why{entry.overlay_uid}", entry.overlay
        seen = entry.pixels if entry.seen is None else entry.seen
        return ("input" if seen is None else f"input{seen.shape[0]}"), seen

    def set_explainer(self, classifier: Classifier | None) -> None:
        """Show the heat maps of ``classifier`` (None: the plain previews)."""
        self.explainer = classifier
        self._all_changed()

    def set_why(self, on: bool) -> None:
        """Heat maps on every row (``on``) or none; a row's own choice is forgotten."""
        self.why_all, self._why_flipped = bool(on), set()
        self._all_changed()

    def toggle_why(self, row: int) -> None:
        """Flip one row between its heat map and its plain preview."""
        uid = self._entries[row].uid
        self._why_flipped ^= {uid}
        self.dataChanged.emit(self.index(row), self.index(row))

    def needing_overlays(self, rows: Iterable[int]) -> list[Entry]:
        """Of ``rows``, the entries whose heat map is wanted and not computed by the explainer."""
        wanted = (self._entries[r] for r in rows if 0 <= r < len(self._entries))
        return [
            e
            for e in wanted
            if self.shows_why(e)
            and e.scored_with is self.explainer  # else it waits for the model's own square
            and e.overlay_for is not self.explainer
        ]

    def set_overlay(self, uid: int, classifier: Classifier, overlay: np.ndarray | None) -> None:
        """The heat map ``classifier`` made of row ``uid`` (dropped if either is gone)."""
        self._update(
            uid, classifier is self.explainer, lambda e: e.set_overlay(overlay, classifier)
        )

    def set_second(self, classifier: Classifier | None, name: str = "") -> None:
        """Show ``classifier``'s verdict beside the active model's on each row (None: don't)."""
        self.second, self.second_name = classifier, name if classifier is not None else ""
        self._all_changed()

    def needing_second(self, rows: Iterable[int]) -> list[Entry]:
        """Of ``rows``, the entries not scored by the comparison model yet."""
        wanted = (self._entries[r] for r in rows if 0 <= r < len(self._entries))
        return [e for e in wanted if e.pixels is not None and e.second_with is not self.second]

    def set_second_probability(self, uid: int, classifier: Classifier, p: float) -> None:
        def store(entry: Entry) -> None:
            entry.second_probability, entry.second_with = float(p), classifier

        self._update(uid, classifier is self.second, store)

    def _update(self, uid: int, current: bool, change: Callable[[Entry], None]) -> None:
        row = next((i for i, e in enumerate(self._entries) if e.uid == uid), None)
        if current and row is not None:
            change(self._entries[row])
            self.dataChanged.emit(self.index(row), self.index(row))

    def _all_changed(self) -> None:
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))
