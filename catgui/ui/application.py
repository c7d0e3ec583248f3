"""The QApplication: names for QSettings, icon, style, crash reporting, first model."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Generator
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from catgui.core import dataset, desktop_files, paths, persistence
from catgui.core.dataset import DataSet
from catgui.core.errors import CatguiError
from catgui.core.steps import run_to_end
from catgui.ui import settings as remembered
from catgui.ui import style_sheet
from catgui.ui.app_state import AppState
from catgui.ui.common.palette_follower import follow_palette
from catgui.ui.crash_reporter import CrashReporter
from catgui.workers.base import running_workers
from catgui.workers.generator import GeneratorWorker

ORGANIZATION = "catgui"

log = logging.getLogger(__name__)


def configure(app: QApplication) -> None:
    """Names (they decide where ``QSettings()`` lives), icon and style sheet."""
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain("catgui.invalid")
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationDisplayName("catgui")
    # the desktop entry this app is (Wayland's app id; the menu's icon on the task bar)
    app.setDesktopFileName(desktop_files.APP_ID)
    from catgui import __version__

    app.setApplicationVersion(__version__)
    icon = paths.resource_path("icon.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    follow_palette(app, lambda: apply_style_sheet(app))


def apply_style_sheet(app: QApplication) -> None:
    """The application's style sheet (``resources/style.qss``) in the colours of its palette.

    :func:`configure` applies it again whenever the palette changes (the system switched
    between light and dark).
    """
    style = paths.resource_path("style.qss")
    if not style.is_file():
        return
    sheet = style_sheet.render(style.read_text(encoding="utf-8"), app.palette())
    # Qt reads each ``palette(role)`` when a sheet is set: set it again for a new palette
    colours = style_sheet.signature(app.palette())
    if app.property("catguiPalette") != colours or app.styleSheet() != sheet:
        app.setProperty("catguiPalette", colours)
        app.setStyleSheet(sheet)


def first_model_path(models_folder: Path) -> Path | None:
    """The shipped default model if it exists, else the newest saved one."""
    default = paths.default_model_path()
    if default.is_file():
        return default
    listed = persistence.list_models(models_folder)
    return listed[0] if listed else None


def _open_photo_model(state: AppState) -> bool:
    """Open the shipped pretrained model; ``False`` (quietly) when it is absent or cannot run.

    The window opens it rather than the article's network whenever both are shipped (see
    :func:`first_model_path`, which returns the shipped default while it exists): a new
    user's first real photo then gets a right verdict without training anything. The
    article's network and every model the user saved are one choice away in the model
    list; a saved model opens first only where the shipped default is missing.
    """
    photo = paths.photo_model_path()
    if not photo.is_file():
        return False
    try:
        state.open_model(photo)
    except CatguiError:
        return False
    return True


def initial_state(settings: QSettings, data: bool = True) -> tuple[AppState, list[str]]:
    """The state the window opens with, and the problems met (shown, never fatal).

    With ``data=False`` the data set is left for :func:`open_data` (the window opens it
    after its first paint, which does not show it: h5py and the files take 60-100 ms).
    """
    state = AppState(paths.models_dir())
    problems = []
    first = first_model_path(state.models_folder)
    if first is not None and first == paths.default_model_path() and _open_photo_model(state):
        first = None  # the shipped pretrained model is open instead of the article's
    if first is not None:
        try:
            state.open_model(first)
        except CatguiError as exc:
            problems.append(str(exc))
    if data:
        open_data(state, settings)
    return state, problems


def open_data(state: AppState, settings: QSettings) -> None:
    """Open the data set where :func:`catgui.core.dataset.load` finds it, else in the
    folder the user located last (quietly: without one, the Train tab says what to do)."""
    data = run_to_end(data_steps(remembered.folder(settings, remembered.DATA_FOLDER)))
    if data is not None:
        state.set_dataset(data)


def data_steps(located: str) -> Generator[str, None, DataSet | None]:
    """Load the data set where :func:`catgui.core.dataset.load` finds it, else from the
    folder ``located`` (the one the user located last; "" for none); ``None`` when
    neither holds it. One step, so that a worker thread can do it."""
    yield "opening the data set"
    for folder in (None, located) if located else (None,):
        try:
            return dataset.load(folder)
        except CatguiError:
            continue
    return None


def open_data_in_background(window, state: AppState, settings: QSettings) -> GeneratorWorker:
    """:func:`open_data` in a worker thread: the window goes on answering while h5py is
    imported and the files are read; the status bar shows what came of it."""
    located = remembered.folder(settings, remembered.DATA_FOLDER)
    worker = GeneratorWorker(
        lambda: data_steps(located), task="opening the data set", parent=window
    )

    def opened(data: DataSet | None) -> None:
        if data is not None and state.dataset is None:  # the user may have opened one since
            state.set_dataset(data)
        window.statusBar().refresh()

    worker.returned.connect(opened)
    worker.failed.connect(lambda _message: window.statusBar().refresh())
    worker.finished.connect(worker.deleteLater)
    worker.start()
    return worker


def run(files: list[str]) -> int:
    """Open the main window (classifying ``files`` if any); return the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure(app)
    reporter = CrashReporter(app)
    reporter.install()
    log.info(
        "catgui %s started: Python %s, Qt %s, PySide6 %s",
        app.applicationVersion(),
        sys.version.split()[0],
        qVersion(),
        pyside_version,
    )
    from catgui.ui.main_window import MainWindow

    settings = remembered.open_settings()
    state, problems = initial_state(settings, data=False)
    window = MainWindow(state, settings)
    window.statusBar().show_opening_data()
    window.firstPainted.connect(lambda: open_data_in_background(window, state, settings))
    freeze_after_start(window)
    window.show()
    for problem in problems:
        window.show_error("Model not opened", problem)
    tell_if_nothing_can_be_kept(window)
    window.add_paths([str(Path(f)) for f in files])
    try:
        return app.exec()
    finally:
        if window.warm_up is not None:  # the loop may end without closing the window
            window.warm_up.stop()
        for worker in running_workers():
            worker.stop_and_wait()
        reporter.uninstall()


def tell_if_nothing_can_be_kept(window) -> QMessageBox | None:
    """Say once, at start, when the profile folder cannot be written (models, settings
    and caches would be lost): a notice naming the folder, and the status bar."""
    problem = paths.storage_problem()
    if problem is None:
        return None
    window.statusBar().showMessage(problem.split(". ")[0] + ".")
    return window.show_error("Nothing can be kept", problem)


def freeze_after_start(window) -> None:
    """Once start-up is done (the Train tab and its plot are built just after the first
    paint: ``window.startedUp``), set what it made aside from garbage collection
    (``gc.freeze``).

    Those modules, widgets and figures live as long as the app, but every full collection
    walked them: 45-60 ms with the interpreter held, whatever thread ran it, so the window
    stalled once after a pretrained run's head was fitted (traced with ``gc.callbacks``).
    Frozen, they are not walked: worst stall 8 ms. Called for the app's own window only
    (a test process builds hundreds of windows, which must stay collectable).
    """
    window.startedUp.connect(gc.freeze)
