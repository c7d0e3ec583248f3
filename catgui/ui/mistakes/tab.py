"""The Mistakes tab: every test image the active model gets wrong, with the scores."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from catgui.core import evaluation
from catgui.core.errors import CatguiError
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import follow_palette, keep_style_sheet
from catgui.ui.mistakes.image_viewer import ImageViewer
from catgui.ui.mistakes.model import ALL, FALSE_NEGATIVE, FALSE_POSITIVE, MistakesModel
from catgui.ui.mistakes.summary import MistakesSummary
from catgui.ui.mistakes.view import MistakesView
from catgui.workers.generator import GeneratorWorker

_FILTERS = (
    (ALL, "All", "mistakesFilterAll"),
    (FALSE_POSITIVE, "False positives", "mistakesFilterFalsePositives"),
    (FALSE_NEGATIVE, "False negatives", "mistakesFilterFalseNegatives"),
)
_EMPTY = {
    ALL: "No mistakes: the model gets every test picture right.",
    FALSE_POSITIVE: "No false positives: the model never calls a non-cat a cat.",
    FALSE_NEGATIVE: "No false negatives: the model recognises every cat.",
}


class MistakesTab(QWidget):
    """Summary (accuracy, confusion matrix, count) beside a filterable grid of mistakes.

    It evaluates ``state.model`` on the test set of ``state.dataset`` with
    :func:`catgui.core.evaluation.evaluate` (the very function ``catgui evaluate`` uses)
    whenever either changes. 50 images take about a millisecond: no thread needed.
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
        #: The thread evaluating a model that is not quick, while it runs.
        self.worker: GeneratorWorker | None = None
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
        QVBoxLayout(self).addWidget(self.pages)
        state.modelChanged.connect(self.refresh)
        state.datasetChanged.connect(self.refresh)
        self.refresh()
        self.load_settings()

    # -- layout ------------------------------------------------------------------------------
    def _build_content(self) -> QWidget:
        side = self.summary = MistakesSummary()
        self.accuracy_label, self.count_label = side.accuracy_label, side.count_label
        self.confusion, self.source_label = side.confusion, side.source_label
        self.rates_label, self.threshold_panel = side.rates_label, side.threshold_panel
        self.confusion.cellClicked.connect(self._filter_from_cell)
        self.threshold_panel.thresholdChanged.connect(self.set_threshold)

        self.filter_group = QButtonGroup(self)
        self.filter_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setSpacing(0)
        for i, (kind, _text, name) in enumerate(_FILTERS):
            button = QPushButton(objectName=name, checkable=True)
            keep_style_sheet(button, _segment_style(i, len(_FILTERS)))
            button.clicked.connect(lambda _=False, k=kind: self.set_filter(k))
            self.filter_group.addButton(button)
            self.filter_buttons[kind] = button
            bar.addWidget(button)
        self.filter_buttons[ALL].setChecked(True)
        bar.addSpacing(16)
        hint = QLabel("Click a picture (or press Enter) to see it large.")
        keep_style_sheet(hint, lambda: f"color: {tones.secondary()};")
        bar.addWidget(hint)
        bar.addStretch(1)

        self.grid_pages = QStackedWidget()
        self.grid_pages.addWidget(self.view)
        self.empty_label = QLabel(
            objectName="mistakesEmpty", alignment=Qt.AlignmentFlag.AlignCenter
        )
        keep_style_sheet(self.empty_label, lambda: f"color: {tones.secondary()}; font-size: 15px;")
        self.grid_pages.addWidget(self.empty_label)
        right = QVBoxLayout()
        right.addLayout(bar)
        right.addWidget(self.grid_pages, 1)

        content = QWidget()
        layout = QHBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(side)
        layout.addLayout(right, 1)
        return content

    # -- refreshing --------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        """Evaluate the active model on the test set in use and show the result."""
        self._close_viewer()
        self._stop_worker()
        self.evaluation = None
        self.list_model.clear()
        self.view.card_delegate.clear_cache()
        model, data = self.state.model, self.state.dataset
        missing = _what_is_missing(model is None, data is None)
        if missing:
            self._show_message(*missing)
            return
        images, labels = data.test.x, data.test.y
        names = getattr(data, "test_names", None)
        names = tuple(names) if names and len(names) == len(labels) else None
        self._shown_with = (images, names, model.name, str(data.test.path))
        if not model.classifier.quick:  # a pretrained backbone: off the GUI thread
            self._evaluate_in_background(model, images, labels)
            return
        try:
            result = evaluation.evaluate(model.classifier, images, labels, self.threshold)
        except CatguiError as exc:
            self._show_message("This model cannot be evaluated on this data set", str(exc))
            return
        self._evaluated(result)

    def _evaluate_in_background(self, model, images, labels) -> None:
        worker = GeneratorWorker(
            lambda: evaluation.evaluate_steps(model.classifier, images, labels, self.threshold),
            task="evaluating the model",
            max_per_second=10,
            parent=self,
        )
        self.worker = worker
        worker.stepped.connect(lambda step: self._evaluating(worker, model.name, *step))
        worker.returned.connect(lambda result: worker is self.worker and self._evaluated(result))
        worker.failed.connect(lambda message: self._evaluation_failed(worker, message))
        worker.finished.connect(worker.deleteLater)
        self._evaluating(worker, model.name, 0, len(labels))
        worker.start()

    def _evaluating(self, worker, name: str, done: int, total: int) -> None:
        if worker is self.worker:
            self._show_message(
                f"Evaluating “{name}” on the test pictures…", f"{done:,} of {total:,} pictures"
            )

    def _evaluation_failed(self, worker, message: str) -> None:
        if worker is self.worker:
            self.worker = None
            self._show_message("This model cannot be evaluated on this data set", message)

    def _evaluated(self, result: evaluation.Evaluation) -> None:
        self.worker = None
        self.evaluation = result
        self._show_result(result)

    def _stop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop_and_wait()

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
        images, names, model_name, test_path = self._shown_with
        self.list_model.set_mistakes(result.mistakes, images, names)
        self.summary.show_result(result, model_name, test_path)
        self._update_filter_buttons()
        self.pages.setCurrentIndex(1)

    def _update_filter_buttons(self) -> None:
        for kind, text, _name in _FILTERS:
            self.filter_buttons[kind].setText(f"{text} ({self.list_model.count(kind)})")
        self.filter_buttons[self.list_model.filter].setChecked(True)
        shown = self.list_model.rowCount()
        self.empty_label.setText(_EMPTY[self.list_model.filter])
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
        self.threshold_panel.set_threshold(threshold)  # clamps; comes back here if it moved
        threshold = self.threshold_panel.threshold()
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
        self._stop_worker()

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


def _what_is_missing(no_model: bool, no_data: bool) -> tuple[str, str] | None:
    where_data = "Download or locate it on the Train tab, or use File ▸ Open data set folder."
    where_model = "Train one on the Train tab, or use File ▸ Open model."
    if no_model and no_data:
        return (
            "No data set and no model yet",
            f"The test pictures are not loaded. {where_data}<br>No model is active. {where_model}",
        )
    if no_data:
        return (
            "The test pictures are not loaded",
            f"Mistakes are shown on the article's 50 test pictures. {where_data}",
        )
    if no_model:
        return (
            "No model is active",
            f"Mistakes need a model to judge the test pictures. {where_model}",
        )
    return None


def _segment_style(i: int, n: int) -> str:
    left = "6px" if i == 0 else "0px"
    right = "6px" if i == n - 1 else "0px"
    return (
        "QPushButton { border: 1px solid palette(mid); padding: 5px 14px; background: palette(button);"
        f" border-top-left-radius: {left}; border-bottom-left-radius: {left};"
        f" border-top-right-radius: {right}; border-bottom-right-radius: {right}; }}"
        f"QPushButton:checked {{ background: {tones.PRIMARY}; color: white;"
        f" border-color: {tones.PRIMARY}; }}"
    )
