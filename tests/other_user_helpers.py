"""Running catgui as a user without privileges, for the tests of unreadable files.

The suite runs as root here, and root reads every file whatever its permission bits. So
:func:`run_unprivileged` forks the test process and, when it is root, the child drops to
``nobody`` (``setgroups``/``setgid``/``setuid``) before it runs the code under test;
when the suite runs as an ordinary user the child keeps that user, for whom the
permission bits already apply. The child is a real process: its own exit status, its own
stdout and stderr (files opened before the privileges are dropped).

The child cannot read the interpreter's installation under ``/root``, so everything the
code under test imports must be imported before the fork (:func:`warm_up`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

NOBODY = "nobody"


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def user_ids() -> tuple[int, int] | None:
    """``(uid, gid)`` to run as: nobody's when root, ``None`` (stay) otherwise."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(NOBODY)
    except KeyError:
        pytest.skip("running as root, and there is no 'nobody' user to drop to")
    return entry.pw_uid, entry.pw_gid


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A fresh folder the other user can enter and write in (``/tmp``, not the 0700
    ``tmp_path`` of root's pytest), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="catgui-other-user-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):  # give root back what a test made unreadable
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    path.chmod(stat.S_IRWXU)
        shutil.rmtree(folder, ignore_errors=True)


def run_unprivileged(
    work: Callable[[], int], env: dict[str, str], timeout: float = 120.0
) -> tuple[int, str, str]:
    """Run ``work()`` in a forked child without root's privileges; (status, stdout, stderr).

    ``env`` is added to the child's environment. An exception in the child prints its
    traceback on the child's stderr and gives status 99.
    """
    if not can_fork():
        pytest.skip("needs fork() and setuid() (Linux)")
    ids = user_ids()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 99
            try:
                sys.stdout, sys.stderr = out, err
                if ids is not None:
                    os.setgroups([])
                    os.setgid(ids[1])
                    os.setuid(ids[0])
                os.environ.update(env)
                code = work()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001 - reported to the parent on stderr
                traceback.print_exc()
            finally:
                with contextlib.suppress(Exception):
                    out.flush()
                    err.flush()
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail(f"the unprivileged child ran longer than {timeout} s")
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), err.read()


def warm_up(cli_main: Callable[[list[str]], int], argv: list[str]) -> None:
    """Run a command once in this process, so every module it imports is loaded."""
    from PIL import Image

    Image.init()  # Pillow imports its format plugins on first use
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        cli_main(argv)
