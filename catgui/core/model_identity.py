"""Whether two models are the same model: one digest of a model's kind and arrays.

Two runs of the same recipe on the same pictures give the same arrays (training is
seeded), so saving the second would only add a copy under another name. The digest
covers what decides the answers (the kind and every stored array, with its dtype and
shape), not what differs from run to run (the date, the seconds taken).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from catgui.core import kinds, persistence

#: Files larger than this are not read to be compared (no model catgui makes comes near).
LARGEST = 1 << 30


def _digest(kind: str, arrays: Mapping[str, np.ndarray]) -> str:
    h = hashlib.sha256(kind.encode())
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"|{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def digest_of(model: persistence.Model) -> str:
    """The digest of a model in memory (saved or not)."""
    kind = kinds.get(model.kind)
    return _digest(kind.name, dict(kind.arrays(model.classifier)))


def digest_of_file(path: str | os.PathLike, recipe: dict | None = None) -> str | None:
    """The digest of a model file, or ``None`` when it cannot be read as one.

    Only the archive's plain arrays are read (no pickles, no classifier built), the
    metadata first: given ``recipe`` (a model's ``hyperparameters``), a file that records
    another recipe is not read further. A damaged or foreign file, or one larger than
    :data:`LARGEST`, is simply not the same model as anything.
    """
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > LARGEST or not zipfile.is_zipfile(path):
            return None
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["metadata"][()]))
            if not isinstance(meta, dict):
                return None
            stored = meta.get("hyperparameters")
            if recipe is not None and isinstance(stored, dict) and stored != recipe:
                return None  # another recipe: not the same model, no need to read on
            arrays = {key: data[key] for key in data.files if key != "metadata"}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    kind = meta.get("kind")
    if not isinstance(kind, str):
        try:
            kind = kinds.kind_of_format_1(meta)
        except Exception:  # noqa: BLE001 - a file we cannot place is no match
            return None
    return _digest(kind, arrays)


def find_identical(model: persistence.Model, folder: str | os.PathLike) -> Path | None:
    """A model file in ``folder`` holding the same model as ``model``, if there is one."""
    wanted = digest_of(model)
    recipe = model.metadata.get("hyperparameters")
    recipe = json.loads(json.dumps(recipe)) if isinstance(recipe, dict) else None  # as stored
    for path in persistence.list_models(folder):
        if digest_of_file(path, recipe) == wanted:
            return path
    return None
