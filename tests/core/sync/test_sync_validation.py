"""Validation behind the signature: packages signed with a trusted commune's
real key, but whose records break the app's rules, are refused whole — with a
message naming the record and the rule — and the upper office's database is
byte-for-byte unchanged. Imported unchecked, the packages marked ``breaks_check``
would leave ``check`` failing for good."""

from __future__ import annotations

import json
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.services import meetings, pledge_violations
from gocong_desktop.core.services.privacy import PERSONAL_FIELDS, set_sync_personal_fields
from gocong_desktop.core.services.search_keys import household_search_fold, household_sort_key
from gocong_desktop.core.sync import export_package, import_package, importer
from gocong_desktop.core.sync.errors import InvalidRecord, PackageRefused
from gocong_desktop.core.sync.ledger import missing_sequences
from tests.conftest import copy_database, seed
from tests.meeting_edits import edit_meeting, opinion, with_agenda_item, with_guest
from tests.core.prevention_scenario import build_scenario
from tests.core.sync.conftest import file_problems, dump, fingerprint_of, unit_of
from tests.core.sync.forge import edit_lines, forge, members, signing_key


@dataclass
class Commune:
    package: Path  # a full package of everything below
    key: Ed25519PrivateKey
    fingerprint: str
    final_meeting: str  # with two guests, an agenda item and an opinion


def _final_meeting(s, seeded) -> str:
    h = seeded.households
    meeting_id = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 8, 15, 19, 30))
    with_guest(s, meeting_id, "Đ/c Trần Văn Hải", role="Phó Trưởng Công an xã")
    with_guest(s, meeting_id, "Bà Nguyễn Thị Lan", organisation="Hội LHPN xã")
    with_agenda_item(s, meeting_id, "Phòng, chống trộm cắp tài sản", content="Lắp thêm đèn.", votes=(3, 0, 0),
                     opinions=[opinion("Đề nghị lắp đèn ở đầu hẻm.", household_id=h["Lê Thị Hoa"])])
    edit_meeting(s, meeting_id, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
    meetings.finalise_meeting(s, meeting_id)
    return meeting_id


@pytest.fixture(scope="module")
def commune(tmp_path_factory, _set_up_file: Path) -> Commune:
    """xã Bình Tân with a bit of everything (registers, meetings, pledges,
    models, propaganda, a violation), exported once as a full package."""
    folder = tmp_path_factory.mktemp("validation")
    copy_database(_set_up_file, folder / "xa.db")
    db = open_database(folder / "xa.db")
    try:
        seeded = seed(db)
        build_scenario(seeded)
        with db.session(actor="tester") as s:
            final = _final_meeting(s, seeded)
            pledge_violations.record_violation(s, seeded.households["Phạm Văn An"], violation_date=date(2024, 4, 2),
                                               item_number=2, note="Đánh bạc")
            pledge_violations.set_include_violations_in_sync(s, True)
            # Every field sent: the upper office can then recompute minutes hashes (not when a
            # part of the minutes, such as absence reasons, stays home).
            set_sync_personal_fields(s, PERSONAL_FIELDS)
        (folder / "usb").mkdir()
        package = export_package(db, folder / "usb").path
        return Commune(package, signing_key(db), fingerprint_of(package), final)
    finally:
        db.close()


# ---- the hostile packages --------------------------------------------------

Rows = list[dict]


def content(rows: Rows, **match) -> dict:
    """The content of the first record whose content has every ``match`` value."""
    return next(r["content"] for r in rows if all(r["content"].get(k) == v for k, v in match.items()))


def record(rows: Rows, **match) -> dict:
    return next(r for r in rows if all(r["content"].get(k) == v for k, v in match.items()))


def head(rows: Rows, name: str = "Trần Minh Tâm") -> dict:
    return content(rows, head_name=name)


def household_id(ctx: dict, name: str) -> str:
    return record(ctx["household"], head_name=name)["id"]


@dataclass
class Case:
    id: str
    kind: str | None  # the payload edited; None: the manifest
    edit: Callable  # (rows, ctx) for a payload; (manifest dict, ctx) for the manifest
    fragments: tuple[str, ...]
    code: str = "invalid_record"
    breaks_check: bool = False  # imported unchecked, ``check`` would fail for good
    needs: tuple[str, ...] = field(default=())  # other payloads the edit reads (in ``ctx``)


def _set(pick: Callable[[Rows], dict], **values) -> Callable:
    def edit(rows: Rows, ctx: dict) -> None:
        pick(rows).update(values)
    return edit


def _final(rows: Rows, ctx: dict) -> dict:
    return next(r["content"] for r in rows if r["id"] == ctx["final_meeting"])


def _draft_meeting(rows: Rows) -> dict:
    return record(rows, starts_at="2024-02-10 19:30:00.000000")


def _moved_to_another_group(rows: Rows, ctx: dict) -> None:
    meeting = _draft_meeting(ctx["meeting"])
    row = next(r for r in rows if r["content"]["meeting_id"] == meeting["id"])
    row["content"]["household_id"] = household_id(ctx, "Phạm Văn An")  # of Tổ 2, the meeting is Tổ 1's


def _in_another_hamlet(rows: Rows, ctx: dict) -> None:
    head(rows, "Nguyễn Văn Ba")["hamlet_id"] = record(ctx["admin_unit"], name="Đồng Sơn")["id"]  # Tổ 1 is in Lợi An


def _leader_of_another_group(rows: Rows, ctx: dict) -> None:
    content(rows, number=1)["leader_household_id"] = household_id(ctx, "Phạm Văn An")


def _retitled_final_item(rows: Rows, ctx: dict) -> None:
    next(r for r in rows if r["content"]["meeting_id"] == ctx["final_meeting"])["content"]["title"] = "Khác"


def _voted_item_in_the_draft(rows: Rows, ctx: dict) -> None:
    """A new item of the 10/02 draft (Tâm absent: 2 of 3 households present) with 3 votes for."""
    item = json.loads(json.dumps(next(r for r in rows if r["content"]["meeting_id"] == ctx["final_meeting"])))
    item["id"] = str(uuid.uuid4())
    item["content"].update(meeting_id=_draft_meeting(ctx[MEETING])["id"], votes_for=3, votes_against=0,
                           votes_other=0, title="Biểu quyết quá số hộ")
    rows.append(item)


def _absent_under_the_votes(rows: Rows, ctx: dict) -> None:
    """The final minutes' item has 3 votes for: one of the 3 households marked absent."""
    next(r for r in rows if r["content"]["meeting_id"] == ctx["final_meeting"])["content"].update(
        status="absent_unexcused")


def _unmarked_in_final(rows: Rows, ctx: dict) -> None:
    """One household of the final minutes left unmarked, as no app can finalise them."""
    next(r for r in rows if r["content"]["meeting_id"] == ctx["final_meeting"])["content"].update(status="unmarked")


def _same_position(rows: Rows, ctx: dict) -> None:
    guests = [r["content"] for r in rows if r["content"]["meeting_id"] == ctx["final_meeting"]]
    guests[1]["position"] = guests[0]["position"]


def _dangling(column: str) -> Callable:
    def edit(rows: Rows, ctx: dict) -> None:
        rows[0]["content"][column] = str(uuid.uuid4())
    return edit


def _upper_unit(rows: Rows, ctx: dict) -> None:
    head(rows)["hamlet_id"] = ctx["upper_unit"]


def _sender(**values) -> Callable:
    def edit(doc: dict, ctx: dict) -> None:
        doc["sender"].update(values)
    return edit


def _manifest(**values) -> Callable:
    def edit(doc: dict, ctx: dict) -> None:
        doc.update(values)
    return edit


def _envelope(**values) -> Callable:
    def edit(rows: Rows, ctx: dict) -> None:
        rows[0].update(values)
    return edit


def _audit_changes(rows: Rows, ctx: dict) -> None:
    next(r for r in rows if r["changes_json"])["changes_json"] = '{"head_name": ['


NEXT_YEAR = f"{date.today().year + 1}-01-15"
HH, GROUP, MEETING = "household", "self_managed_group", "meeting"
CASES = [
    # text: lengths, characters, normal form, blanks
    Case("name_1mb", HH, _set(head, head_name="A" * 1_000_000), ("head_name", "quá dài", "tối đa 100")),
    Case("nul_in_name", HH, _set(head, head_name="Trần Minh\x00Tâm"), ("head_name", "U+0000")),
    Case("terminal_escape", HH, _set(head, head_name="\x1b[2J\x1b[31mTrần Minh Tâm"), ("U+001B",)),
    Case("c1_csi", "admin_unit", _set(lambda rows: content(rows, name="Lợi An"), name="Lợi\x9bAn"),
         ("đơn vị hành chính", "U+009B")),
    Case("right_to_left_override", HH, _set(head, head_name="Trần Minh Tâm\u202egnp.exe"),
         ("đảo chiều", "U+202E")),
    Case("bidi_isolate_in_notes", HH, _set(head, notes="Ghi chú \u2066x\u2069"), ("notes", "U+2066")),
    Case("nfd_name", HH, _set(head, head_name=unicodedata.normalize("NFD", "Trần Minh Tâm")),
         ("head_name", "NFC")),
    Case("blank_name", HH, _set(head, head_name="   "), ("head_name", "còn trống")),
    Case("empty_group_name", GROUP, _set(lambda rows: content(rows, number=2), name=""),
         ("tổ NDTQ", "còn trống")),
    Case("line_break_in_address", HH, _set(head, address="10 đường\nliên ấp"), ("address", "xuống dòng")),
    Case("carriage_return_in_minutes", MEETING,
         _set(lambda rows: _draft_meeting(rows)["content"], closing_conclusion="Kết luận\rx"),
         ("closing_conclusion", "U+000D")),
    Case("control_in_sort_key", HH, _set(head, name_sort_key="\x07"), ("name_sort_key", "U+0007")),
    # numbers, choices, dates
    Case("birth_year_9999", HH, _set(head, birth_year=9999), ("birth_year", "phải từ 1900")),
    Case("birth_year_negative", HH, _set(head, birth_year=-5), ("birth_year",)),
    Case("members_negative", HH, _set(head, members=-3), ("members", "phải từ 1 đến 50")),
    Case("votes_negative", "agenda_item", _set(lambda rows: rows[0]["content"], votes_for=-1),
         ("votes_for",)),  # check recomputes only this office's own minutes hashes (privacy may blank theirs)
    Case("group_number_zero", GROUP, _set(lambda rows: content(rows, number=2), number=0), ("number",)),
    Case("propaganda_count_zero", "propaganda_activity",
         _set(lambda rows: rows[0]["content"], count=0), ("count",)),
    Case("cameras_negative", "model_site", _set(lambda rows: rows[0]["content"], cameras=-1),
         ("cameras",)),
    Case("score_over_100", "evaluation", _set(lambda rows: rows[0]["content"], total_score=1e6),
         ("total_score",)),
    Case("unknown_gender", HH, _set(head, gender="x"), ("gender", "nam, nu")),
    Case("unknown_pledge_status", "pledge", _set(lambda rows: rows[0]["content"], status="maybe"),
         ("status",)),
    Case("unknown_attendance_status", "attendance",
         _set(lambda rows: rows[0]["content"], status="sleeping"), ("status",)),
    Case("unknown_meeting_kind", MEETING, _set(lambda rows: rows[0]["content"], kind="secret"),
         ("kind",)),
    Case("unknown_unit_level", "admin_unit",
         _set(lambda rows: content(rows, name="Lợi An"), level="galaxy"), ("level",)),
    Case("violation_in_the_future", "pledge_violation",
         _set(lambda rows: rows[0]["content"], violation_date=NEXT_YEAR), ("tương lai",)),
    Case("moved_out_in_1800", HH, _set(head, moved_out_date="1800-01-01"), ("moved_out_date", "1900")),
    Case("meeting_in_2300", MEETING,
         _set(lambda rows: _draft_meeting(rows)["content"], starts_at="2300-01-01 19:30:00.000000"),
         ("starts_at", "2100")),
    Case("meeting_ends_before_it_starts", MEETING,
         _set(lambda rows: _draft_meeting(rows)["content"], ends_at="2024-02-10 08:00:00.000000"),
         ("giờ kết thúc",)),
    # an evaluation's period and hours (the form's rules), and its team
    Case("evaluation_of_a_period_not_ended", "evaluation",
         _set(lambda rows: rows[0]["content"], period_start="2024-01-01", period_end="2024-12-31",
              evaluated_on="2024-07-05", started_at="2024-07-05 08:00:00.000000",
              ended_at="2024-07-05 10:00:00.000000"), ("chưa kết thúc", "31/12/2024"),
         breaks_check=True),
    Case("evaluation_ends_before_it_starts", "evaluation", _set(
        lambda rows: rows[0]["content"], period_start="2024-01-01", period_end="2024-06-30",
        evaluated_on="2024-07-05", started_at="2024-07-05 10:00:00.000000", ended_at="2024-07-05 08:00:00.000000"),
         ("đánh giá mô hình", "giờ kết thúc phải sau giờ bắt đầu"), breaks_check=True),
    Case("evaluation_ends_as_it_starts_written_otherwise", "evaluation", _set(
        lambda rows: rows[0]["content"], period_start="2024-01-01", period_end="2024-06-30",
        evaluated_on="2024-07-05", started_at="2024-07-05 08:00:00", ended_at="2024-07-05 08:00:00.000000"),
         ("giờ kết thúc phải sau giờ bắt đầu",), breaks_check=True),
    Case("evaluation_team_of_500", "evaluation", _set(lambda rows: rows[0]["content"], team_json=json.dumps(
        [{"name": f"Người {n}", "role": None} for n in range(500)], ensure_ascii=False)),
         ("team_json", "tối đa 30")),
    Case("evaluation_team_member_not_nfc", "evaluation", _set(lambda rows: rows[0]["content"], team_json=json.dumps(
        [{"name": unicodedata.normalize("NFD", "Trần Minh Tâm")}])), ("team_json", "họ tên", "NFC")),  # \u escapes
    Case("evaluation_team_member_with_a_key_of_its_own", "evaluation", _set(
        lambda rows: rows[0]["content"], team_json='[{"name": "Trần Minh Tâm", "cccd": "079000000001"}]'),
         ("team_json", "thành viên đoàn đánh giá gồm")),
    Case("phone_not_a_phone", HH, _set(head, phone="0123"), ("phone", "điện thoại")),
    Case("citizen_id_not_a_cccd", HH, _set(head, citizen_id="12345"), ("citizen_id", "12 chữ số")),
    Case("signed_without_date", "pledge",
         _set(lambda rows: content(rows, status="signed"), signed_date=None), ("ngày ký",)),
    Case("template_items_not_json", "pledge_template",
         _set(lambda rows: rows[0]["content"], items_json="[Điều 1"), ("items_json", "JSON")),
    Case("criteria_not_a_list", "criteria_set",
         _set(lambda rows: rows[0]["content"], criteria_json="{}"), ("criteria_json", "cấu trúc")),
    Case("audit_changes_not_json", "audit_log", _audit_changes, ("changes_json", "JSON")),  # the chain check refuses it too
    # versions
    Case("version_2_63", HH, _envelope(version=2 ** 63 - 1), ("phiên bản",)),
    Case("version_2_31", HH, _envelope(version=2 ** 31), ("phiên bản",)),
    # references
    Case("dangling_hamlet", HH, _dangling("hamlet_id"), ("hamlet_id", "không có trong gói"), breaks_check=True),
    Case("dangling_group", HH, _dangling("group_id"), ("group_id", "tổ NDTQ"), breaks_check=True),
    Case("dangling_attendance_household", "attendance", _dangling("household_id"), ("household_id",),
         breaks_check=True),
    Case("dangling_campaign_template", "pledge_campaign", _dangling("template_id"), ("template_id",),
         breaks_check=True),
    Case("reference_not_an_id", HH, _set(head, hamlet_id="\x1b[2J" + "A" * 1_000_000), ("hamlet_id", "UUID")),
    Case("id_with_a_line_break", HH, lambda rows, ctx: rows[0].update(id=rows[0]["id"] + "\n"), ("«id»",)),
    Case("hamlet_of_another_unit", HH, _upper_unit, ("hamlet_id", "thuộc đơn vị khác"), breaks_check=True),
    # what ``check`` verifies
    Case("household_outside_its_groups_hamlet", HH, _in_another_hamlet, ("ấp khác",), breaks_check=True,
         needs=("admin_unit",)),
    Case("leader_of_another_group", GROUP, _leader_of_another_group, ("tổ trưởng",), breaks_check=True,
         needs=(HH,)),
    Case("attendance_of_another_group", "attendance", _moved_to_another_group, ("chưa từng thuộc",),
         breaks_check=True, needs=(HH, MEETING)),
    Case("wrong_minutes_hash", MEETING, lambda rows, ctx: _final(rows, ctx).update(content_hash="0" * 64),
         ("mã băm", "cuộc họp")),
    Case("final_minutes_edited_after_finalising", "agenda_item", _retitled_final_item, ("mã băm", "cuộc họp")),
    Case("final_minutes_without_number", MEETING,
         lambda rows, ctx: _final(rows, ctx).update(minutes_number=None), ("số, năm",), breaks_check=True),
    Case("two_guests_in_one_place", "meeting_guest", _same_position, ("cùng vị trí",)),
    Case("votes_above_the_households_present", "agenda_item", _voted_item_in_the_draft,
         ("biên bản Tổ NDTQ số 1 ngày 10/02/2024", "nội dung 1 «Biểu quyết quá số hộ»: tổng số biểu quyết 3",
          "vượt quá số hộ có mặt (2)"), breaks_check=True, needs=(MEETING,)),
    Case("household_marked_absent_under_the_votes", "attendance", _absent_under_the_votes,
         ("biên bản Tổ NDTQ số 1 ngày 15/08/2024", "vượt quá số hộ có mặt (2)"), breaks_check=True),
    Case("final_minutes_with_a_household_unmarked", "attendance", _unmarked_in_final,
         ("biên bản Tổ NDTQ số 1 ngày 15/08/2024", "đã hoàn tất nhưng còn 1 hộ chưa điểm danh")),
    # the manifest
    Case("violations_not_declared", None, _manifest(includes_violations=False), ("vi phạm cam kết", "khai báo")),
    Case("sender_name_200kb", None, _sender(unit_name="Bình Tân" * 25_000), ("tên đơn vị", "quá dài"),
         code="manifest"),
    Case("sender_name_nul", None, _sender(unit_name="Bình\x00Tân"), ("U+0000",), code="manifest"),
    Case("sender_type_rlo", None, _sender(unit_type="xã\u202e"), ("loại đơn vị", "U+202E"), code="manifest"),
    Case("sender_code_1kb", None, _sender(unit_code="2" * 1000), ("mã đơn vị",), code="manifest"),
    Case("sequence_beyond_2_31", None, _manifest(sequence=2 ** 31), ("số thứ tự",), code="sequence"),
    Case("first_package_is_an_increment_from_99", None, _manifest(sequence=99, full=False, since_sequence=98),
         ("gói toàn bộ",), code="sequence_jump"),
]


def _forged(commune: Commune, case: Case, tmp_path: Path, upper) -> Path:
    parts = members(commune.package)
    ctx = {"final_meeting": commune.final_meeting, "upper_unit": unit_of(upper)}
    for kind in (*case.needs, *([case.kind] if case.kind else [])):
        ctx[kind] = [json.loads(line) for line in parts[f"data/{kind}.jsonl"].decode().splitlines()]
    if case.kind is None:
        return forge(commune.package, tmp_path / "forged.gcsync", commune.key,
                     manifest=lambda doc: case.edit(doc, ctx))
    return forge(commune.package, tmp_path / "forged.gcsync", commune.key,
                 payload={f"data/{case.kind}.jsonl": edit_lines(lambda rows: case.edit(rows, ctx))})


def test_the_genuine_package_is_accepted_and_check_passes(commune: Commune, upper) -> None:
    result = import_package(upper, commune.package, trust=[commune.fingerprint])
    assert result.status == "imported" and result.changes["meeting"].new == 7
    assert file_problems(upper) == []


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_package_is_refused_and_nothing_changes(commune: Commune, upper, tmp_path: Path, case: Case) -> None:
    forged = _forged(commune, case, tmp_path, upper)
    before = dump(upper)
    for dry_run in (True, False):
        with pytest.raises(PackageRefused) as caught:
            import_package(upper, forged, trust=[commune.fingerprint], dry_run=dry_run)
        message = str(caught.value)
        assert caught.value.code == case.code, message
        for fragment in case.fragments:
            assert fragment in message
        if case.code == "invalid_record":
            assert "dòng" in message and "không nhập bản ghi nào" in message
    assert len(message) < 600  # one readable line, even for a 1 MB name
    assert dump(upper) == before


CHECK_BREAKERS = [c for c in CASES if c.breaks_check]


@pytest.mark.upper_sqlite
@pytest.mark.parametrize("case", CHECK_BREAKERS, ids=[c.id for c in CHECK_BREAKERS])
def test_without_validation_the_package_would_leave_check_failing(commune: Commune, upper, tmp_path: Path,
                                                                  case: Case, monkeypatch) -> None:
    """Why the rules above are needed: the same package imported unchecked."""
    forged = _forged(commune, case, tmp_path, upper)
    monkeypatch.setattr(importer, "validate_import", lambda *args: None)
    assert import_package(upper, forged, trust=[commune.fingerprint]).status == "imported"
    assert check_database(upper.path) != []


def _bumped(edit: Callable) -> Callable:
    """``edit`` on the record it changes, with that record's version and change
    counter raised (a newer edit, as the commune's next change would be stamped)."""
    def apply(rows: Rows, ctx: dict) -> None:
        before = [json.dumps(r, sort_keys=True) for r in rows]
        edit(rows, ctx)
        for r, old in zip(rows, before):
            if json.dumps(r, sort_keys=True) != old:
                r["version"] += 1
                r["content"]["change_seq"] += 1000
    return apply


def _group_moved_without_its_households(rows: Rows, ctx: dict) -> None:
    content(rows, number=1)["hamlet_id"] = record(ctx["admin_unit"], name="Đồng Sơn")["id"]


LATER = [
    Case("final_item_retitled_later", "agenda_item", _bumped(_retitled_final_item), ("nội dung họp", "mã băm")),
    Case("group_moved_without_households", GROUP, _bumped(_group_moved_without_its_households),
         ("tổ NDTQ", "ấp khác"), needs=("admin_unit",)),
]


@pytest.mark.parametrize("case", LATER, ids=[c.id for c in LATER])
def test_a_later_package_may_not_break_what_is_stored(commune: Commune, upper, tmp_path: Path, case: Case) -> None:
    """A package changing one record is checked with the records stored before:
    minutes already received, households left in a group's old hamlet."""
    import_package(upper, commune.package, trust=[commune.fingerprint])
    forged = _forged(commune, case, tmp_path, upper)
    later = forge(forged, tmp_path / "later.gcsync", commune.key, manifest=lambda doc: doc.update(
        package_uuid=str(uuid.uuid4()), sequence=2, full=False, since_sequence=1,
        change_seq=doc["change_seq"] + 1000))  # the counter the bumped records were stamped within
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, later)
    for fragment in case.fragments:
        assert fragment in str(caught.value)
    assert dump(upper) == before


def test_withheld_names_are_not_blank_names(commune: Commune, upper, tmp_path: Path) -> None:
    """An office that keeps names home sends them empty and says so in its
    manifest: that is allowed; blank names it does not declare withheld are not."""
    def withhold(rows: Rows) -> None:
        for r in rows:
            r["content"].update(head_name="", name_sort_key="", search_fold="")

    def declare(doc: dict) -> None:
        doc["withheld"] = {"household": ["head_name", "name_sort_key", "search_fold"]}
    blank = forge(commune.package, tmp_path / "blank.gcsync", commune.key,
                  payload={"data/household.jsonl": edit_lines(withhold)})
    before = dump(upper)
    with pytest.raises(InvalidRecord):
        import_package(upper, blank, trust=[commune.fingerprint])
    assert dump(upper) == before
    withheld = forge(commune.package, tmp_path / "withheld.gcsync", commune.key, manifest=declare,
                     payload={"data/household.jsonl": edit_lines(withhold)})
    assert import_package(upper, withheld, trust=[commune.fingerprint]).status == "imported"


def test_a_manifest_may_declare_only_personal_columns_withheld(commune: Commune, upper, tmp_path: Path) -> None:
    forged = forge(commune.package, tmp_path / "khai-gia.gcsync", commune.key,
                   manifest=lambda doc: doc.update(withheld={"household": ["hamlet_id"]}))
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, forged, trust=[commune.fingerprint])
    assert "không gửi" in str(caught.value) and dump(upper) == before


# ---- sequence numbers -------------------------------------------------------


def _numbered(commune: Commune, tmp_path: Path, sequence: int, *, full: bool = False) -> Path:
    values = dict(package_uuid=str(uuid.uuid4()), sequence=sequence, full=full,
                  since_sequence=None if full else sequence - 1)
    return forge(commune.package, tmp_path / f"{sequence}.gcsync", commune.key,
                 manifest=lambda doc: doc.update(values))


def test_an_increment_far_beyond_the_newest_package_is_refused(commune: Commune, upper, tmp_path: Path) -> None:
    """The forged "99 after 1" that used to keep gap warnings alive for ever:
    refused (a full package would be accepted); 21 is near enough, and the
    gap it leaves ends when a full package arrives."""
    import_package(upper, commune.package, trust=[commune.fingerprint])
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, _numbered(commune, tmp_path, 99))
    assert caught.value.code == "sequence_jump" and "gói số 1" in str(caught.value)
    assert dump(upper) == before
    near = import_package(upper, _numbered(commune, tmp_path, 21))
    assert near.missing == list(range(2, 21))
    full = import_package(upper, _numbered(commune, tmp_path, 22, full=True))
    assert full.status == "imported" and full.missing == [] and full.warnings == []


def test_gap_warnings_ignore_a_stray_number_and_end_with_a_full_package() -> None:
    assert missing_sequences({1: True, 2: False, 4: False}) == [3]
    # A "99" received before imports refused it: not waited for.
    assert missing_sequences({1: True, 2: False, 3: False, 5: False, 99: False}) == [4]
    assert missing_sequences({1: True, 2: False, 4: False, 6: True}) == []
    assert missing_sequences({6: True, 7: False, 9: False}) == [8]
    assert missing_sequences({3: False}) == [1, 2]


def test_a_name_in_hangul_is_accepted(commune: Commune, upper, tmp_path: Path) -> None:
    """Its folded search key is not NFC (Hangul syllables decompose into letters,
    not marks): derived keys are held to length and characters only."""
    def korean(rows: Rows) -> None:
        head(rows).update(head_name="Kim Min-jun 김민준", name_sort_key=household_sort_key("Kim Min-jun 김민준"),
                          search_fold=household_search_fold("Kim Min-jun 김민준", None, None))
    forged = forge(commune.package, tmp_path / "hangul.gcsync", commune.key,
                   payload={"data/household.jsonl": edit_lines(korean)})
    assert import_package(upper, forged, trust=[commune.fingerprint]).status == "imported"
