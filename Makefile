# catgui: every target bootstraps .venv itself (python3 -m venv + pip install -e ".[test]";
# the test extra pulls the camera extra, PySide6-Addons, so the Camera tab's tests run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Development and CI find the data set beside the checkout; users get it elsewhere.
SHARED_DATA := $(abspath ../shared/datasets)
ifneq ($(wildcard $(SHARED_DATA)/train_catvnoncat.h5),)
export CATGUI_DATA ?= $(SHARED_DATA)
endif

.PHONY: run test test-fast bench lint format default-model pretrained-model first-model icons \
        install-desktop uninstall-desktop clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check catgui tests benchmarks main.py
	$(BIN)/ruff format --check catgui tests benchmarks main.py
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format catgui tests benchmarks main.py
	$(BIN)/ruff check --fix catgui tests benchmarks main.py

# The default model shipped in models/: the article's recipe, seed 1 (80 % test).
default-model: $(STAMP)
	$(BIN)/python main.py train --model dnn --seed 1 --out models/default.npz --overwrite

# The pretrained model a first start opens: EfficientNet-Lite0 features + a head fitted on
# the article's 209 training pictures (C and the features chosen by cross-validation).
pretrained-model: $(STAMP)
	$(BIN)/python main.py train --model pretrained --out models/pretrained.npz --overwrite
	$(BIN)/python benchmarks/familiarity_eval.py --write models/pretrained.npz

# Both shipped backbone models then get the familiarity reference chosen by measurement
# (the 209 pictures and photos 1-500 of each class, through the 224 input: one backbone
# pass a photo; benchmarks/familiarity_eval.py, needs the shared data set's photos/).
# The model a first start opens (and `catgui predict FILES` with no model named): ImageNet
# zero-shot calibrated on the article's 209 training pictures, chosen by measurement
# (benchmarks/first_model_eval.py: 98.5 % on 1,075 real pictures, see the README).
first-model: $(STAMP)
	$(BIN)/python main.py train --model zero-shot --out models/zero-shot.npz --overwrite
	$(BIN)/python benchmarks/familiarity_eval.py --write models/zero-shot.npz

# catgui in this user's applications menu: the entry (starting this checkout's
# .venv/bin/catgui-window), the icons and the metainfo in ~/.local/share. No root.
install-desktop: $(STAMP)
	$(BIN)/python main.py desktop install

uninstall-desktop: $(STAMP)
	$(BIN)/python main.py desktop uninstall

# The desktop icon's hicolor PNGs, drawn from resources/icon.svg (committed: run after editing it).
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m catgui.ui.render_icons

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
