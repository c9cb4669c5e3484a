"""``account recovery-code --out`` and ``--recovery-sheet``: a new code printed once
and its one-page sheet written; a sheet that cannot be written keeps the old code."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from gocong_desktop import cli
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.services import accounts
from tests.cli.conftest import PASSWORD
from tests.conftest import file_digest

NEW_PASSWORD = "mat-khau-moi-2"


def _code(out: str) -> str:
    return next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Mã khôi phục"))


def _sheet_text(path: Path) -> str:
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def _recovers(path: Path, code: str) -> bool:
    db = open_database(path)
    try:
        with db.session() as s:
            accounts.recover_with_code(s, "quantri", code, NEW_PASSWORD, NEW_PASSWORD)
        return True
    except PermissionDeniedError:
        return False
    finally:
        db.close()


def test_a_new_code_is_printed_and_its_sheet_written(gc, typed, protected, tmp_path):
    typed[0].append(PASSWORD)
    sheet = tmp_path / "phiếu khôi phục.pdf"
    code, out, err = gc("account", "recovery-code", "--db", protected, "--user", "quantri", "--out", sheet)
    assert code == 0, err
    new = _code(out)
    assert out.count(new) == 1  # printed once
    assert f"Đã ghi phiếu khôi phục: {sheet}." in out and "xóa tệp" in out
    text = _sheet_text(sheet)
    assert new in text and "Đơn vị: xã Bình Tân" in text and "Tài khoản quản trị: quantri" in text
    assert str(protected.name) in text
    assert _recovers(protected, new)


def test_the_old_code_stops_working(gc, typed, protected, tmp_path):
    typed[0].extend([PASSWORD, PASSWORD])
    first = _code(gc("account", "recovery-code", "--db", protected, "--user", "quantri",
                     "--out", tmp_path / "1.pdf")[1])
    second = _code(gc("account", "recovery-code", "--db", protected, "--user", "quantri", "--account", "QuanTri",
                      "--out", tmp_path / "2.pdf")[1])
    assert first != second
    assert not _recovers(protected, first)
    assert _recovers(protected, second)


def test_a_sheet_that_cannot_be_written_keeps_the_old_code(gc, typed, protected, tmp_path):
    typed[0].append(PASSWORD)
    old = _code(gc("account", "recovery-code", "--db", protected, "--user", "quantri",
                   "--out", tmp_path / "cu.pdf")[1])
    typed[0].append(PASSWORD)
    code, out, err = gc("account", "recovery-code", "--db", protected, "--user", "quantri",
                        "--out", tmp_path / "khong-co" / "moi.pdf")
    assert code == 1 and out == "" and err.count("\n") == 1 and "thư mục không tồn tại" in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["cu.pdf"]
    assert _recovers(protected, old)


@pytest.mark.parametrize("args, message", [
    (("--user", "canbo"), "Chỉ quản trị viên"),
    (("--user", "quantri", "--account", "canbo"), "Chỉ tài khoản quản trị"),
    (("--user", "quantri", "--account", "khongco"), "Không có tài khoản «khongco»"),
])
def test_refusals_write_no_sheet_and_change_nothing(gc, typed, protected, tmp_path, args, message):
    before = file_digest(protected)
    typed[0].append(PASSWORD)
    code, out, err = gc("account", "recovery-code", "--db", protected, *args, "--out", tmp_path / "p.pdf")
    assert code == 1 and out == "" and message in err and err.count("\n") == 1
    assert not (tmp_path / "p.pdf").exists()
    assert file_digest(protected) == before


def test_the_sheet_never_replaces_the_data_file(gc, typed, protected):
    before = file_digest(protected)
    for target in (protected, Path(f"{protected}-wal")):
        typed[0].append(PASSWORD)
        code, out, err = gc("account", "recovery-code", "--db", protected, "--user", "quantri", "--out", target)
        assert code == 1 and "tệp dữ liệu" in err
    assert file_digest(protected) == before and not Path(f"{protected}-wal").exists()


def test_create_admin_and_recover_write_the_sheet_too(gc, typed, db, tmp_path):
    db.close()
    typed[0].extend([PASSWORD, PASSWORD])
    first = tmp_path / "dau-tien.pdf"
    code, out, err = gc("account", "create-admin", "--db", db.path, "--username", "quantri", "--name", "Nguyễn Văn An",
                        "--recovery-sheet", first)
    assert code == 0, err
    recovery = _code(out)
    assert recovery in _sheet_text(first)
    typed[0].extend([recovery, NEW_PASSWORD, NEW_PASSWORD])
    again = tmp_path / "moi.pdf"
    code, out, err = gc("account", "recover", "--db", db.path, "--username", "quantri", "--recovery-sheet", again)
    assert code == 0, err
    fresh = _code(out)
    assert fresh != recovery and fresh in _sheet_text(again)


def test_help_is_vietnamese(capsys):
    with pytest.raises(SystemExit):
        cli.main(["account", "recovery-code", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "tệp PDF của phiếu khôi phục" in text and "mặc định: chính --user" in text
    with pytest.raises(SystemExit):
        cli.main(["account", "create-admin", "--help"])
    assert "--recovery-sheet FILE.pdf" in capsys.readouterr().out
