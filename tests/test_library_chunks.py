"""The index's features in chunks: merged after a scan, damage planted and recomputed,
pictures stored with and without their 64x64 features, and an index of version 2 (made by
the landed code, ``tests/data/library-v2``) brought to version 3 without a backbone pass."""

from __future__ import annotations

import os
import shutil
import sqlite3

import numpy as np

from catgui.core import backbone, persistence
from catgui.core.library import blobs, chunks, compact, reading, schema
from catgui.core.library.index import Index
from catgui.core.library.rescore import Scorer, rescore_steps
from catgui.core.steps import run_to_end
from tests.data_helpers import ROOT
from tests.library_helpers import index_rows, needs_photo_model, photo_folder, scan

pytestmark = needs_photo_model

V2 = ROOT / "tests" / "data" / "library-v2"


def _no_network(*args, **kwargs):
    raise AssertionError("the backbone ran")


def _chunk_rows(index) -> list[tuple]:
    conn = sqlite3.connect(index)
    try:
        return conn.execute(
            "SELECT id, rows, familiar IS NOT NULL FROM chunks ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_small_chunks_are_merged_and_dead_slots_dropped(tmp_path, scorer):
    photos = photo_folder(tmp_path / "photos", n=7)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer, batch=2)
    assert [r[1:] for r in _chunk_rows(index)] == [(7, 0)]  # 4 batches' chunks, one now
    conn = sqlite3.connect(index)  # and the pages the small ones held went back
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    conn.close()
    before = {r.path: r.probability for r in index_rows(index, scorer)}
    gone = sorted(photos.rglob("*.jpg"))[:3]
    for f in gone:
        f.unlink()
    summary = scan(index, [photos], scorer)
    assert (summary.removed, summary.computed) == (3, 0)
    # 4 of 7 slots live: less than half of a full chunk, and slots wasted -> rewritten
    assert [r[1:] for r in _chunk_rows(index)] == [(4, 0)]
    after = {r.path: r.probability for r in index_rows(index, scorer)}
    assert after == {p: v for p, v in before.items() if p not in {str(f) for f in gone}}
    with Index(index, writable=True) as idx:  # and the features followed their pictures
        assert run_to_end(rescore_steps(idx, scorer, everything=True)) == 4
    again = {r.path: r.probability for r in index_rows(index, scorer)}
    assert again.keys() == after.keys()
    # the same features: the same scores, to float32 sums' rounding (other batch shapes)
    assert all(abs(again[p] - after[p]) <= 1e-5 * after[p] for p in after)


def test_damaged_chunks_are_dropped_and_their_pictures_recomputed(tmp_path, scorer, monkeypatch):
    monkeypatch.setattr(compact, "compact", lambda index: 0)  # one chunk a batch, kept so
    photos = photo_folder(tmp_path / "photos", n=10)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer, batch=2)
    ids = [r[0] for r in _chunk_rows(index)]
    assert len(ids) == 5
    before = {r.path: (r.probability, r.familiarity) for r in index_rows(index, scorer)}
    conn = sqlite3.connect(index)
    flipped, short, swapped, familiar, _intact = ids
    (blob,) = conn.execute("SELECT features FROM chunks WHERE id = ?", (flipped,)).fetchone()
    damaged = bytearray(blob)
    damaged[1000] ^= 0x40  # one bit: the checksum no longer matches
    conn.execute("UPDATE chunks SET features = ? WHERE id = ?", (bytes(damaged), flipped))
    conn.execute("UPDATE chunks SET hashes = substr(hashes, 1, 70) WHERE id = ?", (short,))
    conn.execute("UPDATE contents SET slot = 1 - slot WHERE chunk = ?", (swapped,))
    conn.execute("UPDATE chunks SET familiar = zeroblob(10) WHERE id = ?", (familiar,))
    conn.commit()
    conn.close()
    # answers come from the scores: the listing is unchanged, nothing crashes
    assert {r.path: (r.probability, r.familiarity) for r in index_rows(index, scorer)} == before
    other = Scorer.of_file(_retrained(tmp_path, 1.5))
    with Index(index, writable=True) as idx:  # a re-score forgets what it finds damaged
        # (the same reference as the shipped model's: it reads no 64x64 features)
        assert run_to_end(rescore_steps(idx, other)) == 4
    assert sum(r.probability is None for r in index_rows(index, other)) == 6
    calls = []
    real = backbone.extract
    monkeypatch.setattr(
        backbone, "extract", lambda sq, **kw: calls.append(len(sq)) or real(sq, **kw)
    )
    summary = scan(index, [photos], scorer)
    assert (summary.unchanged, summary.computed) == (2, 8)  # the familiar chunk found now
    after = {r.path: (r.probability, r.familiarity) for r in index_rows(index, scorer)}
    assert after.keys() == before.keys()
    for path, (p, fam) in before.items():
        assert abs(after[path][0] - p) < 1e-6 and after[path][1] == fam
    with Index(index) as idx:
        good, bad, broken = chunks.verify(idx.conn)
    assert (len(good), bad, broken) == (10, [], [])


def test_a_picture_whose_stored_features_are_not_numbers_is_read_again(tmp_path, scorer):
    """Written with a right checksum (by whatever wrote it): the re-score finds the NaN."""
    photos = photo_folder(tmp_path / "photos", n=3)
    index = tmp_path / "lib.sqlite"
    scan(index, [photos], scorer)
    before = {r.path: r.probability for r in index_rows(index, scorer)}
    conn = sqlite3.connect(index)
    chunk, packed, features, slot = conn.execute(
        "SELECT ch.id, ch.hashes, ch.features, c.slot FROM chunks ch "
        "JOIN contents c ON c.chunk = ch.id ORDER BY c.hash LIMIT 1"
    ).fetchone()
    start = slot * blobs.BYTES
    bad = features[:start] + b"\x00\x7e" * blobs.FEATURES + features[start + blobs.BYTES :]
    conn.execute(
        "UPDATE chunks SET features = ?, crc = ? WHERE id = ?",
        (bad, chunks.crc(packed, bad), chunk),
    )
    conn.execute("DELETE FROM scores")  # so they are all read back to score
    conn.commit()
    conn.close()
    summary = scan(index, [photos], scorer)
    # two scored from their features, the third read again and scored as it is stored
    assert (summary.scored, summary.computed, summary.unchanged) == (2, 1, 2)
    after = {r.path: r.probability for r in index_rows(index, scorer)}
    assert after.keys() == before.keys()
    assert all(abs(after[p] - before[p]) < 1e-6 for p in before)


def _retrained(folder, factor: float):
    from tests.library_helpers import PHOTO_MODEL

    model = persistence.load(PHOTO_MODEL)
    model.classifier.head.weights[:] = model.classifier.head.weights * factor
    return persistence.save(model, folder / f"retrained-{factor}.npz")


def _with_squares(monkeypatch):
    """Outcomes as a scan for a model that compares 64x64 squares gives them (a second
    input a picture: the 64x64 square's features kept too)."""
    real = reading.network_batch

    def two_inputs(pairs, known, threads=2, squares=False):
        return real(pairs, known, threads, True)

    monkeypatch.setattr(reading, "network_batch", two_inputs)


def test_pictures_without_64x64_features_are_stored_and_scored(tmp_path, scorer, monkeypatch):
    photos = photo_folder(tmp_path / "photos", n=3)
    index = tmp_path / "lib.sqlite"
    with monkeypatch.context() as patch:
        _with_squares(patch)
        scan(index, [photos], scorer)
    more = photo_folder(tmp_path / "more", n=2, start=10)
    scan(index, [more], scorer)  # one pass a photo: no 64x64 features
    # two chunks that are never merged together: one with, one without the 64x64 column
    assert sorted(r[1:] for r in _chunk_rows(index)) == [(2, 0), (3, 1)]
    rows = {r.path: r for r in index_rows(index, scorer)}
    assert len(rows) == 5 and all(r.probability is not None for r in rows.values())
    # the shipped model compares the 224 crops' features: every picture has them
    assert all(r.familiarity is not None for r in rows.values())
    monkeypatch.setattr(backbone, "extract", _no_network)
    other = Scorer.of_file(_retrained(tmp_path, 0.5))
    with Index(index, writable=True) as idx:
        assert run_to_end(rescore_steps(idx, other)) == 5
        hashes = [h for (h,) in idx.conn.execute("SELECT hash FROM contents ORDER BY hash")]
        features, found = chunks.features_of(idx.conn, hashes)
        _, with_squares = chunks.features_of(idx.conn, hashes, familiar=True)
        every, all_features = chunks.all_features(idx.conn)
        squared, _ = chunks.all_features(idx.conn, familiar=True)
    assert found.all() and with_squares.sum() == 3
    assert every == hashes and np.array_equal(all_features, features)
    assert len(squared) == 3 and set(squared) < set(hashes)
    listed = {r.path: r.probability for r in index_rows(index, other)}
    expected = dict(zip(hashes, other.probabilities(features)))
    conn = sqlite3.connect(index)
    by_path = dict(conn.execute("SELECT path, hash FROM files"))
    conn.close()
    assert max(abs(listed[p] - expected[by_path[p]]) for p in listed) < 1e-6  # float32 sums


def test_a_version_2_index_of_the_landed_code_is_moved_into_chunks(tmp_path, scorer, monkeypatch):
    """``tests/data/library-v2``: made by catgui at schema version 2 (one blob per picture),
    from the three photos and the empty file beside it."""
    folder = tmp_path / "v2"
    shutil.copytree(V2, folder)
    index = folder / "library.sqlite"
    conn = sqlite3.connect(index)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    rows = conn.execute("SELECT path, size, mtime_ns FROM files").fetchall()
    made_at = os.path.commonpath([p for p, *_ in rows])
    conn.execute(
        "UPDATE files SET path = ? || substr(path, ?)",
        (str(folder / "photos"), len(made_at) + 1),
    )
    for path, _size, mtime in rows:  # the files as they were when that index was made
        os.utime(folder / "photos" / os.path.basename(path), ns=(mtime, mtime))
    old = {h: f + s for h, f, s in conn.execute("SELECT hash, features, familiar FROM contents")}
    scores = conn.execute(
        "SELECT model, hash, p_cat, familiarity FROM scores ORDER BY hash"
    ).fetchall()
    conn.commit()
    conn.close()
    assert len(old) == 3 and len(scores) == 3
    monkeypatch.setattr(backbone, "extract", _no_network)
    summary = scan(index, [folder / "photos"], scorer)
    assert (summary.found, summary.unchanged, summary.read, summary.computed) == (4, 4, 0, 0)
    conn = sqlite3.connect(index)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION == 3
    assert "features" not in {r[1] for r in conn.execute("PRAGMA table_info(contents)")}
    # the scores of the models that scored it are kept as they were (the shipped model's file
    # changed since: its familiarity reference, and its head refitted to the same weights
    # within 1e-6 with its cross-validation record kept; it scores the index anew)
    kept = conn.execute(
        "SELECT model, hash, p_cat, familiarity FROM scores WHERE model IN "
        f"({','.join('?' * len({m for m, *_ in scores}))}) ORDER BY hash",
        sorted({m for m, *_ in scores}),
    ).fetchall()
    assert kept == scores
    # the tables the window and the other features read are as they were
    for table, columns in {
        "files": ["path", "size", "mtime_ns", "hash", "status"],
        "scores": ["model", "hash", "p_cat", "familiarity"],
        "thumbnails": ["hash", "jpeg"],
    }.items():
        assert [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] == columns
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Index(index) as idx:
        features, found = chunks.features_of(idx.conn, sorted(old))
        squares, _ = chunks.features_of(idx.conn, sorted(old), familiar=True)
    assert found.all()
    for h, f, s in zip(sorted(old), features, squares):  # the same bytes, not recomputed
        assert f.astype(blobs.DTYPE).tobytes() + s.astype(blobs.DTYPE).tobytes() == old[h]
    listed = index_rows(index, scorer)
    assert sorted(r.error is None for r in listed) == [False, True, True, True]
    np.testing.assert_allclose(
        sorted(r.probability for r in listed if r.error is None),
        sorted(p for _, _, p, _ in scores),
        rtol=1e-5,
        atol=0,
    )


def test_a_damaged_blob_in_a_version_2_index_is_read_again(tmp_path, scorer):
    folder = tmp_path / "v2"
    shutil.copytree(V2, folder)
    index = folder / "library.sqlite"
    conn = sqlite3.connect(index)
    (victim,) = conn.execute("SELECT hash FROM contents ORDER BY hash LIMIT 1").fetchone()
    conn.execute("UPDATE contents SET familiar = x'00' WHERE hash = ?", (victim,))
    conn.commit()
    conn.close()
    # the index's own paths are gone (made elsewhere): the photos are read at this path,
    # and two of the three are known by their hashes
    summary = scan(index, [folder / "photos"], scorer)
    assert (summary.computed, summary.reused) == (1, 2)
    with Index(index) as idx:
        good, bad, damaged = chunks.verify(idx.conn)
    assert len(good) == 3 and bad == damaged == []


def test_widen_gives_numpys_float32_for_every_float16():
    every = np.arange(1 << 16, dtype=np.uint16).view(np.float16)
    positive = every[every.view(np.uint16) < 0x7C00]  # the fast path: 0, subnormals, normals
    for values in (every, positive, positive.reshape(-1, 1)[:1280].reshape(1, 1280)):
        wide = blobs.widen(values)
        assert wide.dtype == np.float32 and wide.shape == values.shape
        np.testing.assert_array_equal(wide, values.astype(np.float32))
    assert blobs.widen(np.empty((0, 1280), dtype=np.float16)).shape == (0, 1280)


def test_a_new_index_has_large_pages_and_a_migrated_one_is_repacked(tmp_path, scorer):
    index = tmp_path / "lib.sqlite"
    scan(index, [photo_folder(tmp_path / "photos", n=1)], scorer)
    folder = tmp_path / "v2"
    shutil.copytree(V2, folder)
    scan(folder / "library.sqlite", [folder / "photos"], scorer)
    for path in (index, folder / "library.sqlite"):
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA page_size").fetchone()[0] == schema.PAGE_SIZE
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
        conn.close()
