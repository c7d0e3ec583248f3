"""The library scan under bad input: each problem recorded with its cause while the scan
goes on (damaged, empty, bombs, files that vanish or change, rights, unreachable folders,
names that are not UTF-8)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest

from catgui.core import images
from catgui.core.library import query, reading
from catgui.core.library.index import Index
from tests.library_helpers import (
    PHOTO_MODEL,
    ROOT,
    index_errors,
    needs_photo_model,
    photo_folder,
    run_cli,
    scan,
    write_photo,
)

pytestmark = needs_photo_model


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
    found = index_errors(tmp_path / "lib.sqlite", scorer)
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
    real_hash, real_load = reading.file_sha256, images.load

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

    monkeypatch.setattr(reading, "file_sha256", hash_after_delete)
    monkeypatch.setattr(images, "load", load_then_change)
    index = tmp_path / "lib.sqlite"
    summary = scan(index, [photos], scorer)
    assert summary.computed == 1 and summary.errors == 2
    found = index_errors(index, scorer)
    assert found[str(gone)] == "vanished during the scan (no such file)"
    assert found[str(changing)] == "changed while it was being read; the next scan reads it again"
    monkeypatch.undo()
    again = scan(index, [photos], scorer)  # the changed file is read; the gone one leaves
    assert (again.read, again.computed, again.removed, again.errors) == (1, 1, 1, 0)
    assert index_errors(index, scorer) == {}


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
