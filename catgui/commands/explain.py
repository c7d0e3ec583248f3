"""``catgui explain``: why the model says what it says about one picture, as a heat map."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from catgui.commands import EXIT_OK, model_path
from catgui.core.errors import CatguiError


def run(args: argparse.Namespace) -> int:
    from PIL import Image

    from catgui.core import atomic, decision, heatmap, images, persistence

    model = persistence.load(model_path(args.model))
    classifier = model.classifier
    picture = images.load(args.file, sizes=(classifier.input_size,))
    square = classifier.sees(picture)
    if classifier.cannot_explain is not None or not classifier.methods:
        raise CatguiError(
            f"a {model.kind} model cannot show why; the pretrained kinds can "
            "(catgui train --model pretrained)"
        )
    method = classifier.method(getattr(args, "method", None))
    evidence = classifier.evidence(square, method)
    if evidence is None:
        raise CatguiError(f"a {model.kind} model cannot show why")
    drawn = classifier.explanation_picture(square, method)
    p = float(classifier.classify([picture])[0])
    out = Path(args.out)
    atomic.check_target(out, "heat map")
    try:
        buffer = io.BytesIO()
        Image.fromarray(drawn).save(buffer, format=_format(out))
    except (OSError, ValueError, KeyError) as exc:
        raise CatguiError(f"{out}: the heat map could not be written ({exc})") from None
    atomic.write(out, lambda f: f.write(buffer.getvalue()), overwrite=True, what="heat map")
    label = decision.verdict(p)
    share = heatmap.share_for_cat(evidence)
    if args.json:
        print(
            json.dumps(
                {
                    "path": str(picture.path),
                    "label": label,
                    "probability": p,
                    "method": method,
                    "evidence": evidence.round(4).tolist(),
                    "share_for_cat": share,
                    "heat_map": str(out),
                },
                indent=2,
            )
        )
    else:
        print(f"{picture.path}\t{label}\t{p:.3f}")
        if method == "template":
            print(f"The {model.kind} model's weights as a picture (grey: 0). Saved to {out}")
        else:
            print(
                f"{method}: red is evidence for cat ({share:.0%} of the picture), "
                f"blue against. Saved to {out}"
            )
    return EXIT_OK


def _format(out: Path) -> str:
    """Pillow's format for the file name's ending (PNG when it has none)."""
    from PIL import Image

    Image.init()
    suffix = out.suffix.lower()
    if not suffix:
        return "PNG"
    if suffix not in Image.EXTENSION:
        raise ValueError(f"unknown picture ending {out.suffix!r}; use .png")
    return Image.EXTENSION[suffix]
