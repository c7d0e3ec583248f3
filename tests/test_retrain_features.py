"""Retrain learns each correction from the features the library scores its photo by: the
224 crop's, stored in the index (or read from the file), never the 64x64 square's."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from catgui.core import backbone, images
from catgui.core.corrections import Corrections
from catgui.core.dataset import KnownFeatures, file_sha256
from catgui.core.kinds import pretrained
from catgui.core.library import chunks
from catgui.core.library.correction_features import PREFIX, crop_features_steps
from catgui.core.library.index import Index
from catgui.core.library.retrain import retrain_steps
from catgui.core.sources import DataPreparation, DataRecipe
from catgui.core.steps import run_to_end
from catgui.core.training_run import TrainingRun
from tests.label_next_helpers import known_library, photo_path
from tests.library_helpers import needs_photo_model, write_photo

pytestmark = needs_photo_model


@pytest.fixture
def library(tmp_path, scorer) -> Path:
    return known_library(tmp_path, scorer)


def stored(index_path: Path, paths) -> np.ndarray:
    """The index's features of the photos at ``paths`` (float32, in order)."""
    with Index(index_path) as index:
        features, have = chunks.features_of(index.conn, [file_sha256(Path(p)) for p in paths])
    assert have.all()
    return features


def crop_pooled(path: Path) -> np.ndarray:
    picture = images.load(path, sizes=(backbone.INPUT_SIZE,))
    return backbone.extract(picture.square(backbone.INPUT_SIZE)[None]).pooled[0]


def square_pooled(path: Path) -> np.ndarray:
    return backbone.extract(images.load(path).pixels[None]).pooled[0]


def prepared(tiny_data, weight: int = 1):
    recipe = DataRecipe(article_folder=tiny_data, corrections=True, corrections_weight=weight)
    return DataPreparation(recipe).run()


def known_by_name(data) -> dict[str, list[np.ndarray]]:
    known = data.train.known
    found: dict[str, list[np.ndarray]] = {}
    for row, pooled in zip(known.rows, known.pooled):
        found.setdefault(Path(data.train_names[row]).name, []).append(pooled)
    return found


def test_corrections_in_the_index_get_its_stored_features_the_others_their_crop(
    library, tiny_data, tmp_path
):
    store = Corrections()
    for name, is_cat in (("photo1.jpg", True), ("photo3.jpg", False)):
        store.add(photo_path(tmp_path, name), is_cat)
    elsewhere = write_photo(tmp_path / "elsewhere" / "never-scanned.jpg", seed=99)
    store.add(elsewhere, True)
    data = prepared(tiny_data)
    steps = []
    found = run_to_end(crop_features_steps(data, store.folder, library), steps.append)
    assert (found.from_index, found.from_files, found.kept_squares) == (2, 1, 0)
    assert steps[-1] == 3
    known = found.data.train.known
    names = found.data.train_names
    assert sorted(known.rows.tolist()) == [i for i, n in enumerate(names) if n.startswith(PREFIX)]
    by_name = known_by_name(found.data)
    in_index = [photo_path(tmp_path, n) for n in ("photo1.jpg", "photo3.jpg")]
    for path, expected in zip(in_index, stored(library, in_index)):
        (name,) = [n for n in by_name if n.startswith(path.stem + "-")]
        np.testing.assert_array_equal(by_name[name][0], expected)  # the very vector scored
    (new,) = [n for n in by_name if n.startswith("never-scanned-")]
    crop = crop_pooled(elsewhere)
    np.testing.assert_allclose(by_name[new][0], crop, rtol=1e-4, atol=1e-4)
    square = square_pooled(elsewhere)
    assert np.abs(by_name[new][0] - square).max() > 100 * np.abs(by_name[new][0] - crop).max()
    # the training data's own pictures stay as the kind prepares them (64x64 squares)
    assert len(known.rows) == 3 and len(found.data.train.y) == len(data.train.y)
    np.testing.assert_array_equal(found.data.train.x, data.train.x)


def test_a_weighted_correction_has_its_features_on_every_copy(library, tiny_data, tmp_path):
    Corrections().add(photo_path(tmp_path, "photo2.jpg"), False)
    found = run_to_end(
        crop_features_steps(prepared(tiny_data, weight=3), Corrections().folder, library)
    )
    (copies,) = known_by_name(found.data).values()
    assert len(copies) == 3 and len(found.data.train.known.rows) == 3
    expected = stored(library, [photo_path(tmp_path, "photo2.jpg")])[0]
    for pooled in copies:
        np.testing.assert_array_equal(pooled, expected)


def test_augmented_copies_of_a_correction_stay_as_they_were_made(library, tiny_data, tmp_path):
    from catgui.core.augment import AugmentConfig

    Corrections().add(photo_path(tmp_path, "photo2.jpg"), False)
    recipe = DataRecipe(article_folder=tiny_data, corrections=True, augment=AugmentConfig())
    data = DataPreparation(recipe).run()
    copies = [n for n in data.train_names if n.startswith(PREFIX)]
    assert len(copies) == 2 and copies[1].endswith("(augmented 1)")
    found = run_to_end(crop_features_steps(data, Corrections().folder, library))
    assert (found.from_index, found.from_files, found.kept_squares) == (1, 0, 0)
    (row,) = found.data.train.known.rows
    assert data.train_names[row] == copies[0]


def test_a_damaged_chunk_or_no_index_reads_the_files_instead(library, tiny_data, tmp_path):
    path = photo_path(tmp_path, "photo4.jpg")
    Corrections().add(path, True)
    conn = sqlite3.connect(library)
    conn.execute("UPDATE chunks SET features = zeroblob(length(features))")
    conn.commit()
    conn.close()
    data = prepared(tiny_data)
    for index in (library, tmp_path / "no-such-index.sqlite"):
        found = run_to_end(crop_features_steps(data, Corrections().folder, index))
        assert (found.from_index, found.from_files) == (0, 1)
        (copies,) = known_by_name(found.data).values()
        np.testing.assert_allclose(copies[0], crop_pooled(path), rtol=1e-4, atol=1e-4)


def test_a_correction_that_cannot_be_read_now_keeps_its_square(library, tiny_data, tmp_path):
    entry = Corrections().add(photo_path(tmp_path, "photo5.jpg"), True)
    data = prepared(tiny_data)
    entry.path.write_bytes(b"not a picture any more")
    found = run_to_end(crop_features_steps(data, Corrections().folder, tmp_path / "none.sqlite"))
    assert (found.from_index, found.from_files, found.kept_squares) == (0, 0, 1)
    assert found.data.train.known is None


def test_the_head_is_fitted_on_the_known_features_and_judged_on_them(tiny_data):
    data = DataPreparation(DataRecipe(article_folder=tiny_data)).run()
    n = len(data.train.y)
    squares = backbone.extract(data.train.x).pooled
    # two pictures given the features of pictures of the other class
    rows = np.array([0, n - 1])
    others = [int(np.argmax(data.train.y != data.train.y[r])) for r in rows]
    train = dataclasses.replace(data.train, known=KnownFeatures(rows, squares[others]))
    config = pretrained.PretrainedConfig(c=1.0)
    run = TrainingRun(dataclasses.replace(data, train=train), config)
    outcome = run_to_end(run.steps())
    model = run.trainer.model
    learnt_from = squares.copy()
    learnt_from[rows] = squares[others]
    fitted = run.trainer.fitted_probabilities()
    np.testing.assert_allclose(fitted, model.from_pooled(learnt_from), atol=1e-6)
    assert not np.allclose(fitted[rows], model.from_pooled(squares[rows]), atol=1e-3)
    # the training accuracy reports what was learnt
    right = np.mean((fitted > 0.5) == (data.train.y == 1))
    assert outcome.model.metadata["train_accuracy"] == pytest.approx(right)
    plain = TrainingRun(data, config)
    run_to_end(plain.steps())
    assert plain.trainer.fitted_probabilities() is None  # nothing given: x as usual
    # familiarity compares a new picture's square with x's squares, given features or not
    for a, b in zip(
        model.reference.arrays().values(), plain.trainer.model.reference.arrays().values()
    ):
        np.testing.assert_array_equal(a, b)


def test_known_features_refuse_repeated_or_mismatched_rows():
    with pytest.raises(ValueError):
        KnownFeatures(np.array([1, 1]), np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError):
        KnownFeatures(np.array([1, 2]), np.zeros((3, 4), np.float32))


def test_retrain_counts_the_corrections_read_from_the_index(library, scorer, tiny_data, tmp_path):
    for i in range(8):
        Corrections().add(photo_path(tmp_path, f"photo{i}.jpg"), i % 2 == 0)
    write_photo(tmp_path / "other" / "extra.jpg", seed=41)
    Corrections().add(tmp_path / "other" / "extra.jpg", False)
    stages = []
    done = run_to_end(
        retrain_steps(library, scorer, tmp_path / "models", DataRecipe(article_folder=tiny_data)),
        stages.append,
    )
    assert done.corrections == 9 and done.from_index == 8
    assert "reading corrections" in {s.stage for s in stages}
