"""Command line: ``catgui [gui] | train | sweep | evaluate | predict | explain | export |
scan | library | suspects | desktop``.

Exit status: 0 all went well, 1 an input failed (bad file, bad model, missing data),
2 wrong usage. ``--json`` prints one JSON document on stdout instead of text.
"""

from __future__ import annotations

import argparse
import sys

from catgui import __version__
from catgui.app import run_gui
from catgui.commands import EXIT_FAILED, export, folder_name, library, scan, suspects, threshold
from catgui.core.errors import CatguiError

#: The subcommands, as typed.
COMMANDS = (
    "gui",
    "train",
    "sweep",
    "evaluate",
    "predict",
    "explain",
    "export",
    "scan",
    "library",
    "suspects",
    "desktop",
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command``, one to parse that subcommand's line.

    The options of ``train`` and ``sweep`` and the help of ``explain --method`` come from
    the kinds table, whose modules import NumPy (a tenth of a second or more): they are
    read for the subcommand about to be parsed only, so ``catgui --help``,
    ``catgui --version`` and the window's start do not pay for them. ``None`` builds every
    subcommand in full (documentation, tests).
    """

    def wanted(name: str) -> bool:
        return command is None or command == name

    def add_kind_options(parser: argparse.ArgumentParser, name: str) -> None:
        if wanted(name):
            from catgui.commands.kind_options import add_kind_options as add

            add(parser)

    def method_help() -> str | None:
        if not wanted("explain"):
            return None
        from catgui.commands.kind_options import method_help as read

        return read()

    parser = argparse.ArgumentParser(
        prog="catgui",
        description="Cat or not cat? Train and use the article's NumPy networks. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"catgui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("files", nargs="*", help="pictures or folders to classify at start")

    train = sub.add_parser("train", help="train a model and save it")
    add_kind_options(train, "train")
    train.add_argument("--data", metavar="DIR", help="folder with the two .h5 files")
    _add_image_options(train)
    train.add_argument(
        "--out",
        metavar="FILE_OR_DIR",
        help="where to save the model (default: a new name in models/)",
    )
    train.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    train.add_argument("--json", action="store_true", help="print one JSON document")

    sweep = sub.add_parser(
        "sweep",
        help="one recipe over several seeds or learning rates (--lr a,b,c), with k-fold CV",
    )
    add_kind_options(sweep, "sweep")
    sweep.add_argument("--seeds", metavar="N-M", help="train once per seed: 1-10, or 1,4,7")
    sweep.add_argument(
        "--folds",
        type=int,
        metavar="K",
        help="also cross-validate each run on the training data with K stratified folds",
    )
    sweep.add_argument("--data", metavar="DIR", help="folder with the two .h5 files")
    sweep.add_argument("--json", action="store_true", help="print one JSON record per run")

    evaluate = sub.add_parser("evaluate", help="accuracy, confusion matrix and mistakes")
    evaluate.add_argument("model", help="model file (.npz), or 'default'")
    evaluate.add_argument("--data", metavar="DIR", help="folder with the two .h5 files")
    evaluate.add_argument(
        "--images",
        metavar="DIR",
        help="evaluate on a folder of cat/ and non-cat/ pictures instead (only its held-out "
        "part if the model was trained on it)",
    )
    evaluate.add_argument("--threshold", type=threshold, default=0.5)
    evaluate.add_argument("--json", action="store_true", help="print one JSON document")

    predict = sub.add_parser(
        "predict",
        help="cat or not, for pictures and folders",
        description="Cat or not, for pictures and folders. With no model named (the first "
        "argument is not a .npz file nor 'default'), the model a first start opens: "
        "ImageNet zero-shot (models/zero-shot.npz, 98.5 % on 1,075 real pictures).",
    )
    predict.add_argument(
        "model",
        metavar="[MODEL]",
        help="model file (.npz), or 'default' (the article's network); left out: "
        "ImageNet zero-shot, the first-start model",
    )
    predict.add_argument("inputs", nargs="*", metavar="FILE_OR_DIR")
    predict.add_argument("--threshold", type=threshold, default=0.5)
    predict.add_argument("--json", action="store_true", help="print one JSON document")

    explain = sub.add_parser("explain", help="why cat? a heat map of one picture's evidence")
    explain.add_argument("model", help="model file (.npz), or 'default'")
    explain.add_argument("file", metavar="FILE", help="the picture")
    explain.add_argument(
        "--out", metavar="PNG", default="heat.png", help="where to write the heat map (heat.png)"
    )
    explain.add_argument("--method", metavar="METHOD", help=method_help())
    explain.add_argument("--json", action="store_true", help="print one JSON document")
    export.add_parser(sub)
    scan.add_parser(sub)
    library.add_parser(sub)
    suspects.add_parser(sub)

    desktop = sub.add_parser(
        "desktop", help="add catgui to this user's applications menu, or remove it (no root)"
    )
    actions = desktop.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("install", "write the menu entry, the icons and the AppStream metainfo"),
        ("uninstall", "remove exactly the files install writes"),
    ):
        desktop_action = actions.add_parser(action, help=text, description=text)
        desktop_action.add_argument(
            "--prefix",
            metavar="DIR",
            type=folder_name,
            help="under DIR/share instead of $XDG_DATA_HOME (default ~/.local/share)",
        )
    return parser


def _add_image_options(train: argparse.ArgumentParser) -> None:
    group = train.add_argument_group("your own pictures (default: the article's h5 files)")
    group.add_argument(
        "--images",
        metavar="DIR",
        help="train on a folder with cat/ and non-cat/ (or noncat/, other/, dog/ ...) subfolders",
    )
    group.add_argument(
        "--test-images", metavar="DIR", help="test on this folder instead of a held-out part"
    )
    group.add_argument(
        "--test-from",
        choices=("holdout", "article"),
        default="holdout",
        help="with --images: hold out a share of it (default) or test on the article's test set",
    )
    group.add_argument(
        "--holdout",
        type=float,
        default=0.2,
        metavar="SHARE",
        help="share of --images held out for testing, stratified (default 0.2)",
    )
    group.add_argument(
        "--with-article-data",
        action="store_true",
        help="with --images: also train on the article's 209 training images",
    )
    group.add_argument(
        "--augment",
        nargs="?",
        type=int,
        const=1,
        default=None,
        metavar="COPIES",
        help="add COPIES (default 1) flipped/cropped/brightened copies of each training image",
    )
    group.add_argument(
        "--data-seed", type=int, default=0, help="seed of the split and augmentation (default 0)"
    )
    group.add_argument(
        "--corrections",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include your corrections in training (default: yes, when there are any)",
    )
    group.add_argument(
        "--corrections-weight",
        type=int,
        default=1,
        metavar="N",
        help="each correction counts N times in training (default 1)",
    )


def command_in(argv: list[str]) -> str:
    """The subcommand ``argv`` names (its first word that is not an option), else ``"gui"``.

    The top level has no option that takes a value (``--help``, ``--version``), so the
    first word without a leading dash is where argparse looks for the command too.
    """
    first = next((word for word in argv if not word.startswith("-")), "gui")
    return first if first in COMMANDS else "gui"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(command_in(argv))
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        return run_gui(getattr(args, "files", []))
    from catgui.commands import desktop, evaluate, explain, predict, sweep, train

    handler = {
        "desktop": desktop.run,
        "train": train.run,
        "sweep": sweep.run,
        "evaluate": evaluate.run,
        "predict": predict.run,
        "explain": explain.run,
        "export": export.run,
        "scan": scan.run,
        "library": library.run,
        "suspects": suspects.run,
    }[args.command]
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the exit's own flush
        return code
    except CatguiError as exc:
        print(f"catgui: error: {exc}", file=sys.stderr)
        _record_failure(argv, exc, details=False)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("catgui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`catgui predict ... | head`): stop quietly, as `cat` does;
        # stdout is pointed at devnull so the interpreter's own flush at exit stays quiet
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - a bug: one sentence here, the traceback in the log
        place = _record_failure(argv, exc, details=True)
        print(
            f"catgui: unexpected error: {type(exc).__name__}: {exc}; "
            f"the details were written to {place}",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _record_failure(argv: list[str], error: BaseException, details: bool) -> str:
    from catgui.core import log_file

    return log_file.record_failure(argv, error, details)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
