"""The command line on an encrypted database: nothing without a password, and the
commands that encrypt a previous version's file and restore encrypted backups."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gocong_desktop.core.storage.backup_file import is_backup_file
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.demo.accounts import PASSWORD
from tests.conftest import copy_database, file_digest
from tests.encrypted import forget_keys


@pytest.fixture
def cli(gc, env, monkeypatch):
    """Each command as its own process would run it: nothing unlocked, stdin given."""
    def run(*args, stdin: str = "") -> tuple[int, str, str]:
        forget_keys()
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return gc(*args)
    return run


@pytest.fixture
def encrypted(demo_files, tmp_path) -> Path:
    return copy_database(demo_files["encrypted"], tmp_path / "mau.db")


@pytest.fixture
def plain(demo_files, tmp_path) -> Path:
    return copy_database(demo_files["plain"], tmp_path / "cu.db")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", [("list", "households", "--json"), ("check",), ("backup", "--out", "{tmp}"),
                                     ("account", "list"), ("report", "--period", "2026", "--out", "{tmp}/x.pdf")])
def test_nothing_is_handed_out_without_a_password(cli, encrypted: Path, tmp_path: Path, command) -> None:
    args = [a.replace("{tmp}", str(tmp_path / "ra")) for a in command]
    (tmp_path / "ra").mkdir()
    code, out, err = cli(*args, "--db", encrypted)
    assert code == 1 and out == ""
    assert "mã hóa" in one_line(err) and "--user" in err
    assert list((tmp_path / "ra").iterdir()) == []


def test_a_wrong_password_is_one_line_and_writes_nothing(cli, encrypted: Path) -> None:
    digest = file_digest(encrypted)
    code, out, err = cli("list", "households", "--db", encrypted, "--user", "xem", "--password-stdin",
                         stdin="sai-mat-khau\n")
    assert code == 1 and out == "" and "không đúng" in one_line(err)
    assert file_digest(encrypted) == digest


def test_with_a_password_the_commands_work_and_a_backup_stays_encrypted(cli, encrypted: Path,
                                                                         tmp_path: Path) -> None:
    code, out, _ = cli("list", "households", "--db", encrypted, "--json", "--user", "xem", "--password-stdin",
                       stdin=f"{PASSWORD}\n")
    assert code == 0 and out.startswith("[")
    assert cli("check", "--db", encrypted, "--user", "xem", "--password-stdin", stdin=f"{PASSWORD}\n")[0] == 0
    code, out, err = cli("backup", "--db", encrypted, "--out", tmp_path, "--user", "xem", "--password-stdin",
                         stdin=f"{PASSWORD}\n")
    assert code == 0, err
    (copy,) = tmp_path.glob("*.gcbak")
    assert is_backup_file(copy) and b"quantri" not in copy.read_bytes().split(b"\n}", 1)[1]


def test_encrypt_a_previous_versions_file_then_reset_the_others_passwords(cli, plain: Path,
                                                                          tmp_path: Path) -> None:
    sheet = tmp_path / "phieu.pdf"
    code, out, err = cli("encrypt", "--db", plain, "--user", "quantri", "--password-stdin",
                         "--recovery-sheet", sheet, stdin=f"{PASSWORD}\n")
    assert code == 0, err
    assert is_encrypted(plain) and sheet.is_file() and "Mã khôi phục mới" in out
    assert "canbo" in out and "xem" in out  # they need a new password
    code, out, _ = cli("account", "list", "--db", plain, "--user", "quantri", "--password-stdin",
                       stdin=f"{PASSWORD}\n")
    assert code == 0 and "cần đặt lại mật khẩu" in out
    assert cli("list", "hamlets", "--db", plain, "--user", "canbo", "--password-stdin",
               stdin=f"{PASSWORD}\n")[0] == 1
    code, _, err = cli("account", "reset-password", "--db", plain, "--user", "quantri", "--username", "canbo",
                       "--password-stdin", stdin=f"{PASSWORD}\nmat-khau-moi-canbo\n")
    assert code == 0, err
    assert cli("list", "hamlets", "--db", plain, "--user", "canbo", "--password-stdin",
               stdin="mat-khau-moi-canbo\n")[0] == 0
    code, _, err = cli("encrypt", "--db", plain, "--user", "quantri", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert code == 1 and "đã được mã hóa" in one_line(err)


def test_restore_asks_a_password_valid_in_the_backup(cli, encrypted: Path, tmp_path: Path) -> None:
    assert cli("backup", "--db", encrypted, "--out", tmp_path, "--user", "quantri", "--password-stdin",
               stdin=f"{PASSWORD}\n")[0] == 0
    (copy,) = tmp_path.glob("*.gcbak")
    assert cli("account", "passwd", "--db", encrypted, "--user", "quantri", "--password-stdin",
               stdin=f"{PASSWORD}\nmat-khau-sau-sao-luu\n")[0] == 0
    digest = file_digest(encrypted)
    code, _, err = cli("restore", copy, "--db", encrypted, "--user", "quantri", "--password-stdin",
                       stdin="mat-khau-sau-sao-luu\nmat-khau-sau-sao-luu\n")  # today's: not valid in the backup
    assert code == 1 and "bản sao lưu" in one_line(err)
    assert file_digest(encrypted) == digest
    code, _, err = cli("restore", copy, "--db", encrypted, "--user", "quantri", "--password-stdin",
                       stdin=f"mat-khau-sau-sao-luu\n{PASSWORD}\n")
    assert code == 0, err
    code, _, err = cli("list", "hamlets", "--db", encrypted, "--user", "quantri", "--password-stdin",
                       stdin=f"{PASSWORD}\n")
    assert code == 0, err  # the password of the backup's day opens it again


def test_recover_with_the_code_on_an_encrypted_file(cli, encrypted: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "phieu.pdf"
    code, out, err = cli("account", "recovery-code", "--db", encrypted, "--user", "quantri", "--out", sheet,
                         "--password-stdin", stdin=f"{PASSWORD}\n")
    assert code == 0, err
    recovery = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Mã khôi phục"))
    code, out, err = cli("account", "recover", "--db", encrypted, "--username", "quantri", "--password-stdin",
                         stdin=f"{recovery}\nmat-khau-quan-tri-moi\n")
    assert code == 0, err
    assert cli("list", "hamlets", "--db", encrypted, "--user", "quantri", "--password-stdin",
               stdin="mat-khau-quan-tri-moi\n")[0] == 0


def test_init_then_the_first_administrator_encrypts_the_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "xa.db"
    assert cli("init", "--db", path, "--unit-name", "Bình Tân")[0] == 0
    assert not is_encrypted(path)  # no password yet to wrap its key with
    code, out, err = cli("account", "create-admin", "--db", path, "--username", "quantri", "--name", "Nguyễn Văn An",
                         "--password-stdin", stdin="mat-khau-quan-tri\n")
    assert code == 0, err
    assert is_encrypted(path) and "mã hóa" in out and "Mã khôi phục: " in out
    assert cli("list", "hamlets", "--db", path)[0] == 1
    assert cli("list", "hamlets", "--db", path, "--user", "quantri", "--password-stdin",
               stdin="mat-khau-quan-tri\n")[0] == 0


@pytest.fixture(scope="module")
def binh_nhi_file(tmp_path_factory) -> Path:
    """Another commune's encrypted demo file (its accounts have the demo's passwords too)."""
    from gocong_desktop.core.demo import generate_demo

    path = tmp_path_factory.mktemp("binh-nhi") / "binh-nhi.db"
    generate_demo(path, households=100, unit_name="Bình Nhì", unit_code="28516", seed=7)
    return path


def _backup(cli, database: Path, out: Path) -> Path:
    code, _, err = cli("backup", "--db", database, "--out", out, "--user", "quantri", "--password-stdin",
                       stdin=f"{PASSWORD}\n")
    assert code == 0, err
    return out


def _restore_refused(cli, database: Path, backup: Path) -> str:
    digest = file_digest(database)
    code, out, err = cli("restore", backup, "--db", database, "--user", "quantri", "--password-stdin",
                         stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 1 and out == "" and file_digest(database) == digest
    return one_line(err)


def test_another_offices_backup_is_named_as_chosen(cli, encrypted: Path, binh_nhi_file: Path,
                                                   tmp_path: Path) -> None:
    """Not by the temporary file its database is read from: in the CLI, and in the window,
    which asks ``check_restore`` first (its ``reason`` is what the confirmation box shows)."""
    from gocong_desktop.core.maintenance.restore import check_restore
    from gocong_desktop.core.maintenance.restore_checks import OtherOfficeBackup
    from gocong_desktop.core.services.unlocking import unlock_with_password

    other_file = copy_database(binh_nhi_file, tmp_path / "binh-nhi.db")
    other = _backup(cli, other_file, tmp_path / "B.gcbak")
    message = _restore_refused(cli, encrypted, other)
    assert "Bản sao lưu «B.gcbak» là dữ liệu của xã Bình Nhì, không phải của xã Bình Tân" in message
    assert "du-lieu.db" not in message
    for path in (encrypted, other_file):  # as the window has them: both unlocked by their passwords
        unlock_with_password(path, "quantri", PASSWORD)
    with pytest.raises(OtherOfficeBackup) as asked:
        check_restore(encrypted, other)
    assert asked.value.reason.startswith("Bản sao lưu «B.gcbak» là dữ liệu của xã Bình Nhì")
    forget_keys()


def test_a_damaged_backup_is_explained_in_vietnamese(cli, encrypted: Path, binh_nhi_file: Path,
                                                     tmp_path: Path) -> None:
    """SQLite's English ("database disk image is malformed", "file is not a database") stays out."""
    own = _backup(cli, encrypted, tmp_path / "own.gcbak").read_bytes()
    other = _backup(cli, copy_database(binh_nhi_file, tmp_path / "binh-nhi.db"), tmp_path / "B.gcbak").read_bytes()
    cut = tmp_path / "cat-ngan.gcbak"
    cut.write_bytes(own[:len(own) // 2])
    header, other_header = (20 + int.from_bytes(data[16:20], "big") for data in (own, other))
    spliced = tmp_path / "ghep.gcbak"  # this office's slots in front of another office's database
    spliced.write_bytes(own[:header] + other[other_header:])
    for backup in (cut, spliced):
        message = _restore_refused(cli, encrypted, backup)
        assert f"Bản sao lưu «{backup.name}» bị hỏng" in message and "database" not in message.lower()
