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

    ``unused`` says why a kind that does not read the field ignores it (the disabled row's
    tip, the CLI's refusal), in words that fit any such kind; ``unused_hint`` is then the
    row's grey text. The field explains itself, so a new field means no edit to the kinds
    that lack it.
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
    unused: str = ""
    unused_hint: str = "not used"

    def hint(self) -> str:
        """The grey text of an empty field: ``placeholder`` or the tip's last parentheses."""
        if self.placeholder is not None:
            return self.placeholder
        return self.tip.split("(")[-1].rstrip(")") if "(" in self.tip else ""


class Config(Protocol):
    """A kind's training configuration: a frozen dataclass of its fields' values.

    ``validate()`` raises :class:`CatguiError` with a reason for a value the engine cannot
    train with and returns the configuration itself; ``as_dict()`` is what a model file
    records as its hyper-parameters (JSON values). Which kind a configuration belongs to
    is the kinds' business (:meth:`ModelKind.reads`), not the configuration's.
    """

    def validate(self) -> Any: ...

    def as_dict(self) -> dict[str, Any]: ...


class Progress(Protocol):
    iteration: int
    cost: float
    total: int


class Training(Protocol):
    """A run in progress, as the kinds' trainers offer it (see :mod:`catgui.core.training`).

    ``steps()`` yields a :class:`~catgui.core.training.Progress` after each step and may be
    left at any step; ``classifier()`` is the model reached so far.
    """

    config: Config
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
    #: The ways its models answer "why cat?" (:meth:`Classifier.evidence`), the default first.
    explain_methods: tuple[str, ...] = ()
    #: The CLI prints the cost every this many steps.
    report_every: int = 100
    #: Stored with every model: how its pictures were prepared.
    preprocessing: Mapping[str, Any] = images.PREPROCESSING

    # -- configuration -----------------------------------------------------------------------
    @abstractmethod
    def default_config(self) -> Config:
        """The recipe's configuration (a frozen dataclass, see :class:`Config`)."""

    def reads(self, config: Config) -> bool:
        """Whether ``config`` is a configuration of this kind (by default: of the type of
        :meth:`default_config`'s). Kinds that share a configuration type say more."""
        return type(config) is type(self.default_config())

    def make_config(self, **values: Any) -> Config:
        """The default configuration with ``values`` replaced, validated."""
        return dataclasses.replace(self.default_config(), **values).validate()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def why_unused(self, field: Field) -> str | None:
        """Why ``field`` (any kind's) means nothing here; ``None`` when this kind reads it."""
        if self.field(field.name) is not None:
            return None
        return field.unused or f"{self.label} does not use this setting"

    def texts(self, config: Config | None = None) -> dict[str, str]:
        """The form's texts for ``config`` (default: the recipe's), one per form field."""
        config = self.default_config() if config is None else config
        return {f.name: f.show(getattr(config, f.name)) for f in self.fields if f.in_form}

    def config_from_texts(self, texts: Mapping[str, str]) -> Config:
        """The configuration typed in the form; :class:`CatguiError` for a bad field."""
        values = {f.name: f.parse(texts[f.name]) for f in self.fields if f.name in texts}
        return self.make_config(**values)

    def check_text(self, name: str, text: str) -> None:
        """Raise :class:`CatguiError` if ``text`` is not a good value of field ``name``."""
        field = self.field(name)
        if field is not None:
            self.make_config(**{name: field.parse(text)})

    @abstractmethod
    def planned_steps(self, config: Config, pictures: int) -> int:
        """How many steps ``steps()`` yields at most on ``pictures`` training pictures."""

    def unavailable(self) -> str | None:
        """Why this kind cannot train or run here (a missing package), else ``None``."""
        return None

    def describe(self, config: Config) -> str:
        """A short name for a run: ``"20,7,5 · lr 0.0075 · seed 1"``."""
        return self.name

    def architecture(self, trainer: Training) -> str:
        """What is trained, for the CLI's first line (the network kinds: the layer sizes)."""
        return trainer.classifier().describe()

    def recipe_text(self, config: Config) -> str:
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
    def trainer(self, train: Split, config: Config) -> Training:
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
