"""``catgui export``: a model as an ONNX file any runtime can use (see :mod:`catgui.core.export`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from catgui.commands import EXIT_OK, model_path
from catgui.core.errors import CatguiError


def add_parser(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export",
        help="write a model as an ONNX file (pixels in, p(cat) out)",
        description="Write a model as an ONNX file. Input 'pixels': (N, S, S, 3) RGB on "
        "0-255, the centred square the model sees (S = 64 for the article's kinds, 224 for "
        "the pretrained ones); output 'p_cat': (N,) the probability of cat.",
    )
    export.add_argument("model", help="model file (.npz), or 'default'")
    export.add_argument("--format", choices=("onnx",), default="onnx", help="onnx (the default)")
    export.add_argument(
        "--out", metavar="FILE", help="where to write it (default: the model's name + .onnx here)"
    )
    export.add_argument(
        "--input-type",
        choices=("uint8", "float32"),
        default="uint8",
        help="element type of the pixels the file takes (default uint8)",
    )
    export.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    export.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    from catgui.core import export, persistence

    model = persistence.load(model_path(args.model))
    out = export.target(args.out or Path.cwd(), model.name)  # a folder: the name in it
    if out.exists() and not args.overwrite:
        raise CatguiError(f"{out}: exists already (--overwrite replaces it)")
    done = export.to_onnx(model, out, input_type=args.input_type, overwrite=args.overwrite)
    shape = "(" + ", ".join(str(d) for d in done.input_shape) + ")"
    if args.json:
        print(
            json.dumps(
                {
                    "path": str(done.path),
                    "kind": model.kind,
                    "bytes": done.size,
                    "opset": done.opset,
                    "input": {
                        "name": "pixels",
                        "shape": list(done.input_shape),
                        "type": done.input_type,
                    },
                    "outputs": ["p_cat", "logit"],
                },
                indent=2,
            )
        )
    else:
        print(
            f"Exported the {model.kind} model {model.name!r} to {done.path} "
            f"({export.size_text(done.size)}, ONNX opset {done.opset}).\n"
            f"Input 'pixels': {shape} {done.input_type} RGB on 0-255; output 'p_cat': P(cat)."
        )
    return EXIT_OK
