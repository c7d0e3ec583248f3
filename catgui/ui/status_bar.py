"""The window's status bar: always the active model and the data set in use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from catgui.core.evaluation import accuracy_text
from catgui.ui.app_state import AppState


class StatusBar(QStatusBar):
    """``Active model: NAME — test accuracy 80 % (67–89 %) on 50 images`` and the data set.

    Both stay visible (permanent widgets); temporary messages still show on the left.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model_label = QLabel(objectName="modelStatus")
        self.data_label = QLabel(objectName="datasetStatus")
        for label in (self.model_label, self.data_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setContentsMargins(6, 0, 6, 0)
        self.addPermanentWidget(self.model_label, 1)
        self.addPermanentWidget(self.data_label)
        state.modelChanged.connect(self.refresh)
        state.datasetChanged.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args) -> None:
        model = self.state.model
        if model is None:
            self.model_label.setText("Active model: none — train one or open one")
            self.model_label.setToolTip("")
        else:
            acc, n = model.test_accuracy, model.metadata.get("test_size") or 0
            text = accuracy_text(acc, n) if acc is not None else "unknown"
            self.model_label.setText(f"Active model: {model.name} — test accuracy {text}")
            self.model_label.setToolTip(str(model.path or "not saved"))
        data = self.state.dataset
        if data is None:
            self.data_label.setText("Data set: not found")
            self.data_label.setToolTip("")
        else:
            self.data_label.setText(
                f"Data set: {data.folder.name} ({len(data.train)} train / {len(data.test)} test)"
            )
            self.data_label.setToolTip(str(data.folder))
