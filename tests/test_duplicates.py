"""Near-copies: the grouping over features, the leakage count, the library command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from catgui.core import backbone, duplicates
from tests.library_helpers import needs_photo_model, real_photos, run_cli, scan


def _features(n: int, d: int = 64, seed: int = 0) -> np.ndarray:
    """``n`` random non-negative rows, nearly orthogonal after centring."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)).astype(np.float32)


def _near(row: np.ndarray, seed: int, noise: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return row + noise * np.linalg.norm(row) / np.sqrt(len(row)) * rng.standard_normal(len(row))


def test_groups_join_near_copies_transitively_and_leave_distinct_rows_alone():
    x = _features(50)
    x[7] = _near(x[3], 1)
    x[20] = _near(x[7], 2)  # like 7, so with 3 (one group of three)
    x[41] = _near(x[12], 3)
    x[44] = 2.5 * x[12]  # the same direction at another scale: cosine 1
    groups = duplicates.groups(x, block=8)  # blocks smaller than n: pairs across blocks
    assert groups == [[3, 7, 20], [12, 41, 44]]


def test_the_blockwise_pairs_are_every_pair_above_the_threshold():
    x = _features(120, d=8, seed=5)  # low dimension: many pairs above a low threshold
    pairs = duplicates.run_to_end(duplicates.pair_steps(x, threshold=0.7, block=16))
    sims = duplicates.cosine(x, x)
    expected = {(i, j) for i, j in zip(*np.nonzero(np.triu(sims >= 0.7, k=1)))}
    assert {tuple(p) for p in pairs.tolist()} == expected
    assert len(expected) > 50


def test_pair_steps_yields_its_progress_and_copes_with_nothing():
    steps = duplicates.group_steps(_features(10), block=4)
    assert [next(steps) for _ in range(3)] == [4, 8, 10]
    assert duplicates.groups(np.empty((0, 16), dtype=np.float32)) == []
    zero = np.zeros((3, 16), dtype=np.float32)  # zero rows are like nothing
    assert duplicates.groups(zero) == []


def test_near_copies_names_each_leaking_test_row_once_with_its_closest_training_row():
    train = _features(30, seed=1)
    test = _features(10, seed=2)
    test[4] = _near(train[17], 4)
    test[9] = train[2]
    found = duplicates.near_copies(test, train, block=3)
    assert [(t, r) for t, r, _ in found] == [(4, 17), (9, 2)]
    assert all(s >= duplicates.THRESHOLD for _, _, s in found)
    assert duplicates.near_copies(test[:0], train) == []


def test_the_leakage_warning_in_words():
    assert duplicates.leakage_text(0) is None
    assert duplicates.leakage_text(1) == (
        "1 test picture has a near-copy in the training pictures: "
        "the test accuracy may be optimistic"
    )
    assert duplicates.leakage_text(3).startswith("3 test pictures have a near-copy")


def _copies(source: Path, folder: Path) -> list[Path]:
    """A flip, a crop and a re-encode of a real photo."""
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        img = opened.convert("RGB")
    w, h = img.size
    made = {
        "flipped.jpg": ImageOps.mirror(img),
        "cropped.jpg": img.crop((w // 20, h // 20, w - w // 20, h - h // 20)),
        "smaller.png": img.resize((w // 2, h // 2)),
    }
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, picture in made.items():
        picture.save(folder / name)
        out.append(folder / name)
    return out


@needs_photo_model
def test_library_duplicates_prints_the_groups_of_copies_of_real_photos(tmp_path, scorer):
    root = tmp_path / "photos"
    cats, dogs = real_photos(root, 6, 6)
    copies = _copies(cats[2], root / "copies")
    (root / "copies" / "same-bytes.jpg").write_bytes(dogs[4].read_bytes())
    (root / "broken.jpg").write_bytes(b"not a picture")
    index = tmp_path / "library.sqlite"
    scan(index, [root], scorer)

    done = run_cli("library", "duplicates", "--index", str(index), "--json")
    assert done.returncode == 0, done.stderr
    groups = json.loads(done.stdout)
    original = str(root / cats[2].name)
    assert sorted(str(p) for p in [*copies, root / cats[2].name]) in groups
    assert [str(root / "copies" / "same-bytes.jpg"), str(root / dogs[4].name)] in groups
    assert len(groups) == 2, groups  # the other distinct photos are no one's copy
    assert all(str(root / "broken.jpg") not in g for g in groups)

    words = run_cli("library", "duplicates", "--index", str(index))
    assert words.returncode == 0, words.stderr
    assert "2 groups of near-copies, 6 files in all" in words.stdout
    assert original in words.stdout

    strict = run_cli("library", "duplicates", "--index", str(index), "--threshold", "0.9999")
    assert "1 group of near-copies" in strict.stdout  # only the same bytes are left


def test_library_duplicates_of_a_missing_index_says_so(tmp_path):
    done = run_cli("library", "duplicates", "--index", str(tmp_path / "none.sqlite"))
    assert done.returncode != 0
    assert "none.sqlite: no library index here; run catgui scan first" in done.stderr
    assert "Traceback" not in done.stderr


@needs_photo_model
def test_the_map_of_an_index_places_each_picture_once_with_its_verdict(tmp_path, scorer):
    from catgui.core.library import similar
    from catgui.core.library.index import Index
    from catgui.core.steps import run_to_end
    from tests.library_helpers import photo_folder

    root = photo_folder(tmp_path / "photos", n=7)
    (root / "again.jpg").write_bytes((root / "photo1.jpg").read_bytes())  # one content twice
    index_path = tmp_path / "library.sqlite"
    scan(index_path, [root], scorer)
    with Index(index_path) as index:
        data = run_to_end(similar.map_steps(index, scorer.sha256))
        unscored = run_to_end(similar.map_steps(index, "0" * 64))
        thumbs = similar.thumbnails(index, data.hashes[:3] + ["nope"])
    assert len(data.hashes) == len(set(data.hashes)) == 7
    assert data.points.shape == (7, 2) and np.isfinite(data.points).all()
    assert np.all((data.probabilities >= 0) & (data.probabilities <= 1))
    assert set(data.verdicts()) <= {"cat", "not cat", "unsure"}
    assert unscored.verdicts() == ["not scored"] * 7
    assert sorted(thumbs) == sorted(data.hashes[:3])
    assert all(t.startswith(b"\xff\xd8") for t in thumbs.values())  # JPEG


@pytest.mark.skipif(backbone.unavailable() is not None, reason="no pretrained weights")
def test_a_training_run_counts_the_test_pictures_with_a_near_copy_in_training():
    from catgui.core import dataset
    from catgui.core.dataset import DataSet, Split
    from catgui.core.steps import run_to_end
    from catgui.core.training import TrainConfig
    from catgui.core.training_run import TrainingRun
    from tests.data_helpers import REAL_DATA

    if REAL_DATA is None:
        pytest.skip("the article's data set is not at ../shared/datasets")
    article = dataset.load(REAL_DATA)
    train = Split(article.train.x[:30], article.train.y[:30], article.train.path, "a")
    test_x = np.concatenate([article.test.x[:5], article.train.x[7:8]])  # training picture 7
    test = Split(test_x, np.concatenate([article.test.y[:5], article.train.y[7:8]]), REAL_DATA, "b")
    data = DataSet(train, test, REAL_DATA)

    def near_copies(check):
        run = TrainingRun(data, TrainConfig.logistic_regression(iterations=5))
        run.check_leakage = check
        return run_to_end(run.steps()).model.metadata.get("near_copies")

    assert near_copies(None) is None  # a pixel kind pays no backbone pass for it
    found = near_copies(True)  # as catgui train asks
    assert found["test_with_near_copy"] == 1 and found["pairs"][0][:2] == [5, 7]
    assert found["threshold"] == duplicates.THRESHOLD
    assert near_copies(None) == found  # now from the feature cache
    assert near_copies(False) is None


@needs_photo_model
def test_the_library_tab_s_likeness_job_gives_the_map_and_the_groups_as_contents(tmp_path, scorer):
    from catgui.core.library import similar
    from catgui.core.steps import run_to_end

    root = tmp_path / "photos"
    cats, dogs = real_photos(root, 3, 4)
    _copies(cats[1], root / "copies")
    (root / "twice.jpg").write_bytes(dogs[2].read_bytes())
    index_path = tmp_path / "library.sqlite"
    scan(index_path, [root], scorer)
    data, groups = run_to_end(similar.likeness_steps(index_path, scorer.sha256))
    assert len(data.hashes) == 4 + 3 + 3  # the exact copy is one content
    from catgui.core.dataset import file_sha256

    copies = sorted(file_sha256(p) for p in [cats[1], *(root / "copies").iterdir()])
    assert copies in groups
    assert [file_sha256(root / "twice.jpg")] in groups  # two files, one content
    assert len(groups) == 2


@pytest.mark.skipif(backbone.unavailable() is not None, reason="no pretrained weights")
def test_catgui_train_warns_of_the_article_s_test_picture_that_is_a_training_picture(tmp_path):
    from tests.data_helpers import REAL_DATA

    if REAL_DATA is None:
        pytest.skip("the article's data set is not at ../shared/datasets")
    common = ["train", "--model", "logreg", "--iterations", "5", "--data", str(REAL_DATA)]
    done = run_cli(*common, "--out", str(tmp_path / "a.npz"))
    assert done.returncode == 0, done.stderr
    assert (
        "Warning: 1 test picture has a near-copy in the training pictures: "
        "the test accuracy may be optimistic"
    ) in done.stdout
    as_json = run_cli(*common, "--out", str(tmp_path / "b.npz"), "--json")
    assert json.loads(as_json.stdout)["test_with_near_copy"] == 1
