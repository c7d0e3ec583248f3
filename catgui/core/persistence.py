"""Saving and loading models: one ``.npz`` file, data only, written atomically.

A model file holds ``metadata``, a 0-d unicode array with a JSON record (``format``,
``format_version``, ``kind``, hyper-parameters, cost curve, accuracies, data-set SHA-256,
preprocessing, creation time, catgui version, ...) and the arrays its kind stores
(:meth:`~catgui.core.kinds.base.ModelKind.arrays`; the article's kinds: ``W1..WL`` and
``b1..bL``, float64). Loading reads the kind and hands the arrays to that kind of the
table. Format 1 (before kinds were recorded in every file) is read as the network kind its
metadata names, or ``dnn`` / ``logreg`` by its depth. Files are read with
``allow_pickle=False``: a model can never run code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from catgui.core import atomic, checked_npz, kinds
from catgui.core.classifier import Classifier
from catgui.core.errors import CatguiError

FORMAT = "catgui-model"
#: 2: every file records its ``kind`` and stores that kind's arrays. 1: network arrays only.
FORMAT_VERSION = 2
SUFFIX = ".npz"
#: The most a model file's metadata record may hold (a JSON text stored as UTF-32):
#: checked before it is inflated or parsed. A run's cost curve is its largest part;
#: :func:`save` thins a curve that would not fit (see :data:`COSTS_STEP`).
METADATA_LIMIT = 32 << 20
#: The most any one array, and all of them together, may hold.
ARRAY_LIMIT = 2 << 30
TOTAL_LIMIT = 4 << 30
#: The metadata key saying every how many iterations a thinned cost curve keeps a cost.
COSTS_STEP = "costs_step"


@dataclass
class Model:
    """A trained classifier with its metadata; ``path`` is where it was loaded from or saved to."""

    classifier: Classifier
    metadata: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.path.stem if self.path else self.metadata.get("name", "unsaved model")

    @property
    def kind(self) -> str:
        return self.classifier.kind

    @property
    def test_accuracy(self) -> float | None:
        value = self.metadata.get("test_accuracy")
        return float(value) if isinstance(value, (int, float)) else None


def save(model: Model, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write ``model`` to ``path`` atomically; return the path.

    The arrays go to a hidden temporary file in the same folder, which is flushed to disk
    and then renamed over ``path`` in one step: a crash leaves either the old file or the
    new one, never a partial model under the model's name. Without ``overwrite``, an
    existing file is never replaced.
    """
    path = target(path)
    kind = kinds.get(model.kind)
    meta = dict(model.metadata)
    meta.update(kind.file_metadata(model.classifier))
    meta.update(format=FORMAT, format_version=FORMAT_VERSION, kind=kind.name)
    arrays = dict(kind.arrays(model.classifier))
    if "metadata" in arrays:
        raise CatguiError(f"the {kind.name!r} kind stores an array called 'metadata'")
    arrays["metadata"] = _metadata_record(meta)
    atomic.write(path, lambda f: np.savez(f, **arrays), overwrite=overwrite, what="model")
    model.path = path
    model.metadata = meta
    return path


def target(path: str | os.PathLike) -> Path:
    """The file a model given ``path`` is saved to: ``path``, with ``.npz`` added if it has
    another suffix. A ``path`` that is neither a file nor a folder (``/dev/full``, a FIFO)
    is refused rather than written beside."""
    path = Path(path)
    atomic.check_target(path, "model file")
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


def cost_curve(meta: dict) -> tuple[list[float], int]:
    """A saved run's cost curve and its step: ``costs[i]`` is the cost at iteration
    ``i * step`` (``step`` > 1 for a very long run's thinned curve, see :data:`COSTS_STEP`).
    Whatever the file says, the answer is a list of floats and a positive step."""
    raw = meta.get("costs")
    costs = []
    for value in raw if isinstance(raw, list) else []:
        try:
            costs.append(float(value))
        except (TypeError, ValueError):
            costs.append(float("nan"))  # a hand-edited value: a gap in the curve
    step = meta.get(COSTS_STEP, 1)
    return costs, step if isinstance(step, int) and not isinstance(step, bool) and step > 0 else 1


def _metadata_record(meta: dict) -> np.ndarray:
    """``meta`` as the file's JSON record, within :data:`METADATA_LIMIT`.

    Only a cost curve of hundreds of thousands of iterations makes it that large: it is
    then thinned to every ``k``-th cost (the last one kept), and ``costs_step`` says ``k``.
    """
    text = json.dumps(meta, sort_keys=True)
    costs = meta.get("costs")
    step = 1
    while 4 * len(text) > METADATA_LIMIT and isinstance(costs, list) and len(costs) > 1:
        step *= 2
        thinned = costs[::step]
        if (len(costs) - 1) % step:
            thinned.append(costs[-1])
        meta = {**meta, "costs": thinned, COSTS_STEP: step}
        text = json.dumps(meta, sort_keys=True)
    if 4 * len(text) > METADATA_LIMIT:
        raise CatguiError(
            f"the model's metadata would take more than {METADATA_LIMIT >> 20} MB; "
            "catgui would not open it again"
        )
    return np.array(text)


def load(path: str | os.PathLike) -> Model:
    """Read and validate a model file. Anything wrong is a :class:`CatguiError`."""
    path = Path(path)
    try:
        arrays = checked_npz.read(
            path,
            what="model file",
            limit=ARRAY_LIMIT,
            limits={"metadata": METADATA_LIMIT},
            total_limit=TOTAL_LIMIT,
        )
    except checked_npz.Refused as exc:
        raise CatguiError(_as_model_error(path, str(exc))) from None
    except CatguiError:
        if not os.path.lexists(path):
            raise CatguiError(f"{path}: model file not found") from None
        raise
    meta = _metadata(path, arrays)
    kind = kinds.get(meta["kind"]) if meta["kind"] in kinds.names() else None
    if kind is None:
        raise CatguiError(
            f"{path}: a model of kind {meta['kind']!r}, which this catgui does not know "
            f"(it knows {', '.join(kinds.names())}); a newer catgui may open it"
        )
    arrays.pop("metadata")
    return Model(classifier=kind.load(arrays, meta, path), metadata=meta, path=path)


def _metadata(path: Path, arrays: dict) -> dict:
    """The file's metadata record, checked, with ``kind`` always set."""
    if "metadata" not in arrays:
        raise CatguiError(f"{path}: not a catgui model (no metadata record)")
    record = arrays["metadata"]
    if record.ndim != 0 or record.dtype.kind != "U":
        raise CatguiError(f"{path}: not a catgui model (its metadata record is not text)")
    try:
        meta = json.loads(str(record[()]))
    except (ValueError, TypeError) as exc:
        raise CatguiError(f"{path}: the metadata record is not valid JSON ({exc})") from None
    except RecursionError:
        raise CatguiError(f"{path}: not a catgui model (its metadata is nested too deep)") from None
    except MemoryError:
        raise CatguiError(f"{path}: not a catgui model (its metadata is too large)") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CatguiError(
            f"{path}: not a catgui model (format {meta.get('format')!r})"
            if isinstance(meta, dict)
            else f"{path}: not a catgui model"
        )
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CatguiError(
            f"{path}: made by a newer catgui (model format {version}); this catgui reads "
            f"format {FORMAT_VERSION} — please update catgui"
        )
    kind = meta.get("kind")
    if version < 2 and not isinstance(kind, str):
        # Format 1 named no kind in files written by hand or tests: the depth tells.
        kind = kinds.kind_of_format_1(meta)
    if not isinstance(kind, str) or not kind:
        raise CatguiError(f"{path}: the metadata names no model kind")
    meta["kind"] = kind
    return meta


def _as_model_error(path: Path, message: str) -> str:
    """A refusal of the archive in the words model files use ("not a catgui model: …")."""
    for said in (f"{path}: not a model file: ", f"{path}: not a model file "):
        if message.startswith(said):
            return f"{path}: not a catgui model: {message[len(said) :].strip('()')}"
    return message


def list_models(folder: str | os.PathLike) -> list[Path]:
    """Model files in ``folder``, newest first (temporary files are never listed)."""
    folder = Path(folder)
    try:
        entries = [p for p in folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")]
    except OSError:
        return []

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(entries, key=lambda p: (-mtime(p), p.name))


def read_models(folder: str | os.PathLike) -> Iterator[tuple[Path, Model | None, str | None]]:
    """Every model file in ``folder``, newest first, read one at a time: ``(path, model,
    None)``, or ``(path, None, reason)`` for a file that cannot be read (never raised)."""
    for path in list_models(folder):
        try:
            yield path, load(path), None
        except CatguiError as exc:
            yield path, None, str(exc)
