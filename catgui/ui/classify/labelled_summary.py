"""The Classify tab's line for labelled folders: accuracy, its interval, a 2x2 confusion."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from catgui.core import labelled_folder
from catgui.core.evaluation import Evaluation, accuracy_text
from catgui.ui.classify.entry import Entry
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette


class LabelledSummary(QLabel):
    """How the active model does on pictures whose folder says what they are.

    :meth:`add_paths` notes every dropped or opened folder with both a cat and a non-cat
    subfolder (the names the folder import knows, :mod:`catgui.core.labelled_folder`);
    :meth:`update_from` scores the listed rows below those class folders at the current
    threshold. Hidden while no listed row has a label. :attr:`evaluation` is what is shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelledSummary")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setToolTip(
            "The pictures below cat/ and non-cat/ subfolders of a dropped folder are "
            "scored against their folder: accuracy with its 95 % interval, and which "
            "pictures were called what (at the current threshold)."
        )
        self.roots: dict[Path, dict[str, int]] = {}
        self._truth: dict[Path, int | None] = {}
        self.evaluation: Evaluation | None = None
        self.hide()
        follow_palette(self, self._show)

    def add_paths(self, paths: Iterable[str]) -> None:
        """Note the labelled folders among ``paths`` (files and other folders are ignored)."""
        for raw in paths:
            classes = labelled_folder.class_folders(raw)
            if classes:
                self.roots[Path(raw)] = classes
                self._truth.clear()

    def forget(self) -> None:
        """No labelled folder any more (the list was cleared)."""
        self.roots.clear()
        self._truth.clear()
        self.update_from([], 0.5)

    def update_from(self, entries: Iterable[Entry], threshold: float) -> None:
        """Score the rows with a probability and a label at ``threshold``; show it."""
        pairs = []
        if self.roots:
            for entry in entries:
                if entry.probability is None or entry.error is not None:
                    continue
                if entry.path not in self._truth:
                    self._truth[entry.path] = labelled_folder.truth_of(entry.path, self.roots)
                truth = self._truth[entry.path]
                if truth is not None:
                    pairs.append((entry.probability, truth))
        self.evaluation = labelled_folder.evaluate(pairs, threshold)
        self.setVisible(self.evaluation is not None)
        self._show()

    def _show(self) -> None:
        """The text of :attr:`evaluation` in the palette's colours."""
        if self.evaluation is not None:
            self.setText(summary_html(self.evaluation))


def summary_html(ev: Evaluation) -> str:
    """Accuracy (with interval) beside the confusion matrix, rows truth, columns answer."""
    (nn, nc), (cn, cc) = ev.confusion.tolist()
    cell = "style='padding: 0 8px; text-align: right'"
    head = f"style='padding: 0 8px; color: {tones.secondary()}'"
    return (
        "<table cellspacing='0'><tr>"
        f"<td style='padding-right: 18px; vertical-align: middle'><b>Labelled folders</b>: "
        f"accuracy {accuracy_text(ev.accuracy, ev.n).replace(' images', ' pictures')}"
        f"<br>at threshold {ev.threshold:.2f}</td>"
        "<td><table cellspacing='0'>"
        f"<tr><td></td><td {head}>called cat</td><td {head}>called non-cat</td></tr>"
        f"<tr><td {head}>cat</td><td {cell}><b>{cc}</b></td><td {cell}>{cn}</td></tr>"
        f"<tr><td {head}>non-cat</td><td {cell}>{nc}</td><td {cell}><b>{nn}</b></td></tr>"
        "</table></td></tr></table>"
    )
