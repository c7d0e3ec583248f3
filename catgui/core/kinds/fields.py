"""Parsers and the hyper-parameter fields the article's kinds share.

Each kind lists the fields it reads (:attr:`ModelKind.fields`); a field made here with
other texts (``dataclasses.replace``) is still the same row of the form.
"""

from __future__ import annotations

from catgui.core.errors import CatguiError
from catgui.core.kinds.base import Field
from catgui.core.training import LEARNING_RATE_RANGE, MAX_ITERATIONS, PATHS, parse_hidden


def whole(what: str):
    """A parser of whole numbers (``"2_500"`` and ``"2,500"`` are fine) for field ``what``."""

    def parse(text: str) -> int:
        try:
            return int(str(text).strip().replace("_", "").replace(",", ""))
        except ValueError:
            raise CatguiError(f"{what} must be a whole number, got {str(text).strip()!r}") from None

    return parse


def number(what: str, like: str):
    """A parser of decimal numbers for field ``what``; ``like`` is an example value."""

    def parse(text: str) -> float:
        try:
            return float(str(text).strip())
        except ValueError:
            raise CatguiError(
                f"{what} must be a number like {like}, got {str(text).strip()!r}"
            ) from None

    return parse


def layers(text: str) -> tuple[int, ...]:
    """Hidden layers as typed; a deep network needs at least one."""
    sizes = parse_hidden(str(text))
    if not sizes:
        raise CatguiError("the deep network needs at least one hidden layer, like 20,7,5")
    return sizes


def show_layers(sizes: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in sizes)


def show_number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else repr(float(value))


HIDDEN = Field(
    name="hidden",
    label="Hidden layers:",
    flag="--layers",
    parse=layers,
    show=show_layers,
    tip="Units per hidden layer, comma separated (article: 20,7,5)",
    range=(1, 100_000),
    order=10,
    unused="This model has no hidden layers to choose",
    unused_hint="none",
)
LEARNING_RATE = Field(
    name="learning_rate",
    label="Learning rate:",
    flag="--lr",
    parse=number("learning rate", "0.0075"),
    show=repr,
    tip="Step size of gradient descent (article: 0.0075)",
    range=LEARNING_RATE_RANGE,
    order=20,
    unused="This model is not trained by gradient descent: there is no learning rate",
)
ITERATIONS = Field(
    name="iterations",
    label="Iterations:",
    flag="--iterations",
    parse=whole("iterations"),
    tip="Full-batch gradient-descent steps (article: 2500)",
    range=(1, MAX_ITERATIONS),
    order=40,
    unused="This model runs to convergence or trains nothing: no iterations to set",
)
SEED = Field(
    name="seed",
    label="Seed:",
    flag="--seed",
    parse=whole("seed"),
    tip="Random seed of the initial weights (article: 1)",
    range=(0, 2**32 - 1),
    order=50,
    unused="This model draws nothing at random: the seed has no effect",
)
INIT = Field(
    name="init",
    label="Initial weights:",
    flag="--init",
    parse=str,
    tip="How the first weights are drawn: scaled (the article's randn / sqrt(n)) or small "
    "(the course's two-layer model's randn * 0.01)",
    choices=("scaled", "small"),
    in_form=False,
    order=60,
    unused="This model does not draw its first weights at random",
)
PATH = Field(
    name="path",
    label="Computation path:",
    flag="--path",
    parse=str,
    tip="How gradient descent computes (auto, gram or plain); all give the same numbers",
    choices=PATHS,
    in_form=False,
    order=90,
    unused="Only gradient descent has a computation path",
)
