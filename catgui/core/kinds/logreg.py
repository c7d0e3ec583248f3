"""``logreg``: the course's logistic regression, one sigmoid unit by gradient descent."""

from __future__ import annotations

import dataclasses

from catgui.core import pictures
from catgui.core.dataset import Split
from catgui.core.kinds import fields
from catgui.core.kinds.network_kind import (
    ONE_LAYER,
    ONE_LAYER_METHODS,
    NetworkKind,
    NetworkTraining,
)
from catgui.core.training import TrainConfig, Trainer


class LogisticRegression(NetworkKind):
    name = ONE_LAYER
    label = "Logistic regression (gradient descent)"
    description = "Logistic regression (gradient descent): one sigmoid unit, the course's baseline."
    fields = (
        dataclasses.replace(
            fields.LEARNING_RATE, tip="Step size of gradient descent (course: 0.005)"
        ),
        dataclasses.replace(
            fields.ITERATIONS, tip="Full-batch gradient-descent steps (course: 2000)"
        ),
        fields.PATH,
    )
    explain_methods = ONE_LAYER_METHODS

    def reads(self, config) -> bool:
        return type(config) is TrainConfig and not config.hidden

    def default_config(self) -> TrainConfig:
        return TrainConfig.logistic_regression()

    def describe(self, config: TrainConfig) -> str:
        return f"logistic · lr {config.learning_rate}"

    def recipe_text(self, config: TrainConfig) -> str:
        return f"lr {config.learning_rate}, {config.iterations} iterations"

    def trainer(self, train: Split, config: TrainConfig) -> NetworkTraining:
        trainer = Trainer(pictures.to_features(train.x), train.labels(), config)
        return NetworkTraining(trainer, self.name)


KIND = LogisticRegression()
