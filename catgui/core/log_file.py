"""catgui's one log: ``<user data>/logs/catgui.log``, rotating (Python's ``logging``, no Qt).

The window sends every logged record there (:func:`configure`, called when its crash
reporter is installed): the tracebacks of unexpected errors in its threads
(:class:`~catgui.workers.generator.GeneratorWorker`), the crash reporter's reports, the
warnings of catgui and the libraries it uses (``warnings.warn`` included), and a line at
each start. The command line writes there only when a command fails
(:func:`record_failure`): the command, the message, and for an unexpected error its
traceback. The messages that tell a user "the details were written to the log" name the
file (:func:`where`).

The file is opened without following a link: a symbolic link planted at its name (or a
named pipe, a device) is refused with ``OSError`` instead of being appended to.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from pathlib import Path

from catgui.core.paths import user_data_dir

#: The file is started afresh when it reaches this size; the last few are kept.
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


def log_path() -> Path:
    """``<user data>/logs/catgui.log`` (``$CATGUI_HOME/logs/catgui.log`` when it is set)."""
    return user_data_dir() / "logs" / "catgui.log"


class LogFileHandler(logging.handlers.RotatingFileHandler):
    """catgui's handler: the one a second :func:`configure` recognises and keeps.

    It appends only to a regular file it reaches without a link (``O_NOFOLLOW``), and never
    waits on a named pipe (``O_NONBLOCK``); anything else is an ``OSError``.
    """

    def _open(self):  # noqa: ANN202 (the base class's signature)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
        fd = os.open(self.baseFilename, flags, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(f"{self.baseFilename}: not a regular file")
            os.set_blocking(fd, True)
            return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        except BaseException:
            os.close(fd)
            raise


def _installed() -> LogFileHandler | None:
    return next((h for h in logging.getLogger().handlers if isinstance(h, LogFileHandler)), None)


def configure(path: Path | None = None) -> Path:
    """Send logging to ``path`` (default :func:`log_path`), rotating; return the file.

    The root logger takes warnings and errors from everything, ``catgui``'s own loggers
    also their information. Called again with the same file it changes nothing; with
    another file (``CATGUI_HOME`` changed) it moves there. ``OSError`` when the file
    cannot be opened (logging then goes on as before: errors on the error output).
    """
    path = Path(path) if path is not None else log_path()
    current = _installed()
    if current is not None and Path(current.baseFilename) == path.absolute():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = LogFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    if current is not None:
        unconfigure()
    root.addHandler(handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    own = logging.getLogger("catgui")
    if own.level == logging.NOTSET or own.level > logging.INFO:
        own.setLevel(logging.INFO)
    logging.captureWarnings(True)  # warnings.warn(...) too, as "py.warnings"
    return path


def unconfigure() -> None:
    """Stop writing to the log file (the window has closed; tests)."""
    handler = _installed()
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()
        logging.captureWarnings(False)


def current_file() -> Path | None:
    """The file logging writes to, or ``None`` when :func:`configure` has not been called."""
    handler = _installed()
    return Path(handler.baseFilename) if handler is not None else None


def where() -> str:
    """Where the details of an error went, for a sentence: ``"the log (/…/catgui.log)"``,
    or ``"the error output"`` when no log file is configured (the command line)."""
    path = current_file()
    return f"the log ({path})" if path is not None else "the error output"


def record_failure(command: list[str], error: BaseException, details: bool) -> str:
    """Write a failed command's line and error to the log; return :func:`where` it went.

    For the command line, which logs nothing when all goes well: the log file is opened for
    this record (unless logging already goes to it) and closed again. ``details`` adds the
    traceback (an unexpected error). When the file cannot be opened, the record goes to the
    error output and so does the returned place.
    """
    opened = False
    if current_file() is None:
        try:
            configure()
            opened = True
        except OSError:
            pass
    try:
        logger = logging.getLogger("catgui.cli")
        line = " ".join(["catgui", *command])
        if current_file() is None:
            if details:
                import traceback

                traceback.print_exception(error)
            return where()
        if details:
            logger.error("%s failed", line, exc_info=error)
        else:
            logger.warning("%s failed: %s", line, error)
        return where()
    finally:
        if opened:
            unconfigure()
