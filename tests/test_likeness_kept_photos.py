"""The kept near-copies on real photos: after a second scan, only the new pictures are
compared, and the groups are those a computation from scratch finds (``catgui library
duplicates`` in a process of its own, before and after the kept row is dropped)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from catgui.core.library import similar
from catgui.core.library.index import Index
from catgui.core.steps import run_to_end
from tests.data_helpers import ROOT
from tests.library_helpers import needs_photo_model, run_cli, scan

pytestmark = needs_photo_model
PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"


def _copy(source, folder, name: str, how: str) -> str:
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        img = opened.convert("RGB")
    w, h = img.size
    made = {
        "flip": lambda: ImageOps.mirror(img),
        "half": lambda: img.resize((w // 2, h // 2)),
        "crop": lambda: img.crop((w // 20, h // 20, w - w // 20, h - h // 20)),
    }[how]()
    folder.mkdir(parents=True, exist_ok=True)
    made.save(folder / name)
    return str(folder / name)


def _duplicates(index_path) -> list[list[str]]:
    done = run_cli("library", "duplicates", "--index", str(index_path), "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def test_a_second_scan_s_groups_are_those_computed_from_scratch(tmp_path, scorer):
    cats = sorted((PHOTOS / "cat").glob("*.jpg"))[:5]
    dogs = sorted((PHOTOS / "dog").glob("*.jpg"))[:5]
    if len(cats) < 5 or len(dogs) < 5:
        pytest.skip(f"the real photos are not at {PHOTOS}")
    first, second = tmp_path / "photos" / "first", tmp_path / "photos" / "second"
    first.mkdir(parents=True)
    for source in cats[:3] + dogs[:3]:
        (first / source.name).write_bytes(source.read_bytes())
    flipped = _copy(cats[1], first / "copies", "flipped.jpg", "flip")
    half = _copy(cats[1], first / "copies", "half.png", "half")
    index_path = tmp_path / "library.sqlite"
    scan(index_path, [tmp_path / "photos"], scorer)
    before = _duplicates(index_path)
    assert before == [sorted([str(first / cats[1].name), flipped, half])]

    second.mkdir()
    for source in cats[3:] + dogs[3:]:
        (second / source.name).write_bytes(source.read_bytes())
    more = [
        _copy(dogs[4], second / "copies", "dog-flipped.jpg", "flip"),
        _copy(cats[1], second / "copies", "cat-half.jpg", "half"),  # joins the first group
    ]
    (second / "same.jpg").write_bytes(dogs[0].read_bytes())  # one content, two files
    (first / "copies" / "half.png").unlink()  # leaves its group
    scan(index_path, [tmp_path / "photos"], scorer)

    said: list[str] = []
    with Index(index_path) as index:
        kept = run_to_end(similar.duplicate_steps(index), said.append)
    assert "comparing 6 new pictures with 13" in said  # 8 + 4 photos + 2 copies - 1
    assert not any(" of 13 compared" in s for s in said)
    expected = [
        sorted([str(first / cats[1].name), flipped, more[1]]),
        sorted([str(second / dogs[4].name), more[0]]),
        sorted([str(first / dogs[0].name), str(second / "same.jpg")]),
    ]
    assert kept == sorted(expected)
    assert _duplicates(index_path) == kept  # read from the kept row, in another process

    conn = sqlite3.connect(index_path)
    conn.execute("DROP TABLE likeness")  # from scratch
    conn.commit()
    conn.close()
    assert _duplicates(index_path) == kept
