"""The rows' "Why?" and comparison state, part of :class:`~catgui.ui.classify.model.ResultsModel`.

A mixin of the list model (no Qt of its own): which classifier's heat maps the rows
show and which rows show them, the comparison model, and the updates the workers of
:mod:`catgui.ui.classify.insights` bring back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from catgui.core.classifier import Classifier
from catgui.ui.classify.entry import Entry


class InsightRows:
    """Heat-map and comparison state over ``self._entries`` (a list model's rows)."""

    _entries: list[Entry]

    def init_insights(self) -> None:
        #: The classifier whose heat maps rows show (None: the active one cannot explain).
        self.explainer: Classifier | None = None
        #: Heat maps instead of previews on every row, but for the rows flipped (uids).
        self.why_all = False
        self._why_flipped: set[int] = set()
        #: The comparison model and its name (None: no comparison).
        self.second: Classifier | None = None
        self.second_name = ""

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
