"""Issue 5, security: model files are data only, h5 files are read-only, nothing shells
out, no network request unless the user asks for the download.

Each check proves it can see what it looks for (the pickle bomb really runs code when
unpickled; the source scanner really flags a call; the audit hook really records).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from catgui import cli
from catgui.core import dataset, folder_cache, network, persistence
from catgui.core.errors import CatguiError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "catgui"


# -- model files never run code -------------------------------------------------------------------
class _Bomb:
    """Unpickling this creates the folder ``marker``: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.makedirs, (self.marker, 0o777, True))


def _valid_arrays() -> dict[str, np.ndarray]:
    net = network.initialize((12288, 1), seed=0)
    meta = {"format": persistence.FORMAT, "format_version": 1, "sizes": [12288, 1]}
    return {"metadata": np.array(json.dumps(meta)), "W1": net.weights[0], "b1": net.biases[0]}


def _bomb_files(folder: Path, marker: Path) -> dict[str, Path]:
    """Model-looking files whose loading with pickle allowed would create ``marker``."""
    folder.mkdir(parents=True, exist_ok=True)
    bomb = np.array([_Bomb(marker)], dtype=object)
    files = {}
    for key in ("metadata", "W1"):
        arrays = _valid_arrays()
        arrays[key] = bomb
        files[f"bomb-in-{key}"] = folder / f"bomb-in-{key}.npz"
        np.savez(files[f"bomb-in-{key}"], **arrays)
    files["npy-renamed"] = folder / "npy-renamed.npz"
    with open(files["npy-renamed"], "wb") as f:
        np.save(f, bomb, allow_pickle=True)
    files["raw-pickle"] = folder / "raw-pickle.npz"
    files["raw-pickle"].write_bytes(pickle.dumps(_Bomb(marker)))
    return files


@pytest.fixture
def bombs(tmp_path) -> tuple[dict[str, Path], Path]:
    marker = tmp_path / "CODE-RAN"
    files = _bomb_files(tmp_path / "bombs", marker)
    # the bombs are live: loading them with pickle allowed runs the code
    for path in files.values():
        try:
            loaded = np.load(path, allow_pickle=True)
            for key in getattr(loaded, "files", []):  # npz members unpickle when read
                loaded[key]
        except Exception:  # noqa: BLE001 - only whether the payload ran matters here
            pass
        assert marker.is_dir(), f"{path.name} is not a working bomb"
        marker.rmdir()
    return files, marker


def test_pickle_bombs_are_refused_by_the_model_loader(bombs):
    files, marker = bombs
    for name, path in files.items():
        with pytest.raises(CatguiError) as err:
            persistence.load(path)
        assert str(path) in str(err.value), name
        assert not marker.exists(), f"{name}: code ran"
    with pytest.raises(CatguiError, match="Python objects"):
        persistence.load(files["bomb-in-W1"])


def test_pickle_bombs_are_refused_by_the_cli(bombs, tmp_path, capsys, tiny_data):
    files, marker = bombs
    picture = tmp_path / "p.png"
    Image.new("RGB", (20, 20)).save(picture)
    for path in files.values():
        assert cli.main(["predict", str(path), str(picture)]) != 0
        assert cli.main(["evaluate", str(path), "--data", str(tiny_data)]) != 0
        assert not marker.exists()
    assert str(files["bomb-in-W1"]) in capsys.readouterr().err


@pytest.mark.gui
def test_pickle_bombs_are_refused_by_the_window(qtbot, bombs, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from catgui.ui.app_state import AppState
    from catgui.ui.main_window import MainWindow

    files, marker = bombs
    state = AppState(tmp_path / "models")
    win = MainWindow(state, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    for path in files.values():
        assert not win.open_model(str(path))
    assert state.model is None and not marker.exists()
    texts = [b.text() for b in win.findChildren(QMessageBox, "errorDialog")]
    assert len(texts) == len(files) and all(str(p) in " ".join(texts) for p in files.values())


def test_a_pickle_bomb_as_folder_cache_is_ignored(bombs, tmp_path):
    files, marker = bombs
    for path in files.values():
        assert folder_cache.read(path, tmp_path, "any fingerprint") is None
    assert not marker.exists()


# -- h5 files are opened read-only ----------------------------------------------------------------
def _fingerprint(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size


def test_h5_files_are_only_ever_opened_read_only(tiny_data, tmp_path, monkeypatch, capsys):
    import h5py

    modes: list[tuple[str, str]] = []
    real_file = h5py.File

    def spy(name, mode="r", *args, **kwargs):  # h5py's own default mode is "r"
        modes.append((str(name), mode))
        return real_file(name, mode, *args, **kwargs)

    monkeypatch.setattr(h5py, "File", spy)
    files = [tiny_data / dataset.TRAIN_FILE, tiny_data / dataset.TEST_FILE]
    before = [_fingerprint(p) for p in files]
    for p in files:
        p.chmod(0o444)
    data = dataset.load(tiny_data)
    out = tmp_path / "m.npz"
    assert (
        cli.main(["train", "--data", str(tiny_data), "--iterations", "5", "--out", str(out)]) == 0
    )
    assert cli.main(["evaluate", str(out), "--data", str(tiny_data)]) == 0
    data.train.features()[:] = 0  # scribbling on the copy in memory touches no file
    capsys.readouterr()
    assert len(modes) >= 6  # the spy saw every open (load, train, evaluate: 2 files each)
    assert {mode for _, mode in modes} == {"r"}, modes
    assert [_fingerprint(p) for p in files] == before


# -- nothing shells out ---------------------------------------------------------------------------
_SHELL_CALLS = {"system", "popen", "startfile", "posix_spawn", "posix_spawnp", "fork", "forkpty"}
_SHELL_MODULES = {"subprocess", "pty", "commands", "pexpect", "sh"}


def shell_outs(source: str, filename: str = "<source>") -> list[str]:
    """Every place in ``source`` that starts another program (or could)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [f"{where} import {a.name}" for a in node.names if a.name in _SHELL_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "") in _SHELL_MODULES:
            found.append(f"{where} from {node.module} import …")
        elif isinstance(node, ast.Attribute):
            name = node.attr
            if name in _SHELL_CALLS or name.startswith(("exec", "spawn")) and name != "exec":
                if isinstance(node.value, ast.Name) and node.value.id == "os":
                    found.append(f"{where} os.{name}")
        elif isinstance(node, ast.keyword) and node.arg == "shell":
            if not (isinstance(node.value, ast.Constant) and node.value.value is False):
                found.append(f"{where} shell=…")
        elif isinstance(node, ast.Name) and node.id in ("QProcess", "system"):
            found.append(f"{where} {node.id}")
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "openUrl":
            arg = ast.unparse(node.args[0]) if node.args else ""
            if not arg.startswith("QUrl.fromLocalFile("):  # only local files, on a user's click
                found.append(f"{where} openUrl({arg})")
    return found


def test_the_scanner_sees_every_way_of_shelling_out():
    samples = [
        "import subprocess",
        "from subprocess import run",
        "import os\nos.system('ls')",
        "import os\nos.popen('ls')",
        "import os\nos.execvp('ls', ['ls'])",
        "import os\nos.spawnl(0, 'ls')",
        "import os\nos.posix_spawn('ls', [], {})",
        "run(['ls'], shell=True)",
        "from PySide6.QtCore import QProcess\nQProcess.startDetached('ls')",
        "QDesktopServices.openUrl(QUrl('https://example.org'))",
    ]
    for sample in samples:
        assert shell_outs(sample), sample
    assert shell_outs("QDesktopServices.openUrl(QUrl.fromLocalFile(p))\napp.exec()") == []


#: The one module allowed to start a program, and all it may do: `catgui desktop install`,
#: asked for by the user, refreshes the desktop's caches with update-desktop-database and
#: gtk-update-icon-cache (fixed argument lists, no shell; tests/test_desktop_install.py).
_MAY_START_PROGRAMS = {"catgui/commands/desktop.py": ["import subprocess"]}


def test_the_package_never_shells_out():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 40
    found = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        said = shell_outs(path.read_text(encoding="utf-8"), name)
        allowed = _MAY_START_PROGRAMS.get(name, [])
        found += [line for line in said if line.split(" ", 1)[1] not in allowed]
        stale = [a for a in allowed if not any(line.endswith(a) for line in said)]
        assert stale == [], f"{name}: an exemption no longer needed must go"
    assert found == []


def test_the_desktop_command_starts_only_the_desktops_cache_tools():
    from catgui.commands import desktop

    assert desktop.CACHE_TOOLS == ("update-desktop-database", "gtk-update-icon-cache")
    source = (PACKAGE / "commands" / "desktop.py").read_text(encoding="utf-8")
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in ("run", "Popen", "call", "check_call")
    ]
    assert [ast.unparse(c) for c in calls] == ["subprocess.run"]


# -- a whole session under an audit hook: no process, socket or unpickling from catgui ------------
_AUDITED_SESSION = r"""
import json, os, sys, time
PACKAGE = os.path.join(sys.argv[1], "catgui") + os.sep
WATCHED = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
           "os.fork", "os.startfile", "pickle.find_class", "urllib.Request", "http.client.")
events = []

import sysconfig
STDLIB = tuple({sysconfig.get_paths()[k] + os.sep for k in ("stdlib", "platstdlib")})

def in_stdlib(name):
    return name.startswith("<frozen") or (
        name.startswith(STDLIB) and "site-packages" not in name and "dist-packages" not in name
    )

def from_catgui():
    # who asked: the innermost caller outside the standard library (and importlib)
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not in_stdlib(name):
            return name.startswith(PACKAGE)
        frame = frame.f_back
    return False

def hook(event, args):
    if event.startswith(WATCHED):
        events.append([event, repr(args)[:160], from_catgui()])
        if os.environ.get("AUDIT_STACKS") and event.startswith("subprocess"):
            import traceback
            traceback.print_stack()

sys.addaudithook(hook)
sys.audit("socket.connect", None, ("self-test", 0))

data, pictures, home = sys.argv[2], sys.argv[3], sys.argv[4]
from catgui import cli
model = os.path.join(home, "m.npz")
codes = [
    cli.main(["train", "--data", data, "--layers", "3", "--iterations", "10", "--out", model]),
    cli.main(["evaluate", model, "--data", data]),
    cli.main(["predict", model, pictures]),
]

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from catgui.ui import application
from catgui.ui.app_state import AppState
from catgui.ui.main_window import MainWindow
from catgui.workers.base import running_workers

def spin(condition, limit=60.0):
    end = time.monotonic() + limit
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)
    return condition()

application.configure(app)
settings = QSettings(os.path.join(home, "s.ini"), QSettings.Format.IniFormat)
state, problems = application.initial_state(settings)
win = MainWindow(state, settings)
win.show()
win.open_model(model)
win.add_paths([pictures])
ok = [spin(lambda: not win.classify_tab.is_busy() and win.classify_tab.results.rowCount() > 0)]
win.train_tab.form.set_field("iterations", "10")
win.train_tab.start()
ok.append(spin(lambda: not win.train_tab.is_running()))
win.tabs.setCurrentWidget(win.mistakes_tab)
ok.append(spin(lambda: not running_workers()))
win.close()
bare = MainWindow(AppState(os.path.join(home, "empty-models")), settings)  # no data set
bare.show()
spin(lambda: False, 0.3)
bare.close()
print("RESULT " + json.dumps({"codes": codes, "ok": ok, "dataset": state.dataset is not None,
                               "events": events}))
"""


def test_a_whole_session_starts_no_process_opens_no_socket_unpickles_nothing(tiny_data, tmp_path):
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    for i in range(4):
        Image.new("RGB", (32 + i, 24), (60 * i, 80, 120)).save(pictures / f"{i}.png")
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        CATGUI_DATA=str(tiny_data),
        CATGUI_HOME=str(tmp_path / "home"),
        CATGUI_MODELS=str(tmp_path / "home" / "models"),
    )
    proc = subprocess.run(
        [sys.executable, "-c", _AUDITED_SESSION, str(ROOT), str(tiny_data), str(pictures)]
        + [str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-2000:] + proc.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT ") :])
    assert result["codes"] == [0, 0, 0] and result["ok"] == [True, True, True]
    assert result["dataset"]  # the window really had data to train on
    events = result["events"]
    assert events[0][0] == "socket.connect" and "self-test" in events[0][1]  # the hook works
    events = events[1:]
    from_catgui = [e for e in events if e[2]]
    network = [e for e in events if e[0].startswith(("socket.connect", "socket.getaddrinfo"))]
    unpickled = [e for e in events if e[0] == "pickle.find_class"]
    assert from_catgui == [] and network == [] and unpickled == [], events
    # third-party code may start exactly one harmless program: importing h5py asks
    # platform.processor(), which runs `uname -p`; anything else is reported here
    others = [e for e in events if e[1] != "('uname', ['uname', '-p'], None, None)"]
    assert [e for e in others if not e[0].startswith("socket.")] == [], others
