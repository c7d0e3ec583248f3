"""The index file: opened, checked, locked for its one writer, and written in transactions.

A writer (a scan) holds an exclusive ``flock`` on the index file for as long as it is
open, so a second scan of the same index stops at once with "the index is busy" instead
of waiting or interleaving. Readers (``library list``) take no lock: WAL mode lets them
read the last committed state while a scan writes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from catgui.core import paths
from catgui.core.errors import CatguiError
from catgui.core.library import schema

INDEX_NAME = "library.sqlite"


def default_path() -> Path:
    """``library.sqlite`` in the user's data folder."""
    return paths.user_data_dir() / INDEX_NAME


class IndexBusy(CatguiError):
    """Another writer (a scan) holds the index."""


class Index:
    """An open library index. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike | None = None, writable: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.writable = writable
        self._lock_fd: int | None = None
        if not writable and not self.path.is_file():
            raise CatguiError(f"{self.path}: no library index here; run catgui scan first")
        if self.path.exists():
            if self.path.is_dir():
                raise CatguiError(f"{self.path}: is a folder, not a library index")
            schema.check_header(self.path)
        elif writable:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CatguiError(
                    f"{self.path.parent}: cannot make the index's folder ({exc.strerror or exc})"
                ) from None
        if writable:
            # locked before SQLite creates the file: another writer that finds the file
            # (made a moment ago) finds it locked too, never a window between the two
            self._lock()
        uri = self.path.resolve().as_uri() + ("?mode=rwc" if writable else "?mode=ro")
        try:
            self.conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, timeout=10, check_same_thread=False
            )
        except sqlite3.Error as exc:
            self.close()
            raise CatguiError(f"{self.path}: the library index cannot be opened ({exc})") from None
        try:
            version = schema.check(self.conn, self.path, writable)
            self._configure()
            if writable:
                schema.migrate(self.conn, self.path, version)
        except BaseException:
            self.close()
            raise

    def _lock(self) -> None:
        import fcntl

        # kept open until after the connection closes: closing another descriptor of the
        # file would drop SQLite's own POSIX locks on it
        try:  # an empty file is an empty SQLite database
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError as exc:
            raise CatguiError(
                f"{self.path}: the library index cannot be opened ({exc.strerror or exc})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise IndexBusy(
                f"{self.path}: the index is busy (another catgui scan is writing it); "
                "wait for it to finish, or use another --index"
            ) from None
        self._lock_fd = fd

    def _configure(self) -> None:
        try:
            if self.writable:
                if not self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    schema.new_file(self.conn)
                mode = self.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise CatguiError(f"{self.path}: cannot use write-ahead logging here ({mode})")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=OFF")
        except sqlite3.DatabaseError as exc:
            raise CatguiError(
                f"{self.path}: is not a catgui library index or is damaged ({exc}); "
                "it was left as it is"
            ) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed whole, or not at all. A full disk or another write
        error becomes a :class:`CatguiError`; the index keeps its last commit."""
        try:
            with schema.transaction(self.conn) as conn:
                yield conn
        except sqlite3.OperationalError as exc:
            raise CatguiError(self.explain(exc)) from None

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Any SQLite error met inside (a read of a file damaged since it was opened, a
        disk error) becomes a :class:`CatguiError` naming the index."""
        try:
            yield
        except sqlite3.Error as exc:
            raise CatguiError(self.explain(exc)) from None

    def explain(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if "full" in text:
            return (
                f"{self.path}: the disk is full; the index keeps everything up to its last "
                "saved batch: free some space and run the scan again to continue"
            )
        return f"{self.path}: the library index could not be read or written ({text})"

    def reader_uri(self) -> str:
        """The index's ``file:`` URI, read-only: for more connections reading beside this
        one (threads of a re-score); they see what this one has committed."""
        return self.path.resolve().as_uri() + "?mode=ro"

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def size_bytes(self) -> int:
        """The index's size on disk, with its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(str(self.path) + suffix).st_size
        return total

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if self.writable:
                    conn.execute("PRAGMA optimize")
                conn.close()
            self.conn = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
