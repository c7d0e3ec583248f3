"""Unlike anything I was trained on? the familiarity reference and its use."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

from catgui import cli
from catgui.core import familiarity, paths, persistence

_RNG = np.random.default_rng(0)
BASE = np.abs(_RNG.normal(size=1280)) + 1.0  # pooled ReLU6 features are positive
DIRECTIONS = _RNG.normal(size=(8, 1280))  # what varies between pictures of one kind


def _cloud(n: int, seed: int) -> np.ndarray:
    """``n`` pictures' features of one kind: a few ways of varying, and a little noise."""
    rng = np.random.default_rng(seed)
    return np.abs(
        BASE + rng.normal(size=(n, 8)) @ DIRECTIONS * 0.3 + 0.02 * rng.normal(size=(n, 1280))
    )


def test_pictures_like_the_training_ones_are_familiar_and_others_are_not():
    train = _cloud(200, 0)
    rng = np.random.default_rng(1)
    ref = familiarity.fit(train)
    scores = ref.score(_cloud(50, 1))  # new pictures of the same kind
    assert np.median(scores) > 0.2
    other = np.abs(rng.normal(size=(5, 1280))) * 5  # another direction altogether
    assert np.all(ref.score(other) < familiarity.UNFAMILIAR_BELOW)
    assert np.all(np.diff(ref.loo) >= 0) and len(ref.loo) == 200


def test_the_reference_survives_a_model_file_and_a_broken_one_is_ignored():
    ref = familiarity.fit(_cloud(30, 2), source_size=64)
    arrays = ref.arrays()
    assert sum(a.nbytes for a in arrays.values()) < 120_000
    again = familiarity.from_arrays(arrays)
    probe = _cloud(4, 3)
    np.testing.assert_allclose(again.score(probe), ref.score(probe), atol=0.05)
    assert again.source_size == 64
    broken = dict(arrays, familiarity_loo=np.array([np.nan] * 30, dtype=np.float32))
    assert familiarity.from_arrays(broken) is None
    assert familiarity.from_arrays({}) is None


def _screenshot(path):
    img = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, 300, 14):
        draw.text((5, y), "File  Edit  View  Settings  OK  Cancel  Help", fill="black")
    img.save(path)
    return path


def test_the_shipped_photo_model_says_a_screenshot_is_unlike_its_training(tmp_path, capsys):
    model = paths.photo_model_path()
    assert persistence.load(model).classifier.reference is not None
    shot = _screenshot(tmp_path / "screen.png")
    grey = tmp_path / "grey.png"
    Image.new("RGB", (120, 90), (128, 128, 128)).save(grey)
    assert cli.main(["predict", str(model), str(shot), str(grey), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["unfamiliar"] for r in rows] == [True, True]
    assert all(0.0 <= r["familiarity"] < familiarity.UNFAMILIAR_BELOW for r in rows)
    assert cli.main(["predict", str(model), str(shot)]) == 0
    assert "unlike anything I was trained on" in capsys.readouterr().out


def test_the_article_s_kinds_do_not_claim_to_know(tmp_path, capsys):
    grey = tmp_path / "grey.png"
    Image.new("RGB", (120, 90), (128, 128, 128)).save(grey)
    assert cli.main(["predict", "default", str(grey), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert "familiarity" not in row and "unfamiliar" not in row


@pytest.mark.slow
def test_real_cat_photos_are_mostly_familiar_to_the_shipped_model():
    from catgui.core import images
    from tests.data_helpers import ROOT

    files = sorted((ROOT.parent / "shared" / "datasets" / "photos" / "cat").glob("*.jpg"))[:60]
    if len(files) < 60:
        pytest.skip("the photos are not at ../shared/datasets/photos")
    classifier = persistence.load(paths.photo_model_path()).classifier
    decoded = [images.load(f, sizes=(224,)) for f in files]
    scores = classifier.familiarity_of(decoded)
    print(f"median familiarity {np.median(scores):.2f}, flagged {np.mean(scores < 0.02):.0%}")
    assert np.mean(scores < familiarity.UNFAMILIAR_BELOW) <= 0.25


@pytest.mark.gui
def test_classify_marks_a_picture_unlike_the_training_ones(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from catgui.ui.app_state import AppState
    from catgui.ui.classify.tab import ClassifyTab

    state = AppState(tmp_path / "models")
    state.open_model(paths.photo_model_path())
    tab = ClassifyTab(state)
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    shot = _screenshot(tmp_path / "screen.png")
    tab.add_paths([str(shot)])
    qtbot.waitUntil(lambda: not tab.is_busy() and tab.results.rowCount() == 1, timeout=30_000)
    entry = tab.results.entry(0)
    assert entry.unfamiliar and entry.familiarity < familiarity.UNFAMILIAR_BELOW
    tip = tab.results.data(tab.results.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "Unlike anything the model was trained on" in tip
    tab.shutdown()


def _noise_files(tmp_path, n: int, seed: int = 3) -> list:
    rng = np.random.default_rng(seed)
    files = []
    for i in range(n):
        files.append(tmp_path / f"p{i}.png")
        Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)).save(files[-1])
    return files


def _counting(monkeypatch) -> list:
    from catgui.core import backbone

    calls = []
    real = backbone.extract
    monkeypatch.setattr(backbone, "extract", lambda x, *a, **k: calls.append(len(x)) or real(x))
    return calls


@pytest.mark.parametrize("name", ["pretrained.npz", "zero-shot.npz"])
def test_the_shipped_models_need_one_backbone_pass_a_photo(tmp_path, monkeypatch, name):
    """Verdict and familiarity both read the 224 crop's features: one pass a picture."""
    from catgui.core import images, prediction
    from tests.data_helpers import ROOT

    classifier = persistence.load(ROOT / "models" / name).classifier
    assert classifier.reference.source_size == 224
    files = _noise_files(tmp_path, 3)
    decoded = [images.load(f, sizes=(224,)) for f in files]
    apart = classifier.classify(decoded), classifier.familiarity_of(decoded)
    calls = _counting(monkeypatch)
    together = classifier.assess(decoded)
    assert calls == [3]  # one run of the 3 crops, nothing else
    np.testing.assert_allclose(together[0], apart[0], rtol=1e-12)
    np.testing.assert_allclose(together[1], apart[1], rtol=1e-12)
    calls.clear()
    result = prediction.classify_file(classifier, files[0])
    assert calls == [1] and result.probability == pytest.approx(apart[0][0], rel=1e-12)
    assert result.familiarity == pytest.approx(apart[1][0], rel=1e-12)


def test_a_reference_of_64x64_pictures_still_reads_their_squares_in_the_same_run(
    tmp_path, monkeypatch
):
    """A model trained on the article's pictures without a reference of real photos keeps
    comparing a photo's 64x64 square: crop and square go through one run together."""
    from catgui.core import backbone, images

    classifier = persistence.load(paths.photo_model_path()).classifier
    decoded = [images.load(f, sizes=(224,)) for f in _noise_files(tmp_path, 3)]
    squares = np.stack([p.pixels for p in decoded])
    classifier.reference = familiarity.fit(
        backbone.extract(np.concatenate([squares, squares[::-1]])).pooled, source_size=64
    )
    apart = classifier.classify(decoded), classifier.familiarity_of(decoded)
    calls = _counting(monkeypatch)
    together = classifier.assess(decoded)
    assert calls == [6]  # one run: 3 crops and 3 squares
    np.testing.assert_allclose(together[0], apart[0], rtol=1e-12)
    np.testing.assert_allclose(together[1], apart[1], rtol=1e-12)


def test_the_shipped_reference_is_rewritten_without_touching_the_head(tmp_path):
    """``make pretrained-model`` / ``make first-model``: the reference of the 209 pictures and
    photos 1-500 of each class (224 inputs) written into the model; P(cat) unchanged."""
    import importlib.util
    import shutil

    from tests.data_helpers import ROOT

    spec = importlib.util.spec_from_file_location(
        "familiarity_eval", ROOT / "benchmarks" / "familiarity_eval.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    model = shutil.copy(ROOT / "models" / "pretrained.npz", tmp_path / "m.npz")
    numbers = np.tile(np.arange(1, 1001), 2)
    features = {
        "train_pooled": _cloud(20, 4),
        "photos_pooled": _cloud(2000, 5),
        "photos_number": numbers,
    }
    script.write(features, [model])
    before = persistence.load(ROOT / "models" / "pretrained.npz").classifier
    after = persistence.load(model)
    probe = _cloud(5, 6).astype(np.float32)
    np.testing.assert_array_equal(after.classifier.from_pooled(probe), before.from_pooled(probe))
    ref = after.classifier.reference
    assert ref.source_size == 224 and len(ref.loo) == 20 + 1000  # photos 1-500 of each class
    assert "photos 1-500" in after.metadata["familiarity"]["reference"]
