"""The article's figures, reproduced exactly on the real data (skipped without it)."""

from __future__ import annotations

import pytest

from catgui.core import dataset, evaluation
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.core.training import TrainConfig, Trainer


@pytest.fixture(scope="module")
def article_data():
    from tests.data_helpers import REAL_DATA

    if REAL_DATA is None:
        pytest.skip("the cat/non-cat data set is not at ../shared/datasets or $CATGUI_DATA")
    return dataset.load(REAL_DATA)


def _run(data, config):
    trainer = Trainer(data.train.features(), data.train.labels(), config)
    net = trainer.run()
    train = evaluation.evaluate(NetworkClassifier(net), data.train.x, data.train.y)
    test = evaluation.evaluate(NetworkClassifier(net), data.test.x, data.test.y)
    return trainer.costs, train, test


def test_deep_network_reproduces_the_article(article_data):
    costs, train, test = _run(article_data, TrainConfig())
    assert len(costs) == 2500
    assert f"{costs[0]:.6f}" == "0.771749"
    assert f"{costs[100]:.6f}" == "0.672053"
    assert f"{costs[2400]:.6f}" == "0.092878"
    assert train.correct == 206 and train.n == 209  # 98.56 %
    assert round(100 * train.accuracy, 2) == 98.56
    assert test.correct == 40 and test.n == 50  # 80 %


def test_logistic_regression_reproduces_the_course(article_data):
    costs, train, test = _run(article_data, TrainConfig.logistic_regression())
    assert len(costs) == 2000
    assert f"{costs[0]:.6f}" == "0.693147"
    assert f"{costs[100]:.6f}" == "0.584508"
    assert f"{costs[1900]:.6f}" == "0.140872"
    assert round(100 * train.accuracy, 2) == 99.04
    assert test.correct == 35  # 70 %


def test_data_set_matches_its_pinned_checksums(article_data):
    assert article_data.train.sha256 == dataset.KNOWN_SHA256[dataset.TRAIN_FILE]
    assert article_data.test.sha256 == dataset.KNOWN_SHA256[dataset.TEST_FILE]
    assert (len(article_data.train), len(article_data.test)) == (209, 50)
    assert int(article_data.train.y.sum()) == 72 and int(article_data.test.y.sum()) == 33
