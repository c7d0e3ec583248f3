"""The Classify header's "Compare with" chooser: off, or one of the saved models."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from catgui.core import paths
from catgui.ui.common.narrow_combo import NarrowComboBox

OFF_TEXT = "Compare: off"
TIP = (
    "Show a second model’s verdict and p(cat) under each row’s answer, e.g. the article’s "
    "network beside a pretrained photo model, to see what pretrained features change. "
    "Remembered between runs."
)


#: What the shipped models are, beside their file names.
SHIPPED = {
    Path(paths.DEFAULT_MODEL_NAME).stem: "the article's network",
    Path(paths.PHOTO_MODEL_NAME).stem: "pretrained, for photos",
}


def describe(path: str | Path) -> str:
    """A model file's name, and what it is when it is a shipped one: "default (the
    article's network)"."""
    stem = Path(path).stem
    what = SHIPPED.get(stem)
    return f"{stem} ({what})" if what else stem


def _resolved(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path)


class CompareSelector(NarrowComboBox):
    """ "Compare: off" and the saved models; choosing one emits :attr:`chosen`.

    Signals
    -------
    chosen(str)
        The path of the model to compare with, or "" for no comparison.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareSelector")
        self.setAccessibleName("Compare with another model")
        self.setToolTip(TIP)
        self.setMinimumContentsLength(13)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.activated.connect(self._activated)
        self.set_models([], "")

    def current_path(self) -> str:
        return str(self.currentData() or "")

    def set_models(
        self, paths: list[Path], current: str | Path | None, active: str | Path | None = None
    ) -> None:
        """List ``paths`` (plus ``current`` if it is elsewhere) but the ``active`` model
        itself; select ``current``."""
        current = str(current or "")
        skip = _resolved(active) if active else None
        listed = [str(p) for p in paths if skip is None or _resolved(p) != skip]
        if current and current not in listed:
            listed.append(current)
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(OFF_TEXT, "")
            self.setItemData(0, "No comparison", Qt.ItemDataRole.ToolTipRole)
            for path in listed:
                self.addItem(f"Compare: {describe(path)}", path)
                self.setItemData(self.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
            self.setCurrentIndex(max(0, self.findData(current)))
        finally:
            self.blockSignals(False)

    def choose(self, path: str | Path | None) -> None:
        """Select ``path`` (listed or not; "" or None: off) and emit :attr:`chosen`."""
        path = str(path or "")
        if path and self.findData(path) < 0:
            self.addItem(f"Compare: {describe(path)}", path)
        self.setCurrentIndex(max(0, self.findData(path)))
        self.chosen.emit(self.current_path())

    def _activated(self, _index: int) -> None:
        self.chosen.emit(self.current_path())
