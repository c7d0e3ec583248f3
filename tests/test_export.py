"""ONNX export (issue 13, item 1): every kind's file, run by onnxruntime on real pictures,
gives catgui's probabilities to 1e-5; the graph passes onnx.checker and says what it takes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from catgui import cli
from catgui.core import dataset, export, head, images, kinds, persistence
from catgui.core.errors import CatguiError
from catgui.core.kinds.pretrained import PretrainedClassifier
from catgui.core.kinds.zero_shot import ZeroShotClassifier
from catgui.core.persistence import Model
from tests.data_helpers import REAL_DATA, ROOT

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"
TOLERANCE = 1e-5


def _real_files() -> list[Path]:
    """20 ordinary photos (10 cats, 10 dogs) of many sizes, or skip."""
    files = (
        sorted((PHOTOS / "cat").glob("*.jpg"))[:10] + sorted((PHOTOS / "dog").glob("*.jpg"))[:10]
    )
    if len(files) < 20:
        pytest.skip(f"the photos are not at {PHOTOS}")
    return files


def _squares(classifier, files) -> np.ndarray:
    """The squares the model sees of each file, as catgui's decoder makes them."""
    return np.stack(
        [classifier.sees(images.load(f, sizes=(classifier.input_size,))) for f in files]
    )


def _run(path: Path, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    p, logit = session.run(["p_cat", "logit"], {"pixels": pixels})
    return p, logit


def _trained(kind: str, folder: Path) -> Model:
    from catgui.core.steps import run_to_end
    from catgui.core.training_run import TrainingRun

    run = TrainingRun(dataset.load(folder), kinds.get(kind).default_config(), None)
    return run_to_end(run.steps()).model


def _head(representation: str, seed: int) -> PretrainedClassifier:
    d = {"pooled": 1280, "logits": 1000, "both": 2280}[representation]
    rng = np.random.default_rng(seed)
    fitted = head.Head(
        representation,
        mean=rng.normal(0, 1, d),
        scale=rng.uniform(0.5, 2, d),
        weights=rng.normal(0, 0.05, d),
        bias=0.3,
        c=1.0,
    )
    return PretrainedClassifier(fitted)


def _check_round_trip(model: Model, tmp_path: Path, files: list[Path]) -> np.ndarray:
    classifier = model.classifier
    squares = _squares(classifier, files)
    ours = classifier.probabilities(squares)
    for input_type, pixels in (("uint8", squares), ("float32", squares.astype(np.float32))):
        done = export.to_onnx(model, tmp_path / f"{model.kind}-{input_type}", input_type)
        assert done.path.suffix == ".onnx" and done.path.stat().st_size == done.size
        onnx.checker.check_model(str(done.path), full_check=True)
        p, logit = _run(done.path, pixels)
        assert p.shape == logit.shape == (len(files),) and p.dtype == np.float32
        np.testing.assert_allclose(p, ours, rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(1 / (1 + np.exp(-logit.astype(np.float64))), p, atol=1e-6)
        print(
            f"{model.kind} {input_type}: {done.size:,} bytes, max |dp| {np.abs(p - ours).max():.2e}"
        )
    return ours


def test_the_article_network_exports_as_gemm_relu_sigmoid(tmp_path):
    model = persistence.load(ROOT / "models" / "default.npz")
    ours = _check_round_trip(model, tmp_path, _real_files())
    proto = onnx.load(str(tmp_path / "dnn-uint8.onnx"))
    ops = [n.op_type for n in proto.graph.node]
    assert ops.count("Gemm") == 4 and ops.count("Relu") == 3 and ops.count("Sigmoid") == 1
    assert {i.domain: i.version for i in proto.opset_import} == {"": 17}
    assert 0 < ours.min() < 0.5 < ours.max() < 1  # real verdicts both ways, not a constant


@pytest.mark.parametrize("kind", ["logreg", "logreg-l2"])
def test_logistic_regression_kinds_round_trip(kind, tmp_path, real_data):
    _check_round_trip(_trained(kind, real_data), tmp_path, _real_files())


def test_the_shipped_pretrained_model_round_trips_with_the_backbone_inside(tmp_path):
    model = persistence.load(ROOT / "models" / "pretrained.npz")
    files = _real_files()
    ours = _check_round_trip(model, tmp_path, files)
    proto = onnx.load(str(tmp_path / "pretrained-uint8.onnx"))
    ops = {n.op_type for n in proto.graph.node}
    assert {"Conv", "Clip", "GlobalAveragePool", "Transpose", "Gemm", "Sigmoid"} <= ops
    # real verdicts, cats then dogs (the shipped model is right on ~92 % of such photos)
    assert (ours[:10] > 0.5).sum() >= 8 and (ours[10:] < 0.5).sum() >= 7


@pytest.mark.parametrize("representation", ["pooled", "both"])
def test_every_head_representation_round_trips(representation, tmp_path):
    model = Model(_head(representation, seed=len(representation)), {"name": "synthetic"})
    _check_round_trip(model, tmp_path, _real_files()[::2] + _real_files()[1::2])


def test_zero_shot_round_trips(tmp_path, tiny_data):
    model = _trained("zero-shot", tiny_data)
    assert isinstance(model.classifier, ZeroShotClassifier)
    _check_round_trip(model, tmp_path, _real_files())


def test_the_file_says_what_it_takes_and_how_pictures_are_made(tmp_path):
    model = persistence.load(ROOT / "models" / "default.npz")
    done = export.to_onnx(model, tmp_path / "m.onnx")
    proto = onnx.load(str(done.path))
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta == export.read_metadata(done.path)
    from catgui import __version__

    assert meta["catgui_version"] == __version__ and meta["kind"] == "dnn"
    assert meta["opset"] == "17" and "(N, 64, 64, 3)" in meta["input"]
    prep = json.loads(meta["preprocessing"])
    assert prep["size"] == [64, 64, 3] and prep["crop"] == "centre-square"
    (inp,) = proto.graph.input
    assert inp.name == "pixels" and inp.type.tensor_type.elem_type == onnx.TensorProto.UINT8
    dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
    assert dims == ["N", 64, 64, 3]
    assert [o.name for o in proto.graph.output] == ["p_cat", "logit"]


def test_a_kind_that_cannot_export_says_so_and_leaves_no_file(tmp_path):
    class NoGraph(kinds.ModelKind):
        name = "no-graph"

        def default_config(self):  # pragma: no cover - never trained here
            raise NotImplementedError

        def trainer(self, train, config):  # pragma: no cover
            raise NotImplementedError

        def planned_steps(self, config, pictures):  # pragma: no cover
            raise NotImplementedError

        def arrays(self, classifier):  # pragma: no cover
            return {}

        def load(self, arrays, metadata, path):  # pragma: no cover
            raise NotImplementedError

    classifier = persistence.load(ROOT / "models" / "default.npz").classifier
    classifier.kind = "no-graph"
    with kinds.registered(NoGraph()):
        with pytest.raises(CatguiError, match="no-graph model cannot be exported"):
            export.to_onnx(Model(classifier), tmp_path / "x.onnx")
    assert list(tmp_path.iterdir()) == []


def test_export_never_replaces_a_file_unasked(tmp_path):
    model = persistence.load(ROOT / "models" / "default.npz")
    target = tmp_path / "m.onnx"
    target.write_bytes(b"mine")
    with pytest.raises(CatguiError, match="exists already"):
        export.to_onnx(model, target)
    assert target.read_bytes() == b"mine"
    export.to_onnx(model, target, overwrite=True)
    assert target.stat().st_size > 900_000
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]  # no partial file left


def test_the_cli_exports_and_reports(tmp_path, capsys):
    out = tmp_path / "cat.onnx"
    assert cli.main(["export", "default", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["path"] == str(out) and report["bytes"] == out.stat().st_size
    assert report["input"] == {"name": "pixels", "shape": ["N", 64, 64, 3], "type": "uint8"}
    assert cli.main(["export", "default", "--out", str(out)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert cli.main(["export", str(tmp_path / "missing.npz"), "--out", str(out)]) == 1
    assert "missing.npz: model file not found" in capsys.readouterr().err


def test_read_metadata_names_a_file_that_is_not_onnx(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\xff\x00 not protobuf" * 10)
    with pytest.raises(CatguiError, match="bad.onnx"):
        export.read_metadata(bad)


def test_the_article_pictures_round_trip_too(tmp_path):
    if REAL_DATA is None:
        pytest.skip("the data set is not at ../shared/datasets")
    model = persistence.load(ROOT / "models" / "default.npz")
    squares = dataset.load(REAL_DATA).test.x[:25]
    done = export.to_onnx(model, tmp_path / "m.onnx")
    p, _ = _run(done.path, squares)
    np.testing.assert_allclose(p, model.classifier.probabilities(squares), atol=TOLERANCE)


def test_the_cli_names_each_bad_input_plainly(tmp_path, capsys):
    """What QA met: a text file posing as a model, a folder as MODEL, --out under a file,
    an existing target; and a folder as --out takes the model's name inside it."""
    fake = tmp_path / "fake.npz"
    fake.write_text("not a model")
    assert cli.main(["export", str(fake)]) == 1
    assert "fake.npz: not a readable model file" in capsys.readouterr().err
    assert cli.main(["export", str(tmp_path)]) == 1
    assert "is a folder, not a model file" in capsys.readouterr().err
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert cli.main(["export", "default", "--out", str(blocker / "d.onnx")]) == 1
    assert f"{blocker} is a file, not a folder" in capsys.readouterr().err
    folder = tmp_path / "exports"
    folder.mkdir()
    assert cli.main(["export", "default", "--out", str(folder)]) == 0
    (written,) = folder.iterdir()
    assert written.name == "default.onnx"
    capsys.readouterr()
    assert cli.main(["export", "default", "--out", str(written)]) == 1
    assert "exists already (--overwrite replaces it)" in capsys.readouterr().err


def test_sizes_read_as_people_say_them():
    assert export.size_text(50_460) == "49 KB"
    assert export.size_text(18_561_461) == "18.6 MB"


@pytest.mark.parametrize("shipped", ["default.npz", "pretrained.npz"])
def test_the_readme_example_gives_catguis_answer(shipped, tmp_path):
    """The README's example, run as written on real photos, prints what catgui predicts."""
    import contextlib
    import io
    import re

    from catgui.core import prediction

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Export to ONNX") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    model = persistence.load(ROOT / "models" / shipped)
    onnx_file = export.to_onnx(model, tmp_path / "cat.onnx").path
    for photo in _real_files()[::4]:
        run = code.replace('"cat.onnx"', repr(str(onnx_file))).replace(
            '"tom.jpg"', repr(str(photo))
        )
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(run, "README example", "exec"), {})  # noqa: S102 - our own README
        said = float(printed.getvalue().strip().strip("[]"))
        expected = prediction.classify_file(model.classifier, photo).probability
        assert said == pytest.approx(expected, abs=1e-5), photo
