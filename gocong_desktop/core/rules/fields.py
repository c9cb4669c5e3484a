"""Which rule each stored column follows, per table.

The one place for lengths, ranges and allowed values: the services' forms, the
demo generator and sync imports all read them from here. Columns not listed
are ids and references (checked as UUIDs and against the records they point
to), booleans, and the bookkeeping stamps every synced record has
(``created_at``/``updated_at``: ``STAMP``).

Where two forms used to disagree, the meeting editor's limits won (it is
where minutes are typed): agenda title 300, chair, secretary, speaker and
representative names 100, opinions 20,000 characters over several lines.
"""

from __future__ import annotations

from datetime import date

from gocong_desktop.core.db.models import (NARRATIVE_SECTIONS, AttendanceStatus, Gender, MeetingKind, MeetingStatus,
                                          ModelStatus, PeriodKind, PledgeStatus, PropagandaKind, Recommendation,
                                          UnitLevel)
from gocong_desktop.core.text import citizen_id_error, normalize_phone, phone_error
from gocong_desktop.core.rules.checks import Choice, Day, Entry, Json, Moment, Number, Pattern, Rule, Special, Text

NOTE, LONG = 2000, 20000  # notes on a record; minutes' content and conclusions
SORT_KEY = 1000  # derived keys (folded names, sort keys) are a few times their name at most
POSITION = Number("vị trí", 0, 100_000)
STAMP = Moment("thời điểm ghi")
HEX64 = r"[0-9a-f]{64}"


def _this_year() -> int:
    return date.today().year


def _phone(value: str) -> str | None:
    if normalize_phone(value) == value and phone_error(value) is None:
        return None
    return "không phải số điện thoại hợp lệ (di động 10 chữ số, cố định 11 chữ số, viết liền)"


def _citizen_id(value: str) -> str | None:
    why = citizen_id_error(value) if value == value.strip() else "Có dấu cách thừa."
    return None if why is None else f"không hợp lệ: {why.rstrip('.')}"


def _choice(label: str, enum: type) -> Choice:
    return Choice(label, tuple(str(v) for v in enum))


_UNIT = {
    "level": _choice("cấp đơn vị", UnitLevel), "unit_type": Text("loại đơn vị", 50, required=True),
    "name": Text("tên đơn vị", 200, required=True),
    "name_fold": Text("tên không dấu", SORT_KEY, nfc=False),
    "code": Text("mã đơn vị", 20), "valid_from": Day("ngày bắt đầu hiệu lực"),
    "valid_to": Day("ngày hết hiệu lực"),
}

_GROUP = {
    "number": Number("số tổ", 1, 9999), "name": Text("tên tổ", 100, required=True),
    "name_fold": Text("tên tổ không dấu", SORT_KEY, nfc=False), "founded_date": Day("ngày thành lập"),
    "retired_date": Day("ngày giải thể"), "notes": Text("ghi chú", NOTE, multiline=True),
}

_HOUSEHOLD = {
    "head_name": Text("họ tên chủ hộ", 100, required=True),
    "name_sort_key": Text("khóa sắp xếp", SORT_KEY, nfc=False),
    "search_fold": Text("khóa tìm kiếm", SORT_KEY, nfc=False), "birth_year": Number("năm sinh", 1900, _this_year),
    "gender": _choice("giới tính", Gender), "address": Text("địa chỉ", 200),
    "members": Number("số nhân khẩu", 1, 50, required=True), "phone": Special("số điện thoại", _phone),
    "citizen_id": Special("số CCCD", _citizen_id), "moved_out_date": Day("ngày chuyển đi", not_future=True),
    "notes": Text("ghi chú", NOTE, multiline=True),
}

_MEETING = {
    "kind": _choice("loại cuộc họp", MeetingKind), "title": Text("tiêu đề", 500),
    "starts_at": Moment("giờ bắt đầu"), "ends_at": Moment("giờ kết thúc"), "place": Text("địa điểm", 500),
    "chair_name": Text("tên chủ trì", 100), "chair_role": Text("chức vụ chủ trì", 500),
    "secretary_name": Text("tên thư ký", 100), "secretary_role": Text("chức vụ thư ký", 500),
    "closing_conclusion": Text("kết luận cuộc họp", LONG, multiline=True),
    "status": _choice("trạng thái biên bản", MeetingStatus), "minutes_number": Number("số biên bản", 1, 9999),
    "minutes_year": Number("năm của biên bản", 1900, 2100), "finalised_at": Moment("thời điểm hoàn tất"),
    "content_hash": Pattern("mã băm nội dung", HEX64, "64 chữ số hệ 16"),
}

_VOTES = Number("số phiếu", 0, 10000)

_MINUTES_PARTS = {
    "meeting_guest": {"position": POSITION, "name": Text("tên khách mời", 200),
                      "role": Text("chức vụ khách mời", 500),
                      "organisation": Text("cơ quan khách mời", 500)},
    # Titles and opinions may be blank in a draft; finalising asks for them.
    "agenda_item": {"position": POSITION, "title": Text("tiêu đề nội dung", 300),
                    "content": Text("nội dung trình bày", LONG, multiline=True),
                    "conclusion": Text("kết luận", LONG, multiline=True),
                    "votes_for": _VOTES, "votes_against": _VOTES, "votes_other": _VOTES},
    "agenda_opinion": {"position": POSITION, "speaker_name": Text("người phát biểu", 100),
                       "text": Text("ý kiến", LONG, multiline=True)},
    "attendance": {"status": _choice("trạng thái tham dự", AttendanceStatus), "reason": Text("lý do vắng", 500),
                   "representative": Text("người đại diện", 100)},
    "meeting_amendment": {"amended_on": Day("ngày đính chính"),
                          "reason": Text("lý do đính chính", 1000, required=True),
                          "amended_by": Text("người đính chính", 200),
                          "previous_hash": Pattern("mã băm bản cũ", HEX64, "64 chữ số hệ 16"),
                          "previous_snapshot": Json("nội dung bản cũ", 5_000_000, dict)},
}

_YEAR = Number("năm", 2000, 2100, required=True)

_PLEDGES = {
    "pledge_template": {"year": _YEAR, "template_version": Number("phiên bản mẫu", 1, 10000),
                        "title": Text("tiêu đề", 200, required=True), "subtitle": Text("tiêu đề phụ", 500),
                        "items_json": Json("các nội dung cam kết", 300_000, list, max_items=100,
                                           item=Text("nội dung cam kết", 2000, required=True))},
    "pledge_campaign": {"year": _YEAR, "opened_on": Day("ngày mở đợt"), "closed_on": Day("ngày đóng đợt")},
    "pledge": {"year": _YEAR, "status": _choice("trạng thái cam kết", PledgeStatus),
               "signed_date": Day("ngày ký", not_future=True), "witness_name": Text("người xác nhận", 100),
               "reason": Text("lý do", 500)},
    "pledge_violation": {"violation_date": Day("ngày vi phạm", not_future=True),
                         "item_number": Number("nội dung vi phạm", 1, 100),
                         "note": Text("ghi chú", NOTE, multiline=True)},
}

_COUNT = Number("số lượng", 0, 100_000, required=True)

# The members of an evaluation team, as the record lists them (a few people; 30 is generous).
TEAM_MAX = 30
TEAM_MEMBER = Entry("thành viên đoàn đánh giá", (("name", Text("họ tên", 100, required=True)),
                                                 ("role", Text("chức vụ", 200))))

_PREVENTION = {
    "model_type": {"name": Text("tên loại mô hình", 200, required=True),
                   "name_fold": Text("tên không dấu", SORT_KEY, nfc=False), "description": Text("mô tả", 500)},
    "prevention_model": {"name": Text("tên mô hình", 200, required=True),
                         "name_fold": Text("tên không dấu", SORT_KEY, nfc=False),
                         "lead_organisation": Text("đơn vị chủ trì", 200, required=True),
                         "scope": Text("phạm vi", 500), "description": Text("mô tả", LONG, multiline=True),
                         "start_date": Day("ngày bắt đầu"), "status": _choice("trạng thái mô hình", ModelStatus),
                         "status_reason": Text("lý do", 500), "status_date": Day("ngày chuyển trạng thái")},
    "model_site": {"road_name": Text("tuyến đường", 500), "households_count": Number("số hộ", 0, 100_000),
                   "cameras": _COUNT, "lights": _COUNT, "gates": _COUNT, "posts": _COUNT,
                   "start_date": Day("ngày bắt đầu"), "note": Text("ghi chú", 1000)},
    "criteria_set": {"code": Text("mã bộ tiêu chí", 100, required=True),
                     "set_version": Number("phiên bản bộ tiêu chí", 1, 10000),
                     "name": Text("tên bộ tiêu chí", 300, required=True),
                     "criteria_json": Json("các tiêu chí", 300_000, list, max_items=200),
                     "bands_json": Json("các mức xếp loại", 100_000, list, max_items=50)},
    "evaluation": {"period_kind": _choice("kỳ đánh giá", PeriodKind), "period_start": Day("ngày đầu kỳ"),
                   "period_end": Day("ngày cuối kỳ"), "evaluated_on": Day("ngày đánh giá", not_future=True),
                   "started_at": Moment("giờ bắt đầu đánh giá"), "ended_at": Moment("giờ kết thúc đánh giá"),
                   "team_json": Json("thành phần đoàn đánh giá", 20_000, list, item=TEAM_MEMBER,
                                     max_items=TEAM_MAX),
                   "scores_json": Json("điểm các tiêu chí", 100_000, dict),
                   "total_score": Number("tổng điểm", 0, 100, integer=False),
                   "rating": Text("xếp loại", 50, required=True),
                   "recommendation": _choice("kiến nghị", Recommendation),
                   "evaluator": Text("người đánh giá", 500), "notes": Text("ghi chú", LONG, multiline=True)},
    "propaganda_activity": {"kind": _choice("hình thức tuyên truyền", PropagandaKind),
                            "activity_date": Day("ngày tuyên truyền", not_future=True),
                            "count": Number("số lượt", 1, 1_000_000, required=True),
                            "note": Text("ghi chú", 500)},
}

# One criterion and one rating band inside a criteria set's JSON (typed in the set's form).
CRITERION = {"name": Text("tên tiêu chí", 300, required=True),
             "weight": Number("trọng số", 0.1, 100, integer=False),
             "max_score": Number("điểm tối đa", 1, 1000, integer=False)}
BAND = {"label": Text("tên mức xếp loại", 50, required=True),
        "min_score": Number("điểm tối thiểu", 0, 100, integer=False)}

# The written sections of a review report: each as long as a meeting's content.
_REPORTS = {"review_narrative": {
    "period_kind": _choice("kỳ báo cáo", PeriodKind), "period_start": Day("ngày đầu kỳ"),
    "period_end": Day("ngày cuối kỳ"),
    **{column: Text(heading.lower(), LONG, multiline=True) for column, heading in NARRATIVE_SECTIONS}}}

_OTHER = {
    # 500: what earlier versions stored and what a key backup carries (the set-up form and the service alike).
    "office": {"upper_office_name": Text("tên cơ quan cấp trên", 500)},
    "unit_succession": {"effective_date": Day("ngày sáp nhập"), "legal_basis": Text("căn cứ", 500)},
    # Audit entries are written by the app, never typed, and can never be corrected:
    # bounded, and their changes valid JSON (``check`` reads them with json_extract),
    # whatever old values they quote.
    "audit_log": {"at": Moment("thời điểm"), "actor": Text("người thực hiện", 200),
                  "action": Text("thao tác", 50), "table_name": Text("bảng", 60),
                  "record_id": Text("mã bản ghi", 100),
                  "changes_json": Json("nội dung thay đổi", 5_000_000, dict, plain_text=False),
                  "chain_id": Text("chuỗi nhật ký", 100), "prev_hash": Text("mã băm trước", 200),
                  "entry_hash": Text("mã băm", 200)},
}

FIELDS: dict[str, dict[str, Rule]] = {
    "admin_unit": _UNIT, "self_managed_group": _GROUP, "household": _HOUSEHOLD, "meeting": _MEETING,
    **_MINUTES_PARTS, **_PLEDGES, **_PREVENTION, **_REPORTS, **_OTHER,
}
_SYNCED_STAMPS = {"created_at": STAMP, "updated_at": STAMP}


def table_rules(table: str) -> dict[str, Rule]:
    """Every rule of a table's columns, the bookkeeping stamps included."""
    rules = FIELDS.get(table, {})
    return {**_SYNCED_STAMPS, **rules} if table not in ("audit_log", "unit_succession", "office") else dict(rules)


def field_rule(table: str, column: str) -> Rule:
    return FIELDS[table][column]


def first_bad_field(table: str, columns: dict[str, list], *, today: date,
                    blank_ok: frozenset[str] = frozenset()) -> tuple[str, int, str] | None:
    """(column, row index, what is wrong) of the first value of ``columns``
    (column -> stored values, one per row) that breaks its rule; None when all
    pass. ``blank_ok``: columns where an empty text is allowed (withheld)."""
    for column, rule in table_rules(table).items():
        if column not in columns:
            continue
        extra = {"blank_ok": True} if isinstance(rule, Text) and column in blank_ok else {}
        found = rule.first_problem(columns[column], today=today, **extra)
        if found is not None:
            return column, found[0], f"trường «{column}» ({rule.label}) {found[1]}"
    return None
