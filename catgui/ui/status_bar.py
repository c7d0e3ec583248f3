"""The window's status bar: always the active model and the data set in use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from catgui.core.data_source import Source, source_of
from catgui.core.evaluation import accuracy_text
from catgui.core.persistence import Model
from catgui.ui.app_state import AppState
from catgui.ui.common.elided_label import ElidedLabel


def source_text(source: dict | None, train_n: int, test_n: int) -> str:
    """``"photos (1,600 train / 400 test)"``, ``"the article's (209 train / 50 test)"``.

    ``source`` is the ``data_source`` record of :mod:`catgui.core.sources` (``None`` for
    the article's h5 pair opened as it is).
    """
    names = []
    for part in (source or {}).get("train", []):
        source = source_of(part)
        if source == Source.FOLDER:
            names.append(Path(part.get("path", "my pictures")).name or "my pictures")
        elif source == Source.ARTICLE:
            names.append("the article's")
        elif source == Source.CORRECTIONS:
            names.append("my corrections")
    what = " + ".join(names) or "the article's"
    return f"{what} ({train_n:,} train / {test_n:,} test)"


def model_text(model: Model) -> str:
    """The active model, its test accuracy with interval and size, and its data."""
    meta = model.metadata
    acc, n = model.test_accuracy, meta.get("test_size") or 0
    text = accuracy_text(acc, n) if acc is not None else "unknown"
    line = f"{model.name} — test accuracy {text}"
    if meta.get("train_size"):
        line += " · data: " + source_text(meta.get("data_source"), meta["train_size"], n)
    return line


class StatusBar(QStatusBar):
    """``Active model: NAME — test accuracy 80 % (67–89 %) on 50 images · data: …`` and
    the data set in use: ``Data: photos (1,600 train / 400 test)``.

    The data set stays (a permanent widget); the model's line gives way while a temporary
    message shows ("Saved …", "Exported …", menu tips) and comes back after it: as a
    permanent widget it filled the bar and no message could be seen.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        # elided, not wider: a long model name must not make the window grow
        self.model_label = ElidedLabel(objectName="modelStatus")
        self.data_label = QLabel(objectName="datasetStatus")
        for label in (self.model_label, self.data_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setContentsMargins(6, 0, 6, 0)
        self.addWidget(self.model_label, 1)
        self.addPermanentWidget(self.data_label)
        state.modelChanged.connect(self.refresh)
        state.datasetChanged.connect(self.refresh)
        self.refresh()

    def show_opening_data(self) -> None:
        """The data set is about to be opened (the window opens it after its first paint);
        :meth:`refresh` shows what came of it."""
        self.data_label.setText("Data set: opening…")
        self.data_label.setToolTip("")

    def refresh(self, *_args) -> None:
        model = self.state.model
        if model is None:
            self.model_label.setText("Active model: none — train one or open one")
            self.model_label.setToolTip("")
        else:
            self.model_label.setText(f"Active model: {model_text(model)}")
            self.model_label.setToolTip(str(model.path or "not saved"))
        data = self.state.dataset
        if data is None:
            self.data_label.setText("Data set: not found")
            self.data_label.setToolTip("")
        else:
            source = getattr(data, "source", None)
            self.data_label.setText(
                "Data set: " + source_text(source, len(data.train), len(data.test))
            )
            self.data_label.setToolTip(str(data.folder))
