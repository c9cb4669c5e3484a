"""How a meeting's kind, status, attendance and minutes number read in Vietnamese.

Apart from ``meeting_drafts`` (which re-exports them) so that printing minutes
and listing an amendment's changes need neither the draft editor nor the field
rules it imports (issue 16: the ``minutes`` command's start-up)."""

from __future__ import annotations

from gocong_desktop.core.db.models.choices import AttendanceStatus, MeetingKind, MeetingStatus

KIND_TEXT = {MeetingKind.REGULAR: "định kỳ", MeetingKind.EXTRA: "đột xuất"}
STATUS_TEXT = {MeetingStatus.DRAFT: "Bản nháp", MeetingStatus.FINAL: "Đã hoàn tất"}
ATTENDANCE_TEXT = {AttendanceStatus.UNMARKED: "chưa điểm danh", AttendanceStatus.PRESENT: "có mặt",
                   AttendanceStatus.ABSENT_EXCUSED: "vắng có lý do",
                   AttendanceStatus.ABSENT_UNEXCUSED: "vắng không lý do"}


def minutes_number_text(number: int | None) -> str:
    """"07/BB-TNDTQ": numbers under 10 get a leading zero (Nghị định 30/2020)."""
    return "" if number is None else f"{number:02d}/BB-TNDTQ"
