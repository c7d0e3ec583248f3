"""``library list``'s fast output: the same text, JSON and CSV as rendering each
:class:`~catgui.core.library.query.Row` the way the command did, for every filter; and
a listing of what is scored already loads no model."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sqlite3
import subprocess
import sys

import pytest

from catgui.commands import listing
from catgui.core.familiarity import UNFAMILIAR_BELOW
from catgui.core.library import query
from catgui.core.library.index import Index
from tests.library_helpers import (
    PHOTO_MODEL,
    ROOT,
    needs_photo_model,
    photo_folder,
    run_cli,
    scan,
)


def _by_rows(rows: list[query.Row], shape: str) -> str:
    """What ``library list`` printed when it rendered Row objects one by one."""
    if shape == "json":
        return json.dumps([r.as_dict() for r in rows], indent=2) + "\n"
    out = io.StringIO()
    if shape == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["path", "label", "probability", "familiarity", "unfamiliar", "error"])
        num = lambda v: "" if v is None else f"{v:.6g}"  # noqa: E731
        for r in rows:
            writer.writerow(
                [
                    r.path,
                    r.label or "",
                    num(r.probability),
                    num(r.familiarity),
                    "" if r.error else int(r.unfamiliar),
                    r.error or "",
                ]
            )
        return out.getvalue()
    for r in rows:
        if r.error:
            out.write(f"{r.path}\terror: {r.error}\n")
        elif r.probability is None:
            out.write(f"{r.path}\tnot scored yet\n")
        else:
            note = "\tunlike anything I was trained on" if r.unfamiliar else ""
            out.write(f"{r.path}\t{r.label}\t{r.probability:.3f}{note}\n")
    return out.getvalue()


def _fast(rows: list[tuple], shape: str, threshold: float) -> str:
    if shape == "json":
        return listing.json_text(rows, threshold) + "\n"
    out = io.StringIO()
    (listing.csv_text if shape == "csv" else listing.text)(rows, threshold, out)
    return out.getvalue()


ODD_ROWS = [
    ("/p/plain.jpg", "ok", 0.9, 0.5),
    ('/p/quote"back\\slash\ttab\nline.jpg', "ok", 0.1, None),
    ("/p/ünïcödé 猫.jpg", "ok", 0.5, UNFAMILIAR_BELOW),
    ("/p/not-utf8-\udcff.jpg", "ok", 0.50000000001, UNFAMILIAR_BELOW / 2),
    ("/p/tiny.jpg", "ok", 1e-300, 0.0),
    ("/p/one.jpg", "ok", 1.0, 1.0),
    ("/p/third.jpg", "ok", 1 / 3, 2 / 3),
    ("/p/unscored.jpg", "ok", None, None),
    ("/p/broken.jpg", "cannot be read (Permission denied)", None, None),
    ("/p/bomb.jpg", 'a "decompression bomb" \u2013 refused', None, None),
]


@pytest.mark.parametrize("shape", ["text", "json", "csv"])
@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.999])
def test_the_fast_output_is_the_rows_output(shape, threshold):
    rows = [
        query.Row(p, error=s, threshold=threshold)
        if s != "ok"
        else query.Row(p, prob, fam, threshold)
        for p, s, prob, fam in ODD_ROWS
    ]
    assert _fast(ODD_ROWS, shape, threshold) == _by_rows(rows, shape)
    assert _fast([], shape, threshold) == _by_rows([], shape)


def test_numbers_as_json_writes_them():
    for value in (0.1, 1e-300, 1e300, math.nan, math.inf, -math.inf, 0.0, -0.0, 3, 2**70):
        assert listing._number(value) == json.dumps(value)


@needs_photo_model
@pytest.mark.parametrize("shape", ["text", "json", "csv"])
def test_every_filter_prints_what_the_rows_say(tmp_path, scorer, shape):
    photos = photo_folder(tmp_path / "photos", n=6)
    (photos / "empty.jpg").write_bytes(b"")
    (photos / "notes.jpg").write_text("not a picture")
    os.symlink(b"/nowhere", os.path.join(os.fsencode(photos), b"bad-\xff.jpg"))
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    env = {"CATGUI_HOME": str(tmp_path / "home")}
    flag = {"text": [], "json": ["--json"], "csv": ["--csv"]}[shape]
    for which in (None, *query.FILTERS):
        for threshold in (0.5, 0.001) if which in (None, "cats") else (0.5,):
            with Index(index) as opened:
                rows = list(query.rows(opened, scorer.sha256, which, threshold))
            args = ["library", "list", "--index", str(index), "--model", str(PHOTO_MODEL)]
            args += ([f"--{which}"] if which else []) + ["--threshold", str(threshold)]
            done = subprocess.run(
                [sys.executable, "-m", "catgui.cli", *args, *flag],
                capture_output=True,
                env={**os.environ, **env},
                cwd=ROOT,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            expected = _by_rows(rows, shape).encode("utf-8", "surrogateescape")
            assert done.stdout == expected
            if which in (None, "errors"):
                assert rows and any(r.error for r in rows)


@needs_photo_model
def test_listing_what_is_scored_loads_no_model(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=2)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    probe = (
        "import sys; from catgui import cli; "
        f"code = cli.main(['library', 'list', '--cats', '--index', {str(index)!r}, "
        f"'--model', {str(PHOTO_MODEL)!r}]); "
        "heavy = [m for m in ('catgui.core.persistence', 'catgui.core.backbone', "
        "'catgui.core.kinds', 'PIL', 'threadpoolctl') if m in sys.modules]; "
        "print('HEAVY', heavy, code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "CATGUI_HOME": str(tmp_path / "home")},
        cwd=ROOT,
        timeout=120,
    )
    assert done.stdout.splitlines()[-1] == "HEAVY [] 0", done.stderr
    # a model the index has not scored is loaded and scores it (no backbone pass)
    conn = sqlite3.connect(index)
    conn.execute("DELETE FROM scores WHERE hash IN (SELECT hash FROM scores LIMIT 1)")
    conn.commit()
    conn.close()
    result = run_cli("library", "list", "--index", str(index), "--model", str(PHOTO_MODEL))
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2
    assert "not scored" not in result.stdout
