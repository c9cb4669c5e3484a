"""``gocong-desktop verify``, run as a user would (tests/cli/conftest.py ``run``):
exit 0 for the current version of final minutes, 1 with the verdict otherwise,
1 with one "Lỗi: …" line for a code or scan it cannot read, 2 for wrong usage."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gocong_desktop.core.db.models import Meeting
from gocong_desktop.core.services import meetings
from gocong_desktop.core.services.minutes_codes import qr_payload, short_code
from gocong_desktop.core.services.minutes_data import minutes_document
from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf
from tests.conftest import file_digest
from tests.meeting_edits import edit_meeting


@pytest.fixture
def run(run):
    """``gocong-desktop verify ARGS`` (the ``run`` of tests/cli/conftest.py)."""
    return lambda *args: run("verify", *args)


@pytest.fixture
def amended(seeded, tmp_path: Path) -> tuple[str, str, str, Path]:
    """(meeting id, first hash, current hash, a 150 dpi PNG scan of the first version)."""
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        meetings.finalise_meeting(s, mid)
        first = s.get(Meeting, mid).content_hash
        write_minutes_pdf(minutes_document(s, mid), tmp_path / "bb.pdf")
    pdf = pdfium.PdfDocument(str(tmp_path / "bb.pdf"))
    pdf[0].render(scale=150 / 72).to_pil().save(tmp_path / "quet.png")
    pdf.close()
    with seeded.db.session() as s:
        meetings.amend_meeting(s, mid, reason="Sai tên thư ký")
    with seeded.db.session() as s:
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hòa")
        meetings.finalise_meeting(s, mid)
        current = s.get(Meeting, mid).content_hash
    seeded.db.close()  # the command opens the file itself
    return mid, first, current, tmp_path / "quet.png"


def test_three_verdicts_and_their_exit_status(run, seeded, amended) -> None:
    mid, first, current, _scan = amended
    before = file_digest(seeded.db.path)
    ok = run("--db", seeded.db.path, short_code(current).lower())
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == [
        f"Đúng: mã {short_code(current)} là của bản hiện hành của biên bản đã hoàn tất.",
        "Biên bản số 01/BB-TNDTQ ngày 15/03/2024 của Tổ NDTQ số 1 – ấp Lợi An, xã Bình Tân."]
    old = run("--db", seeded.db.path, qr_payload("minutes", mid, first))
    assert old.returncode == 1 and old.stderr == ""
    assert "là của một bản cũ: biên bản đã được đính chính ngày" in old.stdout
    assert f"Bản hiện hành có mã đối chiếu {short_code(current)}." in old.stdout
    unknown = run("--db", seeded.db.path, "0000 0000 00")
    assert unknown.returncode == 1 and unknown.stdout.startswith("Không tìm thấy biên bản đã hoàn tất nào có mã "
                                                                 "0000-0000-00")
    assert file_digest(seeded.db.path) == before  # reading only


def test_a_scanned_page(run, seeded, amended, tmp_path: Path) -> None:
    scan = amended[3]
    old = run("--db", seeded.db.path, "--file", scan)
    assert old.returncode == 1 and "là của một bản cũ" in old.stdout, old.stderr
    (tmp_path / "rong.jpg").write_bytes(b"")
    bad = run("--db", seeded.db.path, "--file", tmp_path / "rong.jpg")
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == ["Lỗi: Tệp «rong.jpg» rỗng (0 byte): quét lại trang biên bản."]


def test_wrong_usage_and_bad_codes(run, seeded, amended) -> None:
    assert run("--db", seeded.db.path).returncode == 2  # neither a code nor --file
    assert run("--db", seeded.db.path, "3F2A-91C0-7B", "--file", "x.png").returncode == 2
    bad = run("--db", seeded.db.path, "3F2A")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("Lỗi: Mã đối chiếu gồm 10 chữ số")
