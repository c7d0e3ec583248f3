"""``catgui library list | export | stats``: what a library index knows."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from catgui.commands import EXIT_FAILED, EXIT_OK, folder_name, model_path, threshold
from catgui.commands.scan import add_index_options, scorer_of
from catgui.core.errors import CatguiError


def add_parser(sub) -> None:
    library = sub.add_parser("library", help="list, export or count what catgui scan found")
    actions = library.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the files and their verdicts")
    add_index_options(listing)
    _add_filters(listing, required=False)
    listing.add_argument("--threshold", type=threshold, default=0.5)
    shape = listing.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="one JSON list, as predict --json")
    shape.add_argument("--csv", action="store_true", help="CSV with a header line")

    export = actions.add_parser("export", help="copy or link the files of a verdict into a folder")
    add_index_options(export)
    _add_filters(export, required=True)
    export.add_argument("--threshold", type=threshold, default=0.5)
    export.add_argument(
        "--to", required=True, type=folder_name, metavar="DIR", help="the folder to fill"
    )
    how = export.add_mutually_exclusive_group()
    how.add_argument("--copy", action="store_true", help="copy the files (the default)")
    how.add_argument("--link", action="store_true", help="make symbolic links instead")

    after = actions.add_parser(
        "next", help="the pictures the model is least sure of: the ones to label next"
    )
    add_index_options(after)
    after.add_argument(
        "--count", type=_count, default=12, metavar="N", help="how many (default 12)"
    )
    after.add_argument("--threshold", type=threshold, default=0.5)
    after.add_argument("--json", action="store_true", help="one JSON list of {path, probability}")

    _add_duplicates(actions)

    stats = actions.add_parser("stats", help="counts, errors by cause, index size, models")
    stats.add_argument("--index", metavar="FILE", help="the index file")
    stats.add_argument("--json", action="store_true", help="print one JSON document")


def _add_filters(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    for name, text in (
        ("cats", "only the cats"),
        ("non-cats", "only the non-cats"),
        ("unsure", "only the unsure ones (inside the band around the threshold)"),
        ("unfamiliar", "only those unlike anything the model was trained on"),
        ("errors", "only the files that could not be read, with the cause"),
    ):
        group.add_argument(f"--{name}", dest="which", action="store_const", const=name, help=text)


def run(args: argparse.Namespace) -> int:
    if args.action == "stats":
        return _stats(args)
    if args.action == "next":
        return _next(args)
    if args.action == "duplicates":
        return _duplicates(args)
    if args.action == "export" and args.which == "errors":
        raise CatguiError("export takes a verdict (--cats, --non-cats, --unsure, --unfamiliar)")
    from catgui.core.library import query
    from catgui.core.library.index import Index

    model = _model_file(args)
    sha256 = _sha256(model)
    with Index(args.index) as index, index.guard():
        if not _scored(index, sha256):
            _ensure_scored(index, scorer_of(args))
        rows = query.listing(index, sha256, args.which, args.threshold)
    if args.action == "export":
        return _export(rows, args)
    from catgui.commands import listing

    # a file name that is not valid UTF-8 is written back as its own bytes, as ls does
    sys.stdout.reconfigure(errors="surrogateescape")
    if args.json:
        print(listing.json_text(rows, args.threshold))
    elif args.csv:
        listing.csv_text(rows, args.threshold, sys.stdout)
    else:
        listing.text(rows, args.threshold, sys.stdout)
    return EXIT_OK


def _model_file(args: argparse.Namespace) -> Path:
    """The model named (or the first model), as :func:`scorer_of` finds it."""
    if args.model:
        return model_path(args.model)
    from catgui.core import paths

    first = paths.first_model_path()
    if not first.is_file():
        raise CatguiError(f"{first}: the shipped first model is missing; give --model")
    return first


def _sha256(path: Path) -> str:
    """The model file's SHA-256: how the index knows it (reading the model itself needs
    NumPy and the kinds, a quarter of a second, only when it has to score)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return digest.hexdigest()


def _scored(index, sha256: str) -> bool:
    """Whether the model (known to the index) has scored every stored picture: as many
    scores as pictures (a scan and a re-score remove a picture's scores with it)."""
    conn = index.conn
    if conn.execute("SELECT 1 FROM models WHERE sha256 = ?", (sha256,)).fetchone() is None:
        return False
    pictures = conn.execute("SELECT count(*) FROM contents").fetchone()[0]
    scores = conn.execute("SELECT count(*) FROM scores WHERE model = ?", (sha256,)).fetchone()[0]
    return pictures == scores


def _ensure_scored(index, scorer) -> None:
    """A model the index has not seen is scored from the stored features (no network
    pass) when the index can be written; else the listing says how to."""
    from catgui.core.library.index import Index, IndexBusy
    from catgui.core.library.rescore import rescore_steps
    from catgui.core.steps import run_to_end

    missing = index.conn.execute(
        "SELECT count(*) FROM contents c WHERE NOT EXISTS "
        "(SELECT 1 FROM scores s WHERE s.model = ? AND s.hash = c.hash)",
        (scorer.sha256,),
    ).fetchone()[0]
    if not missing:
        return
    try:
        writer = Index(index.path, writable=True)
    except IndexBusy as busy:  # a scan is writing: list what is scored, say why not the rest
        print(
            f"{busy}\n{missing} pictures are not scored by {scorer.path.name} yet; they are listed "
            "without a verdict (run this again when the scan has finished)",
            file=sys.stderr,
        )
        return
    with writer, writer.guard():
        run_to_end(rescore_steps(writer, scorer))


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed, not {text!r}") from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"the count must be from 1 to 10000, not {value}")
    return value


def _next(args) -> int:
    from catgui.core.library import label_next
    from catgui.core.library.index import Index

    scorer = scorer_of(args)
    with Index(args.index) as index, index.guard():
        _ensure_scored(index, scorer)
        chosen = label_next.least_sure(
            index, scorer.sha256, args.count, args.threshold, label_next.corrected_prefixes()
        )
    sys.stdout.reconfigure(errors="surrogateescape")
    if args.json:
        print(json.dumps([c.as_dict() for c in chosen], indent=2))
        return EXIT_OK
    for c in chosen:
        note = "\tunlike anything I was trained on" if c.unfamiliar else ""
        print(f"{c.path}\t{c.probability:.3f}{note}")
    if not chosen:
        print("nothing left to label: every picture is corrected or the index is empty")
    return EXIT_OK


def _export(rows, args) -> int:
    from catgui.core.library.export import export_steps
    from catgui.core.steps import run_to_end

    paths = [path for path, status, _p, _fam in rows if status == "ok"]
    result = run_to_end(export_steps(paths, args.to, link=args.link))
    for original, why in result.failed:
        print(f"{original}\terror: {why}", file=sys.stderr)
    how = "linked" if args.link else "copied"
    print(
        f"{len(result.written)} files {how} into {args.to}"
        + (f", {len(result.failed)} failed" if result.failed else "")
    )
    return EXIT_FAILED if result.failed else EXIT_OK


def _stats(args) -> int:
    from catgui.core.library import query
    from catgui.core.library.index import Index

    with Index(args.index) as index, index.guard():
        found = query.stats(index)
    if args.json:
        print(json.dumps(found, indent=2))
        return EXIT_OK
    print(
        f"index: {found['index']} ({found['index_bytes'] / 1e6:.1f} MB, "
        f"{found['bytes_per_picture'] or 0} bytes a picture)"
    )
    print(
        f"{found['files']} files: {found['pictures']} pictures "
        f"({found['distinct_pictures']} distinct), {found['errors']} with a problem"
    )
    for cause, count in found["errors_by_cause"].items():
        print(f"  {count}\t{cause}")
    for m in found["models"]:
        print(
            f"model {m['path']} ({m['kind']}, {m['sha256'][:12]}…): "
            f"{m['pictures_scored']} scored, {m['cats']} cats"
        )
    return EXIT_OK


def _add_duplicates(actions) -> None:
    dup = actions.add_parser(
        "duplicates", help="the groups of near-copies (re-encodes, crops, flips, resizes)"
    )
    dup.add_argument("--index", metavar="FILE", help="the index file")
    dup.add_argument(
        "--threshold",
        type=threshold,
        help="cosine similarity of the features at or above which two pictures are near-copies "
        "(default: the threshold measured on copies against distinct photos, docs/performance.md)",
    )
    dup.add_argument("--json", action="store_true", help="one JSON list of lists of paths")


def _duplicates(args) -> int:
    """``catgui library duplicates``: the groups of near-copies among the indexed files."""
    from catgui.core.duplicates import THRESHOLD
    from catgui.core.library.index import Index
    from catgui.core.library.similar import duplicate_steps
    from catgui.core.steps import run_to_end

    limit = THRESHOLD if args.threshold is None else args.threshold
    talk = sys.stderr.isatty()

    def show(step: str) -> None:  # a first look at a large index takes minutes
        print(f"\r{step}\033[K", end="", file=sys.stderr)

    with Index(args.index) as index, index.guard():
        groups = run_to_end(duplicate_steps(index, limit), show if talk else None)
    if talk:
        print(file=sys.stderr)
    sys.stdout.reconfigure(errors="surrogateescape")
    if args.json:
        print(json.dumps(groups, indent=2))
        return EXIT_OK
    for number, group in enumerate(groups, 1):
        print(f"group {number} ({len(group)} pictures):")
        for path in group:
            print(f"  {path}")
    files = sum(len(g) for g in groups)
    print(
        f"{len(groups)} group{'' if len(groups) == 1 else 's'} of near-copies, {files} files in all"
    )
    return EXIT_OK
