"""``gocong-desktop check | backup --db postgresql://…`` (issue 19): the rules run on
the server's database, a planted bad row is reported as on a file; the backup is a
pg_dump file named like the file backups."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
from tests.pg_server import PASSWORD as SERVER_PASSWORD

pytestmark = pytest.mark.pg

ADMIN_PASSWORD = "Mat-khau-quan-tri-9"
SETUP = OfficeSetup(role="upper", unit_type="cơ quan", unit_name="Công an tỉnh Tiền Giang", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Quản trị tỉnh", password=ADMIN_PASSWORD))


def test_check_passes_then_reports_a_planted_account(run, pg_url):
    done = run("check", "--db", pg_url)
    assert done.returncode == 0 and "Không phát hiện vấn đề nào" in done.stdout, done.stderr
    engine = create_engine(parse_server_url(pg_url).url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO account (id, username, display_name, role, password_hash, active, created_at, "
                          "updated_at) VALUES ('a1', 'xem', 'Xem', 'boss', 'x', true, now(), now())"))
    engine.dispose()
    done = run("check", "--db", pg_url)
    assert done.returncode == 1 and "Phát hiện 2 vấn đề" in done.stdout
    assert "Tài khoản «xem» có vai trò không hợp lệ «boss»." in done.stdout
    assert SERVER_PASSWORD not in done.stdout


def test_check_of_an_unreachable_server_is_one_line(run, tmp_path):
    done = run("check", "--db", f"postgresql://gocong@/gocong?host={tmp_path}&port=5999")
    assert done.returncode == 1 and "Không kết nối được" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_backup_writes_a_checked_dump_into_the_folder(run, pg_url, tmp_path):
    done = run("backup", "--db", pg_url, "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    [written] = list(tmp_path.iterdir())
    assert re.fullmatch(r"t\d+_\d+_\d{8}-\d{6}_thu-cong\.pgdump", written.name)
    assert str(written) in done.stdout and "pg_restore --list" in done.stdout
    assert SERVER_PASSWORD not in done.stdout + done.stderr


def test_backup_with_a_wrong_server_password_is_one_line(run, pg_server, pg_template, tmp_path):
    done = run("backup", "--db", pg_server.url_text(pg_template, password="sai-roi"), "--out", tmp_path)
    assert done.returncode == 1 and "chưa có bản sao lưu nào" in done.stderr and "sai-roi" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and list(tmp_path.iterdir()) == []


def test_check_as_an_officer_of_the_server_database(run, pg_url):
    create_office_database(pg_url, SETUP)
    wrong = run("check", "--db", pg_url, "--user", "quantri", "--password-stdin", input="sai-mat-khau\n")
    assert wrong.returncode == 1 and "không đúng" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    right = run("check", "--db", pg_url, "--user", "quantri", "--password-stdin", input=ADMIN_PASSWORD + "\n")
    assert right.returncode == 0 and "Không phát hiện vấn đề nào" in right.stdout, right.stdout + right.stderr


def test_check_full_names_a_value_no_form_accepts_on_the_server(run, pg_url):
    create_office_database(pg_url, SETUP)
    engine = create_engine(parse_server_url(pg_url).url)
    with engine.begin() as conn:
        unit = conn.execute(text("SELECT unit_id FROM office")).scalar_one()
        conn.execute(text("UPDATE admin_unit SET level = 'tinh-thanh' WHERE id = :u"), {"u": unit})
    engine.dispose()
    quick = run("check", "--db", pg_url)
    assert quick.returncode == 0 and "thêm --full để kiểm tra cả từng giá trị" in quick.stdout, quick.stderr
    full = run("check", "--db", pg_url, "--full")
    assert full.returncode == 1 and "Phát hiện 1 vấn đề" in full.stdout, full.stderr
    assert f"Bản ghi đơn vị hành chính {unit}: trường «level» (cấp đơn vị) không hợp lệ" in full.stdout
