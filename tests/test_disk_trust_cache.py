"""Issue 21, item 1: a feature-cache entry is never trusted, and can never change an answer.

Each damaged entry is made for real on disk (a lying ``.npy`` header, wrong numbers with
a stale digest, another picture's entry, a FIFO, a symbolic link to ``/dev/zero``, a
folder); reading it gives "not cached" and removes it. The end-to-end tests run
``catgui predict`` in its own process on a pretrained model with each damage planted in
its cache: the same probability every time, no hang, and a good entry written back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from catgui.core import backbone
from catgui.core.backbone import cache
from tests.data_helpers import ROOT

WIDTH = cache.WIDTH


def _numbers(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(WIDTH).astype(np.float32)


@pytest.fixture
def where(tmp_path) -> Path:
    return tmp_path / "features"


def _good(where: Path, name: str, seed: int = 0) -> Path:
    cache.write(where, name, _numbers(seed))
    return cache.entry_path(where, name)


def test_an_entry_reads_back_exactly(where):
    name = "ab" + "0" * 62
    _good(where, name)
    np.testing.assert_array_equal(cache.read(where, name), _numbers())
    assert cache.entry_path(where, name).stat().st_size == cache.ENTRY_BYTES


def _huge_npy_header(path: Path) -> None:
    """What an old ``.npy`` entry claiming 10^11 floats looks like (the header lies)."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.float32))
    header["shape"] = (10**11,)
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, header)
        f.write(b"\0" * 64)


def _wrong_numbers_stale_digest(path: Path) -> None:
    data = bytearray(path.read_bytes())
    numbers = np.frombuffer(bytes(data[-WIDTH * 4 :]), dtype="<f4").copy()
    numbers[:10] += 5.0  # well-formed, finite, wrong: the digest no longer matches
    data[-WIDTH * 4 :] = numbers.tobytes()
    path.write_bytes(bytes(data))


def _cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


def _grown(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\0")


@pytest.mark.parametrize(
    "damage", [_huge_npy_header, _wrong_numbers_stale_digest, _cut_short, _grown]
)
def test_a_damaged_entry_is_dropped_and_written_again(where, damage):
    name = "cd" + "1" * 62
    path = _good(where, name)
    damage(path)
    assert cache.read(where, name) is None
    assert not path.exists()  # dropped: the next run writes a good one
    cache.write(where, name, _numbers())
    np.testing.assert_array_equal(cache.read(where, name), _numbers())


def test_another_pictures_entry_under_this_name_is_refused(where):
    mine, other = "ef" + "2" * 62, "ef" + "3" * 62
    _good(where, other, seed=7)
    os.replace(cache.entry_path(where, other), cache.entry_path(where, mine))
    assert cache.read(where, mine) is None  # the digest covers the name


def test_non_finite_numbers_with_a_right_digest_are_refused(where):
    name = "aa" + "4" * 62
    numbers = _numbers()
    numbers[3] = np.nan
    path = cache.entry_path(where, name)
    path.parent.mkdir(parents=True)
    path.write_bytes(cache.encode(name, numbers))
    assert cache.read(where, name) is None and not path.exists()


def test_a_fifo_a_device_link_or_a_folder_is_never_read(where, tmp_path):
    names = ["b" + c + "5" * 62 for c in "012"]
    for name in names:
        cache.entry_path(where, name).parent.mkdir(parents=True, exist_ok=True)
    fifo, link, folder = (cache.entry_path(where, n) for n in names)
    os.mkfifo(fifo)  # no writer: opening it for reading would block
    os.symlink("/dev/zero", link)  # reading it would never end
    folder.mkdir()
    for name in names:
        assert cache.read(where, name) is None
    assert not fifo.exists() and not os.path.lexists(link)  # the names are removed ...
    assert Path("/dev/zero").exists()  # ... never what they pointed to
    cache.write(where, names[0], _numbers())
    np.testing.assert_array_equal(cache.read(where, names[0]), _numbers())


# -- end to end: a real process, a real pretrained model, a damaged cache ------------------


def _predict(home: Path, picture: Path) -> float:
    env = {**os.environ, "CATGUI_HOME": str(home), "CATGUI_MODELS": str(home / "models")}
    proc = subprocess.run(
        [sys.executable, "-m", "catgui.cli", "predict", str(ROOT / "models" / "pretrained.npz"),
         str(picture), "--json"],
        capture_output=True, text=True, env=env, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)[0]["probability"]


def _entries(home: Path) -> list[Path]:
    return sorted((home / "cache" / "features").rglob(f"*{cache.SUFFIX}"))


def _plant_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _plant_dev_zero(path: Path) -> None:
    path.unlink()
    os.symlink("/dev/zero", path)


@pytest.mark.skipif(backbone.unavailable() is not None, reason="the backbone's weights are absent")
def test_a_damaged_cache_never_changes_an_answer_nor_hangs(tmp_path):
    picture = tmp_path / "photo.png"
    rng = np.random.default_rng(3)
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(picture)
    home = tmp_path / "home"
    first = _predict(home, picture)
    entries = _entries(home)  # the picture's square (and the crops familiarity looks at)
    good = [entry.read_bytes() for entry in entries]
    assert entries
    for damage in (_wrong_numbers_stale_digest, _huge_npy_header, _plant_fifo, _plant_dev_zero):
        for entry in entries:
            damage(entry)
        assert _predict(home, picture) == first, damage.__name__
        assert _entries(home) == entries, damage.__name__
        for entry, was in zip(entries, good):  # computed again and written back
            assert entry.is_file() and not entry.is_symlink() and entry.read_bytes() == was


# -- the cache of imported folders: the same rules -------------------------------------------


def _rewrite(path: Path, **changes) -> None:
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays.update(changes)
    np.savez(path, **arrays)


def test_a_folder_cache_with_flipped_labels_is_rebuilt_not_used(tmp_path):
    from catgui.core import folder_cache
    from catgui.core.folders import FolderImport
    from tests.folder_helpers import make_folder

    pics = make_folder(tmp_path / "pics", cats=4, non_cats=3)
    first = FolderImport(pics).run()
    (cache_file,) = folder_cache.cache_dir().glob("folder-*.npz")
    assert FolderImport(pics).run().from_cache  # a good cache is used
    _rewrite(cache_file, y=1 - first.y)  # well-formed, wrong: the digest no longer matches
    again = FolderImport(pics).run()
    assert not again.from_cache and again.y.tolist() == first.y.tolist()
    with zipfile.ZipFile(cache_file) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(cache_file, "w") as archive:  # x's header claims 10^11 pictures
        for name, data in members.items():
            if name == "x.npy":
                with archive.open(name, "w") as member:
                    header = {"descr": "|u1", "fortran_order": False, "shape": (10**11, 64, 64, 3)}
                    np.lib.format.write_array_header_1_0(member, header)
                    member.write(b"\0" * 100)
            else:
                archive.writestr(name, data)
    assert folder_cache.read(cache_file, pics, first.fingerprint) is None
    rebuilt = FolderImport(pics).run()
    assert not rebuilt.from_cache and rebuilt.y.tolist() == first.y.tolist()


def test_older_versions_entries_are_removed_and_nothing_else(tmp_path):
    from catgui.core.paths import user_data_dir

    root = user_data_dir() / "cache" / "features"
    name = "ab" + "0" * 62
    old = root / f"{'5' * 16}-v1"
    (old / "ab").mkdir(parents=True)
    (old / "ab" / f"{name}.npy").write_bytes(b"an old entry")
    outside = tmp_path / "precious.npy"
    outside.write_bytes(b"not catgui's")
    (old / "ab" / f"{'cd' + '1' * 62}.npy").symlink_to(outside)  # a link: only it goes
    kept_old = root / f"{'6' * 16}-v1"
    (kept_old / "ef").mkdir(parents=True)
    (kept_old / "ef" / "notes.txt").write_text("a user's file")  # not an entry: it stays
    current = root / f"{'5' * 16}-v{cache.VERSION}"
    (current / "ab").mkdir(parents=True)
    (current / "ab" / f"{name}{cache.SUFFIX}").write_bytes(b"x")
    linked = root / f"{'7' * 16}-v1"
    linked.symlink_to(tmp_path, target_is_directory=True)  # never followed

    cache._tidied.discard(root)
    where = cache.folder("5" * 64)  # the first use in a process tidies
    assert where == current
    assert not old.exists()  # its entries, shard and folder gone
    assert outside.read_bytes() == b"not catgui's"
    assert (kept_old / "ef" / "notes.txt").read_text() == "a user's file"
    assert (current / "ab" / f"{name}{cache.SUFFIX}").exists()  # this version's kept
    assert linked.is_symlink() and (tmp_path / "precious.npy").exists()
    assert cache.forget_older_versions(root) == 0  # nothing more to do
