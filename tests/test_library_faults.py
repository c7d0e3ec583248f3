"""The library index under bad input and faults: each problem recorded with its cause while
the scan goes on; a foreign or damaged index refused and left alone; one writer; a full
disk; a killed or interrupted scan continued by the next one (real processes)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest

from catgui.core import images
from catgui.core.errors import CatguiError
from catgui.core.library import query, reading
from catgui.core.library.index import Index
from catgui.core.library.rescore import Scorer
from catgui.core.library.scan import scan_steps
from catgui.core.steps import run_to_end
from tests.library_helpers import (
    PHOTO_MODEL,
    ROOT,
    needs_photo_model,
    photo_folder,
    run_cli,
    scan,
    write_photo,
)

pytestmark = needs_photo_model


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.of_file(PHOTO_MODEL)


def errors(index_path: Path, scorer: Scorer) -> dict[str, str]:
    with Index(index_path) as index:
        return {r.path: r.error for r in query.rows(index, scorer.sha256, "errors")}


def png_bomb(path: Path, side: int = 60_000) -> Path:
    """A PNG whose header claims side x side pixels (a few hundred bytes on disk)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    return path


def test_bad_files_are_recorded_with_their_cause_and_the_scan_goes_on(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=3)
    (photos / "empty.jpg").write_bytes(b"")
    (photos / "text.jpg").write_text("hello")
    (photos / "cut.jpg").write_bytes((photos / "photo1.jpg").read_bytes()[:300])
    png_bomb(photos / "bomb.png")
    os.symlink(photos, photos / "nested" / "loop")  # a folder link back up the tree
    os.symlink("self.jpg", photos / "self.jpg")  # a link to itself
    os.symlink(tmp_path / "nowhere.jpg", photos / "broken.jpg")
    summary = scan(tmp_path / "lib.sqlite", [photos, tmp_path / "missing"], scorer)
    assert summary.computed == 3
    found = errors(tmp_path / "lib.sqlite", scorer)
    why = {Path(p).name: e for p, e in found.items()}
    assert why["empty.jpg"] == "the file is empty (0 bytes)"
    assert why["text.jpg"].startswith("not an image file")
    assert "could not be decoded" in why["cut.jpg"] or "truncated" in why["cut.jpg"]
    assert "too large" in why["bomb.png"]
    assert why["loop"].startswith("a symlink loop or second link to a folder already scanned")
    assert why["self.jpg"].startswith("a symlink loop")
    assert why["broken.jpg"].startswith("a broken symlink")
    assert why["missing"].startswith("vanished during the scan") or "no such" in why["missing"]
    assert summary.errors == len(found) == 8


def test_a_file_that_vanishes_or_changes_while_read(tmp_path, scorer, monkeypatch):
    photos = photo_folder(tmp_path / "photos", n=3)
    gone, changing = photos / "photo1.jpg", photos / "photo2.jpg"
    real_hash, real_load = reading.file_hash, images.load

    def hash_after_delete(path):
        if path == str(gone):
            gone.unlink()
        return real_hash(path)

    def load_then_change(path, *args, **kwargs):
        picture = real_load(path, *args, **kwargs)
        if str(path) == str(changing):
            with open(changing, "ab") as f:
                f.write(b"more")
        return picture

    monkeypatch.setattr(reading, "file_hash", hash_after_delete)
    monkeypatch.setattr(images, "load", load_then_change)
    index = tmp_path / "lib.sqlite"
    summary = scan(index, [photos], scorer)
    assert summary.computed == 1 and summary.errors == 2
    found = errors(index, scorer)
    assert found[str(gone)] == "vanished during the scan (no such file)"
    assert found[str(changing)] == "changed while it was being read; the next scan reads it again"
    monkeypatch.undo()
    again = scan(index, [photos], scorer)  # the changed file is read; the gone one leaves
    assert (again.read, again.computed, again.removed, again.errors) == (1, 1, 1, 0)
    assert errors(index, scorer) == {}


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
        index.conn.execute(f"PRAGMA max_page_count = {pages + 3}")  # SQLite's "disk is full"
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


def test_damaged_feature_rows_are_dropped_and_recomputed(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=3)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    before = {r.path: r.probability for r in _rows(index, scorer)}
    conn = sqlite3.connect(index)
    short, nan = [h for (h,) in conn.execute("SELECT hash FROM contents ORDER BY hash LIMIT 2")]
    conn.execute("UPDATE contents SET features = x'0000' WHERE hash = ?", (short,))
    conn.execute("UPDATE contents SET familiar = ? WHERE hash = ?", (b"\x00\x7e" * 1280, nan))
    conn.execute("DELETE FROM scores WHERE hash = ?", (nan,))  # so it is read back to score
    conn.commit()
    conn.close()
    summary = scan(index, [photos], scorer)
    assert summary.computed == 2 and summary.unchanged == 1
    after = {r.path: r.probability for r in _rows(index, scorer)}
    assert after.keys() == before.keys()
    # the same features again; the head's float32 product may sum in another order
    assert all(abs(after[p] - before[p]) < 1e-6 for p in before)


def _rows(index_path, scorer):
    with Index(index_path) as index:
        return list(query.rows(index, scorer.sha256))


_SLOW_SCAN = """
import sys, time
from catgui.core.library import reading
real = reading.AheadReader.read
count = [0]
def slow(self, founds, known, following=()):
    out = real(self, founds, known, following)
    count[0] += 1
    print(f"batch {count[0]}", flush=True)
    if count[0] == int(sys.argv[2]):  # this batch is read, not yet stored: wait there
        time.sleep(float(sys.argv[1]))
    return out
reading.AheadReader.read = slow
from catgui import cli
sys.exit(cli.main(sys.argv[3:]))
"""


def _slow_scan(seconds: float, at: int, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_SCAN, str(seconds), str(at), "scan", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_killed_scan_continues_where_it_stopped(tmp_path):
    photos = photo_folder(tmp_path / "photos", n=12)
    index = tmp_path / "lib.sqlite"
    proc = _slow_scan(
        60, 3, str(photos), "--index", str(index), "--batch", "2", "--model", str(PHOTO_MODEL)
    )
    try:
        for expected in ("batch 1", "batch 2", "batch 3"):
            assert proc.stdout.readline().strip() == expected
        proc.send_signal(signal.SIGKILL)  # batches 1 and 2 committed, 3 in flight
        proc.wait(30)
    finally:
        proc.kill()
        proc.communicate()
    conn = sqlite3.connect(index)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 4
    conn.close()
    result = run_cli("scan", str(photos), "--index", str(index), "--json", "--batch", "2")
    assert result.returncode == 0, result.stderr
    import json

    summary = json.loads(result.stdout)
    assert (summary["unchanged"], summary["read"], summary["computed"]) == (4, 8, 8)


def test_ctrl_c_stops_at_a_batch_boundary_and_says_how_far(tmp_path):
    photos = photo_folder(tmp_path / "photos", n=12)
    index = tmp_path / "lib.sqlite"
    proc = _slow_scan(1.0, 2, str(photos), "--index", str(index), "--batch", "2")
    try:
        assert proc.stdout.readline().strip() == "batch 1"
        assert proc.stdout.readline().strip() == "batch 2"
        proc.send_signal(signal.SIGINT)  # during batch 2: it is stored, then the scan stops
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "4 of 12 done; run it again to continue" in err
    assert "Traceback" not in err
    result = run_cli("scan", str(photos), "--index", str(index), "--json")
    import json

    summary = json.loads(result.stdout)
    assert (summary["unchanged"], summary["read"]) == (4, 8)


_AS_NOBODY = """
import contextlib, io, os, sys
from catgui import cli
warm, index, target, model = sys.argv[1:5]
with contextlib.redirect_stdout(io.StringIO()):  # every module and the weights loaded first:
    cli.main(["scan", warm, "--index", index + ".warm", "--model", model])  # the interpreter's
os.setgid(65534)                                  # own files may not be readable by nobody
os.setuid(65534)
sys.exit(cli.main(["scan", target, "--index", index, "--model", model, "--json"]))
"""


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to become nobody"
)
def test_unreadable_files_and_folders_as_a_user_without_rights(scorer):
    """As root everything is readable, so the scan drops to ``nobody`` (uid 65534)."""
    top = Path(tempfile.mkdtemp(prefix="catgui-library-"))
    try:
        os.chmod(top, 0o777)
        photos = photo_folder(top / "photos", n=2)
        write_photo(photos / "secret.jpg", seed=50)
        write_photo(photos / "locked" / "inside.jpg", seed=51)
        warm = photo_folder(top / "warm", n=1)
        for p in [photos, *photos.rglob("*"), warm, *warm.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        os.chmod(photos / "secret.jpg", 0o600)
        os.chmod(photos / "locked", 0o700)
        home = top / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        index = home / "library.sqlite"
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                _AS_NOBODY,
                str(warm),
                str(index),
                str(photos),
                str(PHOTO_MODEL),
            ],
            capture_output=True,
            text=True,
            cwd=str(top),
            timeout=300,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        import json

        summary = json.loads(result.stdout)
        assert (summary["computed"], summary["errors"]) == (2, 2)
        with Index(index) as opened:
            found = {
                Path(r.path).name: r.error for r in query.rows(opened, scorer.sha256, "errors")
            }
        assert found == {
            "secret.jpg": "cannot be read (Permission denied)",
            "locked": "the folder cannot be read (Permission denied)",
        }
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_a_folder_that_cannot_be_reached_keeps_its_rows(tmp_path, scorer):
    disk = photo_folder(tmp_path / "disk", n=3)
    index = tmp_path / "lib.sqlite"
    scan(index, [disk], scorer)
    disk.rename(tmp_path / "unplugged")
    summary = scan(index, [disk], scorer)
    assert summary.removed == 0 and summary.errors == 1
    with Index(index) as opened:
        kept = [r for r in query.rows(opened, scorer.sha256) if r.error is None]
    assert len(kept) == 3


def test_a_file_name_that_is_not_utf8_is_kept_and_listed_as_its_bytes(tmp_path, scorer):
    photos = tmp_path / "photos"
    write_photo(photos / "plain.jpg", seed=1)
    odd = os.fsdecode(b"caf\xe9-latin1.jpg")  # a name in Latin-1, not UTF-8
    write_photo(photos / odd, seed=2)
    index = tmp_path / "lib.sqlite"
    assert scan(index, [photos], scorer).computed == 2
    assert scan(index, [photos], scorer).unchanged == 2  # found again by the same name
    result = subprocess.run(
        [sys.executable, "-m", "catgui.cli", "library", "list", "--index", str(index)],
        capture_output=True,
        cwd=ROOT,
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"caf\xe9-latin1.jpg\t" in result.stdout  # the name's own bytes, as ls prints it
    out = tmp_path / "out"
    assert (
        run_cli(
            "library", "export", "--index", str(index), "--non-cats", "--to", str(out)
        ).returncode
        == 0
    )
    assert (
        run_cli("library", "export", "--index", str(index), "--cats", "--to", str(out)).returncode
        == 0
    )
    assert sorted(os.listdir(os.fsencode(out))) == [b"caf\xe9-latin1.jpg", b"plain.jpg"]


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
