"""Shared CLI fixtures: the CLI run in this process, passwords typed through a
stand-in for ``getpass``, and a commune database protected by accounts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gocong_desktop import cli
from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.services import accounts

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


@pytest.fixture
def gc(capsys):
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    def run(*args) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def protected(seeded) -> Path:
    """A commune database with accounts — quantri (administrator), canbo (clerk),
    nguoixem (viewer), all with PASSWORD — closed for the CLI."""
    db = seeded.db
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
    return db.path
