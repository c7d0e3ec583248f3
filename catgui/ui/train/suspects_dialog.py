"""Suspicious labels…: the training pictures the cross-validated model disputes.

The dialog runs :func:`catgui.core.suspects.find_steps` (confident learning, Northcutt et
al. 2021) in the generic worker over the data set in use (the article's training
pictures, or a folder data set's pictures), lists the flagged ones worst first with their
thumbnails, and lets the user *Relabel* or *Exclude* them (Ctrl+Z undoes). Fixes are
kept in ``label-fixes.json`` beside the data (:mod:`catgui.core.label_fixes`): the h5
files and the photos are never changed, and the next training uses them. *Train again*
fits the pretrained head without and with the fixes and shows both test accuracies.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core import suspects
from catgui.core.data_source import KEY, Source
from catgui.core.dataset import DataSet
from catgui.core.folders import ImportProgress
from catgui.core.label_fixes import LabelFixes
from catgui.ui.common.qimages import to_pixmap
from catgui.workers.generator import GeneratorWorker

#: The thumbnails' side in the list.
ICON = 64
#: Fewer flagged than this: the least agreed-with of the others are listed after them.
AT_LEAST_SHOWN = 10


def source_of(data: DataSet | None) -> tuple[Path | None, Path | None]:
    """``(images folder, article folder)`` of the data set in use: the folder data set its
    training pictures come from, else the article's folder."""
    record = getattr(data, "source", None) or {}
    for part in record.get("train", []):
        if part.get(KEY) == Source.FOLDER.value and part.get("path"):
            return Path(part["path"]), None
    folder = getattr(data, "folder", None)
    return None, Path(folder) if folder is not None else None


def _find(images: Path | None, article: Path | None):
    if images is not None:
        pictures = yield from suspects.folder_pictures(images)
    else:
        pictures = suspects.article_pictures(article)
    return (yield from suspects.find_steps(pictures))


class SuspectsDialog(QDialog):
    """Flagged training pictures of ``images`` (a folder data set) or of the article's
    files in ``article`` (``None``: found as usual), with Relabel / Exclude / Undo.

    Signals
    -------
    found(object)
        The :class:`~catgui.core.suspects.Findings` are listed.
    fixesChanged()
        A fix was recorded or undone (the Train tab re-imports its data for the next run).
    compared(object)
        *Train again* ended: a :class:`~catgui.core.suspects.Comparison`.
    failed(str)
        Finding or comparing failed; the message is shown in the dialog too.
    """

    found = Signal(object)
    fixesChanged = Signal()
    compared = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        images: Path | None = None,
        article: Path | None = None,
        fixes: LabelFixes | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("suspectsDialog")
        self.setWindowTitle("Suspicious labels")
        self.images, self.article = images, article
        self.fixes = fixes or LabelFixes()
        self.findings: suspects.Findings | None = None
        self._training: set[int] = set()  # positions of the pictures training reads
        self.history: list[tuple[suspects.Suspect, object]] = []
        self.worker: GeneratorWorker | None = None

        self.summary = QLabel("Cross-validating the training pictures…", wordWrap=True)
        self.summary.setObjectName("suspectsSummary")
        self.list = QListWidget(objectName="suspectsList")
        self.list.setIconSize(QSize(ICON, ICON))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._show_buttons)
        self.relabel_button = QPushButton("Relabel")
        self.relabel_button.setToolTip("Give the selected pictures the other label (R)")
        self.exclude_button = QPushButton("Exclude")
        self.exclude_button.setToolTip("Leave the selected pictures out of training (E)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Take the last relabel or exclude back (Ctrl+Z)")
        self.compare_button = QPushButton("Train again")
        self.compare_button.setToolTip(
            "Fit the pretrained model without and with your fixes; compare the test accuracy"
        )
        self.relabel_button.clicked.connect(self.relabel)
        self.exclude_button.clicked.connect(self.exclude)
        self.undo_button.clicked.connect(self.undo)
        self.compare_button.clicked.connect(self.compare)
        self.result = QLabel(objectName="suspectsResult", wordWrap=True)
        close = QPushButton("Close")
        close.clicked.connect(self.close)

        buttons = QHBoxLayout()
        for button in (self.relabel_button, self.exclude_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        for keys, slot in (("R", self.relabel), ("E", self.exclude)):
            QShortcut(QKeySequence(keys), self, activated=slot)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo)
        self.resize(620, 560)
        self._show_buttons()

    # -- finding ---------------------------------------------------------------------------
    def start(self) -> None:
        """Cross-validate and flag in a worker (the list fills when it is done)."""
        if self.worker is not None:
            return
        images, article = self.images, self.article
        self._run(lambda: _find(images, article), self._found, "finding suspicious labels")

    def _found(self, findings: suspects.Findings) -> None:
        self.findings = findings
        self._training = {int(i) for i in findings.pictures.train_index}
        m = len(findings.pictures.y)
        n = len(findings.suspects)
        chosen = findings.chosen
        others = findings.least_agreed(max(0, AT_LEAST_SHOWN - n))
        more = (
            f" Not flagged, but the model agrees least with the {len(others)} after them."
            if others and n
            else f" The model agrees least with these {len(others)}, though."
            if others
            else ""
        )
        self.summary.setText(
            f"{n} of {m} training pictures have a label the cross-validated model disputes "
            f"(confident learning, Northcutt et al. 2021; {chosen.representation} features, "
            f"C {chosen.c:g}){', worst first' if n else ''}.{more}"
        )
        self.list.clear()
        fixes = self.fixes.of(findings.pictures.set_key)
        for s in findings.suspects + others:
            item = QListWidgetItem(QIcon(to_pixmap(findings.pictures.x[s.position])), "")
            item.setData(Qt.ItemDataRole.UserRole, s)
            self.list.addItem(item)
            self._show_row(item, fixes.state(s.key), flagged=s in findings.suspects)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.found.emit(findings)

    def _show_row(self, item: QListWidgetItem, state, flagged: bool | None = None) -> None:
        s: suspects.Suspect = item.data(Qt.ItemDataRole.UserRole)
        if flagged is not None:
            item.setData(Qt.ItemDataRole.UserRole + 1, flagged)
        flagged = item.data(Qt.ItemDataRole.UserRole + 1)
        label = "cat" if s.label == 1 else "non-cat"
        fate = {
            "exclude": " — excluded from training",
            0: " — relabelled non-cat",
            1: " — relabelled cat",
        }.get(state, "")
        where = str(s.path) if s.path is not None else s.name
        note = "" if flagged else " (not flagged)"
        if self.findings is not None and s.position not in self._training:
            note += " (held out for testing: training never reads it)"
        item.setText(f"{where}\nlabelled {label}, P(cat) {s.probability:.2f}{note}{fate}")
        item.setToolTip(where)

    # -- fixing ----------------------------------------------------------------------------
    def selected(self) -> list[QListWidgetItem]:
        return self.list.selectedItems()

    def relabel(self) -> None:
        """The selected pictures get the other label."""
        self._fix(lambda s: 1 - s.label)

    def exclude(self) -> None:
        """The selected pictures are left out of training."""
        self._fix(lambda s: "exclude")

    def _fix(self, state_of) -> None:
        if self.findings is None or not self.selected():
            return
        key = self.findings.pictures.set_key
        current = self.fixes.of(key)
        for item in self.selected():
            s = item.data(Qt.ItemDataRole.UserRole)
            self.history.append((s, current.state(s.key)))
            self.fixes.set(key, s.key, state_of(s))
            self._show_row(item, state_of(s))
        self._changed()

    def undo(self) -> None:
        """Take the last fix back."""
        if not self.history or self.findings is None:
            return
        s, before = self.history.pop()
        self.fixes.set(self.findings.pictures.set_key, s.key, before)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) is s:
                self._show_row(item, before)
                self.list.setCurrentItem(item)
        self._changed()

    def _changed(self) -> None:
        self._show_buttons()
        self.fixesChanged.emit()

    # -- comparing -------------------------------------------------------------------------
    def compare(self) -> None:
        """Fit without and with the fixes in a worker; show both test accuracies."""
        if self.findings is None or self.worker is not None:
            return
        pictures = self.findings.pictures
        fixes = self.fixes.of(pictures.set_key)
        self.result.setText("Training without and with your fixes…")
        self._run(lambda: suspects.compare_steps(pictures, fixes), self._compared, "training")

    def _compared(self, comparison: suspects.Comparison) -> None:
        self.result.setText(comparison.sentence())
        self.compared.emit(comparison)

    # -- common ----------------------------------------------------------------------------
    def _run(self, make_steps, on_result, task: str) -> None:
        self.worker = GeneratorWorker(make_steps, task=task, max_per_second=10, parent=self)
        self.worker.stepped.connect(self._progressed)
        self.worker.returned.connect(on_result)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._worker_done)
        self._show_buttons()
        self.worker.start()

    def _progressed(self, step) -> None:
        if isinstance(step, ImportProgress):
            text = f"Importing pictures: {step.done:,} of {step.total:,}…"
        else:
            stage, done, total = step
            text = f"{stage.capitalize()}: {done:,} of {total:,}…"
        (self.summary if self.findings is None else self.result).setText(text)

    def _failed(self, message: str) -> None:
        (self.summary if self.findings is None else self.result).setText(message)
        self.failed.emit(message)

    def _worker_done(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self._show_buttons()

    def _show_buttons(self) -> None:
        idle = self.worker is None and self.findings is not None
        chosen = bool(self.selected())
        self.relabel_button.setEnabled(idle and chosen)
        self.exclude_button.setEnabled(idle and chosen)
        self.undo_button.setEnabled(idle and bool(self.history))
        self.compare_button.setEnabled(idle)

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.stop_and_wait()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.shutdown()
        super().closeEvent(event)
