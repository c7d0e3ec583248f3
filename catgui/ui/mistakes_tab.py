"""Placeholder until the Mistakes tab lands (see issue 3)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class MistakesTab(QWidget):
    def __init__(self, state, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesTab")
        self.state = state
        QVBoxLayout(self).addWidget(QLabel("Mistakes: coming soon"))
