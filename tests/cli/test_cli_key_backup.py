"""``keys export-backup | import-backup | rotate`` and ``init --key-backup``:
an administrator's account password line first on stdin, then the passphrase."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from gocong_desktop import cli
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.sync.crypto import fingerprint
from gocong_desktop.core.sync.escrow import EXTENSION, KEEP_SAFE
from tests.cli.conftest import PASSWORD
from tests.conftest import file_digest
from tests.core.sync.conftest import make_upper_office
from tests.core.sync.forge_keys import audit_entries

PASSPHRASE = "cây đa đầu làng năm ấy"


@pytest.fixture
def run(capsys, monkeypatch):
    """The CLI in this process with ``stdin`` lines: (exit code, stdout, stderr)."""
    def run(stdin: list[str], *args) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in stdin)))
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def _as(user: str) -> list[str]:
    return ["--user", user, "--password-stdin"]


def _fingerprint(path: Path) -> str | None:
    """The office's signing key fingerprint, read without signing in (None before keys exist)."""
    with sqlite3.connect(path) as con:
        row = con.execute("SELECT public_key FROM sync_key WHERE purpose = 'signing'").fetchone()
    return row and fingerprint(row[0])


def test_backup_rotate_and_restore(run, protected: Path, tmp_path: Path) -> None:
    usb = tmp_path / "USB"
    usb.mkdir()
    code, out, err = run([PASSWORD, PASSPHRASE], "keys", "export-backup", "--db", protected, "--out", usb,
                         *_as("quantri"))
    assert code == 0, err
    first = _fingerprint(protected)
    key_file = Path(out.removeprefix("Đã ghi tệp khóa dự phòng: ").strip())
    assert key_file.parent == usb and key_file.name.endswith(EXTENSION) and err.strip() == KEEP_SAFE
    code, out, err = run([PASSWORD], "keys", "rotate", "--db", protected, "--card", usb, *_as("quantri"))
    second = _fingerprint(protected)
    assert code == 0, err
    assert f"Dấu vân tay cũ: {first}" in out and f"Dấu vân tay mới: {second}" in out and second != first
    assert "Đã ghi tệp khóa mới: " in out and len(list(usb.glob("*.gckey"))) == 1
    before, digest = file_digest(protected), file_digest(key_file)
    code, out, err = run([PASSWORD, "sai cụm mật khẩu rồi"], "keys", "import-backup", "--db", protected, key_file,
                         *_as("quantri"))
    assert code == 1 and out == "" and err.count("\n") == 1 and "Cụm mật khẩu không đúng" in err
    assert file_digest(protected) == before and file_digest(key_file) == digest
    code, out, err = run([PASSWORD, PASSPHRASE], "keys", "import-backup", "--db", protected, key_file,
                         *_as("quantri"))
    assert code == 0, err
    assert f"Khóa đã khôi phục: {first}" in out and _fingerprint(protected) == first
    assert [(a, who) for a, who, *_ in audit_entries(protected, "key_backup_export", "key_rotate",
                                                     "key_backup_import")] == [
        ("key_backup_export", "quantri"), ("key_rotate", "quantri"), ("key_backup_import", "quantri")]


@pytest.mark.parametrize("action", [["export-backup", "--out", "."], ["import-backup", "x.gckhoa-du-phong"],
                                    ["rotate"]])
def test_only_an_administrator_before_any_passphrase(run, protected: Path, action: list[str]) -> None:
    before = file_digest(protected)
    code, out, err = run([PASSWORD], "keys", action[0], "--db", protected, *action[1:], *_as("canbo"))
    assert code == 1 and out == "" and err.count("\n") == 1 and "Chỉ quản trị viên" in err  # no passphrase asked
    code, out, err = run([], "keys", action[0], "--db", protected, *action[1:])
    assert code == 1 and "--user" in err and err.count("\n") == 1
    assert file_digest(protected) == before


def test_init_from_a_key_backup_sets_the_same_unit_up_again(run, tmp_path: Path) -> None:
    old = make_upper_office(tmp_path / "may-cu" / "huyen.db")
    code, out, err = run([PASSPHRASE], "keys", "export-backup", "--db", old, "--out", tmp_path, "--password-stdin")
    assert code == 0, err
    made = _fingerprint(old)
    key_file = Path(out.removeprefix("Đã ghi tệp khóa dự phòng: ").strip())
    new = tmp_path / "may-moi" / "huyen.db"
    code, out, err = run(["không phải cụm này"], "init", "--db", new, "--key-backup", key_file, "--password-stdin")
    assert code == 1 and "Cụm mật khẩu không đúng" in err and err.count("\n") == 1 and not new.exists()
    code, out, err = run([PASSPHRASE], "init", "--db", new, "--key-backup", key_file, "--password-stdin")
    assert code == 0, err
    assert "Công an huyện Gò Công Tây" in out
    assert _fingerprint(new) == made
    with sqlite3.connect(old) as a, sqlite3.connect(new) as b:
        assert a.execute("SELECT unit_id FROM office").fetchone() == b.execute("SELECT unit_id FROM office").fetchone()
    database = open_database(new)
    try:
        with database.session() as s:
            assert get_office(s).province_name == "Tiền Giang"
    finally:
        database.close()


def test_init_needs_a_unit_name_or_a_key_backup(run, capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as usage:
        run([], "init", "--db", tmp_path / "a.db")
    assert usage.value.code == 2 and "cần --unit-name (hoặc --key-backup" in capsys.readouterr().err
    code, out, err = run([], "init", "--db", tmp_path / "b.db", "--key-backup", tmp_path / "x", "--unit-name", "A")
    assert code == 1 and "--unit-name" in err and err.count("\n") == 1 and not (tmp_path / "b.db").exists()
