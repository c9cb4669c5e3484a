"""What a table's figures count, said in a note under it (issue 17 point 12):
meetings whose minutes are not final yet are counted and said to be; household
figures say which households (on the register at a date, moved-out ones left
out); where two totals of households differ, the note says why. The PDF, Word
and Excel reports and the Overview page print these same sentences.
"""

from __future__ import annotations

from datetime import date, timedelta

from gocong_desktop.core.services.area_figures import AreaCounts
from gocong_desktop.core.services.figures import quarter_bounds
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.core.text import format_date, format_int


def _meetings(what: str, held: int, final: int) -> str:
    drafts = held - final
    if not held:
        return f"{what} (chưa có buổi nào)"
    if drafts:
        return f"{what}, kể cả {format_int(drafts)} buổi chưa hoàn tất biên bản"
    return f"{what}, biên bản đều đã hoàn tất"


def _pledges(year: int, pledged: int, households: int) -> str:
    text = f"số hộ phải ký cam kết: hộ của đợt cam kết năm {year} còn cư trú, không tính hộ đã chuyển đi"
    if pledged != households:
        text += (f" ({format_int(pledged)} hộ, khác {format_int(households)} hộ trong sổ: hộ mới chưa được bổ "
                 "sung vào đợt, hoặc hộ đã rời sổ sau khi mở đợt)")
    return text


def counting_note(t: AreaCounts, period: ReviewPeriod) -> str:
    """Under the review and aggregate tables: so that two figures that differ
    (households on the register, households asked to pledge) say why, and meetings
    whose minutes are not yet final are not counted silently."""
    meetings = _meetings("buổi sinh hoạt: các buổi đã họp trong kỳ", t.meetings, t.meetings_final)
    households = f"số hộ: hộ có trong sổ ngày {format_date(period.end)}"
    return f"Ghi chú: {meetings}; {households}; {_pledges(period.end.year, t.pledges_total, t.households)}."


def models_note(period: ReviewPeriod) -> str:
    """Under the workbook's table of models: which models, sites and evaluations it shows,
    and why its households are not the register's."""
    return (f"Ghi chú: mô hình đã bắt đầu đến ngày {format_date(period.end)}, không tính mô hình đã dừng trước kỳ; "
            f"số điểm: điểm triển khai bắt đầu đến ngày {format_date(period.end)}; số hộ: tổng số hộ tham gia "
            "do các điểm khai báo, không phải số hộ trong sổ; điểm, xếp loại, kiến nghị: lần đánh giá gần nhất "
            "của kỳ đã kết thúc trong kỳ báo cáo, để trống khi mô hình chưa được đánh giá.")


def overview_note(*, households: int, meetings: int, meetings_final: int, pledges_total: int,
                  today: date) -> str:
    """Under the Overview table: the register now, the meetings of this quarter,
    the pledges of this year's campaign."""
    since, until = quarter_bounds(today)
    quarter = (f"họp trong quý: các buổi họp từ ngày {format_date(since.date())} đến ngày "
               f"{format_date(until.date() - timedelta(days=1))}")
    return (f"Ghi chú: số hộ: hộ có trong sổ hôm nay ({format_date(today)}), không tính hộ đã chuyển đi; "
            f"{_meetings(quarter, meetings, meetings_final)}; {_pledges(today.year, pledges_total, households)}.")


def rates_sentence(pledge_year: int) -> str:
    """What the rates of a table per hamlet or commune are of (the reports' intro to it)."""
    return (f"Cam kết tính theo đợt năm {pledge_year}; tỷ lệ dự họp là số lượt hộ có mặt trên số lượt hộ được "
            "điểm danh (có mặt hoặc vắng) trong các buổi sinh hoạt của kỳ; hộ chưa điểm danh ở biên bản nháp "
            "không tính.")
