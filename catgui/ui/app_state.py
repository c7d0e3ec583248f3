"""What the whole window shares: the active model, the data set, the models folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from catgui.core import dataset as ds
from catgui.core import persistence
from catgui.core.errors import CatguiError


class AppState(QObject):
    """The active model and data set; tabs listen to its signals instead of each other.

    Signals
    -------
    modelChanged(object)
        The active :class:`~catgui.core.persistence.Model` (or ``None``) changed.
    modelsListChanged()
        A model was saved to or removed from the models folder.
    datasetChanged(object)
        The active :class:`~catgui.core.dataset.DataSet` (or ``None``) changed.
    """

    modelChanged = Signal(object)
    modelsListChanged = Signal()
    datasetChanged = Signal(object)

    def __init__(self, models_folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.models_folder = Path(models_folder)
        self._model: persistence.Model | None = None
        self._dataset: ds.DataSet | None = None
        self._article: ds.DataSet | None = None
        self._elsewhere: list[Path] = []  # model files saved or opened outside the folder

    # -- model ---------------------------------------------------------------------------
    @property
    def model(self) -> persistence.Model | None:
        return self._model

    def set_model(self, model: persistence.Model | None) -> None:
        self._model = model
        self.modelChanged.emit(model)

    def open_model(self, path: str | Path) -> persistence.Model:
        """Load and activate the model at ``path``; :class:`CatguiError` if it is bad."""
        model = persistence.load(path)
        if model.path is not None:
            self._note_elsewhere(model.path)
        self.set_model(model)
        return model

    def model_paths(self) -> list[Path]:
        """Saved models in the models folder, newest first, then the files saved or opened
        elsewhere during this session (still there)."""
        listed = persistence.list_models(self.models_folder)
        inside = {_resolved(p) for p in listed}
        return listed + [p for p in self._elsewhere if _resolved(p) not in inside and p.is_file()]

    def remember_model_file(self, path: str | Path) -> None:
        """A model was saved at ``path`` (or opened from it): list it from now on."""
        self._note_elsewhere(Path(path))
        self.notify_models_list_changed()

    def _note_elsewhere(self, path: Path) -> None:
        if _resolved(path.parent) != _resolved(self.models_folder) and not any(
            _resolved(p) == _resolved(path) for p in self._elsewhere
        ):
            self._elsewhere.append(path)

    def notify_models_list_changed(self) -> None:
        self.modelsListChanged.emit()

    # -- data set --------------------------------------------------------------------------
    @property
    def dataset(self) -> ds.DataSet | None:
        return self._dataset

    @property
    def article(self) -> ds.DataSet | None:
        """The article's data set (its h5 pair) when it has been opened, in use or not."""
        return self._article

    def set_dataset(self, data: ds.DataSet | None) -> None:
        if data is None or not getattr(data, "source", None):
            self._article = data  # the h5 pair as it is (composed sets carry a source)
        self._dataset = data
        self.datasetChanged.emit(data)

    def open_dataset(self, folder: str | Path | None = None) -> ds.DataSet:
        """Find and load the data set (see :func:`catgui.core.dataset.load`) and activate it."""
        data = ds.load(folder)
        self.set_dataset(data)
        return data

    def try_open_dataset(self, folder: str | Path | None = None) -> str | None:
        """Like :meth:`open_dataset`; returns the error message instead of raising."""
        try:
            self.open_dataset(folder)
        except CatguiError as exc:
            return str(exc)
        return None


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path)
