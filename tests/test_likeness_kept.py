"""The near-copies and the map kept in the index: computed once, brought up to date with
only what changed, the same answer as a computation from scratch, damage recomputed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from catgui.core import duplicates
from catgui.core.library import blobs, chunks, likeness_table, likeness_update, similar
from catgui.core.library.index import Index
from catgui.core.steps import run_to_end

MODEL_A, MODEL_B = "a" * 64, "b" * 64


def _name(i: int) -> str:
    return hashlib.sha256(f"picture {i}".encode()).hexdigest()


def _near(row: np.ndarray, seed: int, noise: float) -> np.ndarray:
    """``row`` with noise of ``noise`` times its size: cosine about 1 / sqrt(1 + noise^2)."""
    rng = np.random.default_rng(seed)
    return row + noise * np.linalg.norm(row) / np.sqrt(len(row)) * rng.standard_normal(len(row))


def _features(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, blobs.FEATURES)).astype(np.float32)


def _add(index_path: Path, features: np.ndarray, first: int) -> None:
    """Pictures ``first, first + 1, ...`` with these features, one file each (scored by
    model A), as a scan stores them."""
    with Index(index_path, writable=True) as index, index.transaction() as tx:
        rows = []
        for i, vector in enumerate(features, start=first):
            digest = _name(i)
            rows.append((digest, 40, 30, blobs.encode(vector), None))
            tx.execute(
                "INSERT INTO files VALUES (?, 1, 1, ?, 'ok')", (f"/lib/p{i:04d}.jpg", digest)
            )
            tx.execute("INSERT INTO scores VALUES (?, ?, ?, NULL)", (MODEL_A, digest, i / 1000))
        chunks.add(tx, rows)


def _remove(index_path: Path, pictures: list[int]) -> None:
    with Index(index_path, writable=True) as index, index.transaction() as tx:
        tx.executemany(
            "DELETE FROM files WHERE path = ?", [(f"/lib/p{i:04d}.jpg",) for i in pictures]
        )


def _base(index_path: Path) -> np.ndarray:
    """200 pictures: a chain 3 ~ 5 ~ 9 (3 and 9 not alike themselves), 12 ~ 20, 40 ~ 41."""
    x = _features(200)
    x[5] = _near(x[3], 1, 0.4)
    x[9] = _near(x[5], 2, 0.4)
    x[20] = _near(x[12], 3, 0.1)
    x[41] = 3.0 * x[40]
    _add(index_path, x, 0)
    return x


def _from_scratch(index_path: Path) -> likeness_table.Kept:
    with Index(index_path) as index:
        now = likeness_update.shown(index.conn)
        kept, _ = run_to_end(likeness_update.update_steps(index.conn, None, now.hashes))
    return kept


def _named_groups(kept: likeness_table.Kept, threshold: float = duplicates.THRESHOLD):
    names = kept.names
    return sorted(sorted(names[r] for r in g) for g in kept.groups(threshold))


def _kept(index_path: Path) -> likeness_table.Kept | None:
    with Index(index_path) as index:
        return likeness_table.read(index.conn, index.meta("backbone") or "")


def _likeness(index_path: Path, model: str = MODEL_A) -> tuple:
    said: list[str] = []
    data, groups = run_to_end(similar.likeness_steps(index_path, model), said.append)
    return data, groups, said


def test_the_first_look_keeps_the_groups_and_the_map_and_the_next_reads_them(tmp_path):
    index_path = tmp_path / "library.sqlite"
    x = _base(index_path)
    data, groups, said = _likeness(index_path)
    assert "keeping the near-copies and the map in the index" in said
    expected = sorted(sorted(_name(i) for i in g) for g in [[3, 5, 9], [12, 20], [40, 41]])
    assert groups == expected
    assert sorted(_named_groups(_kept(index_path))) == expected
    found = duplicates.groups(x)  # the features themselves, compared in memory
    assert sorted(sorted(_name(i) for i in g) for g in found) == expected
    again, groups_again, said_again = _likeness(index_path)
    assert said_again == [] and groups_again == groups  # nothing to compute
    assert np.array_equal(again.points, data.points) and again.paths == data.paths
    assert data.paths[data.hashes.index(_name(7))] == "/lib/p0007.jpg"


def test_after_pictures_come_and_go_only_the_new_are_compared_and_the_groups_are_as_from_scratch(
    tmp_path,
):
    index_path = tmp_path / "library.sqlite"
    x = _base(index_path)
    _likeness(index_path)
    new = _features(60, seed=9)
    new[0] = _near(x[7], 4, 0.1)  # joins 7
    new[1] = _near(new[0], 5, 0.1)  # and so 7's group: three
    new[2] = _near(x[3], 6, 0.1)  # joins 3's group
    new[3] = _near(new[4], 7, 0.2)  # two new pictures alike
    _add(index_path, new, 200)
    _remove(index_path, [5, 41])  # the chain's middle and a copy leave
    _data, groups, said = _likeness(index_path)
    assert "comparing 60 new pictures with 258" in said  # 200 + 60 - 2
    assert not any("of 258 compared" in s for s in said)  # never all pairs
    kept, scratch = _kept(index_path), _from_scratch(index_path)
    assert np.array_equal(kept.hashes, scratch.hashes)
    assert _named_groups(kept) == _named_groups(scratch)
    assert {tuple(p) for p in kept.pairs.tolist()} == {tuple(p) for p in scratch.pairs.tolist()}
    np.testing.assert_allclose(kept.similarities, scratch.similarities, atol=1e-5)
    expected = [[3, 202], [7, 200, 201], [12, 20], [203, 204]]  # 5 left: 3 and 9 apart
    assert groups == sorted(sorted(_name(i) for i in g) for g in expected)


def test_the_map_places_new_pictures_on_the_kept_axes_and_refits_once_a_quarter_moved(tmp_path):
    index_path = tmp_path / "library.sqlite"
    _base(index_path)
    first, _, _ = _likeness(index_path)
    _add(index_path, _features(10, seed=3), 200)
    second, _, _ = _likeness(index_path)
    kept = _kept(index_path)
    assert (kept.fitted, kept.moved) == (200, 10)
    at = [second.hashes.index(h) for h in first.hashes]
    assert np.array_equal(second.points[at], first.points)  # the old places kept
    _add(index_path, _features(60, seed=4), 210)  # 70 moved of 270: a refit
    _likeness(index_path)
    kept = _kept(index_path)
    assert (kept.fitted, kept.moved) == (270, 0)
    np.testing.assert_allclose(kept.points, _from_scratch(index_path).points, atol=1e-4)


def test_pictures_that_only_left_need_no_feature_read(tmp_path, monkeypatch):
    index_path = tmp_path / "library.sqlite"
    _base(index_path)
    _likeness(index_path)
    _remove(index_path, [9])

    def never(*_a, **_k):
        raise AssertionError("the features were read")

    monkeypatch.setattr(chunks, "all_features", never)
    data, groups, said = _likeness(index_path)
    assert said[0] == "1 pictures left the library" and len(data.hashes) == 199
    assert sorted(_name(i) for i in [3, 5]) in groups


def test_a_new_model_only_recolours_the_map(tmp_path, monkeypatch):
    from catgui.core.library import jobs

    index_path = tmp_path / "library.sqlite"
    _base(index_path)
    data, groups, _ = _likeness(index_path)
    with Index(index_path, writable=True) as index, index.transaction() as tx:
        tx.executemany(
            "INSERT INTO scores VALUES (?, ?, 0.9, NULL)", [(MODEL_B, h) for h in data.hashes[:5]]
        )

    def never(*_a, **_k):
        raise AssertionError("the features were read or compared")

    for module, name in [
        (chunks, "all_features"),
        (duplicates, "scored_pair_steps"),
        (duplicates, "cross_pair_steps"),
    ]:
        monkeypatch.setattr(module, name, never)
    p = run_to_end(jobs.colours_job(index_path, data.hashes, MODEL_B))
    assert p.shape == (200,) and np.all(p[:5] == 0.9) and np.isnan(p[5:]).all()
    recoloured = data.recoloured(p)
    assert recoloured.verdicts()[:5] == ["cat"] * 5 and recoloured.verdicts()[5] == "not scored"
    whole, groups_b, said = _likeness(index_path, MODEL_B)  # the tab's whole read: no work
    assert said == [] and groups_b == groups and np.array_equal(whole.points, data.points)


def _damage(index_path: Path, sql: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(index_path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _forged_unsorted(index_path: Path) -> None:
    """The first two hashes swapped, with a digest made anew: well formed, but not sorted."""
    conn = sqlite3.connect(index_path)
    row = conn.execute(f"SELECT {likeness_table._COLUMNS} FROM likeness").fetchone()
    hashes = bytearray(row[7])
    hashes[:128] = hashes[64:128] + hashes[:64]
    parts = (bytes(hashes), *row[8:12])
    digest = likeness_table._digest(tuple(row[:7]), parts)
    conn.execute("UPDATE likeness SET hashes = ?, digest = ?", (bytes(hashes), digest))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE likeness SET points = substr(points, 1, 100)",  # truncated
        "UPDATE likeness SET pair_rows = zeroblob(length(pair_rows))",  # forged, digest left
        "UPDATE likeness SET similarities = x'0000803f0000803f0000803f'",  # wrong length
        "UPDATE likeness SET algorithm = 99",
        "UPDATE likeness SET backbone = 'another backbone'",
        "UPDATE likeness SET hashes = 'text, not a blob'",
        "UPDATE likeness SET contents = -1",
        "DROP TABLE likeness",
        "forged unsorted",
        "another layout",
    ],
)
def test_a_damaged_or_forged_kept_row_is_computed_again_with_the_same_answer(tmp_path, damage):
    index_path = tmp_path / "library.sqlite"
    _base(index_path)
    data, groups, _ = _likeness(index_path)
    if damage == "forged unsorted":
        _forged_unsorted(index_path)
    elif damage == "another layout":  # a table of that name made another way
        _damage(index_path, "DROP TABLE likeness")
        _damage(index_path, "CREATE TABLE likeness (id INTEGER PRIMARY KEY, stuff BLOB)")
    else:
        _damage(index_path, damage)
    assert _kept(index_path) is None  # refused
    again, groups_again, said = _likeness(index_path)
    assert "0 of 200 compared" not in said and any("of 200 compared" in s for s in said)
    assert groups_again == groups
    assert again.hashes == data.hashes and np.array_equal(again.points, data.points)
    assert _kept(index_path) is not None  # stored whole again


def test_an_index_that_cannot_be_written_gives_the_same_answer_without_keeping_it(
    tmp_path, monkeypatch
):
    index_path = tmp_path / "library.sqlite"
    _base(index_path)
    holder = sqlite3.connect(index_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds SQLite's lock
    monkeypatch.setattr(likeness_table, "WAIT", 0.05)
    try:
        _data, groups, said = _likeness(index_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(groups) == 3 and "keeping the near-copies and the map in the index" in said
    assert _kept(index_path) is None  # not kept: the next look computes it again


def test_library_duplicates_at_other_thresholds_is_what_all_pairs_find(tmp_path):
    index_path = tmp_path / "library.sqlite"
    x = _base(index_path)
    x[100] = _near(x[101], 8, 0.6)  # cosine ~0.86: only below the kept threshold
    _damage(index_path, "DELETE FROM files WHERE path = '/lib/p0100.jpg'")
    _add(index_path, x[100:101], 300)  # the same features under another picture

    def expected(threshold):
        both = np.concatenate([np.delete(x, 100, axis=0), x[100:101]])
        names = [i for i in range(200) if i != 100] + [300]
        return sorted(
            sorted(f"/lib/p{names[r]:04d}.jpg" for r in g)
            for g in duplicates.groups(both, threshold)
        )

    with Index(index_path) as index:
        for threshold in (0.97, 0.9, 0.8):
            found = run_to_end(similar.duplicate_steps(index, threshold))
            assert found == expected(threshold), threshold
    assert expected(0.8) != expected(0.9) != expected(0.97)
