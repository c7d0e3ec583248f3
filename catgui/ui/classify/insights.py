"""The Classify rows' "Why?" heat maps and the comparison model's verdicts (a QObject, no widget).

Both are computed for rows already listed, off the GUI thread, by two :class:`RowJobs`:
the heat maps of the rows shown as heat maps (by the active model, when it can explain),
and every row's probability under the comparison model. Rows on screen come first. A
result made by a model that has since been replaced is dropped, so a row never shows a
stale heat map or verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import explain, persistence, second_opinion
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError
from catgui.ui.classify.model import ResultsModel
from catgui.ui.classify.row_jobs import RowJobs

#: Rows a batch works on: heat maps and slow classifiers take ~30-50 ms a picture.
SLOW_BATCH = 4
QUICK_BATCH = 64


class RowInsights(QObject):
    """Heat maps and a second opinion for the rows of ``results``.

    Parameters
    ----------
    results : ResultsModel
        The rows.
    visible_rows : callable
        Returns the ``range`` of rows on screen (worked on first).

    Signals
    -------
    failed(str)
        A heat map or a comparison could not be computed; the message says why.
    """

    failed = Signal(str)

    def __init__(
        self,
        results: ResultsModel,
        visible_rows: Callable[[], range],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.results = results
        self._visible_rows = visible_rows
        self.second_model: persistence.Model | None = None
        self.heat_maps = RowJobs(
            self._heat_batch, explain.explain_steps, self._explained, "making the heat maps", self
        )
        self.opinions = RowJobs(
            self._second_batch,
            second_opinion.opinion_steps,
            self._scored,
            "scoring with the comparison model",
            self,
        )
        for jobs in (self.heat_maps, self.opinions):
            jobs.failed.connect(self.failed)
        results.rowsInserted.connect(self.poke)
        results.rescored.connect(self.poke)

    # -- what the tab calls ----------------------------------------------------------------
    def follow_model(self, classifier: Classifier | None) -> None:
        """The active model changed: its heat maps replace the previous model's."""
        can = classifier is not None and classifier.cannot_explain is None
        self.results.set_explainer(classifier if can else None)
        self.heat_maps.restart()

    def set_why(self, on: bool) -> None:
        """Show the heat map of every row (``on``) or none."""
        self.results.set_why(on)
        self.heat_maps.poke()

    def toggle_row(self, row: int) -> None:
        """Flip one row between its heat map and its plain preview."""
        self.results.toggle_why(row)
        self.heat_maps.poke()

    def compare_with(self, path: str | Path | None) -> None:
        """Show the verdicts of the model saved at ``path`` too (None or "": no comparison).

        Raises
        ------
        CatguiError
            The file is not a model catgui can open (the comparison is then off).
        """
        model = None
        if path:
            try:
                model = persistence.load(path)
            except CatguiError:
                self._set_second(None)
                raise
        self._set_second(model)

    def poke(self, *_args) -> None:
        """New or re-scored rows: start whatever work they need."""
        self.heat_maps.poke()
        self.opinions.poke()

    def is_busy(self) -> bool:
        return self.heat_maps.is_busy() or self.opinions.is_busy()

    def shutdown(self) -> None:
        """Stop both workers and wait for them (the window is closing)."""
        self.heat_maps.shutdown()
        self.opinions.shutdown()

    # -- batches ---------------------------------------------------------------------------
    def _set_second(self, model: persistence.Model | None) -> None:
        self.second_model = model
        if model is None:
            self.results.set_second(None)
        else:
            self.results.set_second(model.classifier, model.name)
        self.opinions.restart()

    def _rows(self) -> list[int]:
        """Every row, those on screen first."""
        shown = self._visible_rows()
        rest = (r for r in range(self.results.rowCount()) if r not in shown)
        return [*shown, *rest]

    def _heat_batch(self):
        classifier = self.results.explainer
        if classifier is None:
            return None
        entries = self.results.needing_overlays(self._rows())[:SLOW_BATCH]
        items = [(e.uid, e.square_for(classifier)) for e in entries]
        return (classifier, items) if items else None

    def _explained(self, classifier: Classifier, step: explain.Explained) -> None:
        self.results.set_overlay(step.key, classifier, step.overlay)

    def _second_batch(self):
        classifier = self.results.second
        if classifier is None:
            return None
        size = QUICK_BATCH if classifier.quick else SLOW_BATCH
        entries = self.results.needing_second(self._rows())[:size]
        items = [
            second_opinion.Picture(
                e.uid, e.path, tuple(s for s in (e.pixels, e.seen) if s is not None)
            )
            for e in entries
        ]
        return (classifier, items) if items else None

    def _scored(self, classifier: Classifier, step: second_opinion.Opinion) -> None:
        self.results.set_second_probability(step.key, classifier, step.probability)
