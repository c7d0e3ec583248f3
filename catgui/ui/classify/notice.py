"""The Classify tab's notice: a word to the user above the drop area (no model, a failure)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

NO_MODEL = (
    "No model is active, so nothing can be classified yet. Open a model "
    "(File ▸ Open model…) or train one in the Train tab."
)


class ClassifyNotice(QLabel):
    """An amber box with selectable text, hidden while it has nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classifyNotice")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()
        self.setStyleSheet(
            "QLabel { background: rgba(201, 138, 18, 0.15); border-radius: 6px;"
            " border: 1px solid rgba(201, 138, 18, 0.5); padding: 8px 10px; }"
        )

    def show_text(self, text: str) -> None:
        """Say ``text`` ("" hides the notice)."""
        self.setText(text)
        self.setVisible(bool(text))

    def follow_model(self, has_model: bool, waiting_items: int) -> None:
        """Say that no model is active (and how many dropped items wait for one), or stop
        saying so once one is."""
        if not has_model:
            text = NO_MODEL
            if waiting_items:
                n = waiting_items
                text += f" The {n:,} dropped item{'s' * (n != 1)} will be classified then."
            self.show_text(text)
        elif self.text().startswith(NO_MODEL):
            self.show_text("")
