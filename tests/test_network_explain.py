""" "Why cat?" for the article's networks: input gradient, occlusion, contribution, template."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from catgui import cli
from catgui.core import network, network_evidence, persistence, pictures
from catgui.core.errors import CatguiError
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.core.network import Network

CORNER = 16  # the synthetic networks look only at the top-left 16x16 pixels


def _tiny(sizes=(10, 6, 4, 1), seed=3) -> Network:
    net = network.initialize(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    for b in net.biases:
        b += rng.normal(scale=0.3, size=b.shape)
    return net


def _square(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (64, 64, 3), dtype=np.uint8)


def _corner_mask() -> np.ndarray:
    mask = np.zeros((64, 64, 3))
    mask[:CORNER, :CORNER] = 1.0
    return mask.reshape(-1)


def _corner_network(deep: bool) -> Network:
    """A network whose first layer reads only the top-left corner (bright there = cat)."""
    rng = np.random.default_rng(5)
    if not deep:
        w = (_corner_mask() * 0.01)[np.newaxis]
        return Network([w], [np.array([[-1.0]])])
    w1 = rng.uniform(0.5, 1.5, size=(4, 12288)) * _corner_mask() * 0.005
    return Network(
        [w1, rng.uniform(0.5, 1.5, size=(3, 4)), np.ones((1, 3))],
        [np.full((4, 1), -0.5), np.zeros((3, 1)), np.array([[-2.0]])],
    )


def _corner_picture() -> np.ndarray:
    square = np.random.default_rng(9).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    square[:CORNER, :CORNER] = 255
    return square


def test_the_input_gradient_matches_finite_differences():
    net = _tiny()
    x = np.random.default_rng(1).uniform(0, 1, size=(10, 3))
    z, d_x = network.input_gradient(net, x)
    np.testing.assert_allclose(z, network.logits(net, x))
    assert d_x.shape == x.shape
    h = 1e-6
    numeric = np.zeros_like(x)
    for i in range(x.shape[0]):
        step = np.zeros_like(x)
        step[i] = h
        numeric[i] = (network.logits(net, x + step) - network.logits(net, x - step)) / (2 * h)
    assert np.linalg.norm(d_x - numeric) / np.linalg.norm(d_x + numeric) < 1e-6
    assert np.any(d_x != 0)


def test_the_gradient_map_sums_the_input_gradient_over_colours():
    net = _tiny((12288, 5, 1), seed=2)
    square = _square()
    _, d_x = network.input_gradient(net, pictures.to_features(square[np.newaxis]))
    grid = network_evidence.gradient_map(net, square)
    assert grid.shape == (64, 64)
    assert grid[3, 7] == pytest.approx(d_x[(3 * 64 + 7) * 3 : (3 * 64 + 7) * 3 + 3, 0].sum())


@pytest.mark.parametrize("deep", [True, False])
def test_occlusion_lights_the_corner_the_network_looks_at(deep):
    classifier = NetworkClassifier(_corner_network(deep))
    grid = classifier.evidence(_corner_picture(), "occlusion")
    assert grid.shape == (64, 64)
    row, col = np.unravel_index(np.argmax(grid), grid.shape)
    assert row < CORNER and col < CORNER
    assert grid[:CORNER, :CORNER].min() > 0  # hiding bright corner pixels lowers the logit
    assert np.abs(grid[CORNER + 4 :, :]).max() < 1e-9 and np.abs(grid[:, CORNER + 4 :]).max() < 1e-9
    gradient = classifier.evidence(_corner_picture(), "gradient")
    assert np.all(gradient[CORNER:, :] == 0) and gradient[:CORNER, :CORNER].min() > 0


def test_logistic_regressions_evidence_is_exact_and_its_mean_the_logit():
    rng = np.random.default_rng(4)
    net = Network([rng.normal(scale=0.01, size=(1, 12288))], [np.array([[0.7]])])
    classifier = NetworkClassifier(net)
    assert classifier.kind == "logreg" and classifier.methods[0] == "contribution"
    square = _square(2)
    p = classifier.probabilities(square[np.newaxis])[0]
    grid = classifier.evidence(square)
    assert grid.shape == (64, 64)
    assert grid.mean() == pytest.approx(np.log(p / (1 - p)), rel=1e-9, abs=1e-9)
    x = pictures.to_features(square[np.newaxis])[:, 0].reshape(64, 64, 3)
    w = net.weights[0][0].reshape(64, 64, 3)
    assert grid[10, 20] == pytest.approx(4096 * (w[10, 20] * x[10, 20]).sum() + 0.7)
    template = classifier.evidence(square, "template")
    np.testing.assert_allclose(template, w.sum(axis=2))
    np.testing.assert_allclose(classifier.evidence(square, "gradient"), template)
    picture = classifier.explanation_picture(square, "template")
    assert picture.dtype == np.uint8 and picture.shape == (64, 64, 3)
    peak = np.unravel_index(np.argmax(np.abs(w)), w.shape)
    assert picture[peak] in (0, 255)  # the strongest weight reaches black or white


def test_a_method_the_kind_lacks_is_refused_with_its_methods():
    deep = NetworkClassifier(_tiny((12288, 3, 1)))
    assert deep.cannot_explain is None and deep.methods == ("occlusion", "gradient")
    with pytest.raises(CatguiError, match="'template'; its methods: occlusion, gradient"):
        deep.evidence(_square(), "template")
    np.testing.assert_array_equal(deep.evidence(_square()), deep.evidence(_square(), "occlusion"))


@pytest.fixture
def logreg_path(tmp_path):
    rng = np.random.default_rng(6)
    net = Network([rng.normal(scale=0.01, size=(1, 12288))], [np.zeros((1, 1))])
    return persistence.save(
        persistence.Model(NetworkClassifier(net, "logreg"), metadata={"kind": "logreg"}),
        tmp_path / "logreg.npz",
    )


@pytest.mark.parametrize(
    ("model", "methods"),
    [
        ("default", ["occlusion", "gradient"]),
        ("logreg", ["contribution", "gradient", "occlusion", "template"]),
    ],
)
def test_explain_writes_a_png_for_each_method(tmp_path, capsys, logreg_path, model, methods):
    photo = tmp_path / "photo.png"
    Image.fromarray(_square(3)).save(photo)
    model_arg = "default" if model == "default" else str(logreg_path)
    for method in methods:
        out = tmp_path / f"{method}.png"
        argv = ["explain", model_arg, str(photo), "--out", str(out), "--method", method]
        assert cli.main([*argv, "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["method"] == method and np.asarray(report["evidence"]).shape == (64, 64)
        with Image.open(out) as img:
            assert img.size == (64, 64) and img.mode == "RGB"
    out = tmp_path / "default.png"
    assert cli.main(["explain", model_arg, str(photo), "--out", str(out)]) == 0
    assert methods[0] in capsys.readouterr().out and out.exists()


def test_explain_refuses_an_unknown_method(tmp_path, capsys):
    photo = tmp_path / "photo.png"
    Image.fromarray(_square(3)).save(photo)
    out = tmp_path / "x.png"
    for method in ("saliency", "template"):
        argv = ["explain", "default", str(photo), "--out", str(out), "--method", method]
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert f"cannot explain by {method!r}" in err and "occlusion, gradient" in err
    assert not out.exists()
