"""The layers hold: ``lint-imports`` keeps every contract in pyproject.toml.

The core imports nothing of Qt, matplotlib or the layers above it; workers never import
the ui; commands neither ui nor workers; the tabs' packages stand alone; no cycles.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(*args: str) -> subprocess.CompletedProcess:
    beside = Path(sys.executable).parent / "lint-imports"
    command = str(beside) if beside.is_file() else shutil.which("lint-imports")
    assert command, "lint-imports is not installed: pip install -e '.[test]' (import-linter)"
    return subprocess.run(
        [command, "--no-cache", "--no-logo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_import_contract_is_kept():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_contract_fails(tmp_path):
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "catgui"\ninclude_external_packages = true\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "the ui without Qt (broken on purpose)"\ntype = "forbidden"\n'
        'source_modules = ["catgui.ui"]\nforbidden_modules = ["PySide6"]\n',
        encoding="utf-8",
    )
    result = _lint_imports(str(config))
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout + result.stderr
