"""The Mistakes tab's filter: All / False positives / False negatives, as one segmented row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton

from catgui.ui.common import tones
from catgui.ui.common.elided_label import ElidedLabel
from catgui.ui.common.palette_follower import keep_style_sheet
from catgui.ui.mistakes.model import ALL, FALSE_NEGATIVE, FALSE_POSITIVE, MistakesModel

FILTERS = (
    (ALL, "All", "mistakesFilterAll"),
    (FALSE_POSITIVE, "False positives", "mistakesFilterFalsePositives"),
    (FALSE_NEGATIVE, "False negatives", "mistakesFilterFalseNegatives"),
)


class FilterButtons:
    """Three checkable buttons (:attr:`buttons`, by filter) and a hint, laid out in :attr:`row`.

    A click calls ``choose`` with the button's filter; :meth:`show_counts` labels each
    button with how many mistakes it shows and checks the one in use.
    """

    def __init__(self, choose: Callable[[str], None], parent: QObject) -> None:
        self.group = QButtonGroup(parent)
        self.buttons: dict[str, QPushButton] = {}
        self.row = QHBoxLayout()
        self.row.setSpacing(0)
        for i, (kind, _text, name) in enumerate(FILTERS):
            button = QPushButton(objectName=name, checkable=True)
            keep_style_sheet(button, _segment_style(i, len(FILTERS)))
            button.clicked.connect(lambda _=False, k=kind: choose(k))
            self.group.addButton(button)
            self.buttons[kind] = button
            self.row.addWidget(button)
        self.buttons[ALL].setChecked(True)
        self.row.addSpacing(16)
        hint = ElidedLabel(text="Click a picture to see it large.")
        hint.setToolTip("Click a picture (or press Enter) to see it large, with its scores")
        keep_style_sheet(hint, lambda: f"color: {tones.secondary()};")
        self.row.addWidget(hint)
        self.row.addStretch(1)

    def show_counts(self, mistakes: MistakesModel) -> None:
        """Label each button, e.g. "All (10)"; check the filter ``mistakes`` uses."""
        for kind, text, _name in FILTERS:
            self.buttons[kind].setText(f"{text} ({mistakes.count(kind)})")
        self.buttons[mistakes.filter].setChecked(True)


def _segment_style(i: int, n: int) -> str:
    left = "6px" if i == 0 else "0px"
    right = "6px" if i == n - 1 else "0px"
    return (
        "QPushButton { border: 1px solid palette(mid); padding: 5px 14px; background: palette(button);"
        f" border-top-left-radius: {left}; border-bottom-left-radius: {left};"
        f" border-top-right-radius: {right}; border-bottom-right-radius: {right}; }}"
        f"QPushButton:checked {{ background: {tones.PRIMARY}; color: white;"
        f" border-color: {tones.PRIMARY}; }}"
    )
