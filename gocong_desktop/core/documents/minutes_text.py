"""The sentences of the minutes as offices write them, in plain text: the PDF
(pdf/minutes.py, which escapes them for its markup) and the Word copy
(docx/minutes.py) print the same words."""

from __future__ import annotations

from gocong_desktop.core.db.models import AttendanceStatus, MeetingKind
from gocong_desktop.core.documents.numbering import number_text
from gocong_desktop.core.services.minutes_data import AmendmentLine, Issuer, MinutesDocument, Opinion, Person
from gocong_desktop.core.text import date_words, fold, format_date, time_words

MINUTES_SYMBOL = "BB-TNDTQ"  # biên bản of a Tổ nhân dân tự quản
DOTS = "……"
# A place starting with a generic word is written in lower case inside a sentence
# ("tại nhà ông Ba"); a name ("tại Bình Tân") is not.
_GENERIC_PLACES = tuple(f"{w} " for w in ("nha", "tru so", "hoi truong", "van phong", "san", "diem",
                                            "chua", "dinh", "truong"))  # folded


def minutes_number(doc: MinutesDocument) -> str:
    """"07/BB-TNDTQ", or dots while a draft has no number."""
    return number_text(doc.minutes_number if doc.is_final else None, MINUTES_SYMBOL)[len("Số: "):]


def document_title(doc: MinutesDocument) -> str:
    return f"Biên bản số {minutes_number(doc)} – {doc.issuer.issuing_body}"


def amendment_lines(doc: MinutesDocument) -> list[tuple[str, bool]]:
    """(line, is the statement) of every amendment of final minutes: "Biên bản này đính
    chính biên bản số … ngày …; lý do: …; người đính chính: …", then each change
    "- field: old → new." (plain text: the Word copy prints them too)."""
    if not doc.is_final:
        return []
    out: list[tuple[str, bool]] = []
    for amendment in doc.amendments:
        out.append((amendment_statement_line(amendment), True))
        out += [(f"- {change.line()}.", False) for change in amendment.changes]
    return out


def amendment_statement_line(amendment: AmendmentLine) -> str:
    number = number_text(amendment.replaced_number, MINUTES_SYMBOL)[len("Số: "):]
    said = (f"Biên bản này đính chính biên bản số {number} ngày {format_date(amendment.replaced_date)}; "
            f"lý do: {amendment.reason.rstrip('.')}; người đính chính: {amendment.amended_by or DOTS}; "
            f"ngày đính chính: {format_date(amendment.amended_on)}")
    return said + (". Nội dung đính chính:" if amendment.changes else "; nội dung không thay đổi.")


def place_phrase(place: str | None, issuer: Issuer) -> str:
    """"nhà ông Nguyễn Văn Ba, ấp Lợi An, xã Bình Tân", without repeating what the place names."""
    parts = []
    if place:
        lowered = place[0].lower() + place[1:]
        parts.append(lowered if f"{fold(place)} ".startswith(_GENERIC_PLACES) else place)
    for name, shown in ((issuer.hamlet_name, issuer.hamlet_display),
                        (issuer.unit_name, issuer.commune_display)):
        if not place or fold(name) not in fold(place):
            parts.append(shown)
    return ", ".join(parts)


def opening(doc: MinutesDocument) -> str:
    held = "họp đột xuất" if doc.kind == MeetingKind.EXTRA else "sinh hoạt định kỳ"
    start = doc.starts_at
    return (f"Hôm nay, vào hồi {time_words(start.time())}, {date_words(start.date())}, tại "
            f"{place_phrase(doc.place, doc.issuer)}, {doc.issuer.group_full_name} tổ chức {held}.")


def person_line(person: Person | None) -> str:
    if person is None:
        return DOTS
    name = f"{person.title} {person.name}" if person.title else person.name
    return f"{name} – {person.role}" if person.role else name


def guest_list(doc: MinutesDocument) -> str:
    if not doc.guests:
        return "không có"
    shown = []
    for g in doc.guests:
        about = ", ".join(x for x in (g.role, g.organisation) if x)
        shown.append(f"{g.name} – {about}" if about else g.name)
    return "; ".join(shown)


def counts_line(doc: MinutesDocument) -> str:
    total, present = len(doc.attendance), doc.present
    excused = doc.count(AttendanceStatus.ABSENT_EXCUSED)
    unexcused = doc.count(AttendanceStatus.ABSENT_UNEXCUSED)
    absent = (f"Vắng: {excused + unexcused} hộ (có lý do: {excused}; không lý do: {unexcused})"
              if excused + unexcused else "Không có hộ vắng")
    return f"Số hộ có đại diện tham dự: {present}/{total} hộ. {absent} (danh sách kèm theo)."


def votes_line(votes: tuple[int, int, int], present: int) -> str:
    agree, against, other = votes
    of = f"/{present}" if present else ""
    return (f"Kết quả biểu quyết: {agree}{of} hộ dự họp tán thành; {against} hộ không tán thành; "
            f"{other} hộ có ý kiến khác.")


def closing(doc: MinutesDocument) -> str:
    """The end of the meeting, then how the minutes were adopted, as offices write it: read out to
    everyone and adopted at the end, one copy for each recipient."""
    end = doc.ends_at
    if end is None:
        at = f"{DOTS} giờ {DOTS} phút"
        ended = f"Cuộc họp kết thúc vào {at} cùng ngày."
    else:
        at = time_words(end.time())
        same_day = end.date() == doc.starts_at.date()
        ended = f"Cuộc họp kết thúc vào {at}{' cùng ngày' if same_day else ', ' + date_words(end.date())}."
    copies = max(len(doc.recipients), 1)
    return (f"{ended} Biên bản đã được đọc lại cho mọi người dự họp cùng nghe, nhất trí thông qua lúc {at} "
            f"và được lập thành {copies:02d} bản có giá trị như nhau./.")


def attached_to(doc: MinutesDocument) -> str:
    return (f"Kèm theo Biên bản số {minutes_number(doc)} ngày {format_date(doc.starts_at.date())} "
            f"của {doc.issuer.issuing_body}")


def opinion_line(opinion: Opinion) -> str:
    """"- Hộ ông Ba: …", unless what was written already starts with the speaker."""
    if fold(opinion.text).startswith(fold(opinion.speaker)):
        return f"- {opinion.text}"
    return f"- {opinion.speaker}: {opinion.text}"
