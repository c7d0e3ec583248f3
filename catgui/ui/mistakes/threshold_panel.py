"""A slider for the decision threshold (0.05–0.95) with "Reset to 0.5"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from catgui.ui.common import tones
from catgui.ui.common.palette_follower import keep_style_sheet

LOW, HIGH, DEFAULT = 0.05, 0.95, 0.5
STEPS = 100  # the slider counts hundredths
_BASE = QPalette.ColorRole.Base  # the panel it sits on


class ThresholdPanel(QWidget):
    """ "Cat when p(cat) > 0.50": a slider in steps of 0.01, and a reset button.

    Signals
    -------
    thresholdChanged(float)
        The user (or :meth:`set_threshold`) moved the threshold.
    """

    thresholdChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thresholdPanel")
        self.value_label = QLabel(objectName="thresholdValue")
        self.value_label.setTextFormat(Qt.TextFormat.RichText)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="thresholdSlider")
        self.slider.setRange(round(LOW * STEPS), round(HIGH * STEPS))
        self.slider.setSingleStep(1)
        self.slider.setPageStep(5)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(10)
        self.slider.setValue(round(DEFAULT * STEPS))
        self.slider.setAccessibleName("Decision threshold")
        self.slider.setToolTip(
            "Move to see what a stricter or looser threshold does on the test set: "
            "higher means fewer pictures are called cats"
        )
        self.slider.valueChanged.connect(self._moved)
        self.reset_button = QPushButton("Reset to 0.5", objectName="thresholdResetButton")
        self.reset_button.setToolTip("Back to the usual threshold: cat when p(cat) > 0.5")
        self.reset_button.clicked.connect(lambda: self.set_threshold(DEFAULT))
        ends = QHBoxLayout()
        for text, align in (
            ("more cats", Qt.AlignmentFlag.AlignLeft),
            ("fewer cats", Qt.AlignmentFlag.AlignRight),
        ):
            label = QLabel(text, alignment=align)
            keep_style_sheet(
                label, lambda: f"color: {tones.secondary(role=_BASE)}; font-size: 10px;"
            )
            ends.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(self.value_label, 1)
        row.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.slider)
        layout.addLayout(ends)
        self._show(self.threshold())

    def threshold(self) -> float:
        return self.slider.value() / STEPS

    def set_threshold(self, threshold: float) -> None:
        """Move the slider to ``threshold`` (clamped to 0.05–0.95, in steps of 0.01)."""
        self.slider.setValue(round(min(HIGH, max(LOW, float(threshold))) * STEPS))

    def _moved(self, value: int) -> None:
        self._show(value / STEPS)
        self.thresholdChanged.emit(value / STEPS)

    def _show(self, threshold: float) -> None:
        self.value_label.setText(f"Cat when p(cat) &gt; <b>{threshold:.2f}</b>")
        self.reset_button.setEnabled(round(threshold * STEPS) != round(DEFAULT * STEPS))
