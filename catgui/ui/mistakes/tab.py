"""The Mistakes tab: every test image the active model gets wrong, with the scores."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from catgui.core import evaluation
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette, keep_style_sheet
from catgui.ui.mistakes.evaluator import MistakesEvaluator
from catgui.ui.mistakes.filter_buttons import FilterButtons
from catgui.ui.mistakes.image_viewer import ImageViewer
from catgui.ui.mistakes.messages import EMPTY, what_is_missing
from catgui.ui.mistakes.model import FALSE_NEGATIVE, FALSE_POSITIVE, MistakesModel
from catgui.ui.mistakes.summary import MistakesSummary
from catgui.ui.mistakes.test_set_choice import OWN, TestSet, TestSetChoice, own_test_sha, test_sets
from catgui.ui.mistakes.view import MistakesView
from catgui.workers.generator import GeneratorWorker


class MistakesTab(QWidget):
    """Summary (accuracy, confusion matrix, count) beside a filterable grid of mistakes.

    It evaluates ``state.model`` on the test pictures chosen above the tab
    (:class:`TestSetChoice`: by default the model's own test set, the one the status bar's
    figure is from) with :func:`catgui.core.evaluation.evaluate` (the very function
    ``catgui evaluate`` uses) whenever the model, the data sets or the choice change. 50 images take about a millisecond: no thread needed (a
    model that is not quick is evaluated in a thread: :class:`MistakesEvaluator`).
    The threshold slider re-labels the kept probabilities (no new forward pass), exactly
    as ``evaluate(..., threshold)`` would. Test pictures of folder data sets are named by
    their file.

    Signals
    -------
    thresholdChanged(float)
        The decision threshold moved (the slider, Reset, or :meth:`set_threshold`).
    """

    NAME = "mistakes"
    thresholdChanged = Signal(float)

    def __init__(
        self, state, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesTab")
        self.state = state
        self.settings = settings if settings is not None else QSettings()
        self.threshold = 0.5
        self.evaluation: evaluation.Evaluation | None = None
        self._shown_with: tuple = ()  # (images, names, model name, test path) of the evaluation
        self.viewer: ImageViewer | None = None
        self.evaluator = MistakesEvaluator(self)
        self.evaluator.evaluating.connect(self._evaluating)
        self.evaluator.evaluated.connect(self._evaluated)
        self.evaluator.failed.connect(self._evaluation_failed)
        self.list_model = MistakesModel(self)
        self.view = MistakesView(self.list_model)
        self.view.opened.connect(self.open_viewer)
        self.pages = QStackedWidget()
        self.message_label = QLabel(
            objectName="mistakesMessage", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.RichText)
        self.message_label.setMargin(40)
        self.pages.addWidget(self.message_label)
        self._message = ("", "")
        follow_palette(self.message_label, self._show_shown_message)
        self.pages.addWidget(self._build_content())
        self.test_choice = TestSetChoice()
        self.test_choice.chosen.connect(self.refresh)
        caption = QLabel("&Test on:")
        caption.setBuddy(self.test_choice)
        top = QHBoxLayout()
        top.addWidget(caption)
        top.addWidget(self.test_choice)
        top.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.pages, 1)
        state.modelChanged.connect(self.refresh)
        state.datasetChanged.connect(self.refresh)
        self.refresh()
        self.load_settings()

    # -- layout ------------------------------------------------------------------------------
    def _build_content(self) -> QWidget:
        side = self.summary = MistakesSummary()
        side.confusion.cellClicked.connect(self._filter_from_cell)
        side.threshold_panel.thresholdChanged.connect(self.set_threshold)

        self.filters = FilterButtons(self.set_filter, self)

        self.grid_pages = QStackedWidget()
        self.grid_pages.addWidget(self.view)
        self.empty_label = QLabel(
            objectName="mistakesEmpty", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True
        )
        keep_style_sheet(self.empty_label, lambda: f"color: {tones.secondary()}; font-size: 15px;")
        self.grid_pages.addWidget(self.empty_label)
        right = QVBoxLayout()
        right.addLayout(self.filters.row)
        right.addWidget(self.grid_pages, 1)

        content = QWidget()
        layout = QHBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(_scrolling(side))
        layout.addLayout(right, 1)
        return content

    # -- refreshing --------------------------------------------------------------------------
    @property
    def worker(self) -> GeneratorWorker | None:
        """The thread evaluating a model that is not quick, while it runs."""
        return self.evaluator.worker

    def refresh(self, *_args) -> None:
        """Evaluate the active model on the test set in use and show the result."""
        self._close_viewer()
        self.evaluator.stop()
        self.evaluation = None
        self.list_model.clear()
        self.view.card_delegate.clear_cache()
        model = self.state.model
        chosen = self.test_choice.offer(test_sets(model, self.state.dataset, self.state.article))
        missing = what_is_missing(model is None, chosen is None)
        if missing:
            self._show_message(*missing)
            return
        data = chosen.data
        images, labels = data.test.x, data.test.y
        names = getattr(data, "test_names", None)
        names = tuple(names) if names and len(names) == len(labels) else None
        self._shown_with = (images, names, model.name, _which(chosen, model))
        self.evaluator.start(model, images, labels, self.threshold)

    def _evaluating(self, name: str, done: int, total: int) -> None:
        self._show_message(
            f"Evaluating “{name}” on the test pictures…", f"{done:,} of {total:,} pictures"
        )

    def _evaluation_failed(self, message: str) -> None:
        self._show_message("This model cannot be evaluated on this data set", message)

    def _evaluated(self, result: evaluation.Evaluation) -> None:
        self.evaluation = result
        self._show_result(result)

    def _show_message(self, title: str, text: str) -> None:
        self._message = (title, text)
        self._show_shown_message()
        self.pages.setCurrentIndex(0)

    def _show_shown_message(self) -> None:
        """The message of :meth:`_show_message` in the palette's colours."""
        title, text = self._message
        if title or text:
            self.message_label.setText(
                f"<p style='font-size:17px; font-weight:bold'>{title}</p>"
                f"<p style='color:{tones.secondary()}'>{text}</p>"
            )

    def _show_result(self, result: evaluation.Evaluation) -> None:
        images, names, model_name, which = self._shown_with
        self.list_model.set_mistakes(result.mistakes, images, names)
        self.summary.show_result(result, model_name, which)
        self._update_filter_buttons()
        self.pages.setCurrentIndex(1)

    def _update_filter_buttons(self) -> None:
        self.filters.show_counts(self.list_model)
        shown = self.list_model.rowCount()
        self.empty_label.setText(EMPTY[self.list_model.filter])
        self.grid_pages.setCurrentIndex(0 if shown else 1)
        if shown and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.list_model.index(0, 0))

    # -- filter, threshold, large view -------------------------------------------------------
    def set_filter(self, kind: str) -> None:
        """Show all mistakes, or only ``"false positive"`` / ``"false negative"`` ones."""
        self.list_model.set_filter(kind)
        self._update_filter_buttons()

    def _filter_from_cell(self, truth: int, predicted: int) -> None:
        self.set_filter(FALSE_POSITIVE if predicted == 1 else FALSE_NEGATIVE)

    def set_threshold(self, threshold: float) -> None:
        """Call a picture a cat when p(cat) > ``threshold`` (0.05–0.95); re-labels the test set.

        The matrix, accuracy, precision, recall and mistakes then show what
        ``evaluation.evaluate(..., threshold)`` reports; :attr:`thresholdChanged` is emitted.
        """
        panel = self.summary.threshold_panel
        panel.set_threshold(threshold)  # clamps; comes back here if it moved
        threshold = panel.threshold()
        if threshold == self.threshold:
            return
        self.threshold = threshold
        self.view.card_delegate.threshold = threshold
        if self.evaluation is not None:
            self._close_viewer()
            self.evaluation = dataclasses.replace(self.evaluation, threshold=threshold)
            self.view.card_delegate.clear_cache()
            self._show_result(self.evaluation)
        self.thresholdChanged.emit(threshold)

    def load_settings(self) -> None:
        """Nothing is remembered: the threshold starts at 0.5 at every start."""

    def save_settings(self) -> None:
        """Nothing is remembered: the threshold starts at 0.5 at every start."""

    def shutdown(self) -> None:
        """Close the large view of a mistake, if open, and stop an evaluation (closing)."""
        self._close_viewer()
        self.evaluator.stop()

    def open_viewer(self, row: int) -> ImageViewer | None:
        """Open the large view on the shown mistake in ``row``; returns the dialog."""
        items = self.list_model.items()
        if not 0 <= row < len(items):
            return None
        self._close_viewer()
        model = self.state.model
        self.viewer = ImageViewer(
            items, row, self.threshold, parent=self, classifier=model and model.classifier
        )
        self.viewer.currentChanged.connect(self.view.select_row)
        self.viewer.finished.connect(self._viewer_closed)
        self.viewer.open()
        return self.viewer

    def _viewer_closed(self) -> None:
        self.viewer = None
        self.view.setFocus()

    def _close_viewer(self) -> None:
        if self.viewer is not None:
            viewer, self.viewer = self.viewer, None
            viewer.finished.disconnect(self._viewer_closed)
            viewer.stop_worker()
            viewer.close()
            viewer.deleteLater()


def _which(chosen: TestSet, model) -> str:
    """Which pictures, and whether the status bar's figure is from them too."""
    text = f"Test set: {chosen.describe()}."
    if chosen.key == OWN or chosen.data.test.sha256 == own_test_sha(model):
        return text + " The same pictures as the status bar's figure."
    return text + " Not the pictures of the status bar's figure (its own test set)."


def _scrolling(side: QWidget) -> QScrollArea:
    """The summary column in a frameless scroll area: on a short window it scrolls instead
    of setting the window's minimum height (its confusion matrix was cut at 585 px)."""
    scroll = QScrollArea(objectName="mistakesSummaryScroll")
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(side)
    bar = scroll.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    scroll.setFixedWidth(side.width() + bar)
    return scroll
