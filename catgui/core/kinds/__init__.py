"""The table of model kinds: every kind catgui can train, load and explain.

Each kind is one module of this package declaring a :class:`~catgui.core.kinds.base.ModelKind`
(its name, label, fields, trainer and file layout). The CLI, the Train tab, model names,
the run glue and model files read this table; adding a kind is one module and one line in
:data:`BUILT_IN` (or, from outside, :func:`register`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from catgui.core.errors import CatguiError
from catgui.core.kinds import dnn, logreg, logreg_l2, pretrained, zero_shot
from catgui.core.kinds.base import Config, Field, ModelKind

__all__ = ["Config", "Field", "ModelKind", "all_kinds", "get", "names", "register", "registered"]

#: The kinds that ship with catgui, in the order the Train tab lists them.
BUILT_IN: tuple[ModelKind, ...] = (
    dnn.KIND,
    logreg.KIND,
    logreg_l2.KIND,
    pretrained.KIND,
    zero_shot.KIND,
)

_table: dict[str, ModelKind] = {kind.name: kind for kind in BUILT_IN}


def all_kinds() -> list[ModelKind]:
    """Every kind, in the order the Train tab lists them."""
    return list(_table.values())


def names() -> list[str]:
    return list(_table)


def default() -> ModelKind:
    """The kind a first run trains: the article's deep network."""
    return _table.get(dnn.KIND.name) or next(iter(_table.values()))


def get(name: str) -> ModelKind:
    """The kind called ``name``; :class:`CatguiError` if there is none."""
    try:
        return _table[name]
    except KeyError:
        raise CatguiError(
            f"unknown model kind {name!r}; this catgui knows {', '.join(_table)}"
        ) from None


def kind_of_format_1(metadata: dict) -> str:
    """The kind of a format-1 model file that names none: a network, by its depth."""
    one_layer = len(metadata.get("sizes") or ()) == 2
    return logreg.KIND.name if one_layer else dnn.KIND.name


def of_config(config: Config) -> ModelKind:
    """The kind a training configuration belongs to: the first that reads it."""
    for kind in _table.values():
        if kind.reads(config):
            return kind
    raise CatguiError(f"no model kind reads a {type(config).__name__}")


def register(kind: ModelKind) -> None:
    """Add ``kind`` to the table (after the built-in ones); its name must be new."""
    if not kind.name or kind.name in _table:
        raise CatguiError(f"a model kind needs a new name, got {kind.name!r}")
    _table[kind.name] = kind


def unregister(name: str) -> None:
    """Take a registered kind out of the table (built-in kinds stay)."""
    if name in {k.name for k in BUILT_IN}:
        raise CatguiError(f"{name!r} is built in")
    _table.pop(name, None)


@contextmanager
def registered(kind: ModelKind) -> Iterator[ModelKind]:
    """``with registered(kind):`` the table lists ``kind`` for the block's duration."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)


def form_fields() -> list[Field]:
    """One field per name over every kind, in form order (the first kind's texts)."""
    seen: dict[str, Field] = {}
    for kind in _table.values():
        for field in kind.fields:
            seen.setdefault(field.name, field)
    return sorted(seen.values(), key=lambda f: f.order)
