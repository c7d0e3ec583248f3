"""Folder data sets: class folders, import with skips and progress, cache, split, CLI."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catgui import cli
from catgui.core import evaluation, folder_cache, images, persistence, runs
from catgui.core.errors import CatguiError
from catgui.core.folders import FolderImport, class_of, import_folder
from catgui.core.sources import DataRecipe, prepare
from catgui.core.splits import check_share, stratified_holdout
from catgui.core.steps import run_to_end
from catgui.core.training import TrainConfig
from tests.folder_helpers import make_folder, picture


@pytest.fixture
def pics(tmp_path):
    return make_folder(tmp_path / "pics", cats=12, non_cats=10)


def cache_files():
    folder = folder_cache.cache_dir()
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    "name, label",
    [("cat", 1), ("Cats", 1), ("non-cat", 0), ("NonCat", 0), ("not_cat", 0), ("Not Cat", 0)]
    + [("other", 0), ("Others", 0), ("dog", 0), ("DOGS", 0), ("kitten", None), ("c-at", 1)],
)
def test_class_folder_names(name, label):
    assert class_of(name) == label


def test_import_reads_every_picture_at_any_depth_with_labels(pics):
    result = FolderImport(pics).run()
    assert result.x.shape == (22, 64, 64, 3) and result.x.dtype == np.uint8
    assert result.y.tolist() == [1] * 12 + [0] * 10
    assert "cat/deeper/cat-000.jpg" in result.files
    assert [(c.name, c.label, c.images) for c in result.class_folders] == [
        ("cat", 1, 12),
        ("non-cat", 0, 10),
    ]
    i = result.files.index("non-cat/non-cat-001.png")
    assert np.array_equal(result.x[i], images.load(pics / "non-cat/non-cat-001.png").pixels)
    assert result.skipped == () and not result.from_cache


def test_import_reports_skipped_files_and_ignored_folders(pics):
    (pics / "cat" / "broken.jpg").write_bytes(b"this is not a jpeg")
    (pics / "cat" / "notes.txt").write_text("hello")
    (pics / "readme.md").write_text("top level")
    (pics / "misc").mkdir()
    (pics / "misc" / "x.png").write_bytes(b"")
    result = import_folder(pics)
    assert len(result) == 22
    reasons = {s.path: s.reason for s in result.skipped}
    assert set(reasons) == {"cat/broken.jpg", "cat/notes.txt", "readme.md"}
    assert str(pics / "cat" / "broken.jpg") in reasons["cat/broken.jpg"]
    assert "not an image" in reasons["cat/broken.jpg"]
    assert "not an image file ending (.txt)" in reasons["cat/notes.txt"]
    assert "not inside a class folder" in reasons["readme.md"]
    assert result.ignored_folders == ("misc",)


def test_kaggle_layout_cat_and_dog_is_accepted_and_named(tmp_path):
    result = import_folder(make_folder(tmp_path / "k", 3, 3, "Cats", "dogs"))
    assert result.describe_folders() == "Cats/ (3 images) -> cat, dogs/ (3 images) -> non-cat"


@pytest.mark.parametrize("present", [["cat"], ["dog"], ["kittens", "puppies"], []])
def test_a_missing_class_folder_is_an_error_naming_the_folder(tmp_path, present):
    for name in present:
        (tmp_path / name).mkdir()
    with pytest.raises(CatguiError, match="needs one subfolder per class") as info:
        import_folder(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_missing_folder_and_file_instead_of_folder(tmp_path):
    with pytest.raises(CatguiError, match="no such folder"):
        import_folder(tmp_path / "nope")
    (tmp_path / "f.jpg").write_bytes(b"x")
    with pytest.raises(CatguiError, match="is a file"):
        import_folder(tmp_path / "f.jpg")


def test_progress_counts_every_file_and_stopping_caches_nothing(pics):
    seen = []
    imported = run_to_end(FolderImport(pics, use_cache=False).steps(), seen.append)
    assert len(imported) == 22 - len(imported.skipped) and imported.files  # steps return it
    assert seen[0].done == 0 and seen[0].path is None
    assert [p.done for p in seen[1:]] == list(range(1, 23))
    assert {p.total for p in seen} == {22}
    assert all(p.path.is_file() for p in seen[1:])
    for f in cache_files():
        f.unlink()
    steps = FolderImport(pics).steps()
    for p in steps:
        if p.done == 5:
            break
    steps.close()
    assert cache_files() == []


def test_second_import_comes_from_the_cache_and_a_change_rebuilds_it(pics):
    first = import_folder(pics)
    assert len(cache_files()) == 1 and not first.from_cache
    steps = list(FolderImport(pics).steps())
    assert len(steps) == 1  # no file decoded
    second = import_folder(pics)
    assert second.from_cache and np.array_equal(second.x, first.x) and second.files == first.files
    changed = pics / "cat" / "cat-001.png"
    picture(np.random.default_rng(99), False).save(changed)
    st_ = changed.stat()
    os.utime(changed, ns=(st_.st_atime_ns, st_.st_mtime_ns + 10**9))
    third = import_folder(pics)
    i = third.files.index("cat/cat-001.png")
    assert not third.from_cache
    assert np.array_equal(third.x[i], images.load(changed).pixels)
    assert not np.array_equal(third.x[i], first.x[i])
    picture(np.random.default_rng(7), True).save(pics / "cat" / "new.png")
    fourth = import_folder(pics)
    assert not fourth.from_cache and len(fourth) == 23
    assert len(cache_files()) == 1  # rebuilt in place, atomically (no temporary left)


def test_a_damaged_cache_is_rebuilt(pics):
    import_folder(pics)
    (cache,) = cache_files()
    cache.write_bytes(b"garbage")
    again = import_folder(pics)
    assert not again.from_cache and len(again) == 22
    assert import_folder(pics).from_cache


def test_split_is_reproducible_stratified_and_order_independent():
    files = [f"c/{i}.jpg" for i in range(50)] + [f"n/{i}.jpg" for i in range(30)]
    y = np.array([1] * 50 + [0] * 30)
    a = stratified_holdout(files, y, 0.2, seed=3)
    b = stratified_holdout(files, y, 0.2, seed=3)
    assert np.array_equal(a.test_index, b.test_index)
    assert sorted(a.test_index.tolist() + a.train_index.tolist()) == list(range(80))
    assert int(y[a.test_index].sum()) == 10 and int((y[a.test_index] == 0).sum()) == 6
    c = stratified_holdout(files, y, 0.2, seed=4)
    assert set(c.test_files) != set(a.test_files)
    order = np.random.default_rng(0).permutation(80)
    d = stratified_holdout([files[i] for i in order], y[order], 0.2, seed=3)
    assert set(d.test_files) == set(a.test_files)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 60), st.integers(2, 60), st.floats(0.05, 0.95), st.integers(0, 2**31 - 1))
def test_split_keeps_both_classes_on_both_sides(cats, others, share, seed):
    files = [f"f{i}" for i in range(cats + others)]
    y = np.array([1] * cats + [0] * others)
    h = stratified_holdout(files, y, share, seed)
    for part in (h.test_index, h.train_index):
        assert set(y[part].tolist()) == {0, 1}
    assert abs(int(y[h.test_index].sum()) - share * cats) <= 1.0


@pytest.mark.parametrize("share", [0, 1, -0.2, 1.5, float("nan")])
def test_bad_holdout_share(share):
    with pytest.raises(CatguiError, match="held-out share"):
        check_share(share)


def test_training_on_a_folder_reaches_high_accuracy_on_its_held_out_part(tmp_path):
    folder = make_folder(tmp_path / "p", 30, 30)
    data = prepare(DataRecipe(images=folder))
    assert (len(data.train), len(data.test)) == (48, 12)
    assert set(data.test_names).isdisjoint(data.train_names)
    config = TrainConfig(hidden=(8,), learning_rate=0.01, iterations=300, seed=1)
    trainer = runs.make_trainer(data.train, config)
    for _ in trainer.steps():
        pass
    model = runs.build_model(trainer, data, 1.0)
    assert model.metadata["test_accuracy"] >= 0.9
    path = persistence.save(model, tmp_path / "m.npz")
    meta = persistence.load(path).metadata["data_source"]
    assert meta["split"]["test_files"] == list(data.test_names)
    assert meta["train"][0]["class_folders"] == [["cat", "cat", 30], ["non-cat", "non-cat", 30]]
    test = evaluation.evaluate(trainer.classifier(), data.test.x, data.test.y)
    assert test.accuracy == model.metadata["test_accuracy"]


def test_test_folder_and_article_parts(tmp_path, tiny_data):
    folder = make_folder(tmp_path / "p", 6, 6)
    other = make_folder(tmp_path / "t", 3, 2, seed=5)
    data = prepare(DataRecipe(images=folder, test_from="folder", test_images=other))
    assert (len(data.train), len(data.test)) == (12, 5)
    assert data.source["split"] is None and data.test.path == other.absolute()
    both = prepare(
        DataRecipe(images=folder, test_from="article", article_train=True, article_folder=tiny_data)
    )
    assert (len(both.train), len(both.test)) == (12 + 12, 6)
    assert both.test.sha256 == both.source["test"]["sha256"]  # the article's file, as is
    assert both.train_names[0] == "article train #0"
    with pytest.raises(CatguiError, match="test folder"):
        DataRecipe(images=folder, test_from="folder").validate()


def run(capsys, *args):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_train_on_images_end_to_end(tmp_path, capsys):
    folder = make_folder(tmp_path / "pics", 25, 25)
    (folder / "non-cat" / "bad.png").write_bytes(b"nope")
    out_file = tmp_path / "m.npz"
    fit = ["--layers", "8", "--lr", "0.01", "--iterations", "300"]
    code, out, err = run(capsys, "train", "--images", folder, *fit, "--out", out_file)
    assert code == 0, err
    assert "[cat/ -> cat (25), non-cat/ -> non-cat (25)]" in out
    assert "Split: 40 training / 10 test images" in out
    assert "Skipped 1 file(s):" in out and str(folder / "non-cat" / "bad.png") in out
    assert "Test accuracy:  100 % (72–100 %) on 10 images" in out
    meta = persistence.load(out_file).metadata
    assert meta["data_source"]["skipped_count"] == 1 and meta["test_size"] == 10
    code, out, _ = run(capsys, "evaluate", out_file, "--images", folder)
    assert code == 0 and "held-out part recorded in the model: 10 of 50 images" in out
    code, out, _ = run(capsys, "evaluate", out_file, "--images", folder, "--json")
    assert json.loads(out)["test_size"] == 10
    code, out, _ = run(capsys, "train", "--images", folder, *fit[:-1], "5", "--json", "--augment")
    doc = json.loads(out)
    assert code == 0 and doc["train_size"] == 80 and doc["test_size"] == 10


@pytest.mark.parametrize(
    "args, message",
    [
        (["--test-images", "x"], "--test-images needs --images"),
        (["--with-article-data"], "--with-article-data needs --images"),
        (["--images", "{p}", "--holdout", "0"], "held-out share"),
        (["--images", "{p}", "--test-images", "{p}", "--test-from", "article"], "not both"),
        (["--images", "{p}/cat"], "needs one subfolder per class"),
    ],
)
def test_cli_refuses_bad_image_options(pics, capsys, args, message):
    code, _, err = run(capsys, "train", *[a.format(p=pics) for a in args])
    assert code == 1 and message in err and "Traceback" not in err


def test_threaded_decoding_gives_the_same_result_in_the_same_order(pics):
    (pics / "cat" / "broken.jpg").write_bytes(b"not a jpeg")
    one = FolderImport(pics, use_cache=False, workers=1).run()
    three = FolderImport(pics, use_cache=False, workers=3).run()
    assert one.files == three.files and np.array_equal(one.x, three.x)
    assert one.skipped == three.skipped and len(one.skipped) == 1


def test_stopping_a_threaded_import_ends_its_threads(pics):
    import threading

    job = FolderImport(pics, use_cache=False, workers=3)
    steps = job.steps()
    for p in steps:
        if p.done == 3:
            break
    steps.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("catgui-import")]


def test_a_test_folder_may_hold_one_class_but_must_exist(tmp_path, capsys):
    folder = make_folder(tmp_path / "p", 8, 8)
    only_cats = make_folder(tmp_path / "c", 3, 0, seed=2)
    data = prepare(DataRecipe(images=folder, test_from="folder", test_images=only_cats))
    assert data.test.y.tolist() == [1, 1, 1]
    with pytest.raises(CatguiError, match="no such folder"):
        prepare(DataRecipe(images=folder, test_from="folder", test_images=tmp_path / "nope"))
    model = tmp_path / "m.npz"
    fit = ["--layers", "3", "--iterations", "5"]
    assert cli.main(["train", "--images", str(folder), *fit, "--out", str(model)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "evaluate", model, "--images", only_cats)
    assert code == 0 and "all 3 images in" in out and "on 3 images" in out
    code, out, _ = run(capsys, "evaluate", model, "--images", folder)
    assert "held-out part recorded in the model: 4 of 16 images" in out
    code, _, err = run(capsys, "evaluate", model, "--images", tmp_path / "nope")
    assert code == 1 and "no such folder" in err
