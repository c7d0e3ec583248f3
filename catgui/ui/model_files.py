"""The one way the window opens and saves model files: File ▸ Open Model…, Save Model As…,
and a finished run's Save / Save as… on the Train tab.

One filter, one folder the Save dialog starts in (the last folder saved to, else the
models folder), one sentence for the status bar, and never a second identical file in the
models folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QTreeView, QWidget

from catgui.core import model_identity, persistence, runs
from catgui.core.errors import CatguiError
from catgui.core.persistence import Model
from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState

FILTER = "catgui models (*.npz)"


#: The Save dialog's least size: its file list cut readable model names mid-name at
#: Qt's default (632 x 412).
DIALOG_SIZE = (900, 560)
#: The width of its Name column (a readable name with "(stopped)" is about 330 px).
NAME_COLUMN = 420


def save_dialog(parent: QWidget | None, start: str) -> QFileDialog:
    """The Save Model As dialog on ``start`` (a folder and a proposed name), wide enough."""
    dialog = QFileDialog(parent, "Save Model As", start, FILTER)
    dialog.setObjectName("saveModelDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(persistence.SUFFIX.lstrip("."))
    dialog.selectFile(start)
    dialog.resize(max(dialog.width(), DIALOG_SIZE[0]), max(dialog.height(), DIALOG_SIZE[1]))
    for files in dialog.findChildren(QTreeView):  # Qt's own dialog (not the desktop's)
        files.header().resizeSection(0, NAME_COLUMN)
    return dialog


def choose_save_path(parent: QWidget | None, start: str) -> str:
    """Where the user wants the model saved ("" when cancelled); the dialog asks before
    replacing a file."""
    dialog = save_dialog(parent, start)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def suggested_name(model: Model) -> str:
    """The file name a Save dialog proposes: the model's own, or a readable new one."""
    return (model.path.stem if model.path else runs.readable_name(model)) + persistence.SUFFIX


class ModelFiles(QObject):
    """Opens a saved model as the active one; saves a model and makes it the active one.

    Signals
    -------
    failed(str, str)
        A title and a sentence: nothing was opened or saved (the active model is unchanged).
    saved(str)
        A model was saved (or found saved already) and is active: a sentence for the
        status bar.
    """

    failed = Signal(str, str)
    saved = Signal(str)

    def __init__(self, state: AppState, settings: QSettings | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self.settings = settings
        #: What the last :meth:`save` said (the status bar's sentence), or ``""``.
        self.last_sentence = ""

    # -- open --------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        """Ask for a model file (from the last folder one was opened from) and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self.parent(), "Open Model", self._folder(remembered.MODELS_FOLDER), FILTER
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
        self._remember(remembered.MODELS_FOLDER, Path(path).parent)
        return True

    # -- save --------------------------------------------------------------------------------
    def ask_path(self, model: Model) -> str | None:
        """Ask where to save ``model`` (the dialog asks before replacing a file)."""
        start = Path(self._folder(remembered.SAVE_FOLDER)) / suggested_name(model)
        return choose_save_path(self.parent(), str(start)) or None

    def save_dialog(self, model: Model | None = None) -> Path | None:
        """Ask where to save ``model`` (default: the active one) and save it there."""
        model = model if model is not None else self.state.model
        if model is None:
            self.failed.emit(
                "Nothing to save", "There is no active model: train or open one first."
            )
            return None
        path = self.ask_path(model)
        return self.save(model, path, overwrite=Path(path).exists()) if path else None

    def save(self, model: Model, path: str | None = None, overwrite: bool = False) -> Path | None:
        """Save ``model`` and make it the active model; where it went, or ``None``.

        Without ``path`` it goes to the models folder under a new readable name, unless a
        file there holds the same model already: that file is used instead of a copy.
        An error is said with :attr:`failed` and the model stays in memory, unsaved.
        """
        try:
            if path is None:
                same = model_identity.find_identical(model, self.state.models_folder)
                if same is not None:
                    model.path = same
                    saved, sentence = same, f"Already saved as “{same.stem}”: not saved again"
                else:
                    saved = runs.save_new(model, self.state.models_folder)
                    sentence = f"Saved as “{saved.stem}”"
            else:
                saved = persistence.save(model, path, overwrite=overwrite)
                sentence = f"Saved as {saved}"
                self._remember(remembered.SAVE_FOLDER, saved.parent)
        except CatguiError as exc:
            self.failed.emit("Model not saved", str(exc))
            return None
        self.state.remember_model_file(saved)
        self.state.set_model(model)
        self.last_sentence = sentence
        self.saved.emit(sentence)
        return saved

    def save_to(self, path: str, overwrite: bool = False) -> bool:
        """Save the active model at ``path``; whether that worked."""
        model = self.state.model
        return model is not None and self.save(model, path, overwrite) is not None

    # -- internals ---------------------------------------------------------------------------
    def _folder(self, key: str) -> str:
        """Where a dialog starts: the folder remembered for ``key``, else the models folder."""
        fallback = str(self.state.models_folder)
        return remembered.folder(self.settings, key, fallback) if self.settings else fallback

    def _remember(self, key: str, folder: Path) -> None:
        if self.settings is not None:
            remembered.remember(self.settings, key, str(folder))
