"""The Mistakes tab's side panel: accuracy with its interval, count, matrix, threshold."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from catgui.core import evaluation
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette, keep_style_sheet
from catgui.ui.mistakes.confusion_matrix import ConfusionMatrix
from catgui.ui.mistakes.threshold_panel import ThresholdPanel


def _grey() -> str:
    """Captions and details on the panel's ground (the palette's base)."""
    return f"color: {tones.secondary(role=QPalette.ColorRole.Base)};"


def _caption(text: str) -> QLabel:
    label = QLabel(text.upper())
    keep_style_sheet(
        label, lambda: f"{_grey()} font-size: 11px; font-weight: bold; letter-spacing: 1px;"
    )
    return label


def _pct(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.0f} %"


def precision_recall_text(result: evaluation.Evaluation) -> str:
    """Two lines (rich text): precision and recall, each with the counts behind it."""
    (_tn, fp), (fn, tp) = result.confusion.tolist()
    called, cats = tp + fp, tp + fn
    grey = _grey()
    precision = (
        f"<b>Precision {_pct(result.precision)}</b>"
        f"<br><span style='{grey}'>{tp} of the {called} called cat are cats</span>"
        if called
        else f"<b>Precision –</b><br><span style='{grey}'>nothing is called a cat</span>"
    )
    recall = (
        f"<b>Recall {_pct(result.recall)}</b>"
        f"<br><span style='{grey}'>{tp} of the {cats} cats are found</span>"
        if cats
        else f"<b>Recall –</b><br><span style='{grey}'>no cats in the test set</span>"
    )
    return f"{precision}<br>{recall}"


class MistakesSummary(QFrame):
    """Accuracy ("80 % (68–89 %) on 50 images"), "N mistakes of M", the confusion matrix,
    precision and recall, the threshold slider and where the numbers come from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesSummary")
        self.setFixedWidth(270)
        keep_style_sheet(
            self,
            "#mistakesSummary { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; }",
        )
        self.accuracy_label = QLabel(objectName="mistakesAccuracy")
        self.accuracy_label.setTextFormat(Qt.TextFormat.RichText)
        self.accuracy_label.setWordWrap(True)
        self.count_label = QLabel(objectName="mistakesCount")
        font = self.count_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.count_label.setFont(font)
        self.confusion = ConfusionMatrix()
        self.rates_label = QLabel(objectName="mistakesPrecisionRecall")
        self.rates_label.setTextFormat(Qt.TextFormat.RichText)
        self.rates_label.setWordWrap(True)
        self.threshold_panel = ThresholdPanel()
        self.source_label = QLabel(objectName="mistakesSource")
        self.source_label.setWordWrap(True)
        keep_style_sheet(self.source_label, lambda: f"{_grey()} font-size: 11px;")
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(6)
        self.accuracy_caption = _caption("Test accuracy")
        column.addWidget(self.accuracy_caption)
        column.addWidget(self.accuracy_label)
        column.addSpacing(6)
        column.addWidget(self.count_label)
        column.addSpacing(8)
        column.addWidget(_caption("Confusion matrix"))
        column.addWidget(self.confusion)
        column.addSpacing(4)
        column.addWidget(self.rates_label)
        column.addSpacing(8)
        column.addWidget(_caption("Decision threshold"))
        column.addWidget(self.threshold_panel)
        column.addSpacing(8)
        column.addWidget(self.source_label)
        column.addStretch(1)
        self._shown: tuple | None = None
        follow_palette(self.accuracy_label, self._show_again)

    def show_result(self, result: evaluation.Evaluation, model_name: str, which: str) -> None:
        """Show the numbers of ``result`` (at its threshold); ``which`` says what it tested."""
        self._shown = (result, model_name, which)
        moved = abs(result.threshold - 0.5) > 1e-9
        caption = f"Test accuracy at {result.threshold:.2f}" if moved else "Test accuracy"
        self.accuracy_caption.setText(caption.upper())
        head, _, rest = evaluation.accuracy_text(result.accuracy, result.n).partition(" (")
        self.accuracy_label.setText(
            f"<span style='font-size:30px; font-weight:bold'>{head}</span>"
            + (f"<br><span style='{_grey()}'>({rest}</span>" if rest else "")
        )
        self.accuracy_label.setToolTip(
            "The accuracy on the test set, with its 95 % confidence interval (Wilson): "
            "with this many test images the true accuracy is likely in that range."
        )
        mistakes = len(result.mistakes)
        self.count_label.setText(f"{mistakes} mistake{'s' * (mistakes != 1)} of {result.n}")
        self.confusion.set_matrix(result.confusion)
        self.rates_label.setText(precision_recall_text(result))
        self.source_label.setText(f"Model: {model_name}\n{which}")

    def _show_again(self) -> None:
        """The numbers on show, in the colours of a new palette."""
        if self._shown is not None:
            self.show_result(*self._shown)
