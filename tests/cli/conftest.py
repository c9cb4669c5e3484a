"""Shared CLI fixtures: the CLI run in this process, passwords typed through a
stand-in for ``getpass``, and a commune database protected by accounts."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from gocong_desktop import cli
from gocong_desktop.core import logs
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services import accounts
from tests.conftest import Seeded, copy_database, seed
from tests.encrypted import forget_keys

PASSWORD = "mat-khau-1"


@pytest.fixture
def typed(monkeypatch) -> tuple[list[str], list[str]]:
    """(answers to type, prompts seen): ``getpass.getpass`` answers from the list."""
    answers: list[str] = []
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        if not answers:
            raise AssertionError(f"nothing left to type at «{prompt}»")
        return answers.pop(0)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    return answers, prompts


@pytest.fixture
def env(tmp_path: Path, monkeypatch) -> dict[str, str]:
    """Data, state and cache folders of the test's own, for this process and the
    subprocesses started with the returned environment."""
    values = {f"XDG_{k}_HOME": str(tmp_path / "xdg" / k.lower()) for k in ("DATA", "STATE", "CACHE")}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return dict(os.environ, PYTHONIOENCODING="utf-8", **values)


@pytest.fixture(autouse=True)
def _nothing_unlocked() -> Iterator[None]:
    """No test sees keys another test unlocked in this process (copies of one demo
    file share a key id), nor leaves its own behind."""
    forget_keys()
    yield
    forget_keys()


@pytest.fixture
def gc(capsys):
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    def run(*args) -> tuple[int, str, str]:
        with fresh_logging():
            code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@dataclass(frozen=True)
class Ran:
    """A finished command, named as ``subprocess.CompletedProcess`` names it."""
    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def exit_status(stop: SystemExit) -> int:
    """The status a process leaves with on ``SystemExit`` (argparse's usage errors
    exit 2, ``--help`` 0); a message instead of a number is printed, status 1."""
    if stop.code is None or isinstance(stop.code, int):
        return stop.code or 0
    print(stop.code, file=sys.stderr)
    return 1


@contextlib.contextmanager
def fresh_logging() -> Iterator[None]:
    """Logging as a new process finds it: the CLI's log file set up in the current
    folders (XDG_STATE_HOME), and its handler gone afterwards."""
    root = logging.getLogger()
    handlers, level, log_file = list(root.handlers), root.level, logs._log_file
    logs._log_file = None
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
        logs._log_file = log_file


def stdin_getpass(prompt: str = "") -> str:
    """``getpass`` with no terminal: the prompt on stderr, the answer a line of stdin."""
    print(prompt, end="", file=sys.stderr)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


@pytest.fixture
def run(tmp_path_factory, capsys, monkeypatch):
    """``gocong-desktop ARGS`` run in this process as its own process would run it:
    nothing unlocked before or after, ``input`` on stdin, argparse's exits as the
    exit status, logging set up afresh, data and state folders of the test's own
    (outside ``tmp_path``, which tests list)."""
    home = tmp_path_factory.mktemp("cli-home")
    for name in ("DATA", "STATE", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(home / name.lower()))
    monkeypatch.setattr("getpass.getpass", stdin_getpass)

    def run(*args: str | Path, input: str | None = None) -> Ran:
        argv = [str(a) for a in args]
        monkeypatch.setattr("sys.stdin", io.StringIO(input or ""))
        capsys.readouterr()
        forget_keys()
        try:
            with fresh_logging():
                code = cli.main(argv)
        except SystemExit as stop:
            code = exit_status(stop)
        finally:
            forget_keys()
        out, err = capsys.readouterr()
        return Ran(args=argv, returncode=code, stdout=out, stderr=err)
    return run


@pytest.fixture(scope="session")
def _protected_file(tmp_path_factory, _set_up_file: Path) -> tuple[Path, Seeded]:
    """Made once (three Argon2 password hashes are slow): the seeded commune with
    accounts quantri (administrator), canbo (clerk), nguoixem (viewer), closed."""
    path = copy_database(_set_up_file, tmp_path_factory.mktemp("protected") / "xa.db")
    db = open_database(path)
    made = seed(db)
    with db.session() as s:
        accounts.create_first_admin(s, username="quantri", display_name="Nguyễn Văn An",
                                    password=PASSWORD, confirm=PASSWORD)
    db.user = Principal(username="quantri", display_name="Nguyễn Văn An", role=Role.ADMIN)
    with db.session() as s:
        accounts.add_account(s, username="canbo", display_name="Lê Thị Bình", role="clerk",
                             password=PASSWORD, confirm=PASSWORD)
        accounts.add_account(s, username="nguoixem", display_name="Trần Văn Xem", role="viewer",
                             password=PASSWORD, confirm=PASSWORD)
    db.close()
    return path, made


@pytest.fixture
def protected(_protected_file: tuple[Path, Seeded], db_path: Path) -> Path:
    """A commune database of the test's own with accounts — quantri (administrator),
    canbo (clerk), nguoixem (viewer), all with PASSWORD — closed for the CLI."""
    return copy_database(_protected_file[0], db_path)


@pytest.fixture
def protected_seed(_protected_file: tuple[Path, Seeded]) -> Seeded:
    """The ids of ``protected``'s hamlets, groups and households (its ``db`` is closed)."""
    return _protected_file[1]
