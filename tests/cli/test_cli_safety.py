"""``gocong-desktop check | backup | restore`` run as a user would (in this process as its
own process would: tests/cli/conftest.py ``run``); the lock is held by a real second process."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from gocong_desktop.core.services import meeting_drafts
from tests.conftest import HOLD_LOCK, file_digest
from tests.meeting_edits import with_agenda_item


@pytest.fixture
def closed_db(db) -> Path:
    db.close()
    return db.path


def test_backup_check_and_restore_round_trip(run, closed_db, tmp_path):
    copy = tmp_path / "sao lưu" / "bản 1.db"
    result = run("backup", "--db", closed_db, "--out", copy)
    assert result.returncode == 0 and "đã kiểm tra toàn vẹn" in result.stdout, result.stderr
    con = sqlite3.connect(closed_db)
    con.execute("UPDATE admin_unit SET version = 0")  # break a rule after the backup
    con.commit()
    con.close()
    result = run("check", "--db", closed_db)
    assert result.returncode == 1 and "vấn đề" in result.stdout
    assert "Bảng admin_unit" in result.stdout and "phiên bản nhỏ hơn 1" in result.stdout
    result = run("restore", "--db", closed_db, copy)
    assert result.returncode == 0, result.stderr
    aside = next(p for p in tmp_path.iterdir() if p.name.startswith("xa.truoc-khoi-phuc-"))
    assert f"«{aside}»" in result.stdout
    result = run("check", "--db", closed_db)
    assert result.returncode == 0 and result.stdout.startswith("Không phát hiện vấn đề nào")
    assert "thêm --full" in result.stdout  # the quick check says how to ask for the thorough one
    result = run("check", "--db", closed_db, "--full")
    assert result.returncode == 0 and "(kiểm tra kỹ, cả chỉ mục và từng giá trị)" in result.stdout
    assert run("check", "--db", aside).returncode == 1  # the file set aside is the broken one, kept


def test_refusals_are_one_vietnamese_line(run, closed_db, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(closed_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("restore", "--db", closed_db, closed_db)
    finally:
        holder.communicate("")
    assert result.returncode == 1 and "đang được mở" in result.stderr and "Traceback" not in result.stderr
    existing = tmp_path / "đã có.db"
    existing.write_bytes(b"")
    result = run("backup", "--db", closed_db, "--out", existing)
    assert result.returncode == 1 and "đã có" in result.stderr
    result = run("check", "--db", tmp_path / "không có.db")
    assert result.returncode == 1 and result.stderr.startswith("Lỗi: Không tìm thấy")


def test_restore_of_another_offices_backup_needs_its_name(run, closed_db, tmp_path):
    from tests.core.sync.conftest import make_upper_office

    upper = make_upper_office(tmp_path / "tinh" / "tinh.db")
    digest, files = file_digest(closed_db), sorted(closed_db.parent.iterdir())
    result = run("restore", "--db", closed_db, upper)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "Công an huyện Gò Công Tây (cơ quan cấp trên)" in line and "không phải của xã Bình Tân" in line
    assert '--confirm-office "Công an huyện Gò Công Tây"' in line
    assert file_digest(closed_db) == digest and sorted(closed_db.parent.iterdir()) == files
    result = run("restore", "--db", closed_db, upper, "--confirm-office", "công an huyện gò công tây")
    assert result.returncode == 0 and "Đã khôi phục" in result.stdout, result.stderr


def test_check_names_minutes_with_more_votes_than_households_present(run, seeded):
    """Votes typed before the rule existed (issue 17): ``check`` names the minutes and the item."""
    with seeded.db.session() as s:
        meeting_id = meeting_drafts.new_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19))
        with_agenda_item(s, meeting_id, "An ninh trật tự", votes=(2, 0, 0))
    seeded.db.close()
    con = sqlite3.connect(seeded.db.path)
    con.execute("UPDATE agenda_item SET votes_for = 40")
    con.commit()
    con.close()
    result = run("check", "--db", seeded.db.path)
    assert result.returncode == 1, result.stderr
    assert (f"({meeting_id}): Nội dung 1 «An ninh trật tự»: tổng số biểu quyết 40 (tán thành 40, không tán thành 0, "
            "ý kiến khác 0) vượt quá số hộ có mặt (3)." in result.stdout)


def test_a_value_no_form_accepts_is_named_by_check_full_only(run, seeded):
    """A database edited outside the app: the quick check leaves values to ``--full``
    and says so; ``--full`` names the record, the field and what is wrong, exit 1."""
    household_id = seeded.households["Nguyễn Văn Ba"]
    seeded.db.close()
    con = sqlite3.connect(seeded.db.path)
    con.execute("UPDATE household SET members = 999 WHERE id = ?", (household_id,))
    con.commit()
    con.close()
    quick = run("check", "--db", seeded.db.path)
    assert quick.returncode == 0 and "thêm --full để kiểm tra kỹ cả chỉ mục và từng giá trị" in quick.stdout
    full = run("check", "--db", seeded.db.path, "--full")
    assert full.returncode == 1 and full.stdout.startswith("Phát hiện 1 vấn đề"), full.stderr
    assert (f"  - Bản ghi hộ gia đình {household_id}: trường «members» (số nhân khẩu) phải từ 1 đến 50.\n"
            in full.stdout)


def test_check_help_says_what_full_adds(run):
    result = run("check", "--help")
    assert result.returncode == 0 and "từng giá trị đã lưu theo quy tắc của biểu mẫu" in " ".join(result.stdout.split())
