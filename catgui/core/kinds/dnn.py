"""``dnn``: the article's deep network, [12288, 20, 7, 5, 1] by gradient descent (80 % test)."""

from __future__ import annotations

from catgui.core import pictures
from catgui.core.dataset import Split
from catgui.core.kinds import fields
from catgui.core.kinds.network_kind import DEEP, DEEP_METHODS, NetworkKind, NetworkTraining
from catgui.core.training import TrainConfig, Trainer


class DeepNetwork(NetworkKind):
    name = DEEP
    label = "Deep network"
    description = (
        "Deep network: the article's [12288, 20, 7, 5, 1] ReLU network (80 % on its test set)."
    )
    fields = (
        fields.HIDDEN,
        fields.LEARNING_RATE,
        fields.ITERATIONS,
        fields.SEED,
        fields.INIT,
        fields.PATH,
    )
    explain_methods = DEEP_METHODS

    def reads(self, config) -> bool:
        return type(config) is TrainConfig and bool(config.hidden)

    def default_config(self) -> TrainConfig:
        return TrainConfig()

    def describe(self, config: TrainConfig) -> str:
        layers = fields.show_layers(config.hidden)
        return f"{layers} · lr {config.learning_rate} · seed {config.seed}"

    def recipe_text(self, config: TrainConfig) -> str:
        text = f"lr {config.learning_rate}, {config.iterations} iterations"
        return text if config.init == "scaled" else f"{text}, {config.init} initial weights"

    def model_name(self, metadata) -> str:
        hidden = metadata.get("hyperparameters", {}).get("hidden") or []
        return "dnn-" + "-".join(str(n) for n in hidden) if hidden else self.name

    def trainer(self, train: Split, config: TrainConfig) -> NetworkTraining:
        trainer = Trainer(pictures.to_features(train.x), train.labels(), config)
        return NetworkTraining(trainer, self.name)


KIND = DeepNetwork()
