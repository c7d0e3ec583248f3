"""The Library grid's filters, each with its count, the order, and a text to find in paths."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

#: The filters, in order: name ("" for every file) and title.
FILTER_TITLES = (
    ("", "All"),
    ("cats", "Cats"),
    ("non-cats", "Not cats"),
    ("unsure", "Unsure"),
    ("unfamiliar", "Unfamiliar"),
    ("errors", "Errors"),
)
FILTER_TIPS = {
    "": "Every file in the library",
    "cats": "Photos the active model calls a cat",
    "non-cats": "Photos the active model calls not a cat",
    "unsure": "Photos whose P(cat) is near the threshold",
    "unfamiliar": "Photos unlike the pictures the model learnt from (its answer means less)",
    "errors": "Files that could not be read, with the reason",
}
SORT_TITLES = (("probability", "P(cat)"), ("date", "Date"), ("folder", "Folder"))


class FilterBar(QWidget):
    """A row of filter buttons (one checked), the order and the path text.

    Signals
    -------
    filterChanged(str)
        The filter's name ("" for every file).
    sortChanged(str)
        ``"probability"``, ``"date"`` or ``"folder"``.
    textChanged(str)
        The text to find in the paths, as typed.
    """

    filterChanged = Signal(str)
    sortChanged = Signal(str)
    textChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryFilters")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        self.titles: dict[str, str] = {}
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(4)
        for name, title in FILTER_TITLES:
            self.add_filter(name, title, FILTER_TIPS[name])
        self.buttons[""].setChecked(True)
        self._row.addStretch(1)
        self.sort = QComboBox(objectName="librarySort")
        for name, title in SORT_TITLES:
            self.sort.addItem(title, name)
        self.sort.setToolTip(
            "Order of the pictures: P(cat) highest first, newest first, or by folder"
        )
        sort_caption = QLabel("&Order:")
        sort_caption.setBuddy(self.sort)
        self._row.addWidget(sort_caption)
        self._row.addWidget(self.sort)
        self.text = QLineEdit(objectName="libraryText", placeholderText="Find in paths…")
        self.text.setClearButtonEnabled(True)
        self.text.setToolTip("Show only the files whose path contains this text (Ctrl+F)")
        self.text.setMinimumWidth(140)
        self._row.addWidget(self.text, 1)
        self.sort.currentIndexChanged.connect(lambda _i: self.sortChanged.emit(self.sort_name()))
        self.text.textChanged.connect(self.textChanged)

    def add_filter(self, name: str, title: str, tip: str = "") -> QToolButton:
        """A filter button (the *Duplicates* one is added this way), after the others."""
        button = QToolButton(objectName=f"libraryFilter_{name or 'all'}", text=title)
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.setToolTip(tip)
        button.toggled.connect(lambda on, n=name: on and self.filterChanged.emit(n))
        self.group.addButton(button)
        self.buttons[name] = button
        self.titles[name] = title
        at = len(self.buttons) - 1
        self._row.insertWidget(at, button)
        return button

    def filter_name(self) -> str:
        return next((n for n, b in self.buttons.items() if b.isChecked()), "")

    def sort_name(self) -> str:
        return str(self.sort.currentData())

    def choose_filter(self, name: str) -> None:
        self.buttons[name].setChecked(True)

    def choose_sort(self, name: str) -> None:
        at = self.sort.findData(name)
        if at >= 0:
            self.sort.setCurrentIndex(at)

    def set_counts(self, counts: dict[str, int]) -> None:
        """Each button's title with its count ("Cats 1,204"); no count when unknown."""
        for name, button in self.buttons.items():
            count = counts.get(name or "all")
            title = self.titles[name]
            button.setText(title if count is None else f"{title} {count:,}")
