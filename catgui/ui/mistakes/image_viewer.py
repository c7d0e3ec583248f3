"""The large view of one mistake, with Previous / Next through the shown mistakes."""

from __future__ import annotations

import functools
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core import explain
from catgui.core.classifier import Classifier
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette, keep_style_sheet
from catgui.ui.common.qimages import to_qimage
from catgui.ui.mistakes.delegate import KIND_COLOURS, label_colour
from catgui.ui.mistakes.model import MistakeItem, class_name
from catgui.workers.generator import GeneratorWorker

SCALE = 5  # 64 x 64 shown at 320 x 320, pixel for pixel
WHY_TIP = (
    "Why? Show where in the picture the model finds its answer: red marks evidence for "
    "cat, blue evidence against; the stronger the colour, the more it counts (W)"
)


class ImageViewer(QDialog):
    """Shows ``items[index]`` large with its details; ← / → step through ``items``.

    Signals
    -------
    currentChanged(int)
        The index now shown (the grid follows it).

    "Why?" (W) lays the heat map of ``classifier`` over the picture: the test picture as
    that model sees it (upscaled to 224 x 224 for a pretrained kind), computed off the GUI
    thread once per picture. A model that cannot explain leaves the button disabled,
    saying why.
    """

    currentChanged = Signal(int)

    def __init__(
        self,
        items: list[MistakeItem],
        index: int = 0,
        threshold: float = 0.5,
        parent: QWidget | None = None,
        classifier: Classifier | None = None,
    ) -> None:
        super().__init__(parent)
        self.threshold = threshold
        self.classifier = classifier
        #: Heat maps made so far, by item index; the worker making one, and for which.
        self.explained: dict[int, explain.Explained] = {}
        self.worker: GeneratorWorker | None = None
        self._working_on: int | None = None
        self.setObjectName("mistakeViewer")
        self.items = list(items)
        self.index = -1
        self.image_label = QLabel(
            objectName="mistakeViewerImage", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.image_label.setFixedSize(64 * SCALE, 64 * SCALE)
        self.image_label.setStyleSheet("background: #1c1c1e; border-radius: 8px;")
        self.title_label = QLabel(objectName="mistakeViewerTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.kind_label = QLabel(objectName="mistakeViewerKind")
        self.details_label = QLabel(objectName="mistakeViewerDetails")
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.probability_bar = QProgressBar(objectName="mistakeViewerProbability")
        self.probability_bar.setRange(0, 1000)
        self.probability_bar.setTextVisible(False)
        self.probability_bar.setFixedHeight(8)
        self.position_label = QLabel(objectName="mistakeViewerPosition")
        keep_style_sheet(self.position_label, lambda: f"color: {tones.secondary()};")
        self.previous_button = QPushButton("‹ Previous", objectName="previousMistakeButton")
        self.next_button = QPushButton("Next ›", objectName="nextMistakeButton")
        self.previous_button.setToolTip("Previous mistake (←)")
        self.next_button.setToolTip("Next mistake (→)")
        self.previous_button.clicked.connect(self.show_previous)
        self.next_button.clicked.connect(self.show_next)
        # Shortcuts, not keyPressEvent: a focused button would take the arrows for focus moves.
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, self.show_previous)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, self.show_next)
        self.why_button = QPushButton("Why?", objectName="mistakeWhyButton", checkable=True)
        reason = "no model" if classifier is None else classifier.cannot_explain
        self.why_button.setEnabled(reason is None)
        self.why_button.setToolTip(
            WHY_TIP if reason is None else f"Why? is not available: {reason}."
        )
        self.why_button.toggled.connect(self._show_picture)
        QShortcut(QKeySequence(Qt.Key.Key_W), self, self.why_button.click)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        details = QVBoxLayout()
        details.setSpacing(8)
        details.addWidget(self.title_label)
        details.addWidget(self.kind_label)
        details.addWidget(self.details_label)
        details.addWidget(self.probability_bar)
        details.addStretch(1)
        details.addWidget(self.position_label)
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addWidget(self.image_label)
        top.addLayout(details, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.why_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.setMinimumWidth(64 * SCALE + 320)
        self.show_index(index)
        follow_palette(self.details_label, lambda: self.show_index(self.index))

    def show_previous(self) -> None:
        self.show_index(self.index - 1)

    def show_next(self) -> None:
        self.show_index(self.index + 1)

    def show_index(self, index: int) -> None:
        """Show ``items[index]`` (clamped to the list)."""
        if not self.items:
            return
        index = max(0, min(index, len(self.items) - 1))
        changed = index != self.index
        self.index = index
        item = self.items[index]
        m = item.mistake
        self._show_picture()
        self.setWindowTitle(f"{item.title} — {m.kind}")
        self.title_label.setText(item.title)
        colour = KIND_COLOURS.get(m.kind)
        self.kind_label.setText(m.kind.capitalize())
        self.kind_label.setStyleSheet(
            f"color: {tones.tone(colour) if colour else 'palette(text)'}; font-weight: bold;"
        )
        truth, said = class_name(m.label), class_name(m.predicted)
        window, grey = tones.ground(), tones.secondary()
        self.details_label.setText(
            f"Truth: <b style='color:{label_colour(m.label, window).name()}'>{truth}</b><br>"
            "The model said: "
            f"<b style='color:{label_colour(m.predicted, window).name()}'>{said}</b><br>"
            f"Probability of cat: <b>{m.probability:.3f}</b> "
            f"<span style='color:{grey}'>(cat above {self.threshold:g})</span><br>"
            f"<span style='color:{grey}'>Shown at {SCALE}× the 64 × 64 pixels of the test "
            "picture.</span>"
            + (
                f"<br><span style='color:{grey}'>File: {html.escape(item.name)}</span>"
                if item.name
                else ""
            )
        )
        self.probability_bar.setValue(round(1000 * m.probability))
        self.probability_bar.setStyleSheet(
            "QProgressBar { border: none; border-radius: 4px; background: rgba(142, 142, 147, 60); }"
            f"QProgressBar::chunk {{ border-radius: 4px; background: {label_colour(m.predicted).name()}; }}"
        )
        self.probability_bar.setAccessibleName(f"probability of cat {m.probability:.3f}")
        self.position_label.setText(f"{index + 1} of {len(self.items)}")
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.items) - 1)
        if changed:
            self.currentChanged.emit(index)

    # -- "Why?" ---------------------------------------------------------------------------------
    def showing_why(self) -> bool:
        """Whether the heat map of the shown picture is on screen."""
        return self.why_button.isChecked() and self.index in self.explained

    def _show_picture(self, *_args) -> None:
        """The shown item's picture, or its heat map when "Why?" is on and it is ready."""
        if not self.items:
            return
        item = self.items[self.index]
        explained = self.explained.get(self.index) if self.why_button.isChecked() else None
        if explained is not None and explained.overlay is not None:
            image = to_qimage(explained.overlay)
            mode = Qt.TransformationMode.SmoothTransformation  # 224 -> 320
            self.image_label.setToolTip(f"{WHY_TIP[:-4]}.")
        else:
            image, mode = item.image, Qt.TransformationMode.FastTransformation
            self.image_label.setToolTip("")
        size = 64 * SCALE
        scaled = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, mode)
        self.image_label.setPixmap(QPixmap.fromImage(scaled))
        if self.why_button.isChecked() and explained is None:
            self._explain(self.index)

    def _explain(self, index: int) -> None:
        """Make the heat map of ``items[index]`` in a worker (one at a time)."""
        pixels = self.items[index].pixels
        if self.worker is not None or self.classifier is None or pixels is None:
            return
        self.why_button.setText("Why? …")
        self._working_on = index
        worker = GeneratorWorker(
            functools.partial(explain.explain_steps, self.classifier, [(index, pixels)]),
            task="making the heat map",
            max_per_second=0,
        )
        worker.stepped.connect(self._explained)
        worker.failed.connect(self._explain_failed)
        worker.finished.connect(self._worker_ended)
        self.worker = worker
        worker.start()

    def _explained(self, step: explain.Explained) -> None:
        self.explained[step.key] = step
        if step.key == self.index:
            self._show_picture()

    def _explain_failed(self, message: str) -> None:
        self.why_button.setChecked(False)
        self.why_button.setToolTip(f"The heat map could not be made: {message}")

    def _worker_ended(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()
        self.why_button.setText("Why?")
        if self.why_button.isChecked() and self.index not in self.explained:
            self._explain(self.index)  # the user moved on while the last one was made

    def stop_worker(self) -> None:
        """Stop a heat map being made and wait for its thread (the view closes)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop_and_wait()
            worker.deleteLater()

    def done(self, result: int) -> None:  # noqa: D102 - QDialog API
        self.stop_worker()
        super().done(result)
