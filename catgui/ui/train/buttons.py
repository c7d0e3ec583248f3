"""The row under the Train tab's settings: Restore defaults, Sweep…, Stop and Train."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget


class TrainButtons(QWidget):
    """``Restore defaults`` on the left, ``Stop`` and ``Train`` (the default) on the right.

    The Train tab connects the buttons (:attr:`train_button`, :attr:`stop_button`,
    :attr:`defaults_button`) and enables them.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainButtons")
        self.train_button = QPushButton("Train", objectName="trainButton")
        self.train_button.setDefault(True)
        self.train_button.setToolTip("Train a new model with these settings (Ctrl+Return)")
        self.stop_button = QPushButton("Stop", objectName="stopButton")
        self.stop_button.setToolTip("Stop now and keep what was learnt so far (Esc)")
        self.defaults_button = QPushButton("Restore defaults", objectName="restoreDefaultsButton")
        self.defaults_button.setFlat(True)
        self.defaults_button.setToolTip(
            "Back to the recipe's hyper-parameters, without augmentation, and without "
            "your corrections on the article's pictures"
        )
        self.sweep_button = QPushButton("Sweep…", objectName="sweepButton")
        self.sweep_button.setToolTip(
            "Train this recipe over several seeds or learning rates, or cross-validate it"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.defaults_button)
        row.addStretch(1)
        row.addWidget(self.sweep_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.train_button)
        QWidget.setTabOrder(self.train_button, self.stop_button)
