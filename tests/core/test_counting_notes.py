"""What the figures count, in words (issue 17 point 12): the Overview page's note
says which households, which meetings (drafts counted and said to be) and why
the households asked to pledge may differ from those on the register."""

from __future__ import annotations

from datetime import date

from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.counting_notes import counting_note, overview_note
from gocong_desktop.core.services.review_period import parse_period

TODAY = date(2026, 11, 20)


def test_the_overview_note_names_the_day_the_quarter_and_the_drafts() -> None:
    note = overview_note(households=2961, meetings=40, meetings_final=37, pledges_total=2949, today=TODAY)
    assert note == (
        "Ghi chú: số hộ: hộ có trong sổ hôm nay (20/11/2026), không tính hộ đã chuyển đi; họp trong quý: các "
        "buổi họp từ ngày 01/10/2026 đến ngày 31/12/2026, kể cả 3 buổi chưa hoàn tất biên bản; số hộ phải ký "
        "cam kết: hộ của đợt cam kết năm 2026 còn cư trú, không tính hộ đã chuyển đi (2.949 hộ, khác 2.961 hộ "
        "trong sổ: hộ mới chưa được bổ sung vào đợt, hoặc hộ đã rời sổ sau khi mở đợt).")


def test_equal_totals_and_final_minutes_say_so_and_no_meeting_is_said() -> None:
    note = overview_note(households=100, meetings=4, meetings_final=4, pledges_total=100, today=TODAY)
    assert "biên bản đều đã hoàn tất" in note and "khác" not in note
    none = overview_note(households=100, meetings=0, meetings_final=0, pledges_total=100, today=TODAY)
    assert "đến ngày 31/12/2026 (chưa có buổi nào);" in none


def test_the_review_note_is_unchanged_by_the_move() -> None:
    counts = AreaCounts(groups=3, households=7, meetings=4, meetings_final=1, pledges_total=6)
    assert counting_note(counts, parse_period("2024-H1")) == (
        "Ghi chú: buổi sinh hoạt: các buổi đã họp trong kỳ, kể cả 3 buổi chưa hoàn tất biên bản; số hộ: hộ có "
        "trong sổ ngày 30/06/2024; số hộ phải ký cam kết: hộ của đợt cam kết năm 2024 còn cư trú, không tính hộ "
        "đã chuyển đi (6 hộ, khác 7 hộ trong sổ: hộ mới chưa được bổ sung vào đợt, hoặc hộ đã rời sổ sau khi "
        "mở đợt).")
