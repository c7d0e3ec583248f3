"""``logreg-l2``: the article's own logistic regression, L2 penalty C, Newton to convergence (72 %)."""

from __future__ import annotations

from catgui.core import pictures
from catgui.core.dataset import Split
from catgui.core.kinds import fields
from catgui.core.kinds.base import Field
from catgui.core.kinds.network_kind import ONE_LAYER_METHODS, NetworkKind, NetworkTraining
from catgui.core.logistic_l2 import L2Config, L2LogisticTrainer

PENALTY = Field(
    name="c",
    label="Penalty C:",
    flag="--C",
    parse=fields.number("C", "1000"),
    show=lambda c: f"{c:g}",
    tip=(
        "Inverse strength of the L2 penalty: larger fits the training pictures more "
        "closely, smaller keeps the weights small (article: 1000)"
    ),
    order=30,
    unused="This model has no L2 penalty: there is no C",
)
NEWTON_STEPS = Field(
    name="iterations",
    label="Iterations:",
    flag="--iterations",
    parse=fields.whole("iterations"),
    tip=(
        "At most this many Newton steps; the fit stops by itself once it has converged "
        "(about 15 steps)"
    ),
    placeholder="100",
    range=(1, 10_000),
    order=40,
)


class L2LogisticRegression(NetworkKind):
    name = "logreg-l2"
    label = "Logistic regression (L2 penalty — the article's 72 % at C = 1000)"
    description = (
        "Logistic regression (L2 penalty): one sigmoid unit with an L2 penalty of strength "
        "1/C, fitted by Newton's method in a second (72 % on the article's test set at "
        "C = 1000, the article's setting)."
    )
    fields = (PENALTY, NEWTON_STEPS)
    explain_methods = ONE_LAYER_METHODS
    report_every = 1

    def default_config(self) -> L2Config:
        return L2Config()

    def describe(self, config: L2Config) -> str:
        return f"logistic L2 · C {config.c:g}"

    def recipe_text(self, config: L2Config) -> str:
        return f"C {config.c:g}, Newton's method to convergence"

    def trainer(self, train: Split, config: L2Config) -> NetworkTraining:
        trainer = L2LogisticTrainer(pictures.to_features(train.x), train.labels(), config)
        return NetworkTraining(trainer, self.name)


KIND = L2LogisticRegression()
