"""The Library grid's *folder* order is natural: photo2 before photo10, set 9/ before set 10/."""

from __future__ import annotations

import sqlite3

from catgui.core.library import browse, natural
from catgui.core.library.index import Index
from tests.library_helpers import needs_photo_model, scan, write_photo


def test_the_key_orders_paths_as_natsort_does_for_the_classify_tab():
    from natsort import natsorted, ns

    names = ["photo10.jpg", "photo2.jpg", "photo1.jpg", "photo-1.jpg", "photo02b.jpg"]
    names += ["photo2a.jpg", "photoa.jpg", "IMG_0009.jpg", "IMG_10.jpg", "photo1.jpg.bak"]
    names += ["Photo3.jpg", "set 9/a.jpg", "set 10/a.jpg", "set 9b/a.jpg", "photo.jpg"]
    assert sorted(names, key=natural.key) == natsorted(names, alg=ns.IGNORECASE)
    assert sorted(names, key=natural.key)[:6] == [
        "IMG_0009.jpg",
        "IMG_10.jpg",
        "photo1.jpg",
        "photo1.jpg.bak",
        "photo2.jpg",
        "photo2a.jpg",
    ]
    assert natural.key(b"/bytes/\xff10.jpg") == b"/bytes/\xff10.jpg"  # not UTF-8: as is


def _folder_order(index_path) -> list[str]:
    with Index(index_path) as index:
        ids = browse.matching(index, browse.View(sort="folder"))
        found = browse.page(index, ids, None, 0.5)
    return [found[i].path for i in ids.tolist()]


@needs_photo_model
def test_a_scanned_library_s_folder_order_is_natural(tmp_path, scorer):
    root = tmp_path / "photos"
    made = []
    for folder in ("set 10", "set 9"):
        for i in (10, 2, 1, 33):
            made.append(write_photo(root / folder / f"photo{i}.jpg", seed=len(made)))
    index_path = tmp_path / "library.sqlite"
    scan(index_path, [root], scorer)
    expected = [
        str(root / folder / f"photo{i}.jpg")
        for folder in ("set 9", "set 10")
        for i in (1, 2, 10, 33)
    ]
    assert _folder_order(index_path) == expected

    # an index written before the keys were kept: the paths' own order, no error
    conn = sqlite3.connect(index_path)
    conn.execute("DROP TABLE natural_order")
    conn.commit()
    conn.close()
    assert _folder_order(index_path) == sorted(expected)
    (root / "set 9" / "photo2.jpg").unlink()
    scan(index_path, [root], scorer)  # the next scan keeps the keys of every file
    expected.remove(str(root / "set 9" / "photo2.jpg"))
    assert _folder_order(index_path) == expected
    with Index(index_path) as index:
        keys = index.conn.execute("SELECT count(*) FROM natural_order").fetchone()[0]
    assert keys == len(expected)  # the file gone took its key along
    conn = sqlite3.connect(index_path)  # keys made another way (another catgui's recipe)
    conn.execute("UPDATE natural_order SET key = 'z' || path")
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'natural_order'")
    conn.commit()
    conn.close()
    scan(index_path, [root], scorer)
    assert _folder_order(index_path) == expected  # made again
    with Index(index_path) as index:  # read from the keys' index, in order: no sort
        plan = index.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT f.rowid FROM {natural.SOURCE} ORDER BY {natural.ORDER}"
        ).fetchall()
    assert "natural_order_key" in str(plan) and "TEMP B-TREE" not in str(plan)


@needs_photo_model
def test_removing_a_folder_takes_its_keys_along(tmp_path, scorer):
    from catgui.core.library import jobs
    from catgui.core.steps import run_to_end

    root = tmp_path / "photos"
    for i in (1, 2, 10):
        write_photo(root / "kept" / f"photo{i}.jpg", seed=i)
        write_photo(root / "gone" / f"photo{i}.jpg", seed=10 + i)
    index_path = tmp_path / "library.sqlite"
    scan(index_path, [root], scorer)
    run_to_end(jobs.forget_job(index_path, root / "gone"))
    kept = [str(root / "kept" / f"photo{i}.jpg") for i in (1, 2, 10)]
    assert _folder_order(index_path) == kept  # still natural: the keys cover the files
