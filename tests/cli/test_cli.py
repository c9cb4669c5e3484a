"""The command line, run as a user would: ``gocong-desktop ...`` in this process as
its own process would run it (tests/cli/conftest.py ``run``), against real database
files. Exit 0 ok, 1 refused, 2 wrong usage; an expected error is one Vietnamese
line on stderr, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
from tests import app_sqlite as sqlite3
import unicodedata
from pathlib import Path

import pytest

from gocong_desktop import cli
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.demo.accounts import PASSWORD as DEMO_PASSWORD
from gocong_desktop.core.services.unlocking import unlock_with_password

from gocong_desktop.core.db import migrate
from gocong_desktop.core.text import fold
from tests.cli.conftest import Ran, fresh_logging
from tests.conftest import file_digest
from tests.encrypted import forget_keys


def _one_line_error(result: Ran, code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


# --------------------------------------------------------------------------- init, errors


def test_init_then_list(run, tmp_path: Path) -> None:
    db = tmp_path / "Dữ liệu xã" / "bình tân.db"
    result = run("init", "--db", db, "--unit-name", "Bình Tân", "--province", "Tiền Giang")
    assert result.returncode == 0, result.stderr
    assert "xã Bình Tân" in result.stdout
    result = run("list", "hamlets", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    # Initialising the same file again is refused, and the file is left alone.
    digest = file_digest(db)
    line = _one_line_error(run("init", "--db", db, "--unit-name", "Đồng Sơn"))
    assert line.startswith("Lỗi:") and "đã có dữ liệu của xã Bình Tân" in line
    assert file_digest(db) == digest


def test_list_missing_database(run, tmp_path: Path) -> None:
    db = tmp_path / "khong-co.db"
    line = _one_line_error(run("list", "households", "--db", db))
    assert "Không tìm thấy cơ sở dữ liệu" in line
    assert not db.exists()


def test_unknown_kind_is_usage_error(run, tmp_path: Path) -> None:
    result = run("list", "ho-gia-dinh", "--db", tmp_path / "x.db")
    assert result.returncode == 2
    assert "giá trị 'ho-gia-dinh' không hợp lệ" in result.stderr  # argparse, in Vietnamese
    assert "Traceback" not in result.stderr


def test_newer_database_refused_untouched(run, tmp_path: Path) -> None:
    from gocong_desktop.core.db.engine import open_database

    db = tmp_path / "moi-hon.db"
    open_database(db, create=True).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version={int(migrate.head_revision()) + 1}")
    con.close()
    digest = file_digest(db)
    line = _one_line_error(run("list", "hamlets", "--db", db, "--json"))
    assert "mới hơn" in line and "cập nhật" in line
    assert file_digest(db) == digest
    assert not [p for p in tmp_path.iterdir() if "truoc-nang-cap" in p.name]


# --------------------------------------------------------------------------- demo data


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """Made once for the module by ``gocong-desktop demo``, run in this process with
    folders of its own (``run`` is per test)."""
    home = tmp_path_factory.mktemp("home")
    db = tmp_path_factory.mktemp("demo") / "Gò Công Tây" / "xã mẫu.db"
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(err), fresh_logging():
        for name in ("DATA", "STATE", "CACHE"):
            patch.setenv(f"XDG_{name}_HOME", str(home / name.lower()))
        code = cli.main(["demo", "--db", str(db), "--households", "300", "--seed", "1"])
    forget_keys()  # as after the process that made it
    assert code == 0, err.getvalue()
    assert db.is_file()
    return db


def _as_viewer(db: Path) -> dict:
    """An encrypted (demo) file opens only with a password: the demo's viewer signs in."""
    if not is_encrypted(db):
        return {"args": (), "input": None}
    return {"args": ("--user", "xem", "--password-stdin"), "input": DEMO_PASSWORD + "\n"}


def _list(run, db: Path, kind: str, *extra: str) -> list[dict]:
    viewer = _as_viewer(db)
    result = run("list", kind, "--db", db, "--json", *extra, *viewer["args"], input=viewer["input"])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_demo_search_households(run, demo_db: Path) -> None:
    everyone = _list(run, demo_db, "households")
    assert len(everyone) >= 250  # 300 made; a few may have moved out
    assert all(unicodedata.is_normalized("NFC", r["head_name"]) for r in everyone)

    def matches(row: dict, phrase: str) -> bool:
        """The phrase starts at a word of the name, the address or the phone."""
        return any(f" {phrase}" in f" {fold(str(row.get(k) or ''))}"
                   for k in ("head_name", "address", "phone"))

    found = _list(run, demo_db, "households", "--search", "nguyen van")
    assert found, "the demo should have some Nguyễn Văn"
    for row in found:
        assert matches(row, "nguyen van")
        assert unicodedata.is_normalized("NFC", row["head_name"])
    # Independently: every listed household that matches, people named so first.
    expected = {r["id"] for r in everyone if matches(r, "nguyen van")}
    ids = [r["id"] for r in found]
    assert set(ids) == expected
    named = [r["head_name"].startswith("Nguyễn Văn") for r in found]
    assert named == sorted(named, reverse=True)

    for typed in (unicodedata.normalize("NFD", "Nguyễn Văn"), "NGUYỄN VĂN"):
        assert [r["id"] for r in _list(run, demo_db, "households", "--search", typed)] == ids


@pytest.mark.parametrize("kind", ["hamlets", "groups", "meetings", "pledges", "models", "evaluations"])
def test_demo_lists(run, demo_db: Path, kind: str) -> None:
    rows = _list(run, demo_db, kind)
    assert isinstance(rows, list) and rows, f"demo data has no {kind}"
    assert all(isinstance(r, dict) and r.get("id") for r in rows)
    viewer = _as_viewer(demo_db)
    text = run("list", kind, "--db", demo_db, *viewer["args"], input=viewer["input"]) if kind == "groups" else None
    if text is not None:  # the readable table too: a header and a row count
        assert text.returncode == 0, text.stderr
        assert text.stdout.splitlines()[0].startswith("Tổ")
        assert text.stdout.rstrip().endswith(f"({len(rows)} dòng)")


def test_init_with_hamlets_is_all_or_nothing(run, tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    result = run("init", "--db", db, "--unit-name", "Bình Tân", "--hamlet", "Lợi An",
                 "--hamlet", "ấp Thuận Trị", "--hamlet", "loi an")
    assert result.returncode == 0, result.stderr
    assert "trùng" in result.stdout
    assert [h["name"] for h in _list(run, db, "hamlets")] == ["Lợi An", "Thuận Trị"]
    bad = tmp_path / "bad.db"
    result = run("init", "--db", bad, "--unit-name", "Bình Tân", "--hamlet", "x" * 300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not bad.exists()  # nothing half-made is left behind


def test_demo_for_another_commune(run, tmp_path: Path) -> None:
    """Several distinct demo communes (a province's benchmark): name and code given."""
    path = tmp_path / "dong-son.db"
    result = run("demo", "--db", path, "--households", "100", "--name", "Đồng Sơn", "--code", "28123")
    assert result.returncode == 0, result.stderr
    unlock_with_password(path, "quantri", DEMO_PASSWORD)  # made by another process: unlock it here
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT a.name, a.code FROM office o JOIN admin_unit a ON a.id = o.unit_id").fetchone() \
            == ("Đồng Sơn", "28123")
    finally:
        con.close()
    bad = run("demo", "--db", tmp_path / "x.db", "--households", "100", "--name", "Xã\x1b[31m")
    assert bad.returncode == 1 and not (tmp_path / "x.db").exists()
