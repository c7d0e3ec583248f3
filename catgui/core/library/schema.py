"""The index's tables, its version (``PRAGMA user_version``) and the migrations to it.

``PRAGMA application_id`` marks a catgui index, so another program's SQLite database is
recognised and left alone. A migration is a list of steps taking version ``n - 1`` to
``n``: SQL statements, or a function of the connection for what SQL alone cannot do; an
index made by a newer catgui (a higher version) is refused, never changed.

Tables
------
files
    One row per file or folder met: ``path`` (absolute), ``size`` and ``mtime_ns`` as
    last read, ``hash`` (SHA-256 of the bytes; ``NULL`` when the file could not be read),
    ``status`` (``ok``, or the problem in words).
contents
    One row per distinct content (hash): the picture's size, and where its features are:
    ``chunk`` and ``slot`` in :mod:`.chunks`.
chunks
    The backbone's pooled features of many pictures in one blob, float16 (:mod:`.chunks`,
    :mod:`.blobs`): their 224 crops, and their 64x64 squares (for familiarity against the
    article's pictures; ``NULL`` for pictures read without them).
thumbnails
    A small JPEG per content, for the window (kept apart so feature reads stay small).
models
    Each model that scored the index, by its file's SHA-256, with the digest of its
    familiarity reference (two models with the same reference give the same familiarity).
scores
    Per model and content: P(cat) and familiarity (``NULL`` where the model has none).
    What ``library list`` reads: listing never reads features.
meta
    ``backbone``: the SHA-256 of the weights the features came from.
likeness
    Derived, not part of a version: the near-copy pairs and the map's places, computed
    from the features once and brought up to date after scans (:mod:`.likeness_table`,
    :mod:`.likeness_update`). Made by the first reader that stores it, checked when read,
    replaced whole; dropping it only costs one computation.
natural_order
    Derived too: each file's natural sort key (``photo2`` before ``photo10``), kept by the
    scan as it stores files, read by the grid's *folder* order (:mod:`.natural`).

Versions: 1 the tables; 2 ``models.reference``; 3 the features moved from one blob per
picture (``contents.features``, ``contents.familiar``) into ``chunks``, without a
backbone pass (:func:`features_into_chunks`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from catgui.core.errors import CatguiError

#: "catG" as a big-endian integer: what ``PRAGMA application_id`` says in a catgui index.
APPLICATION_ID = 0x63617447
SQLITE_HEADER = b"SQLite format 3\x00"
#: Bytes a page of a new index: a chunk's 10 MB blob is read in a quarter of the pages
#: (and two thirds of the time) of SQLite's default 4,096.
PAGE_SIZE = 16384


def features_into_chunks(conn: sqlite3.Connection) -> None:
    """Version 2 -> 3: each picture's two blobs copied into chunks (see :mod:`.upgrade`)."""
    from catgui.core.library import upgrade

    upgrade.features_into_chunks(conn)


CHUNKS = """CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    rows INTEGER NOT NULL,
    crc INTEGER NOT NULL,
    familiar_crc INTEGER,
    hashes BLOB NOT NULL,
    features BLOB NOT NULL,
    familiar BLOB
)"""

Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[tuple[Step, ...], ...] = (
    (  # version 1
        """CREATE TABLE files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            hash TEXT,
            status TEXT NOT NULL
        )""",
        "CREATE INDEX files_hash ON files(hash)",
        """CREATE TABLE contents (
            hash TEXT PRIMARY KEY,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            features BLOB NOT NULL,
            familiar BLOB NOT NULL
        )""",
        "CREATE TABLE thumbnails (hash TEXT PRIMARY KEY, jpeg BLOB NOT NULL)",
        """CREATE TABLE models (
            sha256 TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            scored_at REAL NOT NULL
        )""",
        """CREATE TABLE scores (
            model TEXT NOT NULL,
            hash TEXT NOT NULL,
            p_cat REAL NOT NULL,
            familiarity REAL,
            PRIMARY KEY (model, hash)
        ) WITHOUT ROWID""",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (  # version 2: a model's familiarity reference, by digest (equal references share scores)
        "ALTER TABLE models ADD COLUMN reference TEXT",
    ),
    (  # version 3: features in chunks; the 64x64 squares' features optional
        "ALTER TABLE contents ADD COLUMN chunk INTEGER",
        "ALTER TABLE contents ADD COLUMN slot INTEGER",
        CHUNKS,
        features_into_chunks,
        "ALTER TABLE contents DROP COLUMN features",
        "ALTER TABLE contents DROP COLUMN familiar",
        "CREATE INDEX contents_chunk ON contents(chunk)",
    ),
)
VERSION = len(MIGRATIONS)


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database, before SQLite touches it."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CatguiError(
            f"{path}: the library index cannot be read ({exc.strerror or exc})"
        ) from None
    if head and head != SQLITE_HEADER:
        raise CatguiError(
            f"{path}: is not a catgui library index (not an SQLite database); "
            "it was left as it is: choose another file with --index"
        )


def check(conn: sqlite3.Connection, path: Path, writable: bool) -> int:
    """The index's version, after checking that ``conn`` is a catgui index this version can
    use (or an empty file). Reads only: a refused file is left exactly as it was.

    Raises :class:`CatguiError` naming ``path`` for a foreign, damaged or newer index.
    """
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables and version:
            conn.execute("SELECT count(*) FROM files").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CatguiError(
            f"{path}: the library index is damaged ({exc}); it was left as it is"
        ) from None
    if tables and app_id != APPLICATION_ID:
        raise CatguiError(
            f"{path}: is an SQLite database of another program, not a catgui library index; "
            "it was left as it is: choose another file with --index"
        )
    if version > VERSION:
        raise CatguiError(
            f"{path}: the library index was made by a newer catgui (version {version}, "
            f"this one reads up to {VERSION}); it was left as it is"
        )
    if version < VERSION and not writable:
        if version == 0:
            raise CatguiError(f"{path}: the library index is empty; run catgui scan first")
        raise CatguiError(
            f"{path}: the library index was made by an older catgui (version {version}); "
            "run catgui scan once to bring it up to date"
        )
    return version


def migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Create the tables, or bring an older index to :data:`VERSION`, in one transaction."""
    if version == VERSION:
        return
    try:
        with transaction(conn):
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for number in range(version, VERSION):
                for step in MIGRATIONS[number]:
                    step(conn) if callable(step) else conn.execute(step)
            conn.execute(f"PRAGMA user_version = {VERSION}")
    except sqlite3.DatabaseError as exc:
        raise CatguiError(f"{path}: the library index could not be set up ({exc})") from None
    if 0 < version < 3:  # the per-picture blobs left their pages free: give them back
        repack(conn)


def new_file(conn: sqlite3.Connection) -> None:
    """Before the first table: pages of :data:`PAGE_SIZE`, and free pages given back on
    request (``PRAGMA incremental_vacuum``: after chunks are merged, :mod:`.compact`)."""
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")


def repack(conn: sqlite3.Connection) -> None:
    """Rewrite the file without its free pages, in pages of :data:`PAGE_SIZE`, able to
    give free pages back later (a page size can change only outside WAL mode: when
    another connection is open it stays)."""
    with contextlib.suppress(sqlite3.Error):
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() == "delete":
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("VACUUM")
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA journal_mode=WAL")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception (the connection
    is in autocommit mode: ``isolation_level=None``)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back itself (a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
