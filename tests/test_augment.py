"""Augmentation at import: seeded, reproducible, applied to the training part only."""

from __future__ import annotations

import numpy as np
import pytest

from catgui.core import persistence, runs
from catgui.core.augment import AugmentConfig, augment
from catgui.core.errors import CatguiError
from catgui.core.sources import DataRecipe, prepare
from catgui.core.training import TrainConfig
from tests.folder_helpers import make_folder


@pytest.fixture
def batch():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, size=(6, 64, 64, 3), dtype=np.uint8)
    return x, np.array([1, 0, 1, 0, 1, 0])


def test_same_seed_same_images_other_seed_other_images(batch):
    x, y = batch
    a = augment(x, y, AugmentConfig(copies=2, seed=5))
    b = augment(x, y, AugmentConfig(copies=2, seed=5))
    c = augment(x, y, AugmentConfig(copies=2, seed=6))
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_originals_first_then_copies_with_their_labels(batch):
    x, y = batch
    out, labels, source = augment(x, y, AugmentConfig(copies=2))
    assert out.shape == (18, 64, 64, 3) and out.dtype == np.uint8
    assert np.array_equal(out[:6], x)
    assert source.tolist() == list(range(6)) * 3
    assert np.array_equal(labels, np.tile(y, 3))
    assert not any(np.array_equal(out[6 + i], x[i]) for i in range(6))


def test_flip_only_gives_the_image_or_its_mirror(batch):
    x, y = batch
    out, _, _ = augment(x, y, AugmentConfig(copies=3, crop_min=64, brightness=0.0))
    copies = out[6:]
    flips = 0
    for k, image in enumerate(copies):
        original = x[k % 6]
        mirrored = np.array_equal(image, original[:, ::-1])
        assert mirrored or np.array_equal(image, original)
        flips += mirrored
    assert 0 < flips < len(copies)


def test_brightness_only_scales_every_pixel_by_one_bounded_factor(batch):
    x, y = batch
    x = np.full_like(x, 100)
    out, _, _ = augment(x, y, AugmentConfig(copies=4, flip=False, crop_min=64, brightness=0.2))
    values = {int(v) for image in out[6:] for v in np.unique(image)}
    assert all(80 <= v <= 120 for v in values)
    assert len(values) > 1 and all(len(np.unique(image)) == 1 for image in out[6:])


def test_crop_zooms_in(batch):
    x, y = batch
    x = np.zeros_like(x)
    x[:, :, :4] = 255  # a white band on the left edge
    out, _, _ = augment(x, y, AugmentConfig(copies=4, flip=False, crop_min=56, crop_max=56))
    # A 56-px crop at any position shows at most the band's 4 px, scaled to about 4.6
    # px, or none of it; never the whole band unchanged.
    assert any(not np.array_equal(image, x[0]) for image in out[6:])


@pytest.mark.parametrize(
    "config, message",
    [
        (AugmentConfig(copies=0), "copies"),
        (AugmentConfig(crop_min=4), "crop"),
        (AugmentConfig(crop_min=60, crop_max=58), "crop"),
        (AugmentConfig(crop_max=70), "crop"),
        (AugmentConfig(brightness=1.0), "brightness"),
    ],
)
def test_bad_settings_are_refused(batch, config, message):
    with pytest.raises(CatguiError, match=message):
        augment(*batch, config)


def test_only_the_training_part_is_augmented_and_it_is_recorded(tmp_path):
    folder = make_folder(tmp_path / "p", 10, 10)
    plain = prepare(DataRecipe(images=folder))
    more = prepare(DataRecipe(images=folder, augment=AugmentConfig(copies=2, seed=3)))
    again = prepare(DataRecipe(images=folder, augment=AugmentConfig(copies=2, seed=3)))
    other = prepare(DataRecipe(images=folder, augment=AugmentConfig(copies=2, seed=4)))
    assert more.train.sha256 == again.train.sha256 != other.train.sha256
    assert len(more.train) == 3 * len(plain.train)
    assert np.array_equal(more.train.x[: len(plain.train)], plain.train.x)
    assert more.test.sha256 == plain.test.sha256 and len(more.test) == len(plain.test)
    assert more.train_names[len(plain.train)].endswith("(augmented 1)")
    trainer = runs.make_trainer(more.train, TrainConfig((3,), iterations=2))
    for _ in trainer.steps():
        pass
    path = persistence.save(runs.build_model(trainer, more, 0.1), tmp_path / "m.npz")
    recorded = persistence.load(path).metadata["data_source"]["augmentation"]
    assert recorded["copies"] == 2 and recorded["seed"] == 3
    assert recorded["applied_to"] == "training part only"
