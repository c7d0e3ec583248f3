"""One path for pictures to the backbone: decoded ahead in threads, run in batches."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from catgui.core import backbone, batched, persistence, prediction
from tests.data_helpers import ROOT


def test_batches_come_in_order_with_a_small_first_batch():
    seen = []

    def compute(decoded):
        seen.append(list(decoded))
        return [x * 10 for x in decoded]

    out = list(batched.batched_in_order(lambda x: x + 1, compute, range(11), batch=4, first=1))
    assert out == [(x + 1) * 10 for x in range(11)]
    assert [len(b) for b in seen] == [1, 4, 4, 2]


def test_decoding_runs_in_other_threads_while_a_batch_computes():
    where = set()
    main = threading.get_ident()

    def decode(x):
        where.add(threading.get_ident())
        return x

    batches = batched.batches_in_order(decode, list, range(6), batch=2, decoders=2)
    assert next(batches) == [0, 1]
    batches.close()  # the rest is cancelled, nothing hangs
    assert where and main not in where


def test_a_wrong_number_of_results_is_a_bug_said_plainly():
    with pytest.raises(AssertionError, match="3 items gave 1 results"):
        list(batched.batched_in_order(lambda x: x, lambda d: d[:1], range(3), batch=3))


def _files(tmp_path, n):
    """Real photos when the shared data set is here, else made-up pictures; one bad file."""
    photos = sorted((ROOT.parent / "shared" / "datasets" / "photos" / "cat").glob("*.jpg"))
    rng = np.random.default_rng(5)
    files = []
    for i in range(n):
        if i < len(photos) and i % 2:
            files.append(photos[i])
            continue
        files.append(tmp_path / f"made{i:02d}.png")
        Image.fromarray(rng.integers(0, 256, (80 + i, 120, 3), dtype=np.uint8)).save(files[-1])
    bad = tmp_path / "made99_broken.png"
    bad.write_bytes(b"not a picture")
    return files[:7] + [bad] + files[7:]


@pytest.mark.parametrize("name", ["pretrained.npz", "zero-shot.npz"])
def test_batched_answers_are_the_one_at_a_time_answers(tmp_path, monkeypatch, name):
    classifier = persistence.load(ROOT / "models" / name).classifier
    files = _files(tmp_path, 20)
    alone = [prediction.classify_file(classifier, f) for f in files]
    calls = []
    real = backbone.extract
    monkeypatch.setattr(backbone, "extract", lambda x, *a, **k: calls.append(len(x)) or real(x))
    together = list(prediction.classify_items(classifier, [(f, None) for f in files], batch=8))
    assert calls == [1, 7, 8, 4]  # the first file at once, then batches (the bad file: none)
    assert [r.path for r in together] == [r.path for r in alone]
    assert together[7].error and "made99_broken.png" in together[7].error
    assert together[7].error == alone[7].error
    p = np.array([r.probability for r in together if not r.error])
    q = np.array([r.probability for r in alone if not r.error])
    np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    f = np.array([r.familiarity for r in together if not r.error])
    g = np.array([r.familiarity for r in alone if not r.error])
    np.testing.assert_allclose(f, g, atol=1.5 / len(classifier.reference.loo))


def test_predict_classify_tab_and_scan_read_through_the_same_batches(tmp_path, monkeypatch):
    """``classify_paths`` (catgui predict), ``classify_steps`` (the Classify tab's worker)
    and the scan's ``read_batches`` all go through :func:`batched.batches_in_order`."""
    from catgui.core.library import reading, walk

    classifier = persistence.load(ROOT / "models" / "pretrained.npz").classifier
    files = _files(tmp_path, 5)
    used = []
    real = batched.batches_in_order

    def spy(*args, **kwargs):
        used.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(batched, "batches_in_order", spy)
    monkeypatch.setattr(prediction, "batched_in_order", batched.batched_in_order)
    monkeypatch.setattr(reading, "batches_in_order", spy)
    list(prediction.classify_paths(classifier, [tmp_path]))
    list(prediction.classify_steps([str(tmp_path)], classifier))
    founds = [x for x in walk.walk([str(tmp_path)]) if isinstance(x, walk.Found)]
    outcomes = [o for b in reading.read_batches(founds, set(), batch=4) for o in b]
    assert len(used) == 3
    made = [f for f in files if f.parent == tmp_path]
    assert len(outcomes) == len(made)
    assert sum(o.features is not None for o in outcomes) == len(made) - 1
    assert all(o.familiar is None for o in outcomes)  # one pass: no 64x64 squares
