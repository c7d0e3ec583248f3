"""The benchmarks' own glue still fits the code they time (they are not run by the suite;
a rename in the core once broke ``make bench`` unseen)."""

from __future__ import annotations

import sys

import pytest

from tests.data_helpers import ROOT


@pytest.fixture
def benchmarks(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    yield
    for name in [n for n in sys.modules if n.startswith(("bench_", "_common", "_gui"))]:
        sys.modules.pop(name, None)


def test_the_headless_run_of_the_gui_overhead_benchmark_trains_and_evaluates(benchmarks, tiny_data):
    import bench_gui_overhead

    from catgui.core import dataset
    from catgui.core.training import TrainConfig

    data = dataset.load(tiny_data)
    total, loop = bench_gui_overhead.headless_run(data, TrainConfig(hidden=(2,), iterations=3))
    assert total >= loop > 0


def test_every_benchmark_script_imports(benchmarks):
    import importlib

    for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        importlib.import_module(path.stem)


def test_the_onnx_benchmark_compares_both_engines_on_the_same_pictures(benchmarks, tmp_path):
    pytest.importorskip("onnxruntime")
    import bench_onnx
    import numpy as np

    from catgui.core import persistence

    model = persistence.load(ROOT / "models" / "default.npz")
    squares = np.random.default_rng(0).integers(0, 256, (6, 64, 64, 3), dtype=np.uint8)
    record = bench_onnx.compare("dnn", model, squares, rounds=1, folder=tmp_path)
    assert record["pictures"] == 6 and record["ratio"] > 0
    assert record["max_abs_difference"] <= 1e-5 and (tmp_path / "dnn.onnx").is_file()
