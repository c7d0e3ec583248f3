"""The library index file under faults: a foreign, damaged or edited index refused by name
and left alone; one writer at a time; a full disk (damaged chunks: test_library_chunks.py)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from catgui.core.errors import CatguiError
from catgui.core.library import query
from catgui.core.library.index import Index
from catgui.core.library.scan import scan_steps
from catgui.core.steps import run_to_end
from tests.library_helpers import (
    PHOTO_MODEL,
    needs_photo_model,
    photo_folder,
    run_cli,
    scan,
)

pytestmark = needs_photo_model


def test_corrupt_or_foreign_index_is_refused_by_name_and_left_alone(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=1)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(os.urandom(4096))
    foreign = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.sqlite"
    scan(damaged, [photos], scorer)
    data = bytearray(damaged.read_bytes())
    data[100:4096] = os.urandom(3996)  # the header survives, the schema does not
    damaged.write_bytes(bytes(data))
    newer = tmp_path / "newer.sqlite"
    scan(newer, [photos], scorer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    for path, words in (
        (garbage, "not a catgui library index"),
        (foreign, "another program"),
        (damaged, "damaged"),
        (newer, "newer catgui"),
    ):
        before = path.read_bytes()
        with pytest.raises(CatguiError, match=words) as caught:
            scan(path, [photos], scorer)
        assert str(path) in str(caught.value)
        assert path.read_bytes() == before
        result = run_cli("library", "list", "--index", str(path))
        assert result.returncode == 1 and str(path) in result.stderr
        assert "Traceback" not in result.stderr


def test_a_second_writer_is_told_the_index_is_busy(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=1)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    with Index(index, writable=True):
        with pytest.raises(CatguiError, match="the index is busy"):
            Index(index, writable=True)
        result = run_cli("scan", str(photos), "--index", str(index))
        assert result.returncode == 1 and "the index is busy" in result.stderr
        # readers read: a model the scan scored lists at once; one it did not is listed
        # without verdicts, and the reader says why (it may not write while a scan does)
        listed = run_cli("library", "list", "--index", str(index), "--model", str(PHOTO_MODEL))
        assert listed.returncode == 0
        assert "\tcat\t" in listed.stdout or "\tnon-cat\t" in listed.stdout
        unscored = run_cli("library", "list", "--index", str(index))
        assert unscored.returncode == 0 and "not scored yet" in unscored.stdout
        assert "the index is busy" in unscored.stderr and "not scored by" in unscored.stderr
    assert run_cli("scan", str(photos), "--index", str(index)).returncode == 0


def test_a_full_disk_is_an_error_and_the_index_keeps_its_last_commit(tmp_path, scorer):
    first = photo_folder(tmp_path / "first", n=2)
    more = photo_folder(tmp_path / "more", n=6, start=10)
    index_path = tmp_path / "lib.sqlite"
    scan(index_path, [first], scorer)
    with Index(index_path, writable=True) as index:
        pages = index.conn.execute("PRAGMA page_count").fetchone()[0]
        index.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # SQLite's "disk is full"
        with pytest.raises(CatguiError, match="the disk is full") as caught:
            run_to_end(scan_steps(index, [str(first), str(more)], scorer, batch=2))
        assert str(index_path) in str(caught.value)
    conn = sqlite3.connect(index_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Index(index_path) as index:
        kept = [r.path for r in query.rows(index, scorer.sha256)]
    assert all(p.startswith(str(first)) for p in kept[:2]) and len(kept) >= 2
    summary = scan(index_path, [first, more], scorer)  # space again: it continues
    assert summary.unchanged >= 2 and summary.read == 8 - summary.unchanged


def test_an_index_changed_behind_our_back_is_an_error_in_words(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=1)
    index_path = tmp_path / "lib.sqlite"
    scan(index_path, [photos], scorer)
    conn = sqlite3.connect(index_path)
    conn.execute("DROP TABLE scores")  # another program edited it
    conn.commit()
    conn.close()
    with (
        Index(index_path) as index,
        pytest.raises(CatguiError, match="could not be read") as caught,
    ):
        with index.guard():
            list(query.rows(index, scorer.sha256))
    assert str(index_path) in str(caught.value)
    result = run_cli("library", "list", "--index", str(index_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(index_path) in result.stderr
