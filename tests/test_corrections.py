"""Corrections: copied (never moved), listed, removed; they join the next training."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from PIL import Image

from catgui import cli
from catgui.core import corrections, images, network, persistence
from catgui.core.data_source import Source, source_of
from catgui.core.errors import CatguiError
from catgui.core.sources import DataRecipe, prepare
from catgui.core.training import TrainConfig, Trainer
from tests.folder_helpers import make_folder, picture


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def odd(tmp_path):
    """A dark, bluish (non-cat-like) picture with a green square that only it has."""
    pixels = np.asarray(picture(np.random.default_rng(5), False)).copy()
    pixels[20:52, 20:52, 1] = 230
    path = tmp_path / "outside" / "My Photo.png"
    path.parent.mkdir()
    Image.fromarray(pixels).save(path)
    return path


def test_add_copies_the_picture_and_leaves_the_original_alone(odd):
    before = (digest(odd), odd.stat().st_mtime_ns)
    entry = corrections.add(odd, is_cat=True)
    assert (digest(odd), odd.stat().st_mtime_ns) == before
    assert entry.path.parent == corrections.default_folder() / "cat"
    assert entry.path.name.startswith("My Photo-") and entry.path.suffix == ".png"
    assert entry.original_name == "My Photo.png" and entry.is_cat
    assert digest(entry.path) == digest(odd)
    assert corrections.entries() == [entry] and corrections.count() == 1


def test_duplicates_are_stored_once_and_a_change_of_mind_moves_the_copy(odd, tmp_path):
    first = corrections.add(odd, True)
    assert corrections.add(odd, True) == first and corrections.count() == 1
    twin = tmp_path / "twin.png"
    twin.write_bytes(odd.read_bytes())
    corrections.add(twin, True)
    assert corrections.count() == 1  # the same content under another name
    moved = corrections.add(odd, False)
    assert not first.path.exists() and moved.path.parent.name == "non-cat"
    assert corrections.Corrections().count() == {"cat": 0, "non-cat": 1, "total": 1}


def test_same_name_different_content_are_both_kept(tmp_path):
    for i in range(2):
        folder = tmp_path / f"d{i}"
        folder.mkdir()
        picture(np.random.default_rng(i), True).save(folder / "cat.jpg")
        corrections.add(folder / "cat.jpg", True)
    names = [e.path.name for e in corrections.entries()]
    assert len(set(names)) == 2 and all(n.startswith("cat-") for n in names)


def test_remove_deletes_only_the_copy(odd):
    entry = corrections.add(odd, False)
    corrections.remove(entry)
    assert corrections.count() == 0 and odd.exists()
    with pytest.raises(CatguiError, match="not in the corrections folder"):
        corrections.remove(corrections.Correction(odd, True))
    assert odd.exists()


def test_a_file_that_is_not_a_picture_is_refused(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a picture")
    with pytest.raises(CatguiError, match="bad.jpg"):
        corrections.add(bad, True)
    assert corrections.count() == 0


def test_a_picture_without_an_image_ending_gets_one(tmp_path, odd):
    plain = tmp_path / "download"
    plain.write_bytes(odd.read_bytes())
    entry = corrections.add(plain, True)
    assert entry.path.suffix == ".png"
    assert np.array_equal(images.load(entry.path).pixels, images.load(odd).pixels)


def test_corrections_join_the_training_part_only(tmp_path, odd):
    folder = make_folder(tmp_path / "p", 10, 10)
    without = prepare(DataRecipe(images=folder))
    corrections.add(odd, True)
    data = prepare(DataRecipe(images=folder))
    assert len(data.train) == len(without.train) + 1 and len(data.test) == len(without.test)
    assert data.train_names[-1].startswith("corrections/cat/My Photo-")
    assert data.train.y[-1] == 1
    assert np.array_equal(data.train.x[-1], images.load(odd).pixels)
    assert data.source["train"][-1]["source"] == "corrections"
    # files saved before the key was named "source" said "kind": they read the same
    assert source_of({"kind": "corrections"}) is source_of(data.source["train"][-1])
    assert source_of({"kind": "corrections"}) is Source.CORRECTIONS
    assert source_of({"source": "a camera"}) is None
    off = prepare(DataRecipe(images=folder, corrections=False))
    assert len(off.train) == len(without.train)
    weighted = prepare(DataRecipe(images=folder, corrections_weight=4))
    assert len(weighted.train) == len(without.train) + 4


def test_a_test_picture_that_was_corrected_leaves_the_test_set(tmp_path):
    folder = make_folder(tmp_path / "p", 10, 10)
    plain = prepare(DataRecipe(images=folder))
    corrections.add(folder / plain.test_names[0], False)
    data = prepare(DataRecipe(images=folder))
    assert len(data.test) == len(plain.test) - 1
    assert plain.test_names[0] not in data.test_names
    assert any("left out of the test set" in note for note in data.notes)


def test_a_correction_changes_that_pictures_prediction(tmp_path, odd):
    folder = make_folder(tmp_path / "p", 30, 30)
    x = images.load(odd).pixels.reshape(1, -1).T / 255.0
    config = TrainConfig(hidden=(8,), learning_rate=0.01, iterations=300, seed=1)

    def p_cat():
        data = prepare(DataRecipe(images=folder, corrections_weight=3))
        net = Trainer(data.train.features(), data.train.labels(), config).run()
        return float(network.predict_proba(net, x)[0])

    assert p_cat() < 0.5  # looks like the non-cats
    corrections.add(odd, is_cat=True)
    assert p_cat() > 0.5


def test_cli_includes_corrections_by_default_and_not_with_no_corrections(
    tmp_path, odd, tiny_data, capsys
):
    corrections.add(odd, True)
    common = ["train", "--data", str(tiny_data), "--layers", "3", "--iterations", "3"]
    assert cli.main([*common, "--out", str(tmp_path / "a.npz")]) == 0
    out = capsys.readouterr().out
    assert "Corrections (training): 1 image (1 cat), weight 1" in out
    assert "on 13 images" in out  # 12 article-style training images + 1 correction
    meta = persistence.load(tmp_path / "a.npz").metadata
    assert meta["train_size"] == 13
    assert cli.main([*common, "--no-corrections", "--out", str(tmp_path / "b.npz")]) == 0
    out = capsys.readouterr().out
    assert "Corrections" not in out and "on 12 images" in out
