"""``library list``'s output (text, ``--json``, ``--csv``) from the index's plain rows.

100,000 rows are printed in a tenth of a second: each line is formatted from the
``(path, status, p_cat, familiarity)`` tuple :func:`catgui.core.library.query.listing`
gives, and written in one piece. ``--json`` prints exactly what
``json.dumps([row.as_dict() ...], indent=2)`` prints (the tests compare them), but
through the C string encoder one value at a time: ``json``'s indenting encoder is pure
Python (two seconds for 100,000 rows).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii as _quote
from typing import TextIO

from catgui.core import decision
from catgui.core.decision import UNFAMILIAR_BELOW

NOTE = "\tunlike anything I was trained on"


def text(rows: Sequence[tuple], threshold: float, out: TextIO) -> None:
    """One line a file: path, verdict and P(cat) (3 decimals), or the error."""
    verdict = decision.verdict
    out.write(
        "".join(
            [
                f"{path}\t{verdict(p, threshold)}\t{p:.3f}"
                f"{NOTE if fam is not None and fam < UNFAMILIAR_BELOW else ''}\n"
                if status == "ok" and p is not None
                else f"{path}\tnot scored yet\n"
                if status == "ok"
                else f"{path}\terror: {status}\n"
                for path, status, p, fam in rows
            ]
        )
    )


def _number(value: object) -> str:
    """A number as ``json.dumps`` writes it."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)
    import json

    return json.dumps(value)


def json_text(rows: Sequence[tuple], threshold: float) -> str:
    """The rows as one JSON list (``predict --json``'s fields), indented by 2."""
    if not rows:
        return "[]"
    items = []
    for path, status, p, fam in rows:
        head = f'  {{\n    "path": {_quote(path)},\n'
        if status != "ok":
            items.append(f'{head}    "error": {_quote(status)}\n  }}')
        elif p is None:
            items.append(f'{head}    "label": null,\n    "probability": null\n  }}')
        else:
            label = decision.verdict(p, threshold)
            body = f'{head}    "label": "{label}",\n    "probability": {_number(p)}'
            if fam is not None:
                unfamiliar = "true" if fam < UNFAMILIAR_BELOW else "false"
                body += f',\n    "familiarity": {_number(fam)},\n    "unfamiliar": {unfamiliar}'
            items.append(body + "\n  }")
    return "[\n" + ",\n".join(items) + "\n]"


def csv_text(rows: Sequence[tuple], threshold: float, out: TextIO) -> None:
    """CSV with a header line; numbers with 6 significant digits."""

    def num(value) -> str:
        return "" if value is None else f"{value:.6g}"

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "label", "probability", "familiarity", "unfamiliar", "error"])
    writer.writerows(
        [path, "", "", "", "", status]
        if status != "ok"
        else [
            path,
            "" if p is None else decision.verdict(p, threshold),
            num(p),
            num(fam),
            int(fam is not None and fam < UNFAMILIAR_BELOW),
            "",
        ]
        for path, status, p, fam in rows
    )
