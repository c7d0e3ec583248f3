"""The main window: tabs, menus, status bar, drops, shortcuts, settings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from catgui.ui import settings as remembered
from catgui.ui.about_dialog import AboutDialog
from catgui.ui.app_state import AppState
from catgui.ui.classify.tab import ClassifyTab
from catgui.ui.mistakes.tab import MistakesTab
from catgui.ui.model_exporter import ModelExporter
from catgui.ui.model_files import ModelFiles
from catgui.ui.model_selector import ModelSelector
from catgui.ui.models_watcher import ModelsWatcher
from catgui.ui.status_bar import StatusBar, model_text
from catgui.ui.tab import Tab
from catgui.ui.train.tab import TrainTab
from catgui.ui.window_menus import build_menus
from catgui.workers.base import running_workers

#: Qt adds the application's display name: the title bar reads "Cat or not cat? — catgui".
TITLE = "Cat or not cat?"


class MainWindow(QMainWindow):
    """Train / Classify / Mistakes tabs around one shared :class:`AppState`.

    Parameters
    ----------
    state
        The active model and data set.
    settings
        Where geometry, last folders and hyper-parameters are remembered; tests pass an
        INI file in a temporary folder. Defaults to the profile's (``settings.open_settings()``).
    """

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
        self.tabs = QTabWidget(objectName="tabs")
        self.tabs.setDocumentMode(True)
        self.train_tab = TrainTab(state, self.settings, self)
        self.classify_tab = ClassifyTab(state, self.settings, self)
        self.mistakes_tab = MistakesTab(state, self.settings, self)
        self.all_tabs: tuple[Tab, ...] = (self.train_tab, self.classify_tab, self.mistakes_tab)
        for tab, title in zip(self.all_tabs, ("&Train", "&Classify", "Mista&kes")):
            self.tabs.addTab(tab, title)
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
        for files in (self.model_files, self.train_tab.files):
            files.saved.connect(lambda msg: self.statusBar().showMessage(msg, 5000))
        self.model_status = self.statusBar().model_label
        self.data_status = self.statusBar().data_label
        self.setAcceptDrops(True)
        self.train_tab.runningChanged.connect(self._running_changed)
        state.modelChanged.connect(self._describe_model)
        self._describe_model(state.model)
        # the decision threshold tried on the test set applies to new pictures too
        self.mistakes_tab.thresholdChanged.connect(self.classify_tab.set_threshold)
        self._restore_geometry()

    # -- following the model and the run -------------------------------------------------------
    def _describe_model(self, model) -> None:
        """The model selector's tooltip: the active model's accuracy, interval and data."""
        tip = "The model used for Classify and Mistakes; trained models appear here"
        if model is not None:
            tip = f"{model_text(model)}\n{tip}"
        self.model_selector.setToolTip(tip)

    def _running_changed(self, running: bool) -> None:
        self.stop_action.setEnabled(running)
        self.train_action.setEnabled(not running)
        for action in (self.open_data_action, self.open_model_action):
            action.setEnabled(not running)

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
        """After the first paint, build what the window could show without (the plot)."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.train_tab.plot_slot.plot)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value(remembered.GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        names = [tab.NAME for tab in self.all_tabs]
        self.tabs.setCurrentIndex(names.index(remembered.tab(self.settings, names)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        for tab in self.all_tabs:
            tab.shutdown()
        self.exporter.shutdown()
        for worker in running_workers():
            worker.stop_and_wait()
        remembered.remember(self.settings, remembered.GEOMETRY, self.saveGeometry())
        current = self.all_tabs[self.tabs.currentIndex()]
        remembered.remember(self.settings, remembered.TAB, current.NAME)
        for tab in self.all_tabs:
            tab.save_settings()
        self.settings.sync()
        event.accept()
