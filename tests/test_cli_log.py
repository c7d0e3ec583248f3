"""The command line's failures go to the one log file; the log never follows a planted
link nor waits on a named pipe."""

from __future__ import annotations

import os

import pytest

from catgui import cli
from catgui.commands import predict
from catgui.core import log_file


def test_a_failed_command_is_written_to_the_log_with_its_message(tmp_path, capsys):
    missing = tmp_path / "nowhere.npz"
    assert cli.main(["predict", str(missing), str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "catgui: error:" in err and "nowhere.npz" in err
    text = log_file.log_path().read_text(encoding="utf-8")
    assert f"catgui predict {missing} {tmp_path} failed" in text
    assert "nowhere.npz" in text and "Traceback" not in text
    assert log_file.current_file() is None  # the file was closed again


def test_an_unexpected_error_gives_one_sentence_and_its_traceback_goes_to_the_log(
    tmp_path, monkeypatch, capsys
):
    def broken(args):
        raise RuntimeError("a bug in predict")

    monkeypatch.setattr(predict, "run", broken)
    assert cli.main(["predict", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    path = log_file.log_path()
    assert err.strip() == (
        "catgui: unexpected error: RuntimeError: a bug in predict; "
        f"the details were written to the log ({path})"
    )
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "in broken" in text and "a bug in predict" in text


def test_a_link_planted_at_the_log_name_is_never_appended_to(tmp_path, monkeypatch, capsys):
    outside = tmp_path / "someone-elses-file"
    outside.write_text("precious\n")
    log = log_file.log_path()
    log.parent.mkdir(parents=True)
    log.symlink_to(outside)
    with pytest.raises(OSError):
        log_file.configure()
    assert log_file.current_file() is None

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(predict, "run", broken)
    assert cli.main(["predict", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "the details were written to the error output" in err
    assert "Traceback" in err  # where the log cannot be, the details still reach the user
    assert outside.read_text() == "precious\n"
    assert log.is_symlink()


def test_a_named_pipe_at_the_log_name_is_refused_without_waiting():
    log = log_file.log_path()
    log.parent.mkdir(parents=True)
    os.mkfifo(log)
    with pytest.raises(OSError):
        log_file.configure()  # no reader: ENXIO at once, never a hang
    assert log_file.current_file() is None
