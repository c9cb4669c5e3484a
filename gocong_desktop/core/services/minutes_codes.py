"""The verification codes of final minutes, and checking a code against the record.

A final version's code is its content hash (``meetings.content_hash``): printed as
a short code of its first 10 hex digits ("3F2A-91C0-7B", read out over the phone)
and in full in the QR code ("GOCONG:MINUTES:<meeting id>:<hash>"). A code is
checked against the hash of the current version and against the hash each
amendment kept of the version it replaced (``MeetingAmendment.previous_hash``):
current, superseded by an amendment, being amended, or unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from gocong_desktop.core.db.models import AdminUnit, Meeting, MeetingAmendment, MeetingStatus, SelfManagedGroup, live
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.meeting_words import minutes_number_text
from gocong_desktop.core.text import format_date

SHORT_DIGITS = 10
QR_PREFIX = "GOCONG:MINUTES:"
# Upper case on purpose: the QR then uses its alphanumeric mode, a smaller symbol
# than bytes (version 5 at level M), so its modules stay large on paper.
_PAYLOAD = re.compile(r"^gocong:minutes:([0-9a-z-]{1,64}):([0-9a-f]{64})$")
_HEX = re.compile(r"^[0-9a-f]+$")
BAD_CODE = ("Mã đối chiếu gồm 10 chữ số và chữ cái A–F, ví dụ 3F2A-91C0-7B (in ở chân biên bản), "
            "hoặc nội dung mã QR bắt đầu bằng «GOCONG:MINUTES:».")

CURRENT, SUPERSEDED, AMENDING, UNKNOWN, MISMATCH, AMBIGUOUS = (
    "current", "superseded", "amending", "unknown", "mismatch", "ambiguous")


def short_code(content_hash: str) -> str:
    """"3F2A-91C0-7B": the first 10 hex digits of the hash, grouped to read aloud."""
    head = content_hash[:SHORT_DIGITS].upper()
    return f"{head[:4]}-{head[4:8]}-{head[8:]}"


def qr_payload(kind: str, record_id: str, content_hash: str) -> str:
    """"GOCONG:MINUTES:<id>:<sha256>", all upper case (see ``_PAYLOAD``)."""
    return f"gocong:{kind}:{record_id}:{content_hash}".upper()


@dataclass(frozen=True)
class CodeQuery:
    """What a typed or scanned code asks for: a hash prefix, and the meeting when
    the code came from a QR."""

    hash_prefix: str  # lower-case hex, 10 to 64 digits
    meeting_id: str | None = None

    @property
    def shown(self) -> str:
        return short_code(self.hash_prefix)


def parse_code(text: str) -> CodeQuery:
    """A short code in any case, with or without spaces and dashes, a longer hash
    prefix, or a whole QR payload."""
    value = "".join(text.split()).lower()
    payload = _PAYLOAD.match(value)
    if payload:
        return CodeQuery(payload.group(2), payload.group(1))
    digits = value.replace("-", "")
    if not (SHORT_DIGITS <= len(digits) <= 64 and _HEX.match(digits)):
        raise ValidationError(BAD_CODE, field="code")
    return CodeQuery(digits)


@dataclass(frozen=True)
class MeetingRef:
    meeting_id: str
    group_name: str  # "Tổ NDTQ số 1 – ấp Lợi An, xã Bình Tân"
    starts_at: datetime
    minutes_number: int | None
    minutes_year: int | None
    current_hash: str | None  # None while the minutes are reopened for amendment

    def describe(self) -> str:
        """"Biên bản số 01/BB-TNDTQ ngày 15/03/2024 của Tổ NDTQ số 1 – ấp Lợi An"."""
        number = f"số {minutes_number_text(self.minutes_number)} " if self.minutes_number else ""
        return f"Biên bản {number}ngày {format_date(self.starts_at.date())} của {self.group_name}"


@dataclass(frozen=True)
class Verdict:
    status: str  # CURRENT, SUPERSEDED, AMENDING, UNKNOWN, MISMATCH or AMBIGUOUS
    code: str  # the short code asked about
    meeting: MeetingRef | None = None
    amended_on: date | None = None  # the amendment that replaced the version (SUPERSEDED, AMENDING)
    candidates: tuple[MeetingRef, ...] = ()  # AMBIGUOUS

    @property
    def genuine_current(self) -> bool:
        return self.status == CURRENT

    def headline(self) -> str:
        """One Vietnamese sentence: the answer."""
        return _HEADLINES[self.status].format(code=self.code, on=format_date(self.amended_on),
                                              count=len(self.candidates))

    def lines(self) -> list[str]:
        """The answer, then the meeting(s) it concerns and what to do."""
        out = [self.headline()]
        if self.meeting is not None:
            out.append(self.meeting.describe() + ".")
        if self.status == SUPERSEDED and self.meeting and self.meeting.current_hash:
            out.append(f"Bản hiện hành có mã đối chiếu {short_code(self.meeting.current_hash)}.")
        out += [f"- {c.describe()}." for c in self.candidates]
        return out


_HEADLINES = {
    CURRENT: "Đúng: mã {code} là của bản hiện hành của biên bản đã hoàn tất.",
    SUPERSEDED: ("Mã {code} là của một bản cũ: biên bản đã được đính chính ngày {on}; "
                 "bản giấy này không còn giá trị, dùng bản đính chính."),
    AMENDING: ("Mã {code} là của bản đang được đính chính (mở lại ngày {on}); "
               "chờ bản đính chính hoàn tất."),
    UNKNOWN: ("Không tìm thấy biên bản đã hoàn tất nào có mã {code} trong dữ liệu này: "
              "kiểm tra lại mã, hoặc bản giấy không khớp với biên bản đã lưu."),
    MISMATCH: ("Mã QR ghi đúng một cuộc họp có trong dữ liệu, nhưng mã {code} không khớp với "
               "phiên bản nào đã hoàn tất của biên bản: bản giấy có thể đã bị sửa."),
    AMBIGUOUS: ("Mã {code} trùng với {count} biên bản; nhập thêm chữ số của mã QR "
                "(hoặc quét mã QR) để phân biệt."),
}


def verify_code(session: Session, text: str) -> Verdict:
    """Check a typed code or a QR payload against the record."""
    query = parse_code(text)
    matches = _matches(session, query)
    if not matches:
        known = query.meeting_id is not None and _meeting_ref(session, query.meeting_id) is not None
        return Verdict(MISMATCH if known else UNKNOWN, query.shown)
    if len(matches) > 1:
        refs = tuple(_meeting_ref(session, m) for m in sorted(matches))
        return Verdict(AMBIGUOUS, query.shown, candidates=refs)
    (meeting_id, full_hash), = matches.items()
    ref = _meeting_ref(session, meeting_id)
    if ref.current_hash == full_hash:
        return Verdict(CURRENT, query.shown, ref)
    amended_on = _replaced_on(session, meeting_id, full_hash)
    return Verdict(SUPERSEDED if ref.current_hash else AMENDING, query.shown, ref, amended_on)


def _matches(session: Session, query: CodeQuery) -> dict[str, str]:
    """Meeting id -> the full hash of its version the code matches (live records only;
    at most one version of a meeting matches a prefix of 10 or more digits in practice)."""
    current = (select(Meeting.id, Meeting.content_hash)
               .where(live(Meeting), Meeting.status == MeetingStatus.FINAL,
                      Meeting.content_hash.startswith(query.hash_prefix, autoescape=True)))
    earlier = (select(Meeting.id, MeetingAmendment.previous_hash)
               .join(Meeting, Meeting.id == MeetingAmendment.meeting_id)
               .where(live(Meeting), live(MeetingAmendment),
                      MeetingAmendment.previous_hash.startswith(query.hash_prefix, autoescape=True)))
    if query.meeting_id is not None:
        current = current.where(func.lower(Meeting.id) == query.meeting_id)
        earlier = earlier.where(func.lower(Meeting.id) == query.meeting_id)
    found: dict[str, str] = {}
    for meeting_id, full_hash in [*session.exec(current).all(), *session.exec(earlier).all()]:
        found.setdefault(meeting_id, full_hash)  # the current version first
    return found


def _replaced_on(session: Session, meeting_id: str, full_hash: str) -> date | None:
    """The date of the last amendment that replaced the version with this hash."""
    return session.exec(select(MeetingAmendment.amended_on)
                        .where(MeetingAmendment.meeting_id == meeting_id, live(MeetingAmendment),
                               MeetingAmendment.previous_hash == full_hash)
                        .order_by(MeetingAmendment.created_at.desc())).first()


def _meeting_ref(session: Session, meeting_id: str) -> MeetingRef | None:
    hamlet, commune = aliased(AdminUnit), aliased(AdminUnit)  # the commune names it at the upper office
    row = session.exec(select(Meeting, SelfManagedGroup.name, hamlet, commune)
                       .join(SelfManagedGroup, SelfManagedGroup.id == Meeting.group_id)
                       .join(hamlet, hamlet.id == SelfManagedGroup.hamlet_id)
                       .outerjoin(commune, commune.id == hamlet.parent_id)
                       .where(func.lower(Meeting.id) == meeting_id.lower(), live(Meeting))).first()
    if row is None:
        return None
    m, group, h, c = row
    where = f"{group} – {h.unit_type} {h.name}" + (f", {c.unit_type} {c.name}" if c is not None else "")
    current = m.content_hash if m.status == MeetingStatus.FINAL else None
    return MeetingRef(m.id, where, m.starts_at, m.minutes_number, m.minutes_year, current)
