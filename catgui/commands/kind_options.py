"""``catgui train``'s ``--model`` and hyper-parameter flags, read from the kinds table.

Every kind's fields become flags (one per flag name, in form order, each saying which
kinds read it); a flag given for a kind that does not read it is refused with the kind's
reason, so nothing here names a kind.
"""

from __future__ import annotations

import argparse

from catgui.core import kinds
from catgui.core.errors import CatguiError


def add_kind_options(train: argparse.ArgumentParser) -> None:
    """``--model`` and one flag per hyper-parameter, all read from the kinds table."""
    table = kinds.all_kinds()
    train.add_argument(
        "--model",
        choices=[kind.name for kind in table],
        default=kinds.default().name,
        help=f"the kind of model (default {kinds.default().name}); "
        + "; ".join(f"{k.name}: {k.description.rstrip('.')}" for k in table).replace("%", "%%"),
    )
    for field in _flag_fields(table):
        train.add_argument(
            field.flag,
            dest=f"kind_{field.name}",
            default=None,
            choices=field.choices,
            metavar=None if field.choices else field.flag.lstrip("-").upper(),
            help=_flag_help(field, table).replace("%", "%%"),
        )


def method_help() -> str:
    """``catgui explain --method``'s help: each kind's ways of answering "why cat?"."""
    ways = "; ".join(
        f"{', '.join(kind.explain_methods)} ({kind.name})"
        for kind in kinds.all_kinds()
        if kind.explain_methods
    )
    return f"how to explain: {ways}; default: the model's first, the most faithful"


def _flag_help(field, table) -> str:
    """The field's tip and which kinds read it; a kind with a tip of its own says it."""
    users = [k for k in table if k.field(field.name) is not None]
    text = f"{field.tip} [{', '.join(k.name for k in users)}]"
    for kind in users:
        own = kind.field(field.name)
        if own.tip != field.tip:
            text += f"; {kind.name}: {own.tip}"
    return text


def _flag_fields(table) -> list:
    """One field per flag over the kinds in ``table``, in form order."""
    seen = {}
    for kind in table:
        for field in kind.fields:
            seen.setdefault(field.flag, field)
    return sorted(seen.values(), key=lambda f: f.order)


def kind_config(args: argparse.Namespace):
    """The configuration ``--model`` and the hyper-parameter flags describe (validated)."""
    table = kinds.all_kinds()
    kind = kinds.get(args.model)
    reason = kind.unavailable()
    if reason:
        raise CatguiError(f"--model {kind.name} cannot run here: {reason}")
    values = {}
    for field in _flag_fields(table):
        text = getattr(args, f"kind_{field.name}", None)
        if text is None:
            continue
        own = kind.field(field.name)
        if own is None:
            raise CatguiError(_not_for(kind, field, table))
        values[field.name] = own.parse(text)
    return kind.make_config(**values)


def _not_for(kind, field, table) -> str:
    users = [k for k in table if k.field(field.name) is not None]
    why = kind.why_unused(field)
    if len(users) == 1:
        label = users[0].label
        where = f"the {label[:1].lower()}{label[1:]} only (--model {users[0].name})"
    else:
        where = "--model " + " / ".join(k.name for k in users) + " only"
    reason = f" ({why[:1].lower()}{why[1:]})" if why else ""
    return f"{field.flag} does not apply to {kind.name}{reason}; it applies to {where}"
