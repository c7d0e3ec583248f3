"""The freedesktop validators, run where they are installed (the test skips, saying what to
install, where they are not)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

TOOL_PACKAGES = {
    "desktop-file-validate": "apt-get install desktop-file-utils",
    "appstreamcli": "apt-get install appstream",
    "gio": "apt-get install libglib2.0-bin",
    "update-desktop-database": "apt-get install desktop-file-utils",
}


def tool(name: str) -> str:
    """The tool's path; skips the test when it is not installed."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed here (Debian/Ubuntu: {TOOL_PACKAGES[name]})")
    return found


def _said(args: list[str]) -> tuple[int, str]:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def desktop_file_problems(path) -> str:
    """What ``desktop-file-validate`` says against the entry (its hints are allowed)."""
    code, said = _said([tool("desktop-file-validate"), str(path)])
    lines = [line for line in said.splitlines() if ": hint: " not in line]
    return "\n".join(lines) if code != 0 or lines else ""


def metainfo_problems(path) -> str:
    """What ``appstreamcli validate --no-net`` says when it does not pass the file."""
    code, said = _said([tool("appstreamcli"), "validate", "--no-net", str(path)])
    return "" if code == 0 else said


def tree_problems(root) -> str:
    """``appstreamcli validate-tree``: the metainfo under ``root/usr/share`` and its entry."""
    code, said = _said([tool("appstreamcli"), "validate-tree", "--no-net", str(root)])
    return "" if code == 0 else said


def entry_keys(text: str) -> dict[str, str]:
    """The keys of a desktop entry (one group)."""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
