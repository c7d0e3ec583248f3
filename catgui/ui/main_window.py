"""The main window: tabs, menus, status bar, drops, shortcuts, settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState
from catgui.ui.model_exporter import ModelExporter
from catgui.ui.model_files import ModelFiles
from catgui.ui.model_selector import ModelSelector
from catgui.ui.models_watcher import ModelsWatcher
from catgui.ui.status_bar import StatusBar, model_text
from catgui.ui.tab import Tab
from catgui.ui.tab_pages import TabPages, TabSpec
from catgui.ui.warm_up import MODULES, WarmUp
from catgui.ui.window_menus import build_menus
from catgui.workers.base import running_workers

if TYPE_CHECKING:
    from catgui.ui.camera.tab import CameraTab
    from catgui.ui.classify.tab import ClassifyTab
    from catgui.ui.library.tab import LibraryTab
    from catgui.ui.mistakes.tab import MistakesTab
    from catgui.ui.train.tab import TrainTab

#: Qt adds the application's display name: the title bar reads "Cat or not cat? — catgui".
TITLE = "Cat or not cat?"


class MainWindow(QMainWindow):
    """Train / Classify / Mistakes / Camera / Library tabs around one shared :class:`AppState`.

    Parameters
    ----------
    state
        The active model and data set.
    settings
        Where geometry, last folders and hyper-parameters are remembered; tests pass an
        INI file in a temporary folder. Defaults to the profile's (``settings.open_settings()``).

    Only the tab shown first is built before the window's first paint; right after it,
    the modules the rest need are imported in a thread and the Train tab and its plot
    are built (:class:`~catgui.ui.warm_up.WarmUp`). The Mistakes tab is built when it is
    first shown (it evaluates the model on the test set as it starts). ``train_tab``,
    ``classify_tab``, ``mistakes_tab`` and ``all_tabs`` build what they return if need be.

    Signals
    -------
    firstPainted()
        The window has just been painted for the first time (emitted from the event
        loop, after the paint).
    startedUp()
        What the first paint did without is built (the Train tab and its plot).
    """

    firstPainted = Signal()
    startedUp = Signal()

    def __init__(
        self, state: AppState, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(TITLE)
        self.state = state
        self.settings = settings if settings is not None else remembered.open_settings()
        remembered.upgrade(self.settings)
        self._dialogs: list[QMessageBox] = []
        self._painted = False
        self.warm_up: WarmUp | None = None
        self.tabs = QTabWidget(objectName="tabs")
        self.tabs.setDocumentMode(True)
        self.pages = TabPages(
            self.tabs,
            (
                TabSpec("train", "&Train", self._make_train_tab),
                TabSpec("classify", "&Classify", self._make_classify_tab),
                TabSpec("mistakes", "Mista&kes", self._make_mistakes_tab),
                TabSpec("camera", "Camer&a", self._make_camera_tab),
                TabSpec("library", "&Library", self._make_library_tab),
            ),
        )
        self.model_selector = ModelSelector(state, self)
        self.model_selector.failed.connect(lambda msg: self.show_error("Model not opened", msg))
        self.model_selector.fileMissing.connect(self._model_file_missing)
        self.models_watcher = ModelsWatcher(state, self)
        self.exporter = ModelExporter(self.settings, self)
        self.exporter.failed.connect(lambda msg: self.show_error("Model not exported", msg))
        self.model_files = ModelFiles(state, self.settings, self)
        self.model_files.failed.connect(self.show_error)
        corner = QWidget(objectName="modelCorner")
        row = QHBoxLayout(corner)
        row.setContentsMargins(8, 2, 8, 2)
        caption = QLabel("&Model:")
        caption.setBuddy(self.model_selector)
        row.addWidget(caption)
        row.addWidget(self.model_selector)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.setCentralWidget(self.tabs)
        build_menus(self)  # the ..._action attributes
        self.setStatusBar(StatusBar(state, self))
        self.exporter.started.connect(self.statusBar().showMessage)
        self.exporter.exported.connect(lambda msg: self.statusBar().showMessage(msg, 10000))
        self.model_files.saved.connect(self._say_saved)
        self.model_status = self.statusBar().model_label
        self.data_status = self.statusBar().data_label
        self.setAcceptDrops(True)
        state.modelChanged.connect(self._describe_model)
        self._describe_model(state.model)
        self._restore_geometry()

    def _say_saved(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence, 5000)

    # -- the tabs ------------------------------------------------------------------------------
    def _make_train_tab(self) -> TrainTab:
        from catgui.ui.train.tab import TrainTab

        tab = TrainTab(self.state, self.settings, self)
        tab.runningChanged.connect(self._running_changed)
        tab.data_box.preparingChanged.connect(lambda _on: self._follow_stop_button(tab))
        tab.files.saved.connect(self._say_saved)  # a run's Save: the same sentence
        return tab

    def _make_classify_tab(self) -> ClassifyTab:
        from catgui.ui.classify.tab import ClassifyTab

        return ClassifyTab(self.state, self.settings, self)

    def _make_mistakes_tab(self) -> MistakesTab:
        from catgui.ui.mistakes.tab import MistakesTab

        tab = MistakesTab(self.state, self.settings, self)
        # the decision threshold tried on the test set applies to new pictures too
        tab.thresholdChanged.connect(self.classify_tab.set_threshold)
        return tab

    def _make_camera_tab(self) -> CameraTab:
        from catgui.ui.camera.tab import CameraTab

        tab = CameraTab(self.state, self.settings, self)
        # a snapshot goes to the Classify list; the camera keeps running on its tab
        tab.snapshotTaken.connect(self._classify_snapshot)
        return tab

    def _make_library_tab(self) -> LibraryTab:
        from catgui.ui.library.label_next_seam import attach
        from catgui.ui.library.tab import LibraryTab

        tab = LibraryTab(self.state, self.settings, self)
        self.label_next_strip = attach(tab)  # label next + Retrain, above the grid
        return tab

    def _classify_snapshot(self, path: str) -> None:
        self.classify_tab.add_paths([path])
        self.statusBar().showMessage(f"Snapshot saved as {path}; classified in Classify", 8000)

    @property
    def train_tab(self) -> TrainTab:
        return self.pages.tab("train")

    @property
    def classify_tab(self) -> ClassifyTab:
        return self.pages.tab("classify")

    @property
    def mistakes_tab(self) -> MistakesTab:
        return self.pages.tab("mistakes")

    @property
    def camera_tab(self) -> CameraTab:
        return self.pages.tab("camera")

    @property
    def library_tab(self) -> LibraryTab:
        return self.pages.tab("library")

    @property
    def all_tabs(self) -> tuple[Tab, ...]:
        """Every tab, in the order of the pages (each built if it was not yet)."""
        return tuple(self.pages.tab(name) for name in self.pages.names)

    # -- following the model and the run -------------------------------------------------------
    def _describe_model(self, model) -> None:
        """The model selector's tooltip: the active model's accuracy, interval and data."""
        tip = "The model used for Classify and Mistakes; trained models appear here"
        if model is not None:
            tip = f"{model_text(model)}\n{tip}"
        self.model_selector.setToolTip(tip)

    def _running_changed(self, running: bool) -> None:
        self.train_action.setEnabled(not running)
        for action in (self.open_data_action, self.open_model_action):
            action.setEnabled(not running)
        self._follow_stop_button(self.train_tab)

    def _follow_stop_button(self, tab: TrainTab) -> None:
        """Stop Training can be chosen when there is something to stop: a run, or the
        import of pictures before one (the Train tab's Stop button knows)."""
        self.stop_action.setEnabled(tab.buttons.stop_button.isEnabled())

    # -- actions -------------------------------------------------------------------------------
    def show_error(self, title: str, message: str) -> QMessageBox:
        """A window-modal message that does not block the caller."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorDialog")
        self._dialogs.append(box)
        box.finished.connect(
            lambda _r, b=box: self._dialogs.remove(b) if b in self._dialogs else None
        )
        box.open()
        return box

    def _model_file_missing(self, message: str) -> None:
        """The active model's file vanished: say so, and offer to save it again at once."""
        box = self.show_error("Model file missing", message)
        save = box.addButton("Save Model As…", QMessageBox.ButtonRole.ActionRole)
        save.setObjectName("saveMissingModel")
        save.clicked.connect(self.save_model_dialog)

    def open_images(self) -> None:
        self.tabs.setCurrentWidget(self.classify_tab)
        self.classify_tab.open_images()

    def paste_image(self) -> None:
        self.tabs.setCurrentWidget(self.classify_tab)
        self.classify_tab.paste_image()

    def add_paths(self, paths: list[str]) -> None:
        """Classify these files and folders: switch to Classify and hand them over."""
        if paths:
            self.tabs.setCurrentWidget(self.classify_tab)
            self.classify_tab.add_paths(list(paths))

    def open_dataset_dialog(self) -> None:
        error = self.train_tab.locate_dataset()
        if error:
            self.show_error("Data set not opened", error)

    def open_model_dialog(self) -> None:
        self.model_files.open_dialog()

    def open_model(self, path: str) -> bool:
        """Make the model saved at ``path`` active; an error is shown if it cannot be."""
        return self.model_files.open(path)

    def save_model_dialog(self) -> None:
        self.model_files.save_dialog()

    def save_model_to(self, path: str, overwrite: bool = False) -> bool:
        """Save the active model; an error is shown and the model stays in memory."""
        return self.model_files.save_to(path, overwrite)

    def show_about(self) -> QMessageBox:
        from catgui.ui.about_dialog import AboutDialog

        box = AboutDialog(self)
        self._dialogs.append(box)
        box.open()
        return box

    # -- drops ------------------------------------------------------------------------------------
    @staticmethod
    def _local_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
        return [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if self._local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt name)
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        paths = self._local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- start-up, settings and closing ----------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        """After the first paint, build what the window could show without."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """The Train tab and its plot: imported in a thread, then built; and say so."""
        self.warm_up = WarmUp(
            MODULES,
            (lambda: self.pages.build("train"), lambda: self.train_tab.plot_slot.plot()),
            self,
        )
        self.warm_up.finished.connect(self.startedUp)
        self.warm_up.start()
        if remembered.library_scan_unfinished(self.settings):
            self.pages.build("library")  # its unfinished scan continues
        self.firstPainted.emit()

    def _restore_geometry(self) -> None:
        geometry = self.settings.value(remembered.GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        names = self.pages.names
        name = remembered.tab(self.settings, names)  # a first start: Classify
        self.pages.build(name)
        self.tabs.setCurrentIndex(names.index(name))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self.warm_up is not None:
            self.warm_up.stop()
        built = self.pages.built_tabs()
        for tab in built:
            tab.shutdown()
        self.exporter.shutdown()
        for worker in running_workers():
            worker.stop_and_wait()
        remembered.remember(self.settings, remembered.GEOMETRY, self.saveGeometry())
        current = self.pages.name_at(self.tabs.currentIndex())
        remembered.remember(self.settings, remembered.TAB, current)
        for tab in built:
            tab.save_settings()
        self.settings.sync()
        event.accept()
