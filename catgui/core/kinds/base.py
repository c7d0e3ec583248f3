"""What a model kind declares: its fields, how it trains, how its models are stored.

A kind is one object (an instance of a :class:`ModelKind` subclass) in one module of this
package, listed in the table of :mod:`catgui.core.kinds`. The CLI's ``--model`` choices
and flags, the Train tab's form, model names, the run glue and model files all read the
kind from the table; nothing else names a kind.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from catgui.core import images
from catgui.core.classifier import Classifier
from catgui.core.dataset import Split
from catgui.core.errors import CatguiError


@dataclass(frozen=True)
class Field:
    """One hyper-parameter: an attribute of the kind's configuration.

    ``parse`` turns the text a person typed (form or command line) into a value, raising
    :class:`CatguiError` with a reason; the configuration's ``validate()`` checks the
    value's range (``range`` repeats it for help texts). Fields with the same ``name`` in
    several kinds share one row of the Train tab, in ``order``.
    """

    name: str
    label: str
    flag: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = str
    tip: str = ""
    placeholder: str | None = None
    range: tuple[float, float] | None = None
    choices: tuple[str, ...] | None = None
    in_form: bool = True
    order: int = 50

    def hint(self) -> str:
        """The grey text of an empty field: ``placeholder`` or the tip's last parentheses."""
        if self.placeholder is not None:
            return self.placeholder
        return self.tip.split("(")[-1].rstrip(")") if "(" in self.tip else ""


class Progress(Protocol):
    iteration: int
    cost: float
    total: int


class Training(Protocol):
    """A run in progress, as the kinds' trainers offer it (see :mod:`catgui.core.training`).

    ``steps()`` yields a :class:`~catgui.core.training.Progress` after each step and may be
    left at any step; ``classifier()`` is the model reached so far.
    """

    config: Any
    path: str
    costs: list[float]
    iterations_done: int

    def steps(self) -> Iterator[Progress]: ...

    def classifier(self) -> Classifier: ...


class ModelKind(ABC):
    """One kind of model. Subclasses set the class attributes and the abstract methods."""

    #: Short name: the ``--model`` choice, the ``kind`` of model files.
    name: str = ""
    #: What the Train tab's list says.
    label: str = ""
    #: One line: what it is (``--model`` help, the list's tooltip).
    description: str = ""
    #: The hyper-parameters it reads, in the configuration's attribute names.
    fields: tuple[Field, ...] = ()
    #: Fields other kinds have that mean nothing here, with the reason (shown as a tip).
    unused: Mapping[str, str] = {}
    #: The grey text of such a field when it is not the generic "not used".
    unused_hints: Mapping[str, str] = {}
    #: The CLI prints the cost every this many steps.
    report_every: int = 100
    #: Stored with every model: how its pictures were prepared.
    preprocessing: Mapping[str, Any] = images.PREPROCESSING

    # -- configuration -----------------------------------------------------------------------
    @abstractmethod
    def default_config(self) -> Any:
        """The recipe's configuration (a frozen dataclass with ``kind`` and ``validate()``)."""

    def make_config(self, **values: Any) -> Any:
        """The default configuration with ``values`` replaced, validated."""
        return dataclasses.replace(self.default_config(), **values).validate()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def texts(self, config: Any | None = None) -> dict[str, str]:
        """The form's texts for ``config`` (default: the recipe's), one per form field."""
        config = self.default_config() if config is None else config
        return {f.name: f.show(getattr(config, f.name)) for f in self.fields if f.in_form}

    def config_from_texts(self, texts: Mapping[str, str]) -> Any:
        """The configuration typed in the form; :class:`CatguiError` for a bad field."""
        values = {f.name: f.parse(texts[f.name]) for f in self.fields if f.name in texts}
        return self.make_config(**values)

    def check_text(self, name: str, text: str) -> None:
        """Raise :class:`CatguiError` if ``text`` is not a good value of field ``name``."""
        field = self.field(name)
        if field is not None:
            self.make_config(**{name: field.parse(text)})

    def planned_steps(self, config: Any, pictures: int) -> int:
        """How many steps ``steps()`` yields at most on ``pictures`` training pictures."""
        return int(config.iterations)

    def unavailable(self) -> str | None:
        """Why this kind cannot train or run here (a missing package), else ``None``."""
        return None

    def describe(self, config: Any) -> str:
        """A short name for a run: ``"20,7,5 · lr 0.0075 · seed 1"``."""
        return self.name

    def architecture(self, trainer: Training) -> str:
        """What is trained, for the CLI's first line (the network kinds: the layer sizes)."""
        return trainer.classifier().describe()

    def recipe_text(self, config: Any) -> str:
        """How it trains, for the CLI: ``"lr 0.0075, 2500 iterations"``."""
        return self.describe(config)

    def findings(self, metadata: Mapping[str, Any]) -> list[str]:
        """What a run of this kind found or chose, in sentences (the run summary, the CLI)."""
        return []

    def model_name(self, metadata: Mapping[str, Any]) -> str:
        """The start of a saved model's readable name (``"dnn-20-7-5"``)."""
        return self.name

    # -- training and files ------------------------------------------------------------------
    @abstractmethod
    def trainer(self, train: Split, config: Any) -> Training:
        """A run of ``config`` on the pictures and labels of ``train``."""

    @abstractmethod
    def arrays(self, classifier: Classifier) -> dict[str, np.ndarray]:
        """The arrays a model file stores for ``classifier`` (plain numbers only)."""

    def file_metadata(self, classifier: Classifier) -> dict[str, Any]:
        """Extra metadata a model file records for ``classifier`` (JSON values)."""
        return {}

    @abstractmethod
    def load(
        self, arrays: Mapping[str, np.ndarray], metadata: Mapping[str, Any], path: Path
    ) -> Classifier:
        """The classifier a model file holds; :class:`CatguiError` naming ``path`` if bad."""

    # -- export ------------------------------------------------------------------------------
    def onnx_graph(self, classifier: Classifier, graph: Any, pixels: str) -> str:
        """Draw ``classifier`` into ``graph`` (a :class:`catgui.core.onnx_graph.graph.Graph`):
        from ``pixels``, float32 ``(N, s, s, 3)`` on 0-255 (``s = input_size``), to the
        logit of cat, ``(N, 1)``; returns its name (see :mod:`catgui.core.export`)."""
        raise CatguiError(f"a {self.name} model cannot be exported to ONNX")


def check_float_array(path: Path, arrays: Mapping[str, np.ndarray], key: str) -> np.ndarray:
    """``arrays[key]`` as float64, or :class:`CatguiError` if missing, not floats or not finite."""
    if key not in arrays:
        raise CatguiError(f"{path}: array {key} is missing")
    arr = arrays[key]
    if arr.dtype.kind != "f":
        raise CatguiError(f"{path}: array {key} holds {arr.dtype}, expected floats")
    if not np.all(np.isfinite(arr)):
        raise CatguiError(f"{path}: array {key} holds NaN or infinite values")
    return arr.astype(np.float64)
