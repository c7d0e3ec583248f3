"""Which test pictures the Mistakes tab judges the model on, chosen by the user.

By default the model's own test set: the pictures its recorded accuracy (the status bar's
figure) was measured on, found among the data sets the window has opened by their
fingerprint. The user may choose the article's 50 test pictures or the pictures in use on
the Train tab instead; the tab then says that its figure is not the status bar's.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from catgui.core.data_source import Source, source_of
from catgui.core.dataset import DataSet
from catgui.core.persistence import Model

OWN, ARTICLE, IN_USE = "own", "article", "in use"


@dataclass(frozen=True)
class TestSet:
    """One choice: its key, its words, its data set (``None``: not loaded, ``why_not``)."""

    key: str
    label: str
    data: DataSet | None
    why_not: str = ""

    def describe(self) -> str:
        """ "the article's 50 test pictures", "the 24 test pictures of photos"."""
        if self.data is None:
            return self.label
        n = len(self.data.test)
        source = getattr(self.data, "source", None) or {}
        test = source.get("test") or {}
        if self.key == ARTICLE or source_of(test) in (None, Source.ARTICLE):
            return f"the article's {n:,} test pictures"
        where = str(test.get("path") or self.data.test.path)
        if source_of(test) == Source.HOLDOUT:
            return f"{n:,} pictures held out of {where}"
        return f"{n:,} test pictures in {where}"


def own_test_sha(model: Model | None) -> str | None:
    """The fingerprint of the test pictures ``model``'s recorded accuracy is from."""
    record = (model.metadata.get("dataset") if model is not None else None) or {}
    sha = record.get("test_sha256")
    return sha if isinstance(sha, str) and sha else None


def test_sets(
    model: Model | None, in_use: DataSet | None, article: DataSet | None
) -> list[TestSet]:
    """The choices, in order: the model's own test set, the article's, the Train tab's."""
    wanted = own_test_sha(model)
    own = next(
        (d for d in (in_use, article) if d is not None and wanted and d.test.sha256 == wanted),
        None,
    )
    recorded = (model.metadata.get("test_size") if model is not None else None) or 0
    sets = [
        TestSet(
            OWN,
            "Its own test pictures",
            own,
            ""
            if own is not None
            else (
                f"The {recorded:,} test pictures this model was measured on are not loaded: "
                "import the pictures it was trained on in the Train tab"
                if wanted
                else "This model does not record which pictures it was tested on"
            ),
        ),
        TestSet(
            ARTICLE,
            "The article's test pictures",
            article,
            "" if article is not None else "The article's data set is not loaded",
        ),
    ]
    if in_use is not None and in_use is not article:
        sets.append(TestSet(IN_USE, "The Train tab's test pictures", in_use))
    return sets


class TestSetChoice(QComboBox):
    """``Test on: [Its own test pictures (the status bar's figure) ▾]``.

    :meth:`offer` lists the choices (a choice that is not loaded is shown disabled, its
    tooltip says why); :meth:`current` is the one in use: the user's pick when it is
    available, else the first available one.

    Signals
    -------
    chosen(str)
        The user picked another test set (its key).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesTestSet")
        self.setAccessibleName("Test on")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setToolTip("Which pictures the model is judged on here (never its training pictures)")
        self.wanted = OWN
        self._sets: list[TestSet] = []
        self.activated.connect(self._activated)

    def offer(self, sets: list[TestSet]) -> TestSet | None:
        """List ``sets`` and select the one to use; that one (``None``: none is loaded)."""
        self._sets = sets
        self.blockSignals(True)
        try:
            self.clear()
            items: QStandardItemModel = self.model()
            for i, choice in enumerate(sets):
                label = choice.label if choice.data is None else _with_size(choice)
                self.addItem(label, choice.key)
                self.setItemData(
                    i, choice.why_not or choice.describe(), Qt.ItemDataRole.ToolTipRole
                )
                items.item(i).setEnabled(choice.data is not None)
            current = self.current()
            if current is not None:
                self.setCurrentIndex(sets.index(current))
        finally:
            self.blockSignals(False)
        return self.current()

    def current(self) -> TestSet | None:
        available = [s for s in self._sets if s.data is not None]
        return next((s for s in available if s.key == self.wanted), None) or next(
            iter(available), None
        )

    def _activated(self, index: int) -> None:
        key = self.itemData(index)
        if key and key != self.wanted:
            self.wanted = key
            self.chosen.emit(key)


def _with_size(choice: TestSet) -> str:
    """ "Its own test pictures (50), as in the status bar"."""
    text = f"{choice.label} ({len(choice.data.test):,})"
    return text + ", as in the status bar" if choice.key == OWN else text
