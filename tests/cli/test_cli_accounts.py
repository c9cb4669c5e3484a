"""``--user`` on every command, and ``gocong-desktop account …``: real SQLite files,
the CLI run in this process, passwords typed through a stand-in for ``getpass``."""

from __future__ import annotations

import io
from tests import app_sqlite as sqlite3
from pathlib import Path

import pytest

from gocong_desktop import cli
from gocong_desktop.core.services import accounts
from gocong_desktop.core.storage.backup import all_backups
from tests.cli.conftest import PASSWORD
from tests.conftest import file_digest

NEW_PASSWORD = "mat-khau-moi-2"


def _audit_actors(path: Path, action: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT actor FROM audit_log WHERE action = ?", (action,))]
    finally:
        con.close()


def test_a_clerk_signed_in_writes_and_the_audit_log_names_them(gc, typed, protected, tmp_path):
    answers, prompts = typed
    answers.append(PASSWORD)
    code, out, err = gc("export", "--db", protected, "--user", "canbo", "--out", tmp_path)
    assert code == 0, err
    assert Path(out.strip()).is_file()
    assert prompts == ["Mật khẩu của canbo: "]
    assert _audit_actors(protected, "export") == ["canbo"]


def test_password_from_stdin_for_scripts(gc, typed, protected, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    code, out, err = gc("export", "--db", protected, "--user", "CanBo", "--password-stdin", "--out", tmp_path)
    assert code == 0, err
    assert typed[1] == []  # nothing asked on the terminal
    assert _audit_actors(protected, "export") == ["canbo"]


def test_a_wrong_password_is_refused_and_the_file_left_untouched(gc, typed, protected, tmp_path):
    before = file_digest(protected)
    usb = tmp_path / "USB"
    usb.mkdir()
    typed[0].append("sai-mat-khau")
    code, out, err = gc("export", "--db", protected, "--user", "canbo", "--out", usb)
    assert code == 1 and out == ""
    assert err == f"Lỗi: {accounts.WRONG_PASSWORD}\n"
    assert file_digest(protected) == before
    assert list(usb.iterdir()) == []
    # An unknown name gets the very same line.
    typed[0].append(PASSWORD)
    assert gc("list", "households", "--db", protected, "--user", "khongco")[2] == err
    assert file_digest(protected) == before


def test_without_user_reads_work_and_writes_are_refused(gc, typed, protected, tmp_path):
    code, out, err = gc("list", "households", "--db", protected)
    assert code == 0 and "Nguyễn Văn Ba" in out and "(7 dòng)" in out
    before = file_digest(protected)
    code, out, err = gc("export", "--db", protected, "--out", tmp_path)
    assert code == 1 and "đăng nhập" in err and "--user" in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert file_digest(protected) == before
    assert typed[1] == []  # the system is never asked for a password


def test_a_viewer_reads_but_gets_the_viewer_refusal_for_writes(gc, typed, protected, tmp_path):
    typed[0].extend([PASSWORD, PASSWORD])
    code, out, err = gc("list", "households", "--db", protected, "--user", "nguoixem")
    assert code == 0 and "Nguyễn Văn Ba" in out
    code, out, err = gc("export", "--db", protected, "--user", "nguoixem", "--out", tmp_path)
    assert code == 1 and "chỉ được xem và in" in err
    assert _audit_actors(protected, "export") == []


def test_first_admin_recovery_code_is_accepted_by_recover(gc, typed, db, tmp_path):
    db.close()
    answers, prompts = typed
    answers.extend([PASSWORD, PASSWORD])
    code, out, err = gc("account", "create-admin", "--db", db.path, "--username", "QuanTri",
                        "--name", "Nguyễn Văn An")
    assert code == 0, err
    lines = out.splitlines()
    recovery = next(line.split(": ", 1)[1] for line in lines if line.startswith("Mã khôi phục: "))
    assert len(recovery) == 24 and recovery.count("-") == 4
    assert any("chép mã khôi phục" in line and "cất giữ cẩn thận" in line for line in lines)

    code, out, err = gc("account", "create-admin", "--db", db.path, "--username", "khac", "--name", "Khác")
    assert code == 1 and "đã có tài khoản" in err  # refused before any password is asked

    answers.extend([recovery.lower(), NEW_PASSWORD, NEW_PASSWORD])
    code, out, err = gc("account", "recover", "--db", db.path, "--username", "quantri")
    assert code == 0, err
    fresh = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Mã khôi phục mới: "))
    assert fresh != recovery
    answers.append(NEW_PASSWORD)
    code, out, err = gc("account", "list", "--db", db.path, "--user", "quantri")
    assert code == 0 and "quantri" in out and "Quản trị viên" in out and "đang dùng" in out
    answers.extend([recovery, NEW_PASSWORD, NEW_PASSWORD])  # the old code is used up
    code, out, err = gc("account", "recover", "--db", db.path, "--username", "quantri")
    assert code == 1 and "mã khôi phục không đúng" in err
    assert answers == []


def test_admin_adds_an_account_who_changes_their_password(gc, typed, protected):
    answers, prompts = typed
    answers.extend([PASSWORD, "mat-khau-tu", "mat-khau-tu"])
    code, out, err = gc("account", "add", "--db", protected, "--user", "quantri", "--username", "tu.le",
                        "--name", "Lê Văn Tư", "--role", "clerk")
    assert code == 0, err
    assert prompts[1:] == ["Mật khẩu cho tài khoản mới «tu.le»: ", "Nhập lại mật khẩu mới: "]
    answers.append(PASSWORD)
    code, out, err = gc("account", "list", "--db", protected, "--user", "quantri")
    assert code == 0 and "tu.le" in out and "Lê Văn Tư" in out and "Cán bộ nhập liệu" in out
    assert "(4 tài khoản)" in out
    # Not an administrator, or nobody: refused.
    answers.extend([PASSWORD])
    assert "Chỉ quản trị viên" in gc("account", "list", "--db", protected, "--user", "canbo")[2]
    code, out, err = gc("account", "list", "--db", protected)
    assert code == 1 and "--user" in err
    # Their own password: the old once, the new twice.
    answers.extend(["mat-khau-tu", NEW_PASSWORD, NEW_PASSWORD])
    assert gc("account", "passwd", "--db", protected, "--user", "tu.le")[0] == 0
    answers.extend(["mat-khau-tu"])
    assert gc("list", "hamlets", "--db", protected, "--user", "tu.le")[0] == 1
    answers.extend([NEW_PASSWORD])
    assert gc("list", "hamlets", "--db", protected, "--user", "tu.le")[0] == 0
    assert answers == []


def test_add_from_stdin(gc, typed, protected, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\nmat-khau-xem\n"))
    code, out, err = gc("account", "add", "--db", protected, "--user", "quantri", "--password-stdin",
                        "--username", "xem2", "--name", "Người Xem", "--role", "viewer")
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-xem\n"))
    assert gc("list", "hamlets", "--db", protected, "--user", "xem2", "--password-stdin")[0] == 0
    assert typed[1] == []


def test_restore_needs_an_administrator_when_accounts_exist(gc, typed, protected, tmp_path):
    copy = tmp_path / "sao-luu.db"
    assert gc("backup", "--db", protected, "--out", copy)[0] == 0  # reading needs no one
    before = file_digest(protected)
    code, out, err = gc("restore", "--db", protected, copy)
    assert code == 1 and "quản trị viên" in err and "--user" in err
    typed[0].append(PASSWORD)
    code, out, err = gc("restore", "--db", protected, "--user", "canbo", copy)
    assert code == 1 and "Chỉ quản trị viên mới được khôi phục" in err
    typed[0].append("sai-mat-khau")
    code, out, err = gc("restore", "--db", protected, "--user", "quantri", copy)
    assert code == 1 and accounts.WRONG_PASSWORD in err
    assert file_digest(protected) == before
    assert [p.name for p in tmp_path.iterdir() if "truoc-khoi-phuc" in p.name] == []
    typed[0].append(PASSWORD)
    code, out, err = gc("restore", "--db", protected, "--user", "quantri", copy)
    assert code == 0, err
    assert "Đã khôi phục" in out


def test_a_file_whose_accounts_are_all_disabled_stays_protected(gc, protected, tmp_path):
    """The CLI's check before a restore follows ``has_accounts`` (any account, even a
    disabled one), as opening the file does: without ``--user`` it is read only."""
    copy = tmp_path / "sao-luu.db"
    assert gc("backup", "--db", protected, "--out", copy)[0] == 0
    con = sqlite3.connect(protected)
    con.execute("UPDATE account SET active = 0")
    con.commit()
    con.close()
    before = file_digest(protected)
    code, _, err = gc("restore", "--db", protected, copy)
    assert code == 1 and "tài khoản bảo vệ" in err and "--user" in err
    assert file_digest(protected) == before


def test_demo_force_overwrites_only_demo_files_and_checks_first(gc, protected: Path, tmp_path: Path) -> None:
    before = file_digest(protected)
    code, _, err = gc("demo", "--db", protected, "--force", "--households", "100")
    assert code == 1 and "không phải dữ liệu mẫu" in err
    code, _, err = gc("demo", "--db", protected, "--force", "--households", "5")
    assert code == 1 and "Số hộ mẫu phải từ 100" in err
    assert file_digest(protected) == before  # real data untouched either way
    demo = tmp_path / "mẫu.db"
    assert gc("demo", "--db", demo, "--households", "100")[0] == 0
    code, out, _ = gc("demo", "--db", demo, "--force", "--households", "100", "--seed", "2")
    assert code == 0 and "Đã tạo dữ liệu mẫu" in out


def test_a_report_never_overwrites_the_database(gc, protected: Path, protected_seed) -> None:
    before = file_digest(protected)
    code, _, err = gc("minutes", "--db", protected, "--group", protected_seed.group_a1, "--blank", "--out", protected)
    assert code == 1 and "cơ sở dữ liệu" in err
    assert file_digest(protected) == before


def test_an_empty_file_is_refused_untouched_by_commands(gc, tmp_path: Path) -> None:
    empty = tmp_path / "trống.db"
    empty.touch()
    code, _, err = gc("list", "households", "--db", empty)
    assert code == 1 and "trống" in err and empty.stat().st_size == 0


def test_a_refused_import_leaves_no_backup_copy(gc, protected: Path, tmp_path: Path) -> None:
    package = tmp_path / "gói.gcsync"
    package.write_bytes(b"PK not really")
    code, _, err = gc("import", package, "--db", protected)  # nobody signed in: refused first
    assert code == 1 and "đăng nhập" in err
    assert not list(protected.parent.glob("*truoc-nhap-goi*"))
    assert all_backups(protected) == []  # nor in the backup folder, where imports back up now


def test_usage_errors_are_in_vietnamese(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["list", "không-có"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "lỗi: tham số KIND: giá trị 'không-có' không hợp lệ" in err and err.startswith("cách dùng:")


def test_a_year_typed_wrong_is_refused_not_taken_as_this_year(gc, protected: Path) -> None:
    code, _, err = gc("list", "pledges", "--year", "0", "--db", protected)
    assert code == 1 and "Năm phải từ 2000 đến 2100" in err


def test_blank_minutes_take_the_group_number_as_pledges_do(gc, protected: Path, tmp_path: Path) -> None:
    out = tmp_path / "mẫu trống.pdf"
    code, output, _ = gc("minutes", "--db", protected, "--group", "1", "--blank", "--out", out)
    assert code == 0 and "Tổ NDTQ số 1" in output and out.read_bytes().startswith(b"%PDF")


def test_export_to_a_file_instead_of_a_folder_says_so(gc, protected: Path, tmp_path: Path, typed) -> None:
    answers, _ = typed
    answers.append(PASSWORD)
    a_file = tmp_path / "không phải thư mục.txt"
    a_file.write_text("x")
    code, _, err = gc("export", "--db", protected, "--out", a_file, "--user", "canbo")
    assert code == 1 and "là một tệp, không phải thư mục" in err


def test_init_with_an_administrator_encrypts_the_new_file(run, tmp_path: Path) -> None:
    """``init --admin`` (made for a server's database) on a file: set up as the wizard
    does, encrypted from its first byte, the recovery code printed once."""
    from gocong_desktop.core.sqlite.cipher import is_encrypted

    path = tmp_path / "xa.db"
    done = run("init", "--db", path, "--unit-name", "Bình Tân", "--admin", "quantri", "--password-stdin",
               input=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "Mã khôi phục mới: " in done.stdout and PASSWORD not in done.stdout
    assert is_encrypted(path)
    assert run("list", "hamlets", "--db", path, "--user", "quantri", "--password-stdin",
               input=PASSWORD + "\n").returncode == 0
