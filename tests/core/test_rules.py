"""One set of rules for stored values (``core/rules``): what breaks each kind
of rule, and every form (service) holding typed values to the very limits an
import holds a package's records to — at the limit accepted, one character
more refused, hidden characters refused."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any, Callable
from unicodedata import normalize

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import AttendanceStatus, Meeting, PledgeStatus, PropagandaKind
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.rules import BAND, CRITERION, FIELDS, Choice, Day, Json, Number, Text, bad_character, field_rule
from gocong_desktop.core.services import groups, hamlets, households, meeting_drafts, meetings, office, prevention_catalogue as model_catalogue, prevention_sites as model_sites, pledge_violations, pledges, prevention, propaganda, review_narrative, units
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.services.review_period import parse_period
from tests.conftest import Seeded, table_counts
from tests.meeting_edits import edit_meeting, opinion, with_agenda_item, with_attendance, with_guest

NEXT_YEAR = date(date.today().year + 1, 1, 15)


# ---- the rules themselves ---------------------------------------------------

@pytest.mark.parametrize("text,multiline,words", [
    ("Trần\x00Tâm", False, "U+0000"), ("\x1b[31mđỏ", False, "U+001B"), ("\x9b31m", False, "U+009B"),
    ("x\x7f", False, "U+007F"), ("Tâm\u202egnp.exe", False, "đảo chiều"), ("\u2066x\u2069", True, "U+2066"),
    ("một\nhai", False, "xuống dòng"), ("a\tb", False, "xuống dòng"), ("a\rb", True, "U+000D"),
    ("lẻ \ud800", True, "hỏng"),
])
def test_hidden_characters_are_named(text: str, multiline: bool, words: str) -> None:
    assert words in bad_character(text, multiline=multiline)


def test_line_breaks_and_tabs_only_where_text_has_lines() -> None:
    assert bad_character("Dòng một\n\tDòng hai", multiline=True) is None
    assert bad_character("Nguyễn Văn Ba – «Tổ 5»", multiline=False) is None


def test_text_rule() -> None:
    rule = Text("tên", 5, required=True)
    assert rule.problem("Hoà") is None
    assert "NFC" in rule.problem("Ho\u0300a")  # "Hoà" with a combining grave accent
    assert "quá dài" in rule.problem("Nguyễn")
    assert "còn trống" in rule.problem("  ")
    assert rule.problem("", blank_ok=True) is None and "còn trống" in rule.problem(" ", blank_ok=True)
    assert rule.first_problem(["An", None, "Bình", "Ho\u0300a"]) == (3, rule.problem("Ho\u0300a"))
    assert rule.first_problem(["An", None, "Bình"]) is None


def test_number_day_choice_and_json_rules() -> None:
    year = Number("năm sinh", 1900, lambda: 2030)
    assert year.first_problem([1950, None, 2030]) is None
    assert year.first_problem([1950, 2031]) == (1, "phải từ 1900 đến 2030")
    assert "số nguyên" in year.problem(True) and "số nguyên" in year.problem(1950.0)
    day = Day("ngày", not_future=True)
    assert day.problem("2024-03-15", today=date(2024, 3, 15)) is None
    assert "tương lai" in day.problem("2024-03-16", today=date(2024, 3, 15))
    assert "1900" in day.problem(date(1899, 12, 31))
    assert "không phải ngày" in day.problem("hôm qua")
    assert Choice("giới tính", ("nam", "nu")).problem("x") == "không hợp lệ (chỉ được là: nam, nu)"
    items = Json("nội dung", 1000, list, item=Text("mục", 10, required=True), max_items=2)
    assert items.problem('["Một", "Hai"]') is None
    assert "JSON" in items.problem("[Một")
    assert "cấu trúc" in items.problem("{}")
    assert "quá nhiều" in items.problem('["a", "b", "c"]')
    assert "mục thứ 2" in items.problem('["a", "\\u0000"]')


# ---- every form holds typed text to the stored column's rule -------------------

_n = itertools.count()


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_n)}"


def _meeting(s, sd: Seeded, **kwargs) -> str:
    return meetings.create_meeting(s, attendance="present", group_id=sd.group_a1, starts_at=datetime(2024, 3, 15, 19, 30), **kwargs)


def _final_meeting(s, sd: Seeded) -> str:
    meeting_id = _meeting(s, sd)
    edit_meeting(s, meeting_id, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
    meetings.finalise_meeting(s, meeting_id)
    return meeting_id


def _model(s) -> str:
    prevention.ensure_default_catalogue(s)
    type_id = model_catalogue.list_model_types(s)[0].id
    return prevention.create_model(s, type_id=type_id, name=_unique("Mô hình"), lead_organisation="Công an xã")


def _pledge(s, sd: Seeded) -> str:
    pledges.open_campaign(s, 2024, opened_on=date(2024, 1, 2))
    return pledges.list_pledges(s, 2024)[0].id


def _evaluate(s, **kwargs) -> str:
    model_id = _model(s)
    criteria = model_catalogue.latest_criteria_set(s)
    return prevention.evaluate_model(s, model_id, criteria_set_id=criteria.id, period_kind="nam",
                                     period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
                                     evaluated_on=date(2024, 12, 31), scores={c.code: 5 for c in criteria.criteria},
                                     recommendation="duy_tri", **kwargs)


def _household(sd: Seeded, **kwargs) -> HouseholdInput:
    return HouseholdInput(**{"head_name": "Lê Văn Tám", "hamlet_id": sd.hamlet_a, **kwargs})


Form = Callable[[Any, Seeded, str], Any]
FORMS: dict[tuple[str, str], Form] = {
    ("household", "head_name"): lambda s, sd, v: households.create_household(s, _household(sd, head_name=v)),
    ("household", "address"): lambda s, sd, v: households.create_household(s, _household(sd, address=v)),
    ("household", "notes"): lambda s, sd, v: households.create_household(s, _household(sd, notes=v)),
    ("self_managed_group", "name"): lambda s, sd, v: groups.save_group(s, hamlet_id=sd.hamlet_a, number=None, name=v),
    ("self_managed_group", "notes"): lambda s, sd, v: groups.save_group(s, hamlet_id=sd.hamlet_a, number=None,
                                                                        name="Tổ mới", notes=v),
    ("admin_unit", "name"): lambda s, sd, v: hamlets.add_hamlet(s, v),
    ("admin_unit", "unit_type"): lambda s, sd, v: hamlets.add_hamlet(s, _unique("Ấp"), unit_type=v),
    ("admin_unit", "code"): lambda s, sd, v: hamlets.add_hamlet(s, _unique("Ấp"), code=v),
    ("meeting", "title"): lambda s, sd, v: _meeting(s, sd, title=v),
    ("meeting", "place"): lambda s, sd, v: _meeting(s, sd, place=v),
    **{("meeting", c): (lambda c: lambda s, sd, v: edit_meeting(s, _meeting(s, sd), **{c: v}))(c)
       for c in ("chair_name", "chair_role", "secretary_name", "secretary_role", "closing_conclusion")},
    ("meeting_guest", "name"): lambda s, sd, v: with_guest(s, _meeting(s, sd), v),
    ("meeting_guest", "role"): lambda s, sd, v: with_guest(s, _meeting(s, sd), "Khách", role=v),
    ("meeting_guest", "organisation"): lambda s, sd, v: with_guest(s, _meeting(s, sd), "Khách", organisation=v),
    ("agenda_item", "title"): lambda s, sd, v: with_agenda_item(s, _meeting(s, sd), v),
    ("agenda_item", "content"): lambda s, sd, v: with_agenda_item(s, _meeting(s, sd), "A", content=v),
    ("agenda_item", "conclusion"): lambda s, sd, v: with_agenda_item(s, _meeting(s, sd), "A", conclusion=v),
    ("agenda_opinion", "speaker_name"): lambda s, sd, v: with_agenda_item(
        s, _meeting(s, sd), "A", opinions=[opinion("Đồng ý", speaker=v)]),
    ("agenda_opinion", "text"): lambda s, sd, v: with_agenda_item(
        s, _meeting(s, sd), "A", opinions=[opinion(v, speaker="Ông Tư")]),
    ("attendance", "reason"): lambda s, sd, v: with_attendance(
        s, _meeting(s, sd), sd.households["Lê Thị Hoa"], AttendanceStatus.ABSENT_EXCUSED, reason=v),
    ("attendance", "representative"): lambda s, sd, v: with_attendance(
        s, _meeting(s, sd), sd.households["Lê Thị Hoa"], AttendanceStatus.PRESENT, representative=v),
    ("meeting_amendment", "reason"): lambda s, sd, v: meetings.amend_meeting(s, _final_meeting(s, sd), reason=v),
    ("meeting_amendment", "amended_by"): lambda s, sd, v: meetings.amend_meeting(s, _final_meeting(s, sd),
                                                                                 reason="Sai tên", amended_by=v),
    ("pledge_template", "title"): lambda s, sd, v: pledges.save_template(s, year=2024, title=v, items=["Một"]),
    ("pledge_template", "subtitle"): lambda s, sd, v: pledges.save_template(s, year=2024, title="BẢN CAM KẾT",
                                                                            items=["Một"], subtitle=v),
    ("pledge", "witness_name"): lambda s, sd, v: pledges.record_signature(
        s, _pledge(s, sd), status=PledgeStatus.SIGNED, signed_date=date(2024, 2, 1), witness_name=v),
    ("pledge", "reason"): lambda s, sd, v: pledges.record_signature(s, _pledge(s, sd), status=PledgeStatus.REFUSED,
                                                                    reason=v),
    ("pledge_violation", "note"): lambda s, sd, v: pledge_violations.record_violation(
        s, sd.households["Phạm Văn An"], violation_date=date(2024, 4, 2), note=v),
    ("model_type", "name"): lambda s, sd, v: model_catalogue.add_model_type(s, v),
    ("model_type", "description"): lambda s, sd, v: model_catalogue.add_model_type(s, _unique("Loại"), description=v),
    **{("prevention_model", c): (lambda c: lambda s, sd, v: prevention.save_model(
        s, model_id=_model(s), type_id=model_catalogue.list_model_types(s)[0].id,
        **{"name": "Mô hình", "lead_organisation": "Công an xã", c: v}))(c)
       for c in ("name", "lead_organisation", "description")},
    ("prevention_model", "scope"): lambda s, sd, v: prevention.create_model(
        s, type_id=(prevention.ensure_default_catalogue(s), model_catalogue.list_model_types(s)[0].id)[1],
        name="Mô hình", lead_organisation="Công an xã", scope=v),
    ("prevention_model", "status_reason"): lambda s, sd, v: prevention.set_model_status(
        s, _model(s), "paused", when=date(2024, 5, 1), reason=v),
    ("model_site", "road_name"): lambda s, sd, v: model_sites.save_site(s, _model(s), road_name=v),
    ("model_site", "note"): lambda s, sd, v: model_sites.save_site(s, _model(s), road_name="Đường đê", note=v),
    ("evaluation", "evaluator"): lambda s, sd, v: _evaluate(s, evaluator=v),
    ("evaluation", "notes"): lambda s, sd, v: _evaluate(s, notes=v),
    ("propaganda_activity", "note"): lambda s, sd, v: propaganda.record_activity(
        s, kind=PropagandaKind.RADIO, activity_date=date(2024, 3, 1), note=v),
    ("criteria_set", "name"): lambda s, sd, v: model_catalogue.save_criteria_set(
        s, code="bo", name=v, criteria=[{"name": "Tổ chức", "weight": 1, "max_score": 10}],
        bands=[{"label": "Đạt", "min_score": 50}, {"label": "Chưa đạt", "min_score": 0}]),
    ("criteria_set", "code"): lambda s, sd, v: model_catalogue.save_criteria_set(
        s, code=v, name="Bộ", criteria=[{"name": "Tổ chức", "weight": 1, "max_score": 10}],
        bands=[{"label": "Đạt", "min_score": 50}, {"label": "Chưa đạt", "min_score": 0}]),
    **{("review_narrative", c): (lambda c: lambda s, sd, v: review_narrative.save_narrative(
        s, parse_period("2024-H1"), {c: v}))(c) for c in review_narrative.SECTION_KEYS},
    ("office", "upper_office_name"): lambda s, sd, v: office.set_upper_office_name(s, v),
    ("unit_succession", "legal_basis"): lambda s, sd, v: units.record_merge(
        s, [units.add_unit(s, level="commune", name=_unique("Xã"))], units.add_unit(s, level="commune", name="Mới"),
        effective_date=date(2025, 7, 1), legal_basis=v),
}

# Columns no one types: derived from what was typed, or written by the app.
NOT_TYPED = {"name_fold", "name_sort_key", "search_fold", "content_hash", "previous_hash", "previous_snapshot",
             "items_json", "criteria_json", "bands_json", "scores_json", "rating"}


def test_every_typed_text_column_has_a_form_test() -> None:
    typed = {(t, c) for t, rules in FIELDS.items() if t != "audit_log"
             for c, rule in rules.items() if isinstance(rule, Text) and c not in NOT_TYPED}
    assert typed - FORMS.keys() == set()


def _refused(seeded: Seeded, form: Form, value: str, words: str) -> None:
    before = table_counts(seeded.db.path)
    with pytest.raises(ValidationError) as caught:
        with seeded.db.session() as s:
            form(s, seeded, value)
    assert words in caught.value.message
    assert table_counts(seeded.db.path) == before


@pytest.mark.parametrize("table,column", sorted(FORMS), ids=[f"{t}.{c}" for t, c in sorted(FORMS)])
def test_forms_hold_text_to_the_stored_rule(seeded: Seeded, table: str, column: str) -> None:
    rule, form = field_rule(table, column), FORMS[(table, column)]
    longest = "Ánh " * (rule.max_len // 4) + "x" * (rule.max_len % 4)
    with seeded.db.session() as s:
        form(s, seeded, longest)  # exactly at the limit: accepted
    _refused(seeded, form, longest + "x", "quá dài")
    for hidden, code in (("Trần\x00Tâm", "U+0000"), ("\x1b[31mTâm", "U+001B"), ("Tâm\u202egnp", "U+202E"),
                         ("Tâm\u2066x", "U+2066"), ("Lợi\x9bAn", "U+009B")):
        _refused(seeded, form, hidden, code)


def _criteria_set(s, criterion: str = "Tổ chức", band: str = "Đạt") -> str:
    return model_catalogue.save_criteria_set(s, code="bo", name="Bộ", criteria=[
        {"name": criterion, "weight": 1, "max_score": 10}],
        bands=[{"label": band, "min_score": 50}, {"label": "Chưa đạt", "min_score": 0}])


@pytest.mark.parametrize("rule,form", [(CRITERION["name"], lambda s, v: _criteria_set(s, criterion=v)),
                                       (BAND["label"], lambda s, v: _criteria_set(s, band=v))],
                         ids=["criterion.name", "band.label"])
def test_criteria_and_bands_hold_text_to_their_rules(seeded: Seeded, rule: Text, form) -> None:
    """The items inside a criteria set's JSON follow ``core/rules`` too."""
    longest = "Ánh " * (rule.max_len // 4) + "x" * (rule.max_len % 4)
    with seeded.db.session() as s:
        form(s, longest)
    _refused(seeded, lambda s, sd, v: form(s, v), longest + "x", "quá dài")
    _refused(seeded, lambda s, sd, v: form(s, v), "Trần\x00Tâm", "U+0000")


def test_forms_store_typed_text_in_nfc(seeded: Seeded) -> None:
    """Where an import refuses NFD text, a form normalises what a keyboard sent."""
    with seeded.db.session() as s:
        hid = households.create_household(s, _household(seeded, head_name=normalize("NFD", "Nguyễn Thị Ánh")))
        assert households.household_input(s, hid).head_name == normalize("NFC", "Nguyễn Thị Ánh")


# ---- numbers, choices and dates ----------------------------------------------

NUMBERS_CHOICES_DATES = [
    ("birth_year_9999", lambda s, sd: households.create_household(s, _household(sd, birth_year=9999)),
     "Năm sinh phải từ 1900"),
    ("birth_year_negative", lambda s, sd: households.create_household(s, _household(sd, birth_year=-5)), "Năm sinh"),
    ("members_negative", lambda s, sd: households.create_household(s, _household(sd, members=-3)),
     "Số nhân khẩu phải từ 1 đến 50"),
    ("votes_negative", lambda s, sd: with_agenda_item(s, _meeting(s, sd), "A", votes=(-1, 0, 0)),
     "Số phiếu phải từ 0"),
    ("group_number_zero", lambda s, sd: groups.save_group(s, hamlet_id=sd.hamlet_a, number=0), "Số tổ"),
    ("propaganda_count_zero", lambda s, sd: propaganda.record_activity(
        s, kind=PropagandaKind.RADIO, activity_date=date(2024, 3, 1), count=0), "Số lượt"),
    ("cameras_negative", lambda s, sd: model_sites.save_site(s, _model(s), road_name="Đường đê", cameras=-1),
     "Số lượng"),
    ("cameras_too_many", lambda s, sd: prevention.add_site(s, _model(s), road_name="Đường đê", cameras=10 ** 6),
     "Số lượng"),
    ("violation_item_500", lambda s, sd: pledge_violations.record_violation(
        s, sd.households["Phạm Văn An"], violation_date=date(2024, 4, 2), item_number=500), "Nội dung vi phạm"),
    ("template_year_1999", lambda s, sd: pledges.save_template(s, year=1999, title="BẢN CAM KẾT", items=["Một"]),
     "Năm phải từ 2000"),
    ("template_item_too_long", lambda s, sd: pledges.save_template(s, year=2024, title="BẢN CAM KẾT",
                                                                    items=["x" * 2001]), "quá dài"),
    ("template_with_101_items", lambda s, sd: pledges.save_template(s, year=2024, title="BẢN CAM KẾT",
                                                                     items=["Một"] * 101), "tối đa 100"),
    ("criteria_set_with_201_criteria", lambda s, sd: model_catalogue.save_criteria_set(
        s, code="bo", name="Bộ", criteria=[{"name": f"Tiêu chí {n}", "weight": 1, "max_score": 10} for n in range(201)],
        bands=[{"label": "Đạt", "min_score": 50}, {"label": "Chưa đạt", "min_score": 0}]), "tối đa 200"),
    ("criterion_weight_zero", lambda s, sd: model_catalogue.save_criteria_set(
        s, code="bo", name="Bộ", criteria=[{"name": "Tổ chức", "weight": 0, "max_score": 10}],
        bands=[{"label": "Đạt", "min_score": 50}, {"label": "Chưa đạt", "min_score": 0}]),
     "Trọng số của «Tổ chức» phải là số từ 0.1 đến 100."),
    ("unknown_gender", lambda s, sd: households.create_household(s, _household(sd, gender="x")), "Giới tính"),
    ("unknown_attendance_status", lambda s, sd: with_attendance(
        s, _meeting(s, sd), sd.households["Lê Thị Hoa"], "sleeping"), "Trạng thái tham dự"),
    ("unknown_pledge_status", lambda s, sd: pledges.record_signature(s, _pledge(s, sd), status="maybe"),
     "Trạng thái cam kết"),
    ("unknown_model_status", lambda s, sd: prevention.set_model_status(s, _model(s), "gone", when=date(2024, 1, 1)),
     "Trạng thái mô hình"),
    ("violation_in_the_future", lambda s, sd: pledge_violations.record_violation(
        s, sd.households["Phạm Văn An"], violation_date=NEXT_YEAR), "không được ở tương lai"),
    ("moved_out_in_the_future", lambda s, sd: households.mark_moved_out(s, sd.households["Phạm Văn An"], NEXT_YEAR),
     "Ngày chuyển đi không được ở tương lai"),
    ("activity_in_the_future", lambda s, sd: propaganda.record_activity(
        s, kind=PropagandaKind.RADIO, activity_date=NEXT_YEAR), "Ngày tuyên truyền"),
    ("signed_in_the_future", lambda s, sd: pledges.record_signature(
        s, _pledge(s, sd), status=PledgeStatus.SIGNED, signed_date=NEXT_YEAR), "Ngày ký"),
    ("meeting_in_2300", lambda s, sd: meetings.create_meeting(s, attendance="present", group_id=sd.group_a1,
                                                              starts_at=datetime(2300, 1, 1, 19, 30)), "2100"),
    ("model_started_in_1800", lambda s, sd: prevention.create_model(
        s, type_id=(prevention.ensure_default_catalogue(s), model_catalogue.list_model_types(s)[0].id)[1],
        name="Mô hình", lead_organisation="Công an xã", start_date=date(1800, 1, 1)), "1900"),
    ("attendance_of_another_group", lambda s, sd: with_attendance(
        s, _meeting(s, sd), sd.households["Phạm Văn An"], AttendanceStatus.PRESENT), "không thuộc tổ"),
]


@pytest.mark.parametrize("form,words", [c[1:] for c in NUMBERS_CHOICES_DATES],
                         ids=[c[0] for c in NUMBERS_CHOICES_DATES])
def test_forms_hold_numbers_choices_and_dates_to_the_stored_rule(seeded: Seeded, form, words: str) -> None:
    _refused(seeded, lambda s, sd, _v: form(s, sd), "", words)


def test_a_draft_lists_only_households_of_its_group(seeded: Seeded) -> None:
    """The meeting editor: a household that belongs to
    another group is not added to a meeting's attendance."""
    with seeded.db.session() as s:
        meeting_id = _meeting(s, seeded)
    with seeded.db.session() as s:
        draft = meeting_drafts.load_draft(s, meeting_id)
        draft.attendance.append(meeting_drafts.AttendanceDraft(household_id=seeded.households["Phạm Văn An"]))
        with pytest.raises(ValidationError, match="không thuộc tổ") as caught:
            meeting_drafts.save_draft(s, meeting_id, draft)
    assert caught.value.field == f"attendance[{len(draft.attendance) - 1}].household_id"
    with seeded.db.session() as s:
        assert s.exec(select(Meeting).where(Meeting.id == meeting_id)).one().version == 1
