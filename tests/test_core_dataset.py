"""Loading and validating the h5 pair; finding the data folder."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from catgui.core import dataset, pictures
from catgui.core.errors import CatguiError
from tests.data_helpers import write_h5_pair


def test_tiny_pair_loads(tiny_data):
    data = dataset.load(tiny_data)
    assert data.train.x.shape == (12, 64, 64, 3) and data.train.y.dtype == np.int64
    assert data.train.features().shape == (12288, 12)
    assert data.train.labels().shape == (1, 12)
    assert data.folder == tiny_data and len(data.sha256) == 64


def test_features_are_the_articles_flattening():
    x = np.arange(2 * 64 * 64 * 3, dtype=np.uint64).reshape(2, 64, 64, 3) % 256
    f = pictures.to_features(x.astype(np.uint8))
    np.testing.assert_array_equal(f[:, 1], x[1].reshape(-1) / 255.0)


def _rewrite(path, key, value):
    with h5py.File(path, "a") as f:
        del f[key]
        f[key] = value


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("train_set_x", np.zeros((12, 32, 32, 3), np.uint8), "expected \\(m, 64, 64, 3\\)"),
        ("train_set_x", np.zeros((12, 64, 64, 3), np.float32), "expected uint8"),
        ("train_set_y", np.full(12, 2), "labels must be 0"),
        ("train_set_y", np.array([0, 1] * 5 + [np.nan, 1]), "NaN"),
        ("train_set_y", np.zeros(11, np.int64), "12 images but 11 labels"),
        ("train_set_y", np.zeros((12, 1), np.int64), "expected \\(m,\\)"),
        ("train_set_y", np.ones(12, np.int64), "need both classes"),
        ("train_set_y", np.array([b"cat"] * 12), "expected 0/1"),
    ],
)
def test_each_validation_error_names_file_and_problem(tiny_data, key, value, message):
    _rewrite(tiny_data / dataset.TRAIN_FILE, key, value)
    with pytest.raises(CatguiError, match=message) as info:
        dataset.load(tiny_data)
    assert str(tiny_data / dataset.TRAIN_FILE) in str(info.value)


def test_zero_examples(tmp_path):
    folder = write_h5_pair(tmp_path / "d")
    for key in ("test_set_x", "test_set_y"):
        shape = (0, 64, 64, 3) if key.endswith("x") else (0,)
        _rewrite(
            folder / dataset.TEST_FILE,
            key,
            np.zeros(shape, np.uint8 if key.endswith("x") else np.int64),
        )
    with pytest.raises(CatguiError, match="no examples"):
        dataset.load(folder)


def test_missing_key(tiny_data):
    with h5py.File(tiny_data / dataset.TEST_FILE, "a") as f:
        del f["test_set_x"]
    with pytest.raises(CatguiError, match="missing dataset 'test_set_x'"):
        dataset.load(tiny_data)


def test_not_hdf5(tiny_data):
    (tiny_data / dataset.TRAIN_FILE).write_text("this is not HDF5")
    with pytest.raises(CatguiError, match="not a readable HDF5 file"):
        dataset.load(tiny_data)


def test_missing_folder_lists_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.delenv("CATGUI_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatguiError, match="was not found; looked in") as info:
        dataset.load()
    assert str(tmp_path / "datasets") in str(info.value)


def test_search_order(tmp_path, monkeypatch):
    env_dir = write_h5_pair(tmp_path / "env")
    cwd_dir = write_h5_pair(tmp_path / "cwd" / "datasets")
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("CATGUI_DATA", str(env_dir))
    assert dataset.find_folder() == env_dir
    explicit = write_h5_pair(tmp_path / "explicit")
    assert dataset.find_folder(explicit) == explicit
    monkeypatch.delenv("CATGUI_DATA")
    assert dataset.find_folder() == cwd_dir
    with pytest.raises(CatguiError):
        dataset.find_folder(tmp_path / "nowhere")  # an explicit folder is not second-guessed


def test_user_data_folder_is_last(tmp_path, monkeypatch):
    monkeypatch.delenv("CATGUI_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    from catgui.core.paths import user_data_dir

    folder = write_h5_pair(user_data_dir() / "datasets")
    assert dataset.find_folder() == folder


def test_the_summary_of_the_article_pair_names_both_files_and_their_contents(tiny_data):
    from catgui.core.source_info import summary_lines

    data = dataset.load(tiny_data)
    lines = summary_lines(data)
    assert lines[0] == f"Data: the article's data set in {data.folder}"  # what the bar shows
    details = "\n".join(lines[1:])
    assert all(line.startswith("  ") for line in lines[1:])  # the Details dialog's part
    for role, split in (("training", data.train), ("test", data.test)):
        cats = int(split.y.sum())
        assert f"{role}: {split.path.name}, {len(split)} images ({cats} cats)" in details
        assert split.sha256 in details
