"""The Train page's left column: data, settings, buttons and the run's summary, scrolled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGroupBox, QScrollArea, QVBoxLayout, QWidget


class ControlsColumn(QScrollArea):
    """A fixed-width column (``trainControls``) that scrolls when the window is short.

    Parameters
    ----------
    data_box, form, buttons, summary
        The data box, the hyper-parameter form (shown in a "Settings" box), the row of
        buttons and the run summary, top to bottom.
    """

    def __init__(
        self,
        data_box: QWidget,
        form: QWidget,
        buttons: QWidget,
        summary: QWidget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, objectName="trainControls", widgetResizable=True)
        settings_box = QGroupBox("Settings")
        QVBoxLayout(settings_box).addWidget(form)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 6, 0)
        left.addWidget(data_box)
        left.addWidget(settings_box)
        left.addWidget(buttons)
        left.addWidget(summary)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(left_widget)
        left_widget.setFixedWidth(384)  # labels wrap; room for a vertical scroll bar
        self.setFixedWidth(400)
