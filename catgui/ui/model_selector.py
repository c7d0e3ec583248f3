"""A combo box of the saved models; choosing one makes it the active model everywhere."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from catgui.core import shipped_models
from catgui.core.errors import CatguiError
from catgui.core.persistence import Model
from catgui.ui.app_state import AppState
from catgui.ui.common.narrow_combo import NarrowComboBox


class ModelSelector(NarrowComboBox):
    """Lists ``state.model_paths()`` (plus the active model if it lives elsewhere).

    Picking an entry calls ``state.open_model``; a bad file is reported with
    :attr:`failed` and the selection goes back to the active model. The list refreshes on
    ``modelsListChanged`` and follows ``modelChanged``. If the active model's file has
    vanished (deleted or moved while the app runs), its entry says so, its tooltip says the
    model is still in memory, and :attr:`fileMissing` is emitted once for that path.

    Signals
    -------
    failed(str)
        Opening the chosen model failed; the message names the file and the problem.
    fileMissing(str)
        The active model's file is gone; the message names it and says what still works.
    """

    failed = Signal(str)
    fileMissing = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent, min_characters=14, max_characters=44)
        self.setObjectName("modelSelector")
        self.state = state
        self._reported_missing: Path | None = None
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(22)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip("The model used for Classify and Mistakes; trained models appear here")
        self.setAccessibleName("Active model")
        self.activated.connect(self._chosen)
        state.modelsListChanged.connect(self.refresh)
        state.modelChanged.connect(self._follow)
        self.refresh()

    def paths(self) -> list[Path]:
        """The model files listed, in order."""
        return [Path(self.itemData(i)) for i in range(self.count()) if self.itemData(i)]

    def refresh(self) -> None:
        """Re-read the models folder; keep the active model selected."""
        self.blockSignals(True)
        try:
            self.clear()
            listed = self.state.model_paths()
            active = self.state.model.path if self.state.model else None
            if active is not None and not any(_same(active, p) for p in listed):
                listed = [active, *listed]
            missing = self.missing_message()
            for path in listed:
                gone = missing is not None and active is not None and _same(path, active)
                name = shipped_models.title(path) or path.stem
                self.addItem(f"{name} (file missing)" if gone else name, str(path))
                tip = missing if gone else str(path)
                self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            if not listed:
                self.addItem("No saved models yet", None)
            self._select_active()
        finally:
            self.blockSignals(False)
        self.setEnabled(bool(listed))
        self._report_missing(missing, active)

    def missing_message(self) -> str | None:
        """Why the active model's file is gone, or ``None`` if it is there (or unsaved)."""
        model = self.state.model
        if model is None or model.path is None or model.path.is_file():
            return None
        return (
            f"{model.path}: the model file was deleted or moved. The model is still in "
            "memory and keeps classifying; save it again with File ▸ Save Model As… to keep it."
        )

    # -- internals ------------------------------------------------------------------------------
    def _select_active(self) -> None:
        model = self.state.model
        if model is None or model.path is None:
            if model is not None:  # an unsaved model: show it, without a file behind it
                self.insertItem(0, f"{model.name} (not saved)", None)
                self.setCurrentIndex(0)
            return
        for i, path in enumerate(self.paths()):
            if _same(path, model.path):
                self.setCurrentIndex(i)
                return

    def _report_missing(self, message: str | None, active: Path | None) -> None:
        if message is None:
            self._reported_missing = None
        elif self._reported_missing is None or not _same(self._reported_missing, active):
            self._reported_missing = active
            self.fileMissing.emit(message)

    def _follow(self, model: Model | None) -> None:
        self.refresh()

    def _chosen(self, index: int) -> None:
        data = self.itemData(index)
        if not data:
            return
        current = self.state.model
        if current is not None and current.path is not None and _same(Path(data), current.path):
            return
        try:
            self.state.open_model(data)
        except CatguiError as exc:
            self.refresh()
            self.failed.emit(str(exc))


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return Path(a) == Path(b)
