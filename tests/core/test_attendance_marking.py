"""Attendance starts unmarked (chưa điểm danh / có mặt / vắng): the roll call marks
each household, and minutes are finalised only once every household is marked —
by the editor, the list's «Hoàn tất» and any other caller alike, as the service refuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from docx import Document
from pypdf import PdfReader

from gocong_desktop.core.db.models import AttendanceStatus
from gocong_desktop.core.documents.minutes import write_minutes
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import households, meeting_drafts, meetings
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.services.meeting_drafts import AgendaDraft, load_draft, save_draft
from tests.conftest import file_digest
from tests.meeting_edits import edit_meeting

START = datetime(2024, 3, 15, 19, 30)


def _ready(seeded) -> str:
    """A new meeting with everything final minutes need, except the roll call."""
    with seeded.db.session() as s:
        mid = meeting_drafts.new_meeting(s, group_id=seeded.group_a1, starts_at=START)
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        draft = load_draft(s, mid)
        draft.agenda = [AgendaDraft("Phòng, chống trộm cắp")]
        save_draft(s, mid, draft)
    return mid


def _mark(seeded, mid: str, *statuses: str) -> None:
    with seeded.db.session() as s:
        draft = load_draft(s, mid)
        for row, status in zip(draft.attendance, statuses):
            row.status = status
        save_draft(s, mid, draft)


def _statuses(seeded, mid: str) -> list[str]:
    with seeded.db.session() as s:
        return [a.status for a in load_draft(s, mid).attendance]


def test_a_new_meeting_lists_every_household_unmarked(seeded) -> None:
    mid = _ready(seeded)
    assert _statuses(seeded, mid) == [AttendanceStatus.UNMARKED] * 3


@pytest.mark.parametrize("finalise", [meeting_drafts.finalise_draft, meetings.finalise_meeting],
                         ids=["editor", "service"])
def test_finalising_is_refused_while_a_household_is_unmarked(seeded, finalise) -> None:
    mid = _ready(seeded)
    _mark(seeded, mid, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_EXCUSED)  # Tâm left unmarked
    before = file_digest(seeded.db.path)
    with seeded.db.session() as s, pytest.raises(ValidationError) as caught:
        finalise(s, mid)
    assert caught.value.field == "attendance"
    assert caught.value.message == ("Còn 1 hộ chưa điểm danh (Trần Minh Tâm). Hãy đánh dấu có mặt hoặc vắng "
                                    "cho mọi hộ ở tab «Điểm danh» rồi hoàn tất biên bản.")
    assert file_digest(seeded.db.path) == before
    _mark(seeded, mid, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.PRESENT)
    with seeded.db.session() as s:
        assert finalise(s, mid) == 1


def test_the_message_names_three_households_and_counts_the_rest() -> None:
    names = ["Ba", "Hoa", "Tâm", "Tư", "Năm"]
    assert meetings.unmarked_message(names).startswith("Còn 5 hộ chưa điểm danh (Ba, Hoa, Tâm và 2 hộ khác).")


def test_minutes_finalised_before_stay_valid_and_a_household_added_on_amending_must_be_marked(seeded) -> None:
    with seeded.db.session() as s:  # stored by an earlier version: every household present
        mid = meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=START, attendance="present")
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        meetings.finalise_meeting(s, mid)
        meeting_drafts.amend(s, mid, reason="Bổ sung hộ mới chuyển đến")
        households.create_household(s, HouseholdInput(head_name="Huỳnh Văn Mới", hamlet_id=seeded.hamlet_a,
                                                      group_id=seeded.group_a1))
    with seeded.db.session() as s:
        draft = load_draft(s, mid)
        assert [a.status for a in draft.missing_households] == [AttendanceStatus.UNMARKED]
        draft.attendance.append(draft.missing_households[0])
        save_draft(s, mid, draft)
    with seeded.db.session() as s, pytest.raises(ValidationError, match="Còn 1 hộ chưa điểm danh \\(Huỳnh Văn Mới\\)"):
        meetings.finalise_meeting(s, mid)
    with seeded.db.session() as s:
        draft = load_draft(s, mid)
        draft.attendance = [replace(a, status=AttendanceStatus.ABSENT_UNEXCUSED)
                            if a.status == AttendanceStatus.UNMARKED else a for a in draft.attendance]
        save_draft(s, mid, draft)
        assert meetings.finalise_meeting(s, mid) == 1  # an amended record keeps its number


def test_an_unmarked_household_keeps_neither_reason_nor_representative(seeded) -> None:
    mid = _ready(seeded)
    with seeded.db.session() as s:
        draft = load_draft(s, mid)
        draft.attendance[0] = replace(draft.attendance[0], reason="Đi làm xa", representative="Vợ")
        saved = save_draft(s, mid, draft)
    assert (saved.attendance[0].reason, saved.attendance[0].representative) == (None, None)


def test_an_unknown_status_is_refused_when_creating(seeded) -> None:
    with seeded.db.session() as s, pytest.raises(ValidationError, match="Trạng thái tham dự không hợp lệ"):
        meetings.create_meeting(s, group_id=seeded.group_a1, starts_at=START, attendance="maybe")


def test_a_draft_printed_before_the_roll_call_leaves_the_attendance_cells_blank(seeded, tmp_path) -> None:
    mid = _ready(seeded)
    _mark(seeded, mid, AttendanceStatus.PRESENT)  # Hoa and Tâm not marked yet
    with seeded.db.session() as s:
        write_minutes(s, mid, tmp_path / "nhap.pdf")
        write_minutes(s, mid, tmp_path / "nhap.docx")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "nhap.pdf").pages)
    assert "Có mặt" in text and "unmarked" not in text and "Vắng" not in text
    word = Document(str(tmp_path / "nhap.docx"))
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert "Có mặt" in cells and "unmarked" not in cells
