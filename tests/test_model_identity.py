"""Whether two models are the same: one digest of the kind and the arrays (no second file)."""

from __future__ import annotations

import numpy as np

from catgui.core import model_identity, network, persistence
from catgui.core.kinds.network_kind import NetworkClassifier


def _model(seed: int, **meta) -> persistence.Model:
    net = network.initialize((12288, 3, 1), seed=seed)
    return persistence.Model(NetworkClassifier(net), metadata={"kind": "dnn", **meta})


def test_the_same_arrays_are_the_same_model_whatever_the_date(tmp_path):
    a = _model(1, created="2026-12-01", hyperparameters={"hidden": [3], "seed": 1})
    b = _model(1, created="2026-12-07", hyperparameters={"hidden": [3], "seed": 1})
    assert model_identity.digest_of(a) == model_identity.digest_of(b)
    assert model_identity.digest_of(a) != model_identity.digest_of(_model(2))
    saved = persistence.save(a, tmp_path / "a.npz")
    assert model_identity.digest_of_file(saved) == model_identity.digest_of(b)
    assert model_identity.find_identical(b, tmp_path) == saved
    assert model_identity.find_identical(_model(2), tmp_path) is None


def test_another_recipe_is_not_read_and_damaged_files_match_nothing(tmp_path):
    a = _model(1, hyperparameters={"hidden": [3], "seed": 1})
    persistence.save(a, tmp_path / "a.npz")
    other_recipe = _model(1, hyperparameters={"hidden": [3], "seed": 9})
    assert model_identity.find_identical(other_recipe, tmp_path) is None
    (tmp_path / "broken.npz").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "pickled.npz").write_bytes(b"")
    np.savez(tmp_path / "foreign.npz", x=np.zeros(3))  # no metadata record
    for name in ("broken.npz", "pickled.npz", "foreign.npz"):
        assert model_identity.digest_of_file(tmp_path / name) is None
    assert model_identity.digest_of_file(tmp_path / "missing.npz") is None
