"""Teach from the library: the 12 pictures the active model is least sure of, and *Retrain*.

Each picture gets *Cat* / *Not cat* (or C / N on the focused tile; Ctrl+Z takes the last
answer back): an answer is a correction, kept and undone as the Classify and Library tabs
keep theirs (:class:`~catgui.ui.common.correction_log.CorrectionLog`). *Retrain* fits the pretrained head on the training data
and the corrections in a worker (:func:`catgui.core.library.retrain.retrain_steps`),
makes the new model the active one, and says what changed in the library ("37 photos
changed: 30 now cat, 7 now not cat"); the strip then offers the new model's least-sure
pictures.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from catgui.core.errors import CatguiError
from catgui.core.library import label_next
from catgui.core.library.rescore import Scorer
from catgui.core.library.retrain import Retrained
from catgui.core.sources import DataRecipe
from catgui.ui.app_state import AppState
from catgui.ui.common.correction_log import CorrectionLog
from catgui.ui.library.label_next_tile import LabelNextTile
from catgui.ui.library.retrainer import Retrainer
from catgui.workers.generator import GeneratorWorker


class LabelNextStrip(QWidget):
    """The label-next strip over the library index at ``index_path`` (default: the user's).

    Parameters
    ----------
    state
        The window's shared state: its active model is the one asked, and a retrained
        model becomes active there.
    index_path
        The library index (``None``: ``library.sqlite`` in the user data folder).
    recipe
        The training data *Retrain* fits on besides the corrections (default: the
        article's pictures, as the shipped pretrained model was trained).
    count
        How many pictures the strip offers.
    follow_model
        Ask again when the active model changes (the Library tab asks instead when its
        re-scoring for that model has ended: :func:`attach`).
    model_path
        The file of the model the strip asks (default: the active model's); the Library
        tab gives the one its grid shows (the shipped zero-shot model stands for a model
        that reads pixels).

    Signals
    -------
    loaded(int)
        The strip shows this many pictures.
    retrained(object)
        A :class:`~catgui.core.library.retrain.Retrained`: the new model is active.
    failed(str)
        Loading or retraining failed; the message is shown in the strip too.
    """

    loaded = Signal(int)
    retrained = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        state: AppState,
        index_path: str | os.PathLike | None = None,
        recipe: DataRecipe | None = None,
        count: int = label_next.COUNT,
        follow_model: bool = True,
        model_path: Callable[[], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelNextStrip")
        self.state = state
        self.index_path = Path(index_path) if index_path is not None else None
        self.recipe = recipe or DataRecipe()
        self.log = CorrectionLog(self.recipe.corrections_folder, self)
        self.log.failed.connect(self._fail)
        self.count = count
        self.tiles: list[LabelNextTile] = []
        self.loader: GeneratorWorker | None = None
        self._scorer: Scorer | None = None
        self._model_path = model_path or self._active_model_path
        self._stale = True  # asked while hidden: asks when shown

        self.title = QLabel(
            f"<b>Label next</b>: the {count} pictures the model is least sure of",
            textFormat=Qt.TextFormat.RichText,
        )
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Ask the active model again")
        self.refresh_button.clicked.connect(self.refresh)
        self.retrain_button = QPushButton("Retrain")
        self.retrain_button.setObjectName("retrainButton")
        self.retrain_button.setToolTip(
            "Fit the pretrained model on its training pictures and your corrections, make it "
            "the active model and re-score the library"
        )
        self.retrain_button.clicked.connect(self.retrain)
        self.status = QLabel(objectName="labelNextStatus", wordWrap=True)
        self.change = QLabel(objectName="retrainChange", wordWrap=True)
        self.change.hide()
        self.retrainer = Retrainer(state, self)
        self.retrainer.progressed.connect(self.status.setText)
        self.retrainer.retrained.connect(self._retrained)
        self.retrainer.failed.connect(self._fail)
        self.retrainer.ended.connect(self._trainer_done)

        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addStretch(1)
        holder = QWidget()
        holder.setLayout(self.row)
        self.scroll = QScrollArea(widgetResizable=True)
        self.scroll.setWidget(holder)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setMinimumHeight(190)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.retrain_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll)
        layout.addWidget(self.change)
        layout.addWidget(self.status)

        undo = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)
        if follow_model:
            state.modelChanged.connect(lambda _model: self.refresh())
        self._show_buttons()

    # -- loading ---------------------------------------------------------------------------
    def _active_model_path(self) -> Path | None:
        model = self.state.model
        return None if model is None or model.path is None else Path(model.path)

    def scorer(self) -> Scorer:
        """The model asked, as the index knows it (:class:`CatguiError` if it cannot be)."""
        path = self._model_path()
        if path is None:
            raise CatguiError("open a saved model on the pretrained features first")
        if self._scorer is None or self._scorer.path != Path(path).resolve():
            self._scorer = Scorer.of_file(path)
        return self._scorer

    def refresh(self) -> None:
        """Ask the active model for its least-sure pictures again (in a worker); while
        the strip is hidden, only when it is shown next."""
        if not self.isVisible():
            self._stale = True
            return
        if self.loader is not None or self.trainer is not None:
            self._stale = True  # asked again when this work ends
            return
        self._stale = False
        try:
            scorer = self.scorer()
        except CatguiError as exc:
            self._clear()
            self._fail(str(exc))
            return
        index, count, skip = (
            self.index_path,
            self.count,
            label_next.corrected_prefixes(self.log.store),
        )
        self.loader = GeneratorWorker(
            lambda: label_next.strip_steps(index, scorer, count, 0.5, skip),
            task="finding the pictures to label",
            parent=self,
        )
        self.loader.returned.connect(self._loaded)
        self.loader.failed.connect(self._fail)
        self.loader.finished.connect(self._loader_done)
        self.status.setText("Finding the pictures the model is least sure of…")
        self._show_buttons()
        self.loader.start()

    def _loaded(self, found: list) -> None:
        self._clear()
        for candidate, jpeg in found:
            tile = LabelNextTile(candidate, jpeg)
            tile.labelled.connect(lambda is_cat, t=tile: self.label(t, is_cat))
            self.row.insertWidget(self.row.count() - 1, tile)
            self.tiles.append(tile)
        if found:
            self.status.setText(
                "Cat or not? Click, or press C / N on a picture (Ctrl+Z takes it back); "
                "then Retrain."
            )
            self.tiles[0].setFocus()
        else:
            self.status.setText(
                "No picture to label: the library is empty or still being scored by this "
                "model, or every picture is corrected already."
            )
        self.loaded.emit(len(found))

    def _loader_done(self) -> None:
        loader, self.loader = self.loader, None
        if loader is not None:
            loader.deleteLater()
        self._show_buttons()
        if self._stale:
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _clear(self) -> None:
        for tile in self.tiles:
            self.row.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []

    # -- labelling -------------------------------------------------------------------------
    def label(self, tile: LabelNextTile, is_cat: bool) -> None:
        """Store ``tile``'s picture as a correction (cat or not); focus the next one."""
        if (
            tile.label is is_cat
            or self.log.correct(tile.candidate.path, is_cat, tile.label) is None
        ):
            return
        tile.show_label(is_cat)
        self._say_labelled()
        later = [t for t in self.tiles[self.tiles.index(tile) + 1 :] if t.label is None]
        if later:
            later[0].setFocus()
            self.scroll.ensureWidgetVisible(later[0])

    def undo(self) -> None:
        """Take the last answer back (as the Classify and Library tabs' corrections are:
        its copy removed, or put back in the other class)."""
        done = self.log.undo()
        if done is None:
            return
        for tile in self.tiles:
            if Path(tile.candidate.path) == done.source:
                tile.show_label(done.row_before)
                tile.setFocus()
        self._say_labelled()

    def labelled_count(self) -> int:
        return sum(t.label is not None for t in self.tiles)

    def _say_labelled(self) -> None:
        n = self.labelled_count()
        self.status.setText(
            f"{n} of {len(self.tiles)} labelled; Retrain to teach the model."
            if n
            else "Cat or not? Click, or press C / N on a picture."
        )
        self._show_buttons()

    # -- retraining ------------------------------------------------------------------------
    @property
    def trainer(self):
        """The retrain's worker while one runs, else ``None``."""
        return self.retrainer.worker

    def retrain(self) -> None:
        """Fit the head on the training data + corrections in a worker."""
        if self.trainer is not None or self.loader is not None:
            return
        try:
            scorer = self.scorer()
        except CatguiError as exc:
            self._fail(str(exc))
            return
        self.retrainer.start(self.index_path, scorer, self.recipe)
        self.status.setText("Retraining on your corrections…")
        self._show_buttons()

    def _retrained(self, result: Retrained) -> None:
        accuracy = result.outcome.model.test_accuracy
        tested = f" ({100 * accuracy:.0f} % right on its test pictures)" if accuracy else ""
        self.change.setText(
            f"{result.sentence()}. {result.saved.name}{tested} is now the active model."
        )
        self.change.show()
        self.retrained.emit(result)

    def _trainer_done(self) -> None:
        self.refresh()  # the new model's least-sure pictures
        self._show_buttons()

    # -- common ----------------------------------------------------------------------------
    def _fail(self, message: str) -> None:
        self.status.setText(message)
        self.failed.emit(message)

    def _show_buttons(self) -> None:
        busy = self.loader is not None or self.trainer is not None
        self.refresh_button.setEnabled(not busy)
        self.retrain_button.setEnabled(not busy and self.log.count() > 0)

    def shutdown(self) -> None:
        """Stop and wait for the strip's threads (the window is closing)."""
        if self.loader is not None:
            self.loader.stop_and_wait()
        self.retrainer.shutdown()
