"""Placeholder until the Classify tab lands (see issue 3)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ClassifyTab(QWidget):
    def __init__(self, state, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("classifyTab")
        self.state = state
        QVBoxLayout(self).addWidget(QLabel("Classify: coming soon"))

    def add_paths(self, paths: list[str]) -> None:
        """Classify these files and folders (recursively)."""
