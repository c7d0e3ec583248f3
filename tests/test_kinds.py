"""The kinds table: a kind declared in this file alone is trained, saved, loaded and used
everywhere (CLI, Train tab, Classify, Mistakes) without any other file knowing it."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from catgui import cli
from catgui.core import evaluation, kinds, persistence, pictures
from catgui.core.classifier import Classifier
from catgui.core.dataset import Split
from catgui.core.errors import CatguiError
from catgui.core.kinds.base import Field, ModelKind, check_float_array
from catgui.core.training import Progress
from tests.qt_helpers import drop_files

# -- a toy kind: the nearest class mean on the 64x64 pixels ------------------------------------


@dataclass(frozen=True)
class MeansConfig:
    temperature: float = 0.01

    def validate(self) -> MeansConfig:
        if not (isinstance(self.temperature, float) and 0 < self.temperature <= 1):
            raise CatguiError(f"temperature must be above 0 and at most 1, got {self.temperature}")
        return self

    def as_dict(self) -> dict:
        return asdict(self)


class MeansClassifier(Classifier):
    """P(cat) = sigmoid((distance to the non-cat mean - distance to the cat mean) / T)."""

    kind = "means"

    def __init__(self, cat: np.ndarray, other: np.ndarray, temperature: float) -> None:
        self.cat, self.other, self.temperature = cat, other, temperature

    def probabilities(self, squares: np.ndarray) -> np.ndarray:
        x = pictures.to_features(pictures.as_batch(squares, self.input_size))
        d_cat = np.mean((x - self.cat[:, None]) ** 2, axis=0)
        d_other = np.mean((x - self.other[:, None]) ** 2, axis=0)
        return 1.0 / (1.0 + np.exp(-(d_other - d_cat) / self.temperature))


class MeansTraining:
    path = "closed form"

    def __init__(self, train: Split, config: MeansConfig) -> None:
        self.config, self.costs, self.iterations_done = config, [], 0
        x, y = pictures.to_features(train.x), train.y
        self._model = MeansClassifier(
            x[:, y == 1].mean(axis=1), x[:, y == 0].mean(axis=1), config.temperature
        )
        self._train = train

    def steps(self) -> Iterator[Progress]:
        p = np.clip(self._model.probabilities(self._train.x), 1e-12, 1 - 1e-12)
        y = self._train.y
        cost = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        self.costs.append(cost)
        self.iterations_done = 1
        yield Progress(0, cost, 1)

    def classifier(self) -> MeansClassifier:
        return self._model


class MeansKind(ModelKind):
    name = "means"
    label = "Nearest class mean (toy)"
    description = "Nearest class mean: the average cat and non-cat picture, whichever is closer."
    fields = (
        Field(
            name="temperature",
            label="Temperature:",
            flag="--temperature",
            parse=lambda text: float(text),
            tip="Softness of the probabilities (toy: 0.01)",
            unused="This model's probabilities have no temperature",
        ),
    )

    def default_config(self) -> MeansConfig:
        return MeansConfig()

    def planned_steps(self, config, pictures: int) -> int:
        return 1

    def trainer(self, train: Split, config: MeansConfig) -> MeansTraining:
        return MeansTraining(train, config)

    def arrays(self, classifier: MeansClassifier) -> dict[str, np.ndarray]:
        return {"cat_mean": classifier.cat, "other_mean": classifier.other}

    def file_metadata(self, classifier: MeansClassifier) -> dict:
        return {"temperature": classifier.temperature}

    def load(self, arrays, metadata, path: Path) -> MeansClassifier:
        cat = check_float_array(path, arrays, "cat_mean")
        other = check_float_array(path, arrays, "other_mean")
        return MeansClassifier(cat, other, float(metadata["temperature"]))


@pytest.fixture
def means():
    with kinds.registered(MeansKind()) as kind:
        yield kind
    assert "means" not in kinds.names()


def _data_with_mistakes(folder: Path) -> Path:
    """A tiny pair whose test set has two pictures labelled against their looks."""
    from tests.data_helpers import write_h5_pair

    write_h5_pair(folder)
    with h5py.File(folder / "test_catvnoncat.h5", "r+") as f:
        y = f["test_set_y"][()]
        y[:2] = 1 - y[:2]
        f["test_set_y"][...] = y
    return folder


def _picture(path: Path, bright: bool) -> Path:
    value = 200 if bright else 30
    Image.fromarray(np.full((80, 100, 3), value, dtype=np.uint8)).save(path)
    return path


# -- the CLI -----------------------------------------------------------------------------------


def test_a_registered_kind_trains_saves_and_predicts_from_the_cli(means, tmp_path, capsys):
    data = _data_with_mistakes(tmp_path / "data")
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "--model {dnn,logreg,logreg-l2,pretrained,zero-shot,means}" in usage
    assert "--temperature TEMPERATURE" in usage and "[means]" in usage
    out = tmp_path / "means.npz"
    args = ["train", "--model", "means", "--data", str(data), "--temperature", "0.02"]
    assert cli.main([*args, "--out", str(out)]) == 0
    assert "Test accuracy:  66.67 %" in capsys.readouterr().out  # 4 of 6: two labels flipped
    model = persistence.load(out)
    assert model.kind == "means" and isinstance(model.classifier, MeansClassifier)
    assert model.classifier.temperature == 0.02
    assert model.metadata["format_version"] == persistence.FORMAT_VERSION
    cat = _picture(tmp_path / "bright.png", True)
    other = _picture(tmp_path / "dark.png", False)
    assert cli.main(["predict", str(out), str(cat), str(other), "--json"]) == 0
    rows = {Path(r["path"]).name: r for r in json.loads(capsys.readouterr().out)}
    assert rows["bright.png"]["label"] == "cat" and rows["dark.png"]["label"] == "non-cat"


def test_a_flag_of_another_kind_is_refused_with_the_reason(means, tmp_path, capsys):
    data = _data_with_mistakes(tmp_path / "data")
    assert cli.main(["train", "--model", "means", "--data", str(data), "--layers", "3"]) == 1
    err = capsys.readouterr().err
    # the reason is the field's own: the toy kind says nothing about layers
    assert "--layers does not apply to means (this model has no hidden layers to choose)" in err
    assert cli.main(["train", "--model", "dnn", "--data", str(data), "--temperature", "1"]) == 1
    err = capsys.readouterr().err
    assert "--temperature does not apply to dnn (this model's probabilities have no temp" in err
    assert "nearest class mean (toy) only (--model means)" in err


def test_a_kind_unknown_to_this_catgui_is_refused_by_name(means, tmp_path):
    data = _data_with_mistakes(tmp_path / "data")
    out = tmp_path / "m.npz"
    assert cli.main(["train", "--model", "means", "--data", str(data), "--out", str(out)]) == 0
    kinds.unregister("means")
    with pytest.raises(CatguiError, match="kind 'means', which this catgui does not know"):
        persistence.load(out)
    kinds.register(MeansKind())


# -- the window --------------------------------------------------------------------------------


@pytest.mark.gui
def test_a_registered_kind_works_in_every_tab(means, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from catgui.core import paths
    from catgui.ui.app_state import AppState
    from catgui.ui.main_window import MainWindow

    state = AppState(paths.models_dir())
    data = state.open_dataset(_data_with_mistakes(tmp_path / "data"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(state, settings=settings)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    try:
        tab = window.train_tab
        form = tab.form
        index = form.kind.findData("means")
        assert not form.edits["temperature"].isEnabled()  # the deep network has none
        assert (
            form.edits["temperature"].toolTip() == "This model's probabilities have no temperature"
        )
        assert index >= 0 and form.kind.itemText(index) == "Nearest class mean (toy)"
        form.kind.setCurrentIndex(index)
        assert form.edits["temperature"].isEnabled()
        assert form.edits["temperature"].text() == "0.01"
        assert not form.edits["hidden"].isEnabled()
        assert form.edits["hidden"].toolTip() == "This model has no hidden layers to choose"
        assert form.edits["hidden"].placeholderText() == "none"
        assert not form.edits["learning_rate"].isEnabled()
        form.set_field("temperature", "5")
        assert "must be above 0 and at most 1" in form.errors["temperature"].text()
        assert not tab.buttons.train_button.isEnabled()
        form.set_field("temperature", "0.02")
        assert tab.buttons.train_button.isEnabled()
        with qtbot.waitSignal(
            tab.runningChanged, timeout=30_000, check_params_cb=lambda running: not running
        ):
            qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(tab.summary.save_button, Qt.MouseButton.LeftButton)  # Save and use
        model = state.model
        assert model is not None and model.kind == "means"
        assert model.path is not None and model.path.name.startswith("means ")
        assert persistence.load(model.path).kind == "means"

        # Classify: a dropped file gets the toy model's verdict
        cat = _picture(tmp_path / "bright.png", True)
        classify = window.classify_tab
        window.tabs.setCurrentWidget(classify)
        drop_files(classify.drop_area, [cat])
        qtbot.waitUntil(lambda: not classify.is_busy() and classify.results.rowCount() == 1)
        entry = classify.results.entry(0)
        expected = float(model.classifier.classify([_load(cat)])[0])
        assert entry.probability == pytest.approx(expected) and expected > 0.5
        assert entry.label == "cat"

        # Mistakes: exactly the toy model's mistakes on the test set
        mistakes = window.mistakes_tab
        window.tabs.setCurrentWidget(mistakes)
        result = evaluation.evaluate(model.classifier, data.test.x, data.test.y)
        assert len(result.mistakes) == 2
        assert mistakes.summary.count_label.text() == f"2 mistakes of {len(data.test)}"
        assert mistakes.view.model().rowCount() == 2
    finally:
        window.close()


def _load(path: Path):
    from catgui.core import images

    return images.load(path)


# -- the table itself --------------------------------------------------------------------------


def test_the_built_in_kinds_are_listed_in_order():
    assert kinds.names()[:5] == ["dnn", "logreg", "logreg-l2", "pretrained", "zero-shot"]
    for kind in kinds.all_kinds():
        assert kind.label and kind.description
        config = kind.default_config()
        assert kinds.of_config(config) is kind and kind.make_config() == config
        assert kind.config_from_texts(kind.texts()) == config
        assert math.isfinite(kind.planned_steps(config, 10))


def test_a_kind_name_is_taken_once(means):
    with pytest.raises(CatguiError, match="new name"):
        kinds.register(MeansKind())
    with pytest.raises(CatguiError, match="built in"):
        kinds.unregister("dnn")
    with pytest.raises(CatguiError, match="unknown model kind 'svm'"):
        kinds.get("svm")


def test_only_the_kinds_table_names_a_kind():
    """Outside ``core/kinds`` no module spells a kind's name; the engine's configurations
    name the kind they belong to (``TrainConfig.kind``, ``L2Config.kind``), nothing more."""
    import re

    import catgui

    root = Path(catgui.__file__).parent
    allowed = {root / "core" / "training.py", root / "core" / "logistic_l2.py"}
    names = "|".join(re.escape(k.name) for k in kinds.all_kinds())
    literal = re.compile(rf"[\"']({names})[\"']")
    offenders = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in root.rglob("*.py")
        if (root / "core" / "kinds") not in path.parents and path not in allowed
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if literal.search(line)
    ]
    assert not offenders, "kinds named outside core/kinds:\n" + "\n".join(offenders)
