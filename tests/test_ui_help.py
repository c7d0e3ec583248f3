"""Help menu (shortcuts read from the real actions, the log folder, About), the one log
file, and Stop Training only enabled while something runs."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from catgui.core import log_file
from catgui.ui import log_folder
from catgui.ui.about_dialog import versions_html
from catgui.ui.crash_reporter import CrashReporter
from catgui.ui.shortcuts_dialog import shortcuts
from catgui.workers.generator import GeneratorWorker

pytestmark = pytest.mark.gui


@pytest.fixture
def logged(tmp_path):
    """Logging sent to a log file in a temporary folder; back as it was afterwards."""
    path = log_file.configure(tmp_path / "logs" / "catgui.log")
    yield path
    log_file.unconfigure()


def _native(keys) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


# -- the one log --------------------------------------------------------------------------------
def test_logging_goes_to_one_rotating_file(tmp_path, monkeypatch):
    monkeypatch.setattr(log_file, "MAX_BYTES", 2_000)
    path = log_file.configure(tmp_path / "logs" / "catgui.log")
    try:
        assert log_file.configure(tmp_path / "logs" / "catgui.log") == path  # once only
        handlers = [
            h for h in logging.getLogger().handlers if isinstance(h, log_file.LogFileHandler)
        ]
        assert len(handlers) == 1
        logging.getLogger("catgui.somewhere").info("a note from catgui")
        logging.getLogger("some.library").warning("a library's warning")
        warnings.warn("a warning the warnings module gives", UserWarning, stacklevel=1)
        for i in range(30):
            logging.getLogger("catgui.somewhere").error("line %d of a long story", i)
    finally:
        log_file.unconfigure()
    text = path.read_text(encoding="utf-8")
    backup = path.with_name("catgui.log.1").read_text(encoding="utf-8")
    assert "line 29 of a long story" in text
    assert "a note from catgui" in backup and "a library's warning" in backup
    assert "UserWarning: a warning the warnings module gives" in backup
    assert path.stat().st_size <= 2_000
    assert log_file.current_file() is None and log_file.where() == "the error output"


def test_an_unexpected_error_in_a_thread_names_the_log_file_that_holds_it(qtbot, logged):
    def buggy():
        yield 1
        raise ValueError("operands could not be broadcast together")

    worker = GeneratorWorker(buggy, task="the import")
    with qtbot.waitSignal(worker.failed, timeout=10_000) as failed:
        worker.start()
    worker.wait()
    message = failed.args[0]
    assert message.endswith(f"the details were written to the log ({logged})")
    text = logged.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: operands could not be broadcast" in text


def test_the_crash_reporter_and_logging_share_the_file(qtbot, qapp):
    assert log_file.current_file() is None
    reporter = CrashReporter(show_dialogs=False)
    reporter.install()
    try:
        path = log_file.current_file()
        assert path == log_file.log_path()  # <CATGUI_HOME>/logs/catgui.log
        logging.getLogger("catgui.workers.somewhere").error("a worker's failure")
        with qtbot.waitSignal(reporter.reported) as reported:
            try:
                raise KeyError("boom")
            except KeyError as exc:
                reporter.handle(type(exc), exc, exc.__traceback__)
    finally:
        reporter.uninstall()
    assert log_file.current_file() is None  # uninstall put logging back
    text = path.read_text(encoding="utf-8")
    assert "a worker's failure" in text and "KeyError: 'boom'" in text
    assert reported.args[1].endswith(f"Logged to {path}")


def test_help_opens_the_log_folder(window, tmp_path):
    opened: list[QUrl] = []
    box = log_folder.open_log_folder(window, opener=lambda url: opened.append(url) or True)
    assert box is None
    (url,) = opened
    assert Path(url.toLocalFile()) == log_file.log_path().parent
    assert log_file.log_path().parent.is_dir()
    # no file manager to ask: the folder is named instead
    box = log_folder.open_log_folder(window, opener=lambda url: False)
    assert isinstance(box, QMessageBox) and str(log_file.log_path().parent) in box.text()
    box.close()
    assert window.log_folder_action.text() == "Open Log Folder"


# -- Help ---------------------------------------------------------------------------------------
def test_the_shortcut_list_is_read_from_the_real_actions(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    rows = shortcuts(window)
    listed = {(r.keys, r.does) for r in rows}
    for action in window.actions():
        if action.shortcut().isEmpty():
            continue
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert any(k.startswith(keys) and d == action.text().rstrip("…") for k, d in listed), (
            action.text()
        )
    where = {r.does: r.where for r in rows}
    assert where["Open Images"] == "File" and where["Stop Training"] == "Training"
    assert where["Keyboard Shortcuts"] == "Help"
    # the tabs' own actions, where they work
    cat = window.classify_tab.findChild(QAction, "correctAsCatAction")
    assert (_native("C"), cat.text()) in listed and where[cat.text()] == "Classify tab"
    assert (_native("Alt+C"), "Show the Classify tab") in listed
    undo = _native(QKeySequence(QKeySequence.StandardKey.Undo))
    assert (undo, "Undo the last correction") in listed
    # a new action is listed without anyone writing it down
    window.addAction(QAction("Frobnicate", window, shortcut=QKeySequence("Ctrl+Shift+F")))
    assert (_native("Ctrl+Shift+F"), "Frobnicate") in {(r.keys, r.does) for r in shortcuts(window)}


def test_help_menu_shows_the_shortcuts_dialog(qtbot, window):
    window.shortcuts_action.trigger()
    dialog = window.findChild(object, "shortcutsDialog")
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert (
        window.train_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
        "Train",
        "Training",
    ) in rows
    dialog.close()


def test_about_says_what_catgui_is_now():
    text = versions_html()
    assert "small NumPy neural network" not in text
    for words in ("pretrained", "zero-shot", "ONNX", "logistic regression", "deep network"):
        assert words in text
    assert str(log_file.log_path()) in text


def test_stop_training_is_enabled_only_while_a_run_is_on(qtbot, window):
    assert not window.stop_action.isEnabled()
    tab = window.train_tab
    assert not window.stop_action.isEnabled() and window.train_action.isEnabled()
    tab.form.set_field("iterations", "10000000")
    with qtbot.waitSignal(tab.runningChanged, timeout=10_000):
        window.train_action.trigger()
    assert window.stop_action.isEnabled() and not window.train_action.isEnabled()
    with qtbot.waitSignal(tab.runningChanged, timeout=30_000, check_params_cb=lambda r: not r):
        window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tab.is_running(), timeout=30_000)
    assert not window.stop_action.isEnabled()


def test_a_log_folder_that_cannot_be_made_is_said_once_and_the_app_goes_on(qtbot, capfd, caplog):
    log_file.log_path().parent.parent.mkdir(parents=True, exist_ok=True)
    log_file.log_path().parent.write_text("a file where the logs folder should be")
    reporter = CrashReporter(show_dialogs=False)
    reporter.install()
    try:
        assert log_file.current_file() is None
        assert "catgui: no log file (" in capfd.readouterr().err
        with qtbot.waitSignal(reporter.reported) as reported:
            try:
                raise OSError("disk on fire")
            except OSError as exc:
                reporter.handle(type(exc), exc, exc.__traceback__)
    finally:
        reporter.uninstall()
    assert "Logged to nowhere (" in reported.args[1]
    # still logged (with no handler at all, logging's last resort prints it on stderr)
    (record,) = [r for r in caplog.records if r.name == "catgui.crash"]
    assert record.exc_info[0] is OSError
