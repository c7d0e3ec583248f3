"""The command line: train / evaluate / predict, text and JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from catgui import cli
from catgui.core import persistence


def run(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def trained(tiny_data, tmp_path, capsys):
    out = tmp_path / "model.npz"
    code, _, _ = run(
        capsys,
        "train",
        "--data",
        str(tiny_data),
        "--layers",
        "4",
        "--iterations",
        "150",
        "--lr",
        "0.05",
        "--out",
        str(out),
    )
    assert code == 0
    return out


def test_train_prints_costs_every_100_iterations_and_saves(tiny_data, tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "train",
        "--data",
        str(tiny_data),
        "--layers",
        "5,3",
        "--iterations",
        "201",
        "--out",
        str(tmp_path / "m.npz"),
    )
    assert code == 0
    assert "Cost after iteration 0:" in out and "Cost after iteration 100:" in out
    assert "Cost after iteration 200:" in out and "Test accuracy:" in out
    model = persistence.load(tmp_path / "m.npz")
    assert model.metadata["sizes"] == [12288, 5, 3, 1]
    assert len(model.metadata["costs"]) == 201
    assert model.metadata["hyperparameters"]["iterations"] == 201
    assert model.metadata["dataset"]["sha256"]


def test_train_json_and_default_location(tiny_data, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CATGUI_MODELS", str(tmp_path / "models"))
    code, out, _ = run(
        capsys,
        "train",
        "--model",
        "logreg",
        "--data",
        str(tiny_data),
        "--iterations",
        "120",
        "--json",
    )
    assert code == 0
    doc = json.loads(out)
    assert [c[0] for c in doc["costs"]] == [0, 100]
    assert doc["costs"][0][1] == pytest.approx(np.log(2))
    assert {"train_accuracy", "test_accuracy", "seconds", "model_path"} <= doc.keys()
    assert doc["model_path"].startswith(str(tmp_path / "models"))
    assert persistence.load(doc["model_path"]).kind == "logreg"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lr", "-1"], "learning rate"),
        (["--iterations", "0"], "iterations"),
        (["--layers", "20,x"], "hidden layers"),
        (["--model", "logreg", "--layers", "3"], "deep network only"),
        (["--layers", ""], "at least one hidden layer"),
    ],
)
def test_train_refuses_bad_hyperparameters(tiny_data, capsys, args, message):
    code, out, err = run(capsys, "train", "--data", str(tiny_data), *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_train_will_not_overwrite(trained, tiny_data, capsys):
    code, _, err = run(
        capsys, "train", "--data", str(tiny_data), "--iterations", "2", "--out", str(trained)
    )
    assert code == 1 and "exists already" in err


def test_missing_data_is_exit_1(tmp_path, capsys):
    code, _, err = run(capsys, "train", "--data", str(tmp_path))
    assert code == 1 and "was not found" in err


def test_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "--model", "svm"])
    assert info.value.code == 2


def test_evaluate_lists_the_mistakes(trained, tiny_data, capsys):
    code, out, _ = run(capsys, "evaluate", str(trained), "--data", str(tiny_data), "--json")
    assert code == 0
    doc = json.loads(out)
    matrix = np.array(doc["confusion_matrix"])
    assert matrix.sum() == 6 and len(doc["mistakes"]) == matrix[0, 1] + matrix[1, 0]
    code, out, _ = run(capsys, "evaluate", str(trained), "--data", str(tiny_data))
    assert "Confusion matrix" in out and f"{len(doc['mistakes'])} mistakes of 6" in out


def test_evaluate_bad_model(tmp_path, tiny_data, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_text("nope")
    code, _, err = run(capsys, "evaluate", str(bad), "--data", str(tiny_data))
    assert code == 1 and str(bad) in err


def test_predict_reports_bad_files_and_classifies_the_rest(trained, tmp_path, capsys):
    folder = tmp_path / "pics"
    (folder / "sub").mkdir(parents=True)
    Image.new("RGB", (80, 80), (250, 250, 250)).save(folder / "bright.png")
    Image.new("RGB", (80, 80), (5, 5, 5)).save(folder / "sub" / "dark.jpg")
    (folder / "broken.jpg").write_text("not a picture")
    code, out, _ = run(capsys, "predict", str(trained), str(folder), "--json")
    assert code == 1
    rows = {r["path"].split("/")[-1]: r for r in json.loads(out)}
    assert set(rows) == {"bright.png", "dark.jpg", "broken.jpg"}
    assert "error" in rows["broken.jpg"] and "broken.jpg" in rows["broken.jpg"]["error"]
    assert rows["bright.png"]["label"] == "cat" and rows["dark.jpg"]["label"] == "non-cat"
    assert 0.5 < rows["bright.png"]["probability"] <= 1
    code, out, _ = run(capsys, "predict", str(trained), str(folder / "bright.png"))
    assert code == 0 and "\tcat\t" in out


def test_predict_default_model_on_real_photos(capsys):
    from catgui.core.paths import default_model_path

    photos = default_model_path().parents[2] / "shared" / "datasets" / "photos" / "cat"
    if not default_model_path().exists() or not photos.is_dir():
        pytest.skip("default model or shared photos not available")
    files = sorted(photos.glob("*.jpg"))[:5]
    code, out, _ = run(capsys, "predict", "default", *map(str, files), "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5 and all(0 <= r["probability"] <= 1 for r in rows)


@pytest.mark.parametrize("program", [["main.py"], ["-m", "catgui"]])
def test_main_py_and_python_m_catgui_run_as_a_program(program, tmp_path):
    if program == ["main.py"]:
        program = [cli.__file__.rsplit("/catgui/", 1)[0] + "/main.py"]
    result = subprocess.run(
        [sys.executable, *program, "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and "train" in result.stdout and "predict" in result.stdout


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["desktop", "--help"]])
def test_help_and_version_do_not_import_numpy(argv):
    """``catgui --help`` is instant: nothing it prints needs NumPy (nor the kinds table)."""
    code = (
        "import sys\n"
        "from catgui.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'PIL', 'h5py', 'PySide6', 'matplotlib')]\n"
        "assert not heavy, heavy\n"
        "assert 'catgui.core.kinds' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "catgui" in result.stdout


def test_each_subcommand_gets_its_kind_options_when_it_is_the_one_parsed():
    """Only the subcommand being parsed reads the kinds table; it then has every option."""
    assert cli.command_in(["--json", "train", "--model", "logreg"]) == "train"
    assert cli.command_in([]) == cli.command_in(["--help"]) == "gui"
    assert cli.command_in(["nonsense"]) == "gui"
    for command in ("train", "sweep"):
        whole = cli.build_parser().parse_args([command])
        alone = cli.build_parser(command).parse_args([command])
        assert vars(alone) == vars(whole)
    args = cli.build_parser("train").parse_args(["train", "--model", "logreg", "--lr", "0.01"])
    assert args.model == "logreg" and args.kind_learning_rate == "0.01"


def test_core_and_cli_never_import_qt_or_matplotlib():
    """Every module of catgui.core (and the CLI's commands) imports headless."""
    code = (
        "import importlib, pkgutil, sys, catgui.core, catgui.commands\n"
        "for pkg in (catgui.core, catgui.commands):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + info.name)\n"
        "import catgui.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'matplotlib', 'shiboken6')]\n"
        "assert not bad, bad\n"
        "assert len([m for m in sys.modules if m.startswith('catgui.core.')]) >= 15\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_sweep_json_prints_one_record_per_seed(tiny_data, capsys):
    code, out, _ = run(
        capsys,
        "sweep",
        "--data",
        str(tiny_data),
        "--layers",
        "4",
        "--iterations",
        "120",
        "--lr",
        "0.01",
        "--seeds",
        "2-3",
        "--folds",
        "2",
        "--json",
    )
    assert code == 0
    records = [json.loads(line) for line in out.strip().splitlines()]
    assert [r["seed"] for r in records] == [2, 3]
    for r in records:
        assert r["status"] == "ok" and r["lr"] == 0.01 and r["iterations_done"] == 120
        assert [i for i, _ in r["costs"]] == [0, 100]
        low, high = r["test_interval_95"]
        assert low <= r["test_accuracy"] <= high
        assert len(r["cv"]["folds"]) == 2 and r["cv_accuracy"] == r["cv"]["mean"]


def test_sweep_of_learning_rates_text_marks_divergence(tiny_data, capsys):
    code, out, _ = run(
        capsys,
        "sweep",
        "--data",
        str(tiny_data),
        "--layers",
        "4",
        "--iterations",
        "120",
        "--lr",
        "0.05,50",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:2] == ["lr", "final"]
    assert lines[2].startswith("0.05 ") and lines[2].rstrip().endswith("ok")
    assert lines[3].startswith("50 ") and ("diverged" in lines[3] or "dead layer" in lines[3])
    assert "Test accuracy over 1 run: mean" in out


def test_sweep_needs_something_to_sweep(tiny_data, capsys):
    code, _, err = run(capsys, "sweep", "--data", str(tiny_data), "--seeds", "3-1")
    assert code == 1 and "--seeds" in err
    code, _, err = run(capsys, "sweep", "--data", str(tiny_data))
    assert code == 1 and "--seeds" in err


def test_a_reader_that_goes_away_ends_predict_quietly(tmp_path):
    """`catgui predict ... | head`: no BrokenPipeError traceback, exit 141 like `cat`."""
    from tests.data_helpers import ROOT

    for i in range(3):
        Image.new("RGB", (40, 30), (i * 80, 90, 30)).save(tmp_path / f"p{i}.png")
    proc = subprocess.Popen(
        [sys.executable, "-m", "catgui.cli", "predict", "default", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.close()  # the reader is gone before the first line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_explain_method_help_lists_every_kinds_ways_from_the_table(capsys):
    from catgui.core import kinds

    with pytest.raises(SystemExit) as end:
        cli.main(["explain", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    assert end.value.code == 0
    for kind in kinds.all_kinds():
        assert f"{', '.join(kind.explain_methods)} ({kind.name})" in out
    assert "occlusion, gradient (dnn)" in out and "cam (pretrained)" in out


def test_predict_piped_into_head_ends_quietly_with_many_files(tmp_path):
    """`catgui predict default DIR | head -1` over more output than a pipe holds: head
    leaves after one line while predict is still writing; no traceback, exit 141."""
    import shutil

    folder = tmp_path / ("long-folder-name-" * 4)
    folder.mkdir()
    first = folder / "picture-000.png"
    Image.new("RGB", (40, 30), (200, 90, 30)).save(first)
    for i in range(1, 1500):  # ~200 bytes a line: ~300 KB, several pipes full
        shutil.copyfile(first, folder / f"picture-{i:03d}-{'x' * 60}.png")
    result = subprocess.run(
        [
            "bash",
            "-c",
            'set -o pipefail; "$0" -m catgui predict default "$1" | head -1',
            sys.executable,
            str(folder),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 141, result.stderr
    assert result.stdout.count("\n") == 1 and result.stdout.startswith(str(folder))
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.stderr == ""
