"""File ▸ Open Model… and Save Model As…: the dialogs, the folders remembered, the outcome."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from catgui.core import persistence
from catgui.core.errors import CatguiError
from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState

FILTER = "catgui models (*.npz)"


class ModelFiles(QObject):
    """Opens a saved model as the active one; saves the active model where the user says.

    Signals
    -------
    failed(str, str)
        A title and a sentence: nothing was opened or saved (the active model is unchanged).
    saved(str)
        The active model was saved: a sentence for the status bar.
    """

    failed = Signal(str, str)
    saved = Signal(str)

    def __init__(self, state: AppState, settings: QSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self.settings = settings

    def open_dialog(self) -> None:
        """Ask for a model file (from the last folder one was opened from) and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self.parent(),
            "Open Model",
            remembered.folder(self.settings, remembered.MODELS_FOLDER, self.state.models_folder),
            FILTER,
        )
        if path:
            self.open(path)

    def open(self, path: str) -> bool:
        """Make the model saved at ``path`` the active one; whether that worked."""
        try:
            self.state.open_model(path)
        except CatguiError as exc:
            self.failed.emit("Model not opened", str(exc))
            return False
        remembered.remember(self.settings, remembered.MODELS_FOLDER, str(Path(path).parent))
        return True

    def save_dialog(self) -> None:
        """Ask where to save the active model (named after it) and save it there."""
        model = self.state.model
        if model is None:
            self.failed.emit(
                "Nothing to save", "There is no active model: train or open one first."
            )
            return
        folder = remembered.folder(self.settings, remembered.SAVE_FOLDER, self.state.models_folder)
        start = Path(folder) / f"{model.name}.npz"
        path, _ = QFileDialog.getSaveFileName(self.parent(), "Save Model As", str(start), FILTER)
        if path:  # the dialog has asked before replacing an existing file
            self.save_to(path, overwrite=Path(path).exists())

    def save_to(self, path: str, overwrite: bool = False) -> bool:
        """Save the active model; an error is said and the model stays in memory."""
        model = self.state.model
        if model is None:
            return False
        try:
            saved = persistence.save(model, path, overwrite=overwrite)
        except CatguiError as exc:
            self.failed.emit("Model not saved", str(exc))
            return False
        remembered.remember(self.settings, remembered.SAVE_FOLDER, str(saved.parent))
        self.state.notify_models_list_changed()
        self.state.set_model(model)
        self.saved.emit(f"Saved {saved}")
        return True
