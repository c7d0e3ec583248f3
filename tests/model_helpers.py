"""Small saved models for the tests that move, delete or list model files."""

from __future__ import annotations

from pathlib import Path

from catgui.core import network, persistence
from catgui.core.kinds.network_kind import NetworkClassifier


def save_model(folder: Path, name: str, seed: int = 1) -> Path:
    """A [12288, 3, 1] network saved as ``folder/name`` (``.npz`` added if missing)."""
    net = network.initialize((12288, 3, 1), seed=seed)
    return persistence.save(
        persistence.Model(NetworkClassifier(net), metadata={"kind": "dnn"}), folder / name
    )
