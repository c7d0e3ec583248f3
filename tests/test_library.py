"""The library index (catgui scan, catgui library): rows, increments, re-scoring, queries."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from catgui import cli
from catgui.core import backbone, persistence
from catgui.core.errors import CatguiError
from catgui.core.library import blobs, chunks, query
from catgui.core.library.index import Index
from catgui.core.library.rescore import Scorer, rescore_steps
from catgui.core.steps import run_to_end
from tests.library_helpers import (
    PHOTO_MODEL,
    needs_photo_model,
    photo_folder,
    pictures_a_photo,
    scan,
    write_photo,
)

pytestmark = needs_photo_model


def listed(index_path: Path, scorer: Scorer, which=None) -> dict[str, query.Row]:
    with Index(index_path) as index:
        return {r.path: r for r in query.rows(index, scorer.sha256, which)}


def test_scan_stores_one_row_per_file_and_matches_predict(tmp_path, scorer, capsys):
    photos = photo_folder(tmp_path / "photos", n=6)
    index = tmp_path / "lib.sqlite"
    summary = scan(index, [photos], scorer, batch=4)
    assert (summary.found, summary.read, summary.computed, summary.errors) == (6, 6, 6, 0)
    rows = listed(index, scorer)
    assert len(rows) == 6 and all(
        r.error is None and r.probability is not None for r in rows.values()
    )
    conn = sqlite3.connect(index)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    # the two batches' chunks merged into one once the scan finished: 6 pictures' features
    # in one blob; no 64x64 squares' (the shipped model's familiarity reads the 224 crop's:
    # one backbone pass a photo)
    lengths = conn.execute(
        "SELECT rows, length(hashes), length(features), length(familiar) FROM chunks"
    ).fetchall()
    assert lengths == [(6, 6 * 64, 6 * blobs.BYTES, None)] and blobs.BYTES == 2560
    slots = conn.execute("SELECT DISTINCT chunk FROM contents").fetchall()
    assert len(slots) == 1
    w, h = conn.execute("SELECT width, height FROM contents LIMIT 1").fetchone()
    assert (w, h) == (120, 90)
    thumb = conn.execute("SELECT jpeg FROM thumbnails LIMIT 1").fetchone()[0]
    assert thumb[:2] == b"\xff\xd8" and len(thumb) < 4000
    conn.close()
    # the same verdicts as catgui predict (float16 features: within 1e-3)
    assert cli.main(["predict", str(PHOTO_MODEL), str(photos), "--json"]) == 0
    predicted = {os.path.abspath(d["path"]): d for d in json.loads(capsys.readouterr().out)}
    listing = ["library", "list", "--index", str(index), "--json"]
    assert cli.main([*listing, "--model", str(PHOTO_MODEL)]) == 0
    from_index = {d["path"]: d for d in json.loads(capsys.readouterr().out)}
    assert set(from_index) == set(predicted)
    for path, d in predicted.items():
        assert from_index[path]["label"] == d["label"]
        assert abs(from_index[path]["probability"] - d["probability"]) < 1e-3
        assert from_index[path]["familiarity"] == pytest.approx(d["familiarity"], abs=0.02)
    # with no model named, the index is scored by the model predict uses then (the first
    # model a new user meets), from the stored features
    assert cli.main(["predict", str(photos), "--json"]) == 0
    first = {os.path.abspath(d["path"]): d for d in json.loads(capsys.readouterr().out)}
    assert cli.main(listing) == 0
    by_default = {d["path"]: d for d in json.loads(capsys.readouterr().out)}
    assert set(by_default) == set(first)
    for path, d in first.items():
        assert by_default[path]["label"] == d["label"]
        assert abs(by_default[path]["probability"] - d["probability"]) < 1e-3
        assert set(from_index[path]) == set(d)


def test_second_scan_reads_only_what_changed(tmp_path, scorer, monkeypatch):
    photos = photo_folder(tmp_path / "photos", n=6)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    again = scan(index, [photos], scorer)
    assert (again.unchanged, again.read, again.computed) == (6, 0, 0)

    files = sorted(photos.rglob("*.jpg"))
    os.utime(files[0], ns=(1, 10**18))  # touched: read (hashed) again, no network pass
    files[1].rename(photos / "renamed.jpg")  # moved: recognised by its hash
    (photos / "copy.jpg").write_bytes(files[2].read_bytes())  # an exact duplicate
    files[3].unlink()  # deleted: leaves the index
    write_photo(files[4], seed=99)  # changed content: through the network again
    calls = []
    real = backbone.extract
    monkeypatch.setattr(
        backbone, "extract", lambda sq, **kw: calls.append(len(sq)) or real(sq, **kw)
    )
    summary = scan(index, [photos], scorer)
    assert summary.unchanged == 2
    assert (summary.read, summary.computed, summary.reused, summary.removed) == (4, 1, 3, 2)
    # one picture, one run: its crop (and its 64x64 square where the index keeps those)
    assert calls == [pictures_a_photo(index, scorer)]
    rows = listed(index, scorer)
    assert str(photos / "renamed.jpg") in rows and str(files[1]) not in rows
    assert str(files[3]) not in rows and len(rows) == 6
    assert rows[str(photos / "copy.jpg")].probability == rows[str(files[2])].probability
    with Index(index) as idx:
        assert idx.conn.execute("SELECT count(*) FROM contents").fetchone()[0] == 5


@pytest.mark.parametrize("batch", [32, 1])
def test_duplicates_share_one_pass(tmp_path, scorer, monkeypatch, batch):
    """In one batch, or in the next ones (decoded ahead, before the first was stored)."""
    photos = tmp_path / "photos"
    write_photo(photos / "a.jpg", seed=1)
    for name in ("b.jpg", "c.jpg"):
        (photos / name).write_bytes((photos / "a.jpg").read_bytes())
    calls = []
    real = backbone.extract
    monkeypatch.setattr(
        backbone, "extract", lambda sq, **kw: calls.append(len(sq)) or real(sq, **kw)
    )
    summary = scan(tmp_path / "lib.sqlite", [photos], scorer, batch=batch)
    assert (summary.read, summary.computed, summary.reused) == (3, 1, 2)
    assert calls == [pictures_a_photo(tmp_path / "lib.sqlite", scorer)]


def test_another_feature_model_rescores_without_the_network(tmp_path, scorer, monkeypatch, capsys):
    from catgui.core.kinds.zero_shot import ZeroShotClassifier

    photos = photo_folder(tmp_path / "photos", n=5)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    zero = persistence.save(
        persistence.Model(ZeroShotClassifier(1.0, 0.5), metadata={}), tmp_path / "zero.npz"
    )
    monkeypatch.setattr(backbone, "extract", _no_network)
    monkeypatch.setattr(backbone, "extract_steps", _no_network)
    assert cli.main(["library", "list", "--index", str(index), "--model", str(zero), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5 and all(0 <= r["probability"] <= 1 for r in rows)
    assert "familiarity" not in rows[0]  # this model keeps no reference of training pictures
    monkeypatch.undo()
    from catgui.core.prediction import classify_paths

    model = persistence.load(zero).classifier
    for r in rows:
        [direct] = list(classify_paths(model, [r["path"]]))
        assert abs(direct.probability - r["probability"]) < 1e-3
    with Index(index) as idx:
        models = query.stats(idx)["models"]
    assert {m["kind"] for m in models} == {"pretrained", "zero-shot"}
    assert all(m["pictures_scored"] == 5 for m in models)


def _no_network(*args, **kwargs):
    raise AssertionError("the backbone ran")


def test_rescore_everything_from_features_only(tmp_path, scorer, monkeypatch):
    photos = photo_folder(tmp_path / "photos", n=4)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    before = listed(index, scorer)
    monkeypatch.setattr(backbone, "extract", _no_network)
    with Index(index, writable=True) as idx:
        assert run_to_end(rescore_steps(idx, scorer, everything=True)) == 4
    after = listed(index, scorer)
    assert {p: r.probability for p, r in after.items()} == {
        p: r.probability for p, r in before.items()
    }


def test_a_model_that_reads_pixels_is_refused(tmp_path):
    from catgui.core.paths import default_model_path

    with pytest.raises(CatguiError, match="reads the pictures' pixels"):
        Scorer.of_file(default_model_path())
    assert (
        cli.main(
            ["scan", str(tmp_path), "--index", str(tmp_path / "i.sqlite"), "--model", "default"]
        )
        == 1
    )


def test_filters_and_csv(tmp_path, scorer, capsys):
    photos = photo_folder(tmp_path / "photos", n=4)
    (photos / "empty.jpg").write_bytes(b"")
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    rows = listed(index, scorer)
    cats = listed(index, scorer, "cats")
    non = listed(index, scorer, "non-cats")
    errors = listed(index, scorer, "errors")
    assert set(cats) | set(non) | set(errors) == set(rows) and not set(cats) & set(non)
    assert all(r.probability > 0.5 for r in cats.values())
    assert list(errors) == [str(photos / "empty.jpg")]
    assert errors[str(photos / "empty.jpg")].error == "the file is empty (0 bytes)"
    unsure = listed(index, scorer, "unsure")
    assert all(0.4 < r.probability < 0.6 for r in unsure.values())
    assert cli.main(["library", "list", "--index", str(index), "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "path,label,probability,familiarity,unfamiliar,error" and len(lines) == 6
    assert cli.main(["library", "list", "--index", str(index), "--errors", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"path": str(photos / "empty.jpg"), "error": "the file is empty (0 bytes)"}
    ]


def test_export_copies_and_links_with_suffixes_and_never_touches_originals(
    tmp_path, scorer, capsys
):
    photos = tmp_path / "photos"
    write_photo(photos / "one" / "same.jpg", seed=1)
    write_photo(photos / "two" / "same.jpg", seed=2)
    originals = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in photos.rglob("*.jpg")}
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    for how in ("--copy", "--link"):
        out = tmp_path / how.strip("-")
        for which in ("--cats", "--non-cats"):  # every file goes to one folder or the other
            assert (
                cli.main(["library", "export", "--index", str(index), which, "--to", str(out), how])
                == 0
            )
    copied = sorted(p.name for p in (tmp_path / "copy").iterdir())
    assert copied == ["same-2.jpg", "same.jpg"]
    assert sorted(p.read_bytes() for p in (tmp_path / "copy").iterdir()) == sorted(
        b for b, _ in originals.values()
    )
    linked = list((tmp_path / "link").iterdir())
    assert len(linked) == 2 and all(p.is_symlink() for p in linked)
    assert {Path(os.readlink(p)) for p in linked} == set(originals)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in photos.rglob("*.jpg")} == originals
    assert not list((tmp_path / "copy").glob(".*"))  # no temporary file left
    capsys.readouterr()


def test_stats(tmp_path, scorer, capsys):
    photos = photo_folder(tmp_path / "photos", n=3)
    (photos / "notes.jpg").write_text("not a picture")
    (photos / "empty.png").write_bytes(b"")
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    assert cli.main(["library", "stats", "--index", str(index), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["files"], found["pictures"], found["errors"]) == (5, 3, 2)
    assert found["errors_by_cause"] == {
        "not an image file": 1,
        "the file is empty": 1,
    }
    assert found["index_bytes"] > 0 and found["models"][0]["pictures_scored"] == 3
    assert cli.main(["library", "stats", "--index", str(index)]) == 0
    assert "5 files: 3 pictures" in capsys.readouterr().out


def test_default_index_is_in_the_user_data_folder(tmp_path, capsys):
    photos = photo_folder(tmp_path / "photos", n=1)
    assert cli.main(["scan", str(photos)]) == 0
    home = Path(os.environ["CATGUI_HOME"])
    assert (home / "library.sqlite").is_file()
    out = capsys.readouterr().out
    assert str(home / "library.sqlite") in out
    # the new picture was scored as it was read, not "0 scored"
    assert "1 read (1 through the network, 0 already known)" in out
    assert "verdicts by zero-shot.npz (0 from stored features)" in out


def test_an_older_index_is_migrated_and_a_reader_is_told_to_scan(tmp_path, scorer):
    from catgui.core.library import schema

    old = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(old)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    for statement in schema.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with pytest.raises(CatguiError, match="older catgui .version 1.; run catgui scan once"):
        Index(old)
    photos = photo_folder(tmp_path / "photos", n=1)
    scan(old, [photos], scorer)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION == 3
    assert conn.execute("SELECT reference FROM models").fetchone()[0] == scorer.reference_digest
    conn.close()


def test_a_retrained_head_with_the_same_reference_reuses_familiarity(tmp_path, scorer, monkeypatch):
    photos = photo_folder(tmp_path / "photos", n=4)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    model = persistence.load(PHOTO_MODEL)
    model.classifier.head.weights[:] = model.classifier.head.weights * 1.5
    retrained = Scorer.of_file(persistence.save(model, tmp_path / "retrained.npz"))
    assert retrained.reference_digest == scorer.reference_digest
    calls = []
    real = type(scorer.classifier.reference).score
    monkeypatch.setattr(
        type(scorer.classifier.reference), "score", lambda s, x: calls.append(1) or real(s, x)
    )
    with Index(index, writable=True) as idx:
        assert run_to_end(rescore_steps(idx, retrained)) == 4
        hashes = [h for (h,) in idx.conn.execute("SELECT hash FROM contents ORDER BY hash")]
        features, found = chunks.features_of(idx.conn, hashes)
        assert found.all()
    assert calls == []  # familiarity copied from the shipped model's rows
    base, new = listed(index, scorer), listed(index, retrained)
    assert {p: r.familiarity for p, r in new.items()} == {p: r.familiarity for p, r in base.items()}
    with Index(index) as idx:
        stored = [
            p
            for (p,) in idx.conn.execute(
                "SELECT p_cat FROM scores WHERE model = ? ORDER BY hash", (retrained.sha256,)
            )
        ]
    np.testing.assert_allclose(stored, retrained.probabilities(features), rtol=0, atol=1e-12)
    assert any(abs(new[p].probability - base[p].probability) > 1e-6 for p in new)
