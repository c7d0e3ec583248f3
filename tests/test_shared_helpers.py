"""What test modules share lives in ``tests/*_helpers.py`` and is imported one way:
``from tests.<name>_helpers import ...``. Never from another test module or from
``conftest`` (pytest loads those itself), never by a bare module name."""

from __future__ import annotations

import ast

from tests.data_helpers import ROOT

TESTS = ROOT / "tests"


def _imports_of(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def _wrong(module: str) -> bool:
    first = module.split(".")[0]
    if first == "tests":
        return not module.split(".")[-1].endswith("_helpers")
    local = (TESTS / f"{first}.py").is_file()
    return local  # conftest, a test module or a helper by its bare name


def test_test_modules_import_shared_code_only_from_the_helpers():
    wrong = [
        f"{path.name}:{line}: {module}"
        for path in sorted(TESTS.glob("*.py"))
        for line, module in _imports_of(path)
        if _wrong(module)
    ]
    assert wrong == [], "import these as `from tests.<name>_helpers import ...`: " + ", ".join(
        wrong
    )


def test_the_check_sees_each_wrong_style():
    assert _wrong("conftest") and _wrong("test_ui_classify") and _wrong("folder_helpers")
    assert _wrong("tests.test_ui_classify")
    assert not _wrong("tests.folder_helpers") and not _wrong("catgui.core") and not _wrong("numpy")
