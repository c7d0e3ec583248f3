"""``catgui explain``: why the model says what it says about one picture, as a heat map."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from catgui.commands import EXIT_OK, model_path
from catgui.core.errors import CatguiError


def run(args: argparse.Namespace) -> int:
    from PIL import Image

    from catgui.core import decision, heatmap, images, persistence

    model = persistence.load(model_path(args.model))
    classifier = model.classifier
    picture = images.load(args.file, sizes=(classifier.input_size,))
    square = classifier.sees(picture)
    evidence = classifier.evidence(square)
    if evidence is None:
        raise CatguiError(
            f"a {model.kind} model cannot show why; the pretrained kinds can "
            "(catgui train --model pretrained)"
        )
    p = float(classifier.classify([picture])[0])
    out = Path(args.out)
    try:
        Image.fromarray(heatmap.overlay(square, evidence)).save(out)
    except (OSError, ValueError) as exc:
        raise CatguiError(f"{out}: the heat map could not be written ({exc})") from None
    label = decision.verdict(p)
    share = heatmap.share_for_cat(evidence)
    if args.json:
        print(
            json.dumps(
                {
                    "path": str(picture.path),
                    "label": label,
                    "probability": p,
                    "evidence": evidence.round(4).tolist(),
                    "share_for_cat": share,
                    "heat_map": str(out),
                },
                indent=2,
            )
        )
    else:
        print(f"{picture.path}\t{label}\t{p:.3f}")
        print(f"Red: evidence for cat ({share:.0%} of the picture), blue: against. Saved to {out}")
    return EXIT_OK
