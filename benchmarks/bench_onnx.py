"""Figure 9: catgui's NumPy engine beside onnxruntime on the exported graph (issue 13).

Every model kind is exported (:func:`catgui.core.export.to_onnx`, uint8 pixels) and the
same pictures go through both, alternating, in one process: the article's kinds score
the data set's 50 test pictures (64x64) as one batch; the pretrained kinds score 224
crops of ordinary photos (``<data>/photos``), one picture at a time per thread on 2
threads in catgui (its normal path, the feature cache off) and one batch in
onnxruntime (2 intra-op threads, its default on this machine). Reported: milliseconds
per picture each way, the ratio catgui / onnxruntime (above 1: onnxruntime is faster)
and the largest difference in p(cat). The shipped models are used for ``dnn`` and
``pretrained``; ``logreg``, ``logreg-l2`` and ``zero-shot`` are trained first with
their recipes (a temporary ``CATGUI_HOME`` keeps the user's folders out of it).

Run: ``python benchmarks/bench_onnx.py [--rounds 5] [--photos 24]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import ROOT, data_folder, emit, machine, median, skip, table

FIGURE = 9


def photo_squares(n: int) -> np.ndarray | str:
    from catgui.core import images

    folder = data_folder() / "photos"
    files = (
        sorted((folder / "cat").glob("*.jpg"))[: n // 2]
        + sorted((folder / "dog").glob("*.jpg"))[: n - n // 2]
    )
    if len(files) < n:
        return f"need {n} photos in {folder}"
    return np.stack([images.load(f, sizes=(224,)).square(224) for f in files])


def models(data: Path):
    """``(kind, Model)`` for every kind, shipped or trained here."""
    from catgui.core import dataset, kinds, persistence
    from catgui.core.steps import run_to_end
    from catgui.core.training_run import TrainingRun

    split = dataset.load(data)
    for kind in kinds.names():
        shipped = ROOT / "models" / ("default.npz" if kind == "dnn" else f"{kind}.npz")
        if shipped.is_file():
            yield kind, persistence.load(shipped)
        else:
            run = TrainingRun(split, kinds.get(kind).default_config(), None)
            yield kind, run_to_end(run.steps()).model


def catgui_scorer(classifier):
    """catgui's own path from squares to p(cat); the backbone's feature cache off."""
    from catgui.core import backbone
    from catgui.core.kinds.backbone_kind import BackboneClassifier

    if isinstance(classifier, BackboneClassifier):
        return lambda x: classifier.from_features(backbone.extract(x, cached=False))
    return classifier.probabilities


def compare(kind: str, model, squares: np.ndarray, rounds: int, folder: Path) -> dict:
    import onnxruntime as ort

    from catgui.core import export

    path = export.to_onnx(model, folder / f"{kind}.onnx", overwrite=True).path
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    ours_fn = catgui_scorer(model.classifier)
    theirs_fn = lambda x: session.run(["p_cat"], {"pixels": x})[0]  # noqa: E731
    # warm both (first calls load weights, allocate arenas)
    ours, theirs = ours_fn(squares), theirs_fn(squares)
    repeat = 1 if len(squares) and squares.shape[1] > 64 else 200
    t_ours, t_theirs = [], []
    for _ in range(rounds):
        for fn, times in ((ours_fn, t_ours), (theirs_fn, t_theirs)):
            start = time.perf_counter()
            for _ in range(repeat):
                fn(squares)
            times.append((time.perf_counter() - start) / (repeat * len(squares)))
    ms_ours, ms_theirs = median(t_ours) * 1000, median(t_theirs) * 1000
    return {
        "figure": FIGURE,
        "name": f"onnx_{kind}",
        "kind": kind,
        "pictures": len(squares),
        "side": int(squares.shape[1]),
        "ms_per_picture_catgui": ms_ours,
        "ms_per_picture_onnxruntime": ms_theirs,
        "ratio": ms_ours / ms_theirs,
        "max_abs_difference": float(np.abs(np.asarray(ours) - theirs).max()),
        "onnx_bytes": path.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--photos", type=int, default=24)
    args = parser.parse_args(argv)
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        skip(FIGURE, "onnx", "onnxruntime is not installed (pip install -e '.[test]')")
        return 0
    data = data_folder()
    if data is None:
        skip(FIGURE, "onnx", "the data set is not at ../shared/datasets or $CATGUI_DATA")
        return 0
    with tempfile.TemporaryDirectory(prefix="catgui-bench-home-") as home:
        os.environ["CATGUI_HOME"] = home
        sys.path.insert(0, str(ROOT))
        from catgui.core import dataset

        small = dataset.load(data).test.x
        photos = photo_squares(args.photos)
        rows = []
        for kind, model in models(data):
            side = model.classifier.input_size
            squares = small if side == 64 else photos
            if isinstance(squares, str):
                skip(FIGURE, f"onnx_{kind}", squares)
                continue
            record = compare(kind, model, squares, args.rounds, Path(home))
            emit(record)
            rows.append(
                [
                    kind,
                    f"{record['pictures']} x {side}",
                    f"{record['ms_per_picture_catgui']:.3f}",
                    f"{record['ms_per_picture_onnxruntime']:.3f}",
                    f"{record['ratio']:.2f}",
                    f"{record['max_abs_difference']:.1e}",
                    f"{record['onnx_bytes'] / 1e6:.1f} MB",
                ]
            )
    print(
        table(
            [
                "kind",
                "pictures",
                "catgui ms/pic",
                "onnxruntime ms/pic",
                "ratio",
                "max |dp|",
                "file",
            ],
            rows,
        )
    )
    print("machine:", machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
