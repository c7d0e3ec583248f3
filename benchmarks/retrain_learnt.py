"""Does *Retrain* learn what the user said? corrected photos and held-out photos after it.

The library's *Retrain* fits the pretrained head on the article's 209 pictures and the
user's corrections, then scores the library from the index's stored features (the
photos' 224 crops). This script replays it through the app's own path on the shared
data set's photos (``photos/cat`` and ``photos/dog``; dogs are the non-cats):

* a fresh index of the pool (photos 1-``--pool`` of each class) and the held-out photos
  (501-500+``--held-out`` of each class), scanned with the shipped pretrained model;
* ``N`` corrections for each ``N`` of ``--labels``, chosen in the pool either as the
  label-next strip offers them (``least-sure``: nearest the threshold, unfamiliar ones
  first) or among the shipped model's mistakes, most confident first (``mistakes``),
  each labelled with its folder's truth (so some agree with the model, some correct it);
* two ways of learning them:
  ``squares``: the corrections folder imported as a folder data set, each photo as its
  64x64 square upscaled (what *Retrain* did before, and what ``catgui train --model
  pretrained`` does with the corrections), the new model then scoring the index;
  ``index``: :func:`catgui.core.library.retrain.retrain_steps` as the window runs it;
* per run: how many corrected photos the new model scores as the user said (of them, the
  ones the shipped model had wrong), the median P the new model gives the class the user
  said, and the held-out accuracy, all read from the index.

Run ``CATGUI_HOME=$(mktemp -d) python benchmarks/retrain_learnt.py [--pool 200]
[--held-out 200] [--labels 12,40] [--json]``: the scan of 800 photos takes a minute or
two on 2 cores; each retrain a few seconds (5-fold cross-validation of the head).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import photos_data, table  # noqa: E402

WAYS = ("squares", "index")
CHOICES = ("least-sure", "mistakes")


def truth(path: str) -> bool:
    """The photo's class, from its name (``cat.N.jpg`` or ``dog.N.jpg``)."""
    return Path(path).name.startswith("cat.")


def link_photos(data: Path, into: Path, numbers: range) -> None:
    into.mkdir(parents=True)
    for name in ("cat", "dog"):
        for n in numbers:
            source = data / "photos" / name / f"{name}.{n}.jpg"
            if source.is_file():
                (into / source.name).symlink_to(source)


def verdicts(index_path: Path, model_sha256: str, folder: Path) -> dict[str, float]:
    """P(cat) of every file under ``folder``, by path, as the index holds it for a model."""
    from catgui.core.library.index import Index

    prefix = str(folder.resolve()) + os.sep
    with Index(index_path) as index:
        rows = index.conn.execute(
            "SELECT f.path, s.p_cat FROM files f JOIN scores s ON s.hash = f.hash "
            "WHERE s.model = ? AND f.status = 'ok'",
            (model_sha256,),
        ).fetchall()
    from catgui.core.library.walk import loaded

    return {loaded(p): float(v) for p, v in rows if loaded(p).startswith(prefix)}


def choose(index_path: Path, scorer, pool: Path, how: str, count: int) -> list[str]:
    """``count`` pool photos to label: the strip's order, or the shipped model's mistakes."""
    from catgui.core.library import label_next
    from catgui.core.library.index import Index

    if how == "least-sure":
        with Index(index_path) as index:
            chosen = label_next.least_sure(index, scorer.sha256, count=100_000)
        inside = [c.path for c in chosen if c.path.startswith(str(pool.resolve()) + os.sep)]
        return inside[:count]
    p = verdicts(index_path, scorer.sha256, pool)
    wrong = [path for path, v in p.items() if (v > 0.5) != truth(path)]
    return sorted(wrong, key=lambda path: -abs(p[path] - 0.5))[:count]


def learn_squares(index_path: Path, scorer, save_in: Path, recipe):
    """Today's way: the corrections imported as a folder data set, the run as
    ``catgui train`` makes it, then the index scored with the new model."""
    from dataclasses import replace

    from catgui.core.kinds import pretrained
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer, rescore_steps
    from catgui.core.sources import DataPreparation
    from catgui.core.steps import run_to_end
    from catgui.core.training_run import TrainingRun

    data = DataPreparation(replace(recipe, corrections=True)).run()
    outcome = run_to_end(TrainingRun(data, pretrained.KIND.default_config(), save_in).steps())
    new = Scorer.of_file(outcome.saved)
    with Index(index_path, writable=True) as index:
        run_to_end(rescore_steps(index, new))
    return new


def learn_index(index_path: Path, scorer, save_in: Path, recipe):
    """The window's *Retrain*."""
    from catgui.core.library.retrain import retrain_steps
    from catgui.core.steps import run_to_end

    return run_to_end(retrain_steps(index_path, scorer, save_in, recipe)).scorer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--held-out", type=int, default=200)
    parser.add_argument("--labels", default="12,40")
    parser.add_argument("--choices", default=",".join(CHOICES))
    parser.add_argument("--ways", default=",".join(WAYS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = photos_data(args.data)
    if data is None:
        return 1
    with tempfile.TemporaryDirectory(prefix="catgui-learnt-") as top:
        return run(args, Path(top), data)


def run(args, top: Path, data: Path) -> int:
    os.environ.setdefault("CATGUI_HOME", str(top / "home"))
    from benchmarks._library_index import MODEL
    from catgui.core.corrections import Corrections
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer
    from catgui.core.library.scan import scan_steps
    from catgui.core.sources import DataRecipe
    from catgui.core.steps import run_to_end

    pool, held = top / "pool", top / "held-out"
    link_photos(data, pool, range(1, args.pool + 1))
    link_photos(data, held, range(501, 501 + args.held_out))
    scorer = Scorer.of_file(MODEL)
    index_path = top / "library.sqlite"
    start = time.perf_counter()
    with Index(index_path, writable=True) as index:
        run_to_end(scan_steps(index, [str(pool), str(held)], scorer))
    scanned = time.perf_counter() - start
    before = verdicts(index_path, scorer.sha256, held)
    shipped = sum((p > 0.5) == truth(path) for path, p in before.items()) / len(before)
    learners = {"squares": learn_squares, "index": learn_index}
    records = []
    for how in args.choices.split(","):
        for count in (int(n) for n in args.labels.split(",")):
            chosen = choose(index_path, scorer, pool, how, count)
            old = verdicts(index_path, scorer.sha256, pool)
            wrong_before = [p for p in chosen if (old[p] > 0.5) != truth(p)]
            for way in args.ways.split(","):
                folder = top / f"corrections-{how}-{count}-{way}"
                store = Corrections(folder)
                for path in chosen:
                    store.add(path, truth(path))
                recipe = DataRecipe(article_folder=data, corrections_folder=folder)
                t0 = time.perf_counter()
                new = learners[way](index_path, scorer, top / f"models-{way}", recipe)
                seconds = time.perf_counter() - t0
                after = verdicts(index_path, new.sha256, pool)
                said = [p for p in chosen if (after[p] > 0.5) == truth(p)]
                sure = [after[p] if truth(p) else 1 - after[p] for p in chosen]
                held_after = verdicts(index_path, new.sha256, held)
                accuracy = sum((v > 0.5) == truth(p) for p, v in held_after.items())
                records.append(
                    {
                        "choice": how,
                        "labels": len(chosen),
                        "way": way,
                        "as_said": len(said),
                        "were_wrong": len(wrong_before),
                        "wrong_now_right": len(set(said) & set(wrong_before)),
                        "median_p_as_said": round(float(sorted(sure)[len(sure) // 2]), 3),
                        "held_out_accuracy": round(accuracy / len(held_after), 4),
                        "seconds": round(seconds, 2),
                    }
                )
                print(json.dumps(records[-1]), file=sys.stderr, flush=True)
    load = os.getloadavg()
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "retrain_learnt",
                    "pool": args.pool * 2,
                    "held_out": len(before),
                    "shipped_held_out_accuracy": round(shipped, 4),
                    "seconds_scanning": round(scanned, 1),
                    "runs": records,
                    "load": [round(v, 1) for v in load],
                },
                indent=2,
            )
        )
        return 0
    rows = [
        [
            r["choice"],
            str(r["labels"]),
            r["way"],
            f"{r['as_said']} of {r['labels']}",
            f"{r['wrong_now_right']} of {r['were_wrong']}",
            f"{r['median_p_as_said']:.3f}",
            f"{r['held_out_accuracy'] * 100:.1f} %",
            f"{r['seconds']:.1f} s",
        ]
        for r in records
    ]
    print(
        f"Pool {args.pool * 2} photos, held out {len(before)} (shipped model: "
        f"{shipped * 100:.1f} % right); scan {scanned:.0f} s; load {load[0]:.1f}"
    )
    print(
        table(
            [
                "chosen",
                "labels",
                "learnt from",
                "scored as said",
                "of them it had wrong",
                "median P(as said)",
                "held out",
                "retrain",
            ],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
