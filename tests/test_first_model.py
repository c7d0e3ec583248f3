"""The model a new user meets first: the shipped zero-shot model, by name and by default."""

from __future__ import annotations

import json
import shutil

import pytest

from catgui import cli
from catgui.core import backbone, paths, persistence, shipped_models
from tests.data_helpers import ROOT

PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"
needs_backbone = pytest.mark.skipif(
    backbone.unavailable() is not None, reason="the pretrained weights are not installed"
)


def test_the_first_model_is_the_shipped_zero_shot_and_small():
    path = paths.first_model_path()
    assert path.name == "zero-shot.npz" and path.is_file()
    # a calibration, the pictures it was calibrated on and the familiarity reference
    assert path.stat().st_size < 250_000
    assert persistence.load(path).kind == "zero-shot"


def test_shipped_models_are_listed_by_what_they_are(tmp_path):
    assert shipped_models.title(paths.first_model_path()).startswith("ImageNet zero-shot · ")
    assert "on real photos" in shipped_models.title(paths.first_model_path())
    assert shipped_models.title(paths.default_model_path()).startswith("Article's network")
    assert shipped_models.title(paths.photo_model_path()).startswith("Pretrained features")
    copy = tmp_path / "zero-shot.npz"  # a user's own file of the same name is not ours
    shutil.copy(paths.first_model_path(), copy)
    assert shipped_models.title(copy) is None


@needs_backbone
def test_predict_with_no_model_named_uses_the_first_model(capsys):
    files = [PHOTOS / "cat" / "cat.501.jpg", PHOTOS / "dog" / "dog.501.jpg"]
    if not all(f.is_file() for f in files):
        pytest.skip("the shared photos are not at ../shared/datasets/photos")
    assert cli.main(["predict", *map(str, files), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["label"] for r in rows] == ["cat", "non-cat"]
    assert cli.main(["predict", str(paths.first_model_path()), str(files[0]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["probability"] == rows[0]["probability"]


def test_a_model_named_without_pictures_is_refused(capsys):
    assert cli.main(["predict", "default"]) == 1
    assert "at least one picture" in capsys.readouterr().err


def test_predict_help_says_which_model_is_used_when_none_is_named(capsys):
    with pytest.raises(SystemExit):
        cli.main(["predict", "--help"])
    assert "ImageNet zero-shot" in capsys.readouterr().out


def test_the_first_model_keeps_the_pictures_it_was_calibrated_on():
    from catgui.core.kinds.zero_shot import calibration_of

    model = persistence.load(paths.first_model_path())
    calibration = calibration_of(model.metadata)
    assert calibration is not None and len(calibration.mass) == model.metadata["train_size"]
    # the record is the run's own: its curve is the model's, its accuracy the train accuracy
    assert calibration.accuracy() == pytest.approx(model.metadata["train_accuracy"])
    assert calibration.classifier.threshold_mass() == pytest.approx(
        model.metadata["threshold_mass"], rel=1e-6
    )
