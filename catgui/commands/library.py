"""``catgui library list | export | stats``: what a library index knows."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from catgui.commands import EXIT_FAILED, EXIT_OK, folder_name, threshold
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
    from catgui.core.library.index import Index

    if args.action == "stats":
        return _stats(args)
    if args.action == "duplicates":
        return _duplicates(args)
    if args.action == "export" and args.which == "errors":
        raise CatguiError("export takes a verdict (--cats, --non-cats, --unsure, --unfamiliar)")
    scorer = scorer_of(args)
    with Index(args.index) as index, index.guard():
        _ensure_scored(index, scorer)
        rows = _rows(index, scorer, args)
    if args.action == "export":
        return _export(rows, args)
    # a file name that is not valid UTF-8 is written back as its own bytes, as ls does
    sys.stdout.reconfigure(errors="surrogateescape")
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], indent=2))
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["path", "label", "probability", "familiarity", "unfamiliar", "error"])
        for r in rows:
            writer.writerow(
                [
                    r.path,
                    r.label or "",
                    _num(r.probability),
                    _num(r.familiarity),
                    "" if r.error else int(r.unfamiliar),
                    r.error or "",
                ]
            )
    else:
        out = sys.stdout
        for r in rows:
            if r.error:
                out.write(f"{r.path}\terror: {r.error}\n")
            elif r.probability is None:
                out.write(f"{r.path}\tnot scored yet\n")
            else:
                note = "\tunlike anything I was trained on" if r.unfamiliar else ""
                out.write(f"{r.path}\t{r.label}\t{r.probability:.3f}{note}\n")
    return EXIT_OK


def _rows(index, scorer, args):
    from catgui.core.library import query

    return list(query.rows(index, scorer.sha256, args.which, args.threshold))


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


def _num(value) -> str:
    return "" if value is None else f"{value:.6g}"


def _export(rows, args) -> int:
    from catgui.core.library.export import export_steps
    from catgui.core.steps import run_to_end

    paths = [r.path for r in rows if not r.error]
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

    def show(step) -> None:  # a large index takes minutes: say how far it is
        done, total = step
        print(f"\rcomparing the pictures: {done:,} of {total:,}", end="", file=sys.stderr)

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
