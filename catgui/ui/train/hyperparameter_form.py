"""The hyper-parameter fields of the Train tab, each checked as the user types."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from catgui.core.errors import CatguiError
from catgui.core.logistic_l2 import L2Config
from catgui.core.training import TrainConfig, parse_hidden
from catgui.ui import settings as remembered

KINDS = {
    "dnn": "Deep network",
    "logreg": "Logistic regression (gradient descent)",
    "logreg-l2": "Logistic regression (L2 penalty — the article's 72 % at C = 1000)",
}
FIELDS = ("hidden", "learning_rate", "c", "iterations", "seed")
NO_PENALTY = "Only the L2 logistic regression has a penalty C"
#: Why a field is off for a kind of model (shown as the field's tooltip).
NOT_USED = {
    "dnn": {"c": NO_PENALTY},
    "logreg": {
        "c": NO_PENALTY,
        "hidden": "Logistic regression has no hidden layers: it is one sigmoid unit",
        "seed": "Logistic regression starts from zeros: the seed has no effect",
    },
    "logreg-l2": {
        "hidden": "Logistic regression has no hidden layers: it is one sigmoid unit",
        "learning_rate": "Fitted by Newton's method: there is no learning rate",
        "seed": "Newton's method starts from zeros and draws nothing at random: no seed",
    },
}
TIPS = {
    "hidden": "Units per hidden layer, comma separated (article: 20,7,5)",
    "learning_rate": "Step size of gradient descent (article: 0.0075)",
    "iterations": "Full-batch gradient-descent steps (article: 2500)",
    "seed": "Random seed of the initial weights (article: 1)",
    "c": (
        "Inverse strength of the L2 penalty: larger fits the training pictures more "
        "closely, smaller keeps the weights small (article: 1000)"
    ),
}
L2_ITERATIONS_TIP = (
    "At most this many Newton steps; the fit stops by itself once it has converged (about 15 steps)"
)


def recipe_defaults(kind: str) -> dict[str, str]:
    """The article's (``dnn``, ``logreg-l2``) or the course's (``logreg``) values as texts."""
    if kind == "logreg-l2":
        defaults = L2Config()
        return {"c": f"{defaults.c:g}", "iterations": str(defaults.iterations)}
    config = TrainConfig() if kind == "dnn" else TrainConfig.logistic_regression()
    return {
        "hidden": ",".join(str(n) for n in config.hidden),
        "learning_rate": repr(config.learning_rate),
        "iterations": str(config.iterations),
        "seed": str(config.seed),
    }


def describe(config: TrainConfig | L2Config) -> str:
    """A short name for a run: ``"20,7,5 · lr 0.0075 · seed 1"``, ``"logistic · lr 0.005"``."""
    if isinstance(config, L2Config):
        return f"logistic L2 · C {config.c:g}"
    if not config.hidden:
        return f"logistic · lr {config.learning_rate}"
    layers = ",".join(str(n) for n in config.hidden)
    return f"{layers} · lr {config.learning_rate} · seed {config.seed}"


def _whole(text: str, what: str) -> int:
    try:
        return int(text.strip().replace("_", "").replace(",", ""))
    except ValueError:
        raise CatguiError(f"{what} must be a whole number, got {text.strip()!r}") from None


def _number(text: str, what: str = "learning rate", like: str = "0.0075") -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise CatguiError(f"{what} must be a number like {like}, got {text.strip()!r}") from None


def _penalty(text: str) -> float:
    return _number(text, "C", "1000")


class HyperparameterForm(QWidget):
    """Model kind, hidden layers, learning rate, iterations and seed.

    Every field is checked on each edit with the engine's own rules
    (:func:`parse_hidden`, :meth:`TrainConfig.validate`); a bad field turns red and its
    reason is shown right under it. :meth:`config` returns the run's configuration.

    Signals
    -------
    validityChanged(bool)
        ``True`` when every field holds a value that can train.
    """

    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hyperparameterForm")
        self._values = {kind: recipe_defaults(kind) for kind in KINDS}
        self._valid = True
        self.kind = QComboBox(objectName="modelKind")
        for key, text in KINDS.items():
            self.kind.addItem(text, key)
        self.kind.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind.setMinimumContentsLength(12)
        self.kind.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.kind.setToolTip(
            "Deep network: the article's [12288, 20, 7, 5, 1] ReLU network (80 % on its "
            "test set).\n"
            "Logistic regression (gradient descent): one sigmoid unit, the course's baseline.\n"
            "Logistic regression (L2 penalty): one sigmoid unit with an L2 penalty of "
            "strength 1/C, fitted by Newton's method in a second (72 % on the article's "
            "test set at C = 1000, the article's setting)."
        )
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addRow("Model type:", self.kind)
        labels = {
            "hidden": "Hidden layers:",
            "learning_rate": "Learning rate:",
            "iterations": "Iterations:",
            "seed": "Seed:",
            "c": "Penalty C:",
        }
        for name in FIELDS:
            label, tip = labels[name], TIPS[name]
            edit = QLineEdit(objectName=f"{name}Edit")
            edit.setToolTip(tip)
            edit.setPlaceholderText(tip.split("(")[-1].rstrip(")"))
            edit.textChanged.connect(self._check)
            error = QLabel(objectName=f"{name}Error")
            error.setWordWrap(True)
            error.setStyleSheet("color: #d70015; font-size: 11px;")
            error.hide()
            layout.addRow(label, edit)
            layout.addRow("", error)
            self.edits[name], self.errors[name] = edit, error
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._current_kind = "dnn"
        self._show_values()

    # -- public -------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def is_valid(self) -> bool:
        return self._valid

    def config(self) -> TrainConfig | L2Config:
        """The configuration the fields describe; :class:`CatguiError` if one is bad."""
        texts = {name: edit.text() for name, edit in self.edits.items()}
        if self.current_kind() == "logreg-l2":
            return L2Config(
                c=_penalty(texts["c"]), iterations=_whole(texts["iterations"], "iterations")
            ).validate()
        values = dict(
            learning_rate=_number(texts["learning_rate"]),
            iterations=_whole(texts["iterations"], "iterations"),
        )
        if self.current_kind() == "logreg":  # starts from zeros: the seed plays no part
            return TrainConfig.logistic_regression(**values).validate()
        values["seed"] = _whole(texts["seed"], "seed")
        hidden = parse_hidden(texts["hidden"])
        if not hidden:
            raise CatguiError("the deep network needs at least one hidden layer, like 20,7,5")
        return TrainConfig(hidden=hidden, **values).validate()

    def set_field(self, name: str, text: str) -> None:
        """Set a field's text as if typed (tests and settings use it)."""
        self.edits[name].setText(text)
        self._check()

    def focus_first_error(self) -> None:
        for name in FIELDS:
            if not self.errors[name].isHidden():
                self.edits[name].setFocus()
                self.edits[name].selectAll()
                return

    def restore_defaults(self) -> None:
        self._values[self.current_kind()] = recipe_defaults(self.current_kind())
        self._show_values()

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 (Qt name)
        super().setEnabled(enabled)
        self._apply_kind_rules()

    # -- settings -------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        self._remember()
        settings.setValue(remembered.TRAIN_KIND, self.current_kind())
        for kind, values in self._values.items():
            for name, text in values.items():
                settings.setValue(remembered.train_field(kind, name), text)

    def load_settings(self, settings: QSettings) -> None:
        for kind in KINDS:
            for name in FIELDS:
                value = settings.value(remembered.train_field(kind, name))
                if value is not None:
                    self._values[kind][name] = str(value)
        index = self.kind.findData(remembered.value(settings, remembered.TRAIN_KIND))
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, index))
        self.kind.blockSignals(False)
        self._current_kind = self.current_kind()
        self._show_values()

    # -- internals ------------------------------------------------------------------------------
    def _remember(self) -> None:
        unused = NOT_USED.get(self._current_kind, {})
        self._values[self._current_kind] = {
            n: e.text() for n, e in self.edits.items() if n not in unused
        }

    def _kind_changed(self) -> None:
        self._remember()
        self._current_kind = self.current_kind()
        self._show_values()

    def _show_values(self) -> None:
        for name, text in self._values[self.current_kind()].items():
            self.edits[name].setText(text)
        self._apply_kind_rules()
        self._check()

    def _apply_kind_rules(self) -> None:
        """Fields that do not apply to the kind are emptied, disabled and say why."""
        kind = self.current_kind()
        unused = NOT_USED.get(kind, {})
        for name, edit in self.edits.items():
            why = unused.get(name)
            edit.setEnabled(self.isEnabled() and why is None)
            tip = TIPS[name] if why is None else why
            if name == "iterations" and kind == "logreg-l2":
                tip = L2_ITERATIONS_TIP
            edit.setToolTip(tip)
            edit.setPlaceholderText("not used" if why else tip.split("(")[-1].rstrip(")"))
            if why is not None and edit.text():
                edit.setText("")
        if kind == "logreg-l2":
            self.edits["iterations"].setPlaceholderText("100")
        if "hidden" in unused:
            self.edits["hidden"].setPlaceholderText("none: one sigmoid unit")

    def _field_checks(self) -> dict[str, Callable[[str], object]]:
        if self.current_kind() == "logreg-l2":
            return {
                "c": lambda t: L2Config(c=_penalty(t)).validate(),
                "iterations": lambda t: L2Config(iterations=_whole(t, "iterations")).validate(),
            }

        def hidden(text: str) -> object:
            sizes = parse_hidden(text)
            if not sizes:
                raise CatguiError("the deep network needs at least one hidden layer, like 20,7,5")
            return TrainConfig(hidden=sizes).validate()

        checks = {
            "hidden": hidden,
            "learning_rate": lambda t: TrainConfig(learning_rate=_number(t)).validate(),
            "iterations": lambda t: TrainConfig(iterations=_whole(t, "iterations")).validate(),
            "seed": lambda t: TrainConfig(seed=_whole(t, "seed")).validate(),
        }
        unused = NOT_USED.get(self.current_kind(), {})
        return {name: check for name, check in checks.items() if name not in unused}

    def _check(self) -> None:
        valid = True
        checks = self._field_checks()
        for name in FIELDS:
            edit, error = self.edits[name], self.errors[name]
            try:
                if name in checks:
                    checks[name](edit.text())
                reason = ""
            except CatguiError as exc:
                reason = str(exc)
            bad = bool(reason)
            valid = valid and not bad
            error.setText(reason[:1].upper() + reason[1:] + ("." if bad else ""))
            error.setVisible(bad)
            edit.setStyleSheet("border: 1.5px solid #d70015; border-radius: 4px;" if bad else "")
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)
        self._valid = valid
