"""The Classify tab: drop pictures or folders, see what the active model says about each."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from catgui.ui import settings as remembered
from catgui.ui.classify.batches import ClassifyBatches
from catgui.ui.classify.corrections import ClassifyCorrections
from catgui.ui.classify.corrections_dialog import CorrectionsDialog
from catgui.ui.classify.drop_area import DropArea
from catgui.ui.classify.file_dialogs import ask_for_folder, ask_for_images
from catgui.ui.classify.header import ClassifyHeader
from catgui.ui.classify.insight_controls import InsightControls
from catgui.ui.classify.insights import RowInsights
from catgui.ui.classify.labelled_summary import LabelledSummary
from catgui.ui.classify.model import band_around, summary_text
from catgui.ui.classify.notice import NO_MODEL, ClassifyNotice  # noqa: F401
from catgui.ui.classify.pasted_images import NOTHING_TO_PASTE, PastedImages  # noqa: F401
from catgui.ui.classify.results import ClassifyResults
from catgui.ui.classify.text import verdict_text


class ClassifyTab(QWidget):
    """Drop area, progress, summary and the list of results (issue 3).

    Uses ``state.model`` and re-scores every row when ``state.modelChanged``. Drops that
    arrive while a batch runs wait in :attr:`queue` (kept by :attr:`batches`, which also
    keeps the header's progress and status); one worker at a time fills the list.
    The main window routes window-wide drops, Ctrl+O and Ctrl+V to :meth:`add_paths`,
    :meth:`open_images` and :meth:`paste_image`, and calls :meth:`shutdown` on close.

    Each row can be corrected ("It's a cat / It's not a cat"): a copy goes into the user's
    corrections (:attr:`log`), Ctrl+Z takes the last one back, and "Corrections: N" opens
    the review dialog. The unsure band is chosen in the header and kept in QSettings;
    :meth:`set_threshold` moves the decision threshold (the Mistakes tab's slider).

    "Why?" in the header shows every row's heat map instead of what the model sees (a
    click on a plain preview shows its heat map, a click on a heat map opens it large in a
    :class:`WhyView`); "Compare with" adds a second model's verdict to
    each row (:meth:`set_comparison`, remembered). Both are computed off the GUI thread by
    :attr:`insights`.
    """

    NAME = "classify"

    def __init__(
        self, state, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("classifyTab")
        self.state = state
        self.settings = settings if settings is not None else QSettings()
        self.pasted = PastedImages()
        self.destroyed.connect(self.pasted.remove_all)
        self.threshold = 0.5
        self.half_width = 0.0  # the remembered band comes with load_settings
        self._corrections_count = 0
        self._build()
        state.modelChanged.connect(self._on_model_changed)
        state.modelsListChanged.connect(self.controls.list_comparable)
        self.controls.follow_model(state.model)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo_last)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.setWhatsThis("Undo the last correction")  # Help ▸ Keyboard Shortcuts lists it
        self.load_settings()
        self._on_corrections_changed(self.corrections.count())
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._refresh()

    def _build(self) -> None:
        self.notice = ClassifyNotice()
        self.drop_area = DropArea()
        self.drop_area.pathsDropped.connect(self.add_paths)
        self.drop_area.openImagesRequested.connect(self.open_images)
        self.drop_area.openFolderRequested.connect(self.open_folder)

        self.status_row = ClassifyHeader()
        header = self.status_row
        header.cancel_button.clicked.connect(self.cancel)
        header.clear_button.clicked.connect(self.clear)
        header.corrections_button.clicked.connect(self.open_corrections)
        header.halfWidthChanged.connect(self.set_unsure_half_width)
        self.batches = ClassifyBatches(self._network, header, self)
        self.queue = self.batches.queue
        self.queue.resultsReady.connect(self._on_results)
        self.queue.busyChanged.connect(self._refresh)
        self.queue.failed.connect(self.notice.show_text)

        self.results_view = ClassifyResults()
        self.results = self.results_view.results
        self.results.rowsInserted.connect(self._refresh)
        self.results.rowsRemoved.connect(self._refresh)
        self.results.modelReset.connect(self._refresh)
        self.results.dataChanged.connect(self._refresh_summary)
        self.results.rescored.connect(self._refresh)
        self.insights = RowInsights(self.results, self.results_view.visible_rows, self)
        self.controls = InsightControls(
            header, self.insights, self.state, self.settings, self.notice.show_text, self
        )
        self.results_view.previewClicked.connect(self.preview_clicked)
        self._reveal: Path | None = None  # a file opened with Open images…, until its row comes
        self.why_view = None  # the large heat map (a WhyView), once opened
        self.corrections = ClassifyCorrections(self.results, self)
        self.corrections.countChanged.connect(self._on_corrections_changed)
        self.corrections.noted.connect(self._on_note)
        self.corrections.failed.connect(self.notice.show_text)
        self.results_view.correctionRequested.connect(self.corrections.correct_rows)
        self.results_view.undoRequested.connect(self.corrections.undo_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.notice)
        layout.addWidget(self.drop_area)
        layout.addWidget(self.status_row)
        self.labelled = LabelledSummary()
        layout.addWidget(self.labelled)
        layout.addWidget(self.results_view, 1)
        # top to bottom, left to right: the toolbar before the list it acts on
        header = self.status_row
        chain = (
            self.drop_area.open_button,
            self.drop_area.folder_button,
            header.cancel_button,
            header.clear_button,
            header.why_button,
            header.compare_combo,
            header.band_combo,
            header.corrections_button,
            self.results_view,
        )
        for first, second in zip(chain, chain[1:]):
            self.setTabOrder(first, second)

    # -- public API -------------------------------------------------------------------------
    def add_paths(self, paths: list[str]) -> None:
        """Classify these files and folders (recursively); queued behind a running batch."""
        paths = [str(p) for p in paths if str(p)]
        if not paths:
            return
        self.notice.show_text("")
        self.labelled.add_paths(paths)
        self.batches.add(paths)
        self._refresh()

    def open_images(self) -> None:
        """Let the user pick picture files (several at once) and classify them; the first
        one's row is scrolled to and selected when its answer comes."""
        chosen = ask_for_images(self, self.settings)
        if chosen:
            self._reveal = Path(chosen[0])
        self.add_paths(chosen)

    def open_folder(self) -> None:
        """Let the user pick a folder; every picture in it and its subfolders is classified."""
        folder = ask_for_folder(self, self.settings)
        if folder:
            self.add_paths([folder])

    def paste_image(self) -> None:
        """Classify what the clipboard holds: file URLs, an image, or file paths as text."""
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        image = clipboard.image() if mime is not None and mime.hasImage() else None
        paths, problem = self.pasted.paths_from(mime, image, self.results.names)
        if paths:
            self.add_paths(paths)
        else:
            self.notice.show_text(problem)

    # -- corrections, threshold, unsure band ----------------------------------------------------
    def open_corrections(self) -> CorrectionsDialog:
        """Open the review dialog of the user's corrections (non-blocking); returns it."""
        return self.corrections.open_dialog()

    def undo_last(self) -> None:
        """Take back the latest correction (Ctrl+Z)."""
        self.corrections.undo_last()

    def set_threshold(self, threshold: float) -> None:
        """Call a picture a cat when p(cat) > ``threshold``; the unsure band moves with it."""
        self.threshold = float(threshold)
        self.status_row.set_band(self.threshold, self.half_width)
        self._apply_decision()

    def set_unsure_half_width(self, half_width: float) -> None:
        """Show answers within ``half_width`` of the threshold as unsure (0: never)."""
        self.half_width = float(half_width)
        remembered.remember_unsure_half_width(self.settings, self.half_width)
        self.status_row.set_band(self.threshold, self.half_width)
        self._apply_decision()

    def set_comparison(self, path: str | Path | None) -> None:
        """Show the verdicts of the model saved at ``path`` beside each row's (""/None: off)."""
        self.controls.set_comparison(path)

    def preview_clicked(self, row: int) -> None:
        """A click on a row's preview: its heat map opens large; a plain picture shows
        its heat map (computed if need be)."""
        results = self.results
        entry = results.entry(row)
        shown = results.shows_why(entry) and entry.overlay_for is results.explainer
        if not shown or entry.overlay is None:
            self.insights.toggle_row(row)
            return
        from catgui.ui.common.why_view import WhyView  # the first click pays, not start-up

        label = results.label_of(entry)
        verdict = verdict_text(entry.probability, label) if entry.probability is not None else ""
        if self.why_view is not None:
            self.why_view.close()
        self.why_view = WhyView(entry.overlay, entry.name, verdict, self)
        self.why_view.hideRequested.connect(lambda: self.insights.toggle_row(row))
        self.why_view.open()

    def _apply_decision(self) -> None:
        self.results.set_decision(self.threshold, band_around(self.threshold, self.half_width))
        self._refresh_summary()

    def _on_corrections_changed(self, count: int) -> None:
        self._corrections_count = count
        self.status_row.set_corrections(count)
        self._refresh()

    def _on_note(self, text: str) -> None:
        self.batches.note = text
        self._refresh()

    def is_busy(self) -> bool:
        """Whether a batch is being classified."""
        return self.batches.is_busy()

    def cancel(self) -> None:
        """Stop the running batch and drop the waiting ones; results so far stay."""
        self.batches.cancel()
        self._refresh()

    def clear(self) -> None:
        """Stop any batch and empty the list."""
        self.batches.clear()
        self.results.clear()
        self.labelled.forget()
        self._refresh()

    def load_settings(self) -> None:
        """Use the remembered unsure band and comparison (the last folder is read when a
        dialog opens)."""
        self.set_unsure_half_width(remembered.unsure_half_width(self.settings))
        self.set_comparison(remembered.compare_with(self.settings))

    def save_settings(self) -> None:
        """Remember the unsure band (also remembered as soon as it is chosen)."""
        remembered.remember_unsure_half_width(self.settings, self.half_width)

    def shutdown(self) -> None:
        """Interrupt the worker and wait for it (the main window calls this on close)."""
        self.queue.shutdown()
        self.insights.shutdown()
        self.pasted.remove_all()

    # -- reactions ----------------------------------------------------------------------------
    def _network(self):
        model = self.state.model
        return None if model is None else model.classifier

    def _on_results(self, results: list) -> None:
        self.results.add_results(results, self._network())
        self.insights.poke()
        row = self.results.row_of(self._reveal) if self._reveal is not None else None
        if row is not None:  # the picture just opened: show where it went
            self._reveal = None
            index = self.results.index(row)
            self.results_view.setCurrentIndex(index)
            self.results_view.scrollTo(index)
        # Lay the rows out (and show the scroll bar) now: a progress bar repaints
        # synchronously next, and rows drawn at the old width would be drawn twice.
        self.results_view.doItemsLayout()

    def _on_model_changed(self, model) -> None:
        self.controls.follow_model(model)
        if model is not None:
            self.batches.rescore(self.results, model)
        self._refresh()

    # -- view ----------------------------------------------------------------------------------
    def _refresh(self, *_args) -> None:
        has_rows = self.results.rowCount() > 0
        busy = self.batches.is_busy()
        # Shown as soon as work starts, so the first results land in a laid-out list
        # and are drawn once, not once before and once after the layout settles.
        self.results_view.setVisible(has_rows or busy)
        self.drop_area.set_compact(has_rows or busy)
        self.batches.show_in_header(has_rows, self._corrections_count > 0)
        self.notice.follow_model(self.state.model is not None, self.queue.waiting_items())
        self._refresh_summary()

    def _refresh_summary(self, *_args) -> None:
        text = summary_text(self.results.counts())
        agreement = self.results.agreement()
        if agreement is not None and agreement[1]:
            agree, compared = agreement
            text += f" · agrees with {self.results.second_name} on {agree:,} of {compared:,}"
        self.status_row.summary.setText(text)
        self.labelled.update_from(self.results.entries(), self.threshold)
