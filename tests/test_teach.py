"""Teach it your cat: samples kept from frames, listed and deleted; a head trained on them
in the window is the model `catgui train --model pretrained --images SAMPLES` gives."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from catgui import cli
from catgui.core import backbone, images, live, persistence, samples, snapshots, teach
from catgui.core.errors import CatguiError
from tests.data_helpers import ROOT

PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"
needs_backbone = pytest.mark.skipif(
    backbone.unavailable() is not None, reason="the pretrained weights are not installed"
)
needs_photos = pytest.mark.skipif(
    not (PHOTOS / "cat").is_dir(), reason="the shared photos are not at ../shared/datasets/photos"
)


def _frame(seed: int, shape=(120, 160, 3)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def test_a_frame_s_square_is_the_one_the_decoder_makes_of_its_file(tmp_path):
    frame = _frame(1, (90, 170, 3))
    Image.fromarray(frame).save(tmp_path / "f.png")
    decoded = images.load(tmp_path / "f.png", sizes=(224,))
    assert np.array_equal(live.centre_square(frame, 224), decoded.square(224))
    assert np.array_equal(live.centre_square(frame, 64), decoded.pixels)


def test_a_bad_frame_is_refused_in_words():
    with pytest.raises(CatguiError, match="frame must be"):
        live.centre_square(np.zeros((10, 10), dtype=np.uint8), 64)


def test_samples_are_kept_once_listed_moved_and_deleted(tmp_path):
    store = samples.Samples(tmp_path / "s")
    first = store.add_frame(_frame(1), True)
    assert first.path.parent == tmp_path / "s" / "cat" and first.path.suffix == ".jpg"
    assert store.add_frame(_frame(1), True).path == first.path  # the same frame: one file
    store.add_frame(_frame(2), False)
    assert store.count() == {"cat": 1, "non-cat": 1, "total": 2}
    moved = store.add_frame(_frame(1), False)  # recorded as not cat now: it moves
    assert not first.path.exists() and moved.path.parent.name == "non-cat"
    assert store.count() == {"cat": 0, "non-cat": 2, "total": 2}
    with Image.open(moved.path) as img:
        assert img.size == (samples.SIDE, samples.SIDE)
    store.remove(moved)
    assert store.count()["total"] == 1
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(b"x")
    with pytest.raises(CatguiError, match="not in the corrections folder"):
        store.remove(samples.Correction(outside, True))
    assert outside.exists()
    assert str(samples.default_folder()).endswith("samples")


def test_too_few_samples_are_refused_in_words():
    with pytest.raises(CatguiError, match="at least 5 samples of each"):
        teach.check_counts({"cat": 30, "non-cat": 2})
    teach.check_counts({"cat": 5, "non-cat": 5})


def test_snapshots_never_overwrite(tmp_path):
    import datetime as dt

    when = dt.datetime(2026, 12, 7, 18, 0, 0)
    a = snapshots.save(_frame(1), tmp_path, when)
    b = snapshots.save(_frame(2), tmp_path, when)
    assert a != b and a.is_file() and b.is_file() and b.name.endswith("(2).png")
    with Image.open(a) as img:
        assert np.array_equal(np.asarray(img), _frame(1))


def _photo_frames(kind: str, numbers) -> list[np.ndarray]:
    return [
        np.asarray(Image.open(PHOTOS / kind / f"{kind}.{i}.jpg").convert("RGB")) for i in numbers
    ]


@needs_backbone
@needs_photos
@pytest.mark.gui
def test_recorded_samples_train_the_model_the_command_trains(qtbot, tmp_path, monkeypatch):
    from catgui.ui.app_state import AppState
    from catgui.ui.camera import samples_panel
    from catgui.ui.common.qimages import to_qimage

    monkeypatch.setattr(samples_panel, "RECORD_PER_SECOND", 1e9)  # every frame offered
    state = AppState(tmp_path / "models")
    panel = samples_panel.SamplesPanel(state, tmp_path / "samples")
    qtbot.addWidget(panel)
    panel.train_button.click()
    assert "at least 5 samples" in panel.status.text() and not panel.is_training()
    for is_cat, frames in (
        (True, _photo_frames("cat", range(700, 712))),
        (False, _photo_frames("dog", range(700, 712))),
    ):
        panel.start_recording(is_cat)
        for frame in frames:
            panel.frame_available(to_qimage(frame))
        panel.stop_recording()
    assert panel.counts.text() == "12 cat · 12 not cat" and panel.list.count() == 24
    panel.list.item(0).setSelected(True)
    panel.delete_button.click()
    assert panel.counts.text() == "11 cat · 12 not cat" and panel.list.count() == 23
    with qtbot.waitSignal(panel.trained, timeout=120_000) as done:
        panel.train_button.click()
    outcome = done.args[0]
    assert state.model is not None and state.model.kind == "pretrained"
    assert state.model.path == outcome.saved and outcome.saved.parent == tmp_path / "models"
    assert "now the active model" in panel.status.text()

    out = tmp_path / "cli.npz"
    code = cli.main(
        ["train", "--model", "pretrained", "--images", str(tmp_path / "samples"), "--out", str(out)]
    )
    assert code == 0
    ours, theirs = state.model.classifier.head, persistence.load(out).classifier.head
    assert ours.representation == theirs.representation and ours.c == theirs.c
    np.testing.assert_allclose(ours.weights, theirs.weights, rtol=1e-9, atol=1e-12)
    assert ours.bias == pytest.approx(theirs.bias)
    cat = _photo_frames("cat", [720])[0]
    assert live.probability(state.model.classifier, cat) > 0.5


@needs_backbone
@needs_photos
def test_a_snapshot_gets_the_verdict_its_live_frame_got(tmp_path):
    from catgui.core import paths

    classifier = persistence.load(paths.first_model_path()).classifier
    frame = _photo_frames("cat", [730])[0]
    live_p = live.probability(classifier, frame)
    path = snapshots.save(frame, tmp_path)
    decoded = images.load(path, sizes=(classifier.input_size,))
    assert classifier.classify([decoded])[0] == pytest.approx(live_p, abs=1e-6)
