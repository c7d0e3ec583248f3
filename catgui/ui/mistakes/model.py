"""The list behind ``mistakesView``: wrongly classified test images, filtered by kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage

from catgui.core.evaluation import Mistake
from catgui.ui.common.qimages import to_qimage

#: Filter values: every mistake, or one kind (as :attr:`Mistake.kind` names it).
ALL = "all"
FALSE_POSITIVE = "false positive"
FALSE_NEGATIVE = "false negative"
FILTERS = (ALL, FALSE_POSITIVE, FALSE_NEGATIVE)

#: Data role returning the row's :class:`MistakeItem`.
ItemRole = Qt.ItemDataRole.UserRole + 1


def class_name(label: int) -> str:
    return "cat" if label == 1 else "non-cat"


def picture_name(name: str | None) -> str | None:
    """A test picture's file name for people; None for the article's numbered images."""
    if not name or name.startswith("article test #"):
        return None
    return name


@dataclass(frozen=True)
class MistakeItem:
    """One mistake with the image the model saw (64 x 64 RGB).

    ``name`` is the test picture's file (relative to its data set folder) when the data
    set is made of files, None for the article's numbered test images.
    """

    mistake: Mistake
    image: QImage
    name: str | None = None
    #: The same picture as ``(64, 64, 3)`` uint8 (what a heat map is made of).
    pixels: np.ndarray | None = None

    @property
    def title(self) -> str:
        """The file name (``"IMG_0042.jpg"``), or ``"Test image 12"``."""
        if self.name:
            return self.name.replace("\\", "/").rsplit("/", 1)[-1]
        return f"Test image {self.mistake.index}"

    @property
    def description(self) -> str:
        """One line a screen reader (and a tooltip) can say."""
        m = self.mistake
        where = f" ({self.name})" if self.name and self.name != self.title else ""
        return (
            f"{self.title}{where}: is {class_name(m.label)}, called {class_name(m.predicted)} "
            f"(probability of cat {m.probability:.3f}, {m.kind})"
        )


class MistakesModel(QAbstractListModel):
    """Holds every mistake of one evaluation; shows those matching :attr:`filter`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[MistakeItem] = []
        self._shown: list[MistakeItem] = []
        self._filter = ALL

    # -- contents ----------------------------------------------------------------------------
    def set_mistakes(
        self, mistakes: list[Mistake], images: np.ndarray, names: Sequence[str] | None = None
    ) -> None:
        """Show ``mistakes``; ``images`` is the evaluated set, shape ``(m, 64, 64, 3)`` uint8.

        ``names`` (optional, one per evaluated image) names the test pictures' files.
        """
        self.beginResetModel()
        self._all = [
            MistakeItem(
                m,
                to_qimage(images[m.index]),
                picture_name(names[m.index])
                if names is not None and m.index < len(names)
                else None,
                np.asarray(images[m.index]),
            )
            for m in mistakes
        ]
        self._apply_filter()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._all, self._shown = [], []
        self.endResetModel()

    @property
    def filter(self) -> str:
        return self._filter

    def set_filter(self, kind: str) -> None:
        """``"all"``, ``"false positive"`` or ``"false negative"``."""
        if kind not in FILTERS:
            raise ValueError(f"unknown filter {kind!r}; expected one of {FILTERS}")
        if kind == self._filter:
            return
        self.beginResetModel()
        self._filter = kind
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        self._shown = [i for i in self._all if self._filter in (ALL, i.mistake.kind)]

    def count(self, kind: str = ALL) -> int:
        """How many mistakes of ``kind`` there are, whatever the filter."""
        return sum(1 for i in self._all if kind in (ALL, i.mistake.kind))

    def items(self) -> list[MistakeItem]:
        """The rows shown, in order."""
        return list(self._shown)

    def item(self, row: int) -> MistakeItem:
        return self._shown[row]

    # -- QAbstractListModel ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        item = self._shown[index.row()]
        if role == ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.title
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return item.description
        return None
