"""``catgui scan DIR...``: build or update a library index (see :mod:`catgui.core.library`)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from catgui.commands import EXIT_FAILED, EXIT_OK, model_path
from catgui.core.errors import CatguiError


def add_parser(sub) -> None:
    scan = sub.add_parser(
        "scan",
        help="find the cats in photo folders: build or update a library index",
        description="Read the pictures under the folders into a library index (SQLite): "
        "only new or changed files are read; Ctrl-C stops after the current batch.",
    )
    scan.add_argument("folders", nargs="+", metavar="DIR")
    add_index_options(scan)
    scan.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="threads decoding and running the network (2)",
    )
    scan.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run the decoding and the network on a Dask cluster (tcp://HOST:PORT; "
        "pip install catgui[cluster])",
    )
    scan.add_argument(
        "--batch", type=int, default=32, metavar="N", help="files per saved batch (32)"
    )
    scan.add_argument("--json", action="store_true", help="print one JSON document")


def add_index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index",
        metavar="FILE",
        help="the index file (default: library.sqlite in the user data folder)",
    )
    parser.add_argument(
        "--model",
        metavar="MODEL",
        help="a model file on the pretrained features (default: the model a first start "
        "opens, the shipped ImageNet zero-shot)",
    )


def scorer_of(args: argparse.Namespace):
    from catgui.core import paths
    from catgui.core.library.rescore import Scorer

    if args.model:
        return Scorer.of_file(model_path(args.model))
    first = paths.first_model_path()
    if not first.is_file():
        raise CatguiError(f"{first}: the shipped first model is missing; give --model")
    return Scorer.of_file(first)


class _StopAtBatch:
    """The first Ctrl-C asks the scan to stop at the next batch boundary; a second one
    interrupts at once."""

    def __init__(self) -> None:
        self.asked = False
        self.previous = None

    def __enter__(self) -> _StopAtBatch:
        self.previous = signal.signal(signal.SIGINT, self._ask)
        return self

    def _ask(self, signum, frame) -> None:
        self.asked = True
        print("catgui: stopping after this batch (Ctrl-C again to stop at once)", file=sys.stderr)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self.previous or signal.default_int_handler)

    def __call__(self) -> bool:
        return self.asked


def run(args: argparse.Namespace) -> int:
    from catgui.core.library.index import Index
    from catgui.core.library.scan import scan_steps

    if args.batch < 1 or args.workers < 1:
        raise CatguiError("--batch and --workers must be at least 1")
    scorer = scorer_of(args)
    reader = None
    cluster = None
    if args.cluster:
        from catgui.core.library import cluster as dask_cluster

        cluster = dask_cluster.connect(args.cluster, args.workers)
        reader = cluster.reader
    try:
        with Index(args.index, writable=True) as index, index.guard(), _StopAtBatch() as stop:
            steps = scan_steps(
                index,
                args.folders,
                scorer,
                args.batch,
                args.workers,
                should_stop=stop,
                reader=reader,
            )
            summary = _drive(steps, quiet=args.json)
        size = index.size_bytes()  # closed: the write-ahead log is folded in and removed
    finally:
        if cluster is not None:
            cluster.close()
    if args.json:
        print(
            json.dumps(
                {**summary.as_dict(), "index": str(index.path), "index_bytes": size}, indent=2
            )
        )
    else:
        print(
            f"{summary.found} pictures found: {summary.unchanged} unchanged, {summary.read} read "
            f"({summary.computed} through the network, {summary.reused} already known), "
            f"{summary.errors} with a problem, {summary.removed} gone; "
            f"verdicts by {scorer.path.name} ({summary.scored} from stored features); "
            f"{summary.seconds:.1f} s"
        )
        print(f"index: {index.path} ({size / 1e6:.1f} MB)")
    if summary.interrupted:
        print(
            f"catgui: stopped: {summary.done} of {summary.total} done; run it again to continue",
            file=sys.stderr,
        )
        return 130
    return EXIT_OK if not summary.errors else EXIT_FAILED


def _drive(steps, quiet: bool):
    shown = 0.0
    while True:
        try:
            step = next(steps)
        except StopIteration as end:
            if shown:
                print(file=sys.stderr)
            return end.value
        now = time.monotonic()
        if not quiet and step.total and now - shown >= 1.0 and sys.stderr.isatty():
            shown = now
            print(
                f"\r{step.phase} {step.done} of {step.total}", end="", file=sys.stderr, flush=True
            )
