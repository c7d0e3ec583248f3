"""The line above the Classify results: summary, progress, Cancel/Clear, unsure band, corrections."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QWidget,
)

from catgui.ui.classify.compare_selector import CompareSelector
from catgui.ui.classify.entry import band_around
from catgui.ui.classify.text import band_text
from catgui.ui.common.elided_label import ElidedLabel
from catgui.ui.common.heat_colours import AGAINST, FOR_CAT, HEAT_TIP
from catgui.ui.common.narrow_combo import NarrowComboBox
from catgui.ui.common.palette_follower import keep_style_sheet

WHY_TIP = (
    "Why? Show where in each picture the model finds its answer, over what it sees: "
    "red marks evidence for cat, blue evidence against; the stronger the colour, the more "
    "it counts. A click on one picture’s preview shows or hides just that one."
)

#: Choices for how far either side of the threshold a probability counts as unsure.
HALF_WIDTHS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


class ClassifyHeader(QWidget):
    """Summary and status on the left; progress, Cancel, Clear, Why?, Compare with, the band
    and corrections right.

    The summary and the status are :class:`ElidedLabel` s: their texts grow while batches
    run ("Classifying 3 of 5… · 2 more drops waiting"), and a plain label's minimum width
    follows its text, which made the window widen by itself (and keep the width). Here a
    text that does not fit is cut with "…" instead.

    Signals
    -------
    halfWidthChanged(float)
        The user chose another unsure band (its half width around the threshold).
    whyToggled(bool)
        "Why?" was switched on (heat maps) or off (what the model sees).
    """

    halfWidthChanged = Signal(float)
    whyToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classifyHeader")
        self.summary = ElidedLabel(objectName="classifySummary")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        # an idle status takes no room from the summary (it cut "…, 1 error" to "…, 1…")
        self.status = ElidedLabel(min_characters=0, objectName="classifyStatus")
        self.progress = QProgressBar(objectName="classifyProgress")
        self.progress.setTextVisible(False)
        self.progress.setMinimumWidth(80)  # gives way to the status text when space is short
        self.progress.setMaximumWidth(200)
        keep_style_sheet(
            self.progress,
            "QProgressBar { border: 1px solid palette(mid); border-radius: 5px;"
            " background: palette(base); min-height: 10px; max-height: 10px; }"
            " QProgressBar::chunk { background-color: #0a84ff; border-radius: 4px; }",
        )
        self.cancel_button = QPushButton("Cancel", objectName="cancelClassifyButton")
        self.cancel_button.setToolTip("Stop classifying; the pictures done so far stay")
        self.clear_button = QPushButton("Clear", objectName="clearResultsButton")
        self.clear_button.setToolTip("Empty the list (the files are not touched)")
        self.band_combo = NarrowComboBox(objectName="unsureBandCombo")
        self.band_combo.setAccessibleName("Unsure band")
        self.band_combo.setToolTip(
            "Answers this close to the decision threshold are shown as “Unsure”: the model "
            "cannot really tell. Remembered between runs."
        )
        self.band_combo.currentIndexChanged.connect(self._band_chosen)
        self.why_button = QPushButton("Why?", objectName="whyButton", checkable=True)
        self.why_button.setAccessibleName("Why: show heat maps")
        self.why_button.toggled.connect(self.whyToggled)
        # the heat maps' legend, once for every row (over each picture it hid a corner)
        self.why_legend = QLabel(objectName="classifyWhyLegend")
        self.why_legend.setTextFormat(Qt.TextFormat.RichText)
        self.why_legend.setText(
            f"<span style='color:{FOR_CAT.name()}'>●</span> cat "
            f"<span style='color:{AGAINST.name()}'>●</span> not"
        )
        self.why_legend.setToolTip(HEAT_TIP)
        self.why_legend.hide()
        self.why_button.toggled.connect(self.why_legend.setVisible)
        self.set_why_reason(None)
        self.compare_combo = CompareSelector()
        self.corrections_button = QPushButton(objectName="correctionsButton")
        self.corrections_button.setToolTip(
            "Review the pictures you corrected (copies kept for training) and remove any"
        )
        self.corrections_button.setFlat(True)
        keep_style_sheet(
            self.corrections_button,
            "QPushButton#correctionsButton { color: palette(link); padding: 3px 8px; }"
            " QPushButton#correctionsButton:hover { text-decoration: underline; }",
        )
        for button in (self.cancel_button, self.clear_button, self.why_button):
            _may_shrink(button)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(4, 0, 0, 0)
        bar.addWidget(self.summary)
        bar.addSpacing(12)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.clear_button)
        bar.addSpacing(8)
        bar.addWidget(self.why_button)
        bar.addWidget(self.why_legend)
        bar.addWidget(self.compare_combo)
        bar.addWidget(self.band_combo)
        bar.addWidget(self.corrections_button)
        self._threshold = 0.5
        self.set_band(0.5, 0.1)

    def half_width(self) -> float:
        return HALF_WIDTHS[max(0, self.band_combo.currentIndex())]

    def set_band(self, threshold: float, half_width: float) -> None:
        """Show the choices around ``threshold`` with ``half_width`` chosen (nearest offered)."""
        self._threshold = threshold
        chosen = min(range(len(HALF_WIDTHS)), key=lambda i: abs(HALF_WIDTHS[i] - half_width))
        self.band_combo.blockSignals(True)
        self.band_combo.clear()
        for w in HALF_WIDTHS:
            self.band_combo.addItem(band_text(band_around(threshold, w)), w)
        self.band_combo.setCurrentIndex(chosen)
        self.band_combo.blockSignals(False)

    def set_why_reason(self, reason: str | None) -> None:
        """Enable "Why?", or disable it saying ``reason`` (the active model cannot explain)."""
        self.why_button.setEnabled(reason is None)
        if reason is None:
            self.why_button.setToolTip(WHY_TIP)
        else:
            self.why_button.setToolTip(f"Why? is not available: {reason}.")

    def set_corrections(self, count: int) -> None:
        self.corrections_button.setText(f"Corrections: {count:,}")

    def _band_chosen(self, index: int) -> None:
        if index >= 0:
            self.halfWidthChanged.emit(HALF_WIDTHS[index])


def _may_shrink(button: QPushButton) -> None:
    """Let ``button`` give way below the style's minimum button width (80 px), to its text.

    Where there is room it keeps its usual size; in a narrow window the header's buttons
    get smaller instead of raising the window's minimum width.
    """
    margin = 2 * button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin)
    text = button.fontMetrics().horizontalAdvance(button.text())
    button.setMinimumWidth(text + margin + 12)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, button.sizePolicy().verticalPolicy())
