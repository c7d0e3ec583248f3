"""The article's L2-regularised logistic regression (C = 1000): our own Newton solver."""

from __future__ import annotations

import numpy as np
import pytest

from catgui import cli
from catgui.core import dataset, evaluation, persistence
from catgui.core.errors import CatguiError
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.core.logistic_l2 import L2Config, L2LogisticTrainer


def _objective_gradient(x, y, w, b, c):
    """Gradient of 1/2 |[w; b]|^2 + C sum log(1 + exp(-s [w; b] . [x; 1])) in (w, b)."""
    s = np.where(y.reshape(-1) > 0.5, 1.0, -1.0)
    margins = s * (w @ x + b)
    coef = -c * s / (1.0 + np.exp(margins))
    return w + x @ coef, b + coef.sum()


def test_fit_reaches_the_optimum_of_the_primal_problem():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 25))
    y = (rng.random((1, 25)) > 0.5).astype(float)
    trainer = L2LogisticTrainer(x, y, L2Config(c=3.0))
    net = trainer.run()
    assert trainer.converged and trainer.iterations_done < 30
    g_w, g_b = _objective_gradient(x, y, net.weights[0][0], net.biases[0][0, 0], 3.0)
    assert np.max(np.abs(g_w)) < 1e-6 and abs(g_b) < 1e-6
    assert trainer.costs[0] == pytest.approx(np.log(2))
    assert all(b <= a + 1e-12 for a, b in zip(trainer.costs, trainer.costs[1:]))


@pytest.mark.parametrize(
    "config", [L2Config(c=0), L2Config(c=float("inf")), L2Config(iterations=0)]
)
def test_bad_settings_are_refused(config):
    with pytest.raises(CatguiError):
        config.validate()


def test_reproduces_the_articles_72_percent(real_data):
    data = dataset.load(real_data)
    trainer = L2LogisticTrainer(data.train.features(), data.train.labels(), L2Config())
    net = trainer.run()
    assert trainer.converged
    assert evaluation.evaluate(NetworkClassifier(net), data.train.x, data.train.y).accuracy == 1.0
    assert (
        evaluation.evaluate(NetworkClassifier(net), data.test.x, data.test.y).correct == 36
    )  # 72 %


def test_cli_trains_and_saves_logreg_l2(tiny_data, tmp_path, capsys):
    out = tmp_path / "l2.npz"
    assert (
        cli.main(["train", "--model", "logreg-l2", "--data", str(tiny_data), "--out", str(out)])
        == 0
    )
    text = capsys.readouterr().out
    assert "Newton" in text and "Test accuracy" in text
    model = persistence.load(out)
    assert model.kind == "logreg-l2" and model.metadata["hyperparameters"]["c"] == 1000.0
    assert cli.main(["train", "--model", "logreg-l2", "--lr", "0.1", "--data", str(tiny_data)]) == 1
    assert "does not apply" in capsys.readouterr().err
