"""Pledge campaigns beyond the basics of test_pledges.py: households added later
join the open campaign by themselves, template versions stay attached to the
pledges signed under them, batches default the witness to the group leader,
coverage per group / hamlet / commune matches a count in plain SQL, and
violations stay out of lists and (by default) out of sync."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from datetime import date

import pytest

from gocong_desktop.core.db.models import Pledge, PledgeStatus
from gocong_desktop.core.errors import NotFoundError, ValidationError
from gocong_desktop.core.services import groups, households, listing, pledge_print, pledges
from gocong_desktop.core.services import pledge_violations as violations
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.services.pledge_coverage import coverage_report
from tests.conftest import table_counts

YEAR = 2025
SIGNED_ON = date(YEAR, 2, 1)


@pytest.fixture
def campaign(seeded):
    """The 2025 campaign opened; Nguyễn Văn Ba leads group 1."""
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=seeded.households["Nguyễn Văn Ba"])
        pledges.open_campaign(s, YEAR, opened_on=date(YEAR, 1, 5))
    return seeded


def _pledge_ids(s, **filters) -> dict[str, str]:
    return {r.household_name: r.id for r in pledges.list_pledges(s, YEAR, **filters)}


def test_household_added_later_joins_the_open_campaign(campaign) -> None:
    """This year's open campaign is joined; last year's (still open) is not."""
    this_year = date.today().year
    with campaign.db.session() as s:
        pledges.open_campaign(s, this_year)
        new = households.create_household(s, HouseholdInput(
            head_name="Lê Văn Tám", hamlet_id=campaign.hamlet_a, group_id=campaign.group_a1))
    with campaign.db.session() as s:
        row = next(r for r in pledges.list_pledges(s, this_year) if r.household_id == new)
        assert row.status == PledgeStatus.UNSIGNED
        assert pledges.open_campaign(s, this_year) == 0  # already there: reopening adds nothing
        if YEAR < this_year:
            assert new not in {r.household_id for r in pledges.list_pledges(s, YEAR)}


def test_no_campaign_no_pledge_and_closed_campaign_is_not_joined(seeded) -> None:
    with seeded.db.session() as s:
        new = households.create_household(s, HouseholdInput(head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_a))
        assert pledges.join_open_campaigns(s, new) == 0
    assert table_counts(seeded.db.path)["pledge"] == 0


def test_new_template_version_keeps_signed_pledges_on_their_text(campaign) -> None:
    with campaign.db.session() as s:
        ids = _pledge_ids(s)
        first = pledges.get_campaign(s, YEAR).template
        pledges.record_signature(s, ids["Lê Thị Hoa"], status=PledgeStatus.SIGNED, signed_date=SIGNED_ON)
        new_id = pledges.revise_template(s, year=YEAR, title="BẢN CAM KẾT", items=["Một.", "  ", "Hai."],
                                         subtitle="Về việc giữ gìn an ninh", apply_to_campaign=True)
    with campaign.db.session() as s:
        second = pledges.get_template(s, new_id)
        assert (second.version, second.items) == (first.version + 1, ("Một.", "Hai."))
        assert pledges.get_campaign(s, YEAR).template.id == new_id
        assert s.get(Pledge, ids["Lê Thị Hoa"]).template_id == first.id  # signed under the old text
        assert s.get(Pledge, ids["Võ Thị Ánh"]).template_id == new_id
        forms = {f.head_name: f for f in pledge_print.pledge_forms(s, YEAR)}
        assert len(forms["Lê Thị Hoa"].items) == len(first.items)
        assert forms["Võ Thị Ánh"].items == ("Một.", "Hai.")
        assert [t.id for t in pledges.list_templates(s)] == [new_id, first.id]
    with pytest.raises(ValidationError):
        with campaign.db.session() as s:
            pledges.save_template(s, year=YEAR, title="BẢN CAM KẾT", items=[" "])


def test_batch_signature_defaults_witness_to_group_leader(campaign) -> None:
    with campaign.db.session() as s:
        ids = _pledge_ids(s, group_id=campaign.group_a1)
        assert pledges.record_signatures(s, list(ids.values()), status=PledgeStatus.SIGNED,
                                         signed_date=SIGNED_ON) == 3
    with campaign.db.session() as s:
        rows = pledges.list_pledges(s, YEAR, group_id=campaign.group_a1)
        stored = s.get(Pledge, rows[0].id)
    assert {(r.status, r.signed_date, r.witness_name) for r in rows} == {
        (PledgeStatus.SIGNED, SIGNED_ON, "Nguyễn Văn Ba")}
    assert stored.witness_household_id == campaign.households["Nguyễn Văn Ba"]


def test_batch_is_all_or_nothing(campaign) -> None:
    with campaign.db.session() as s:
        ids = list(_pledge_ids(s).values())
    before = table_counts(campaign.db.path)
    for kwargs in ({"signed_date": date.today().replace(year=date.today().year + 1)},  # future
                   {"signed_date": None}):
        with pytest.raises(ValidationError):
            with campaign.db.session() as s:
                pledges.record_signatures(s, ids, status=PledgeStatus.SIGNED, **kwargs)
    with pytest.raises(ValidationError):
        with campaign.db.session() as s:
            pledges.record_signatures(s, [], status=PledgeStatus.SIGNED, signed_date=SIGNED_ON)
    assert table_counts(campaign.db.path) == before


def _sql_coverage(path) -> dict[str, tuple[int, int]]:
    """{group id or hamlet id or "": (signed, total)} counted in plain SQL."""
    con = sqlite3.connect(path)
    base = ("FROM pledge p JOIN household h ON h.id = p.household_id WHERE p.year = ? AND p.deleted = 0 "
            "AND p.status != 'moved' AND h.deleted = 0 AND h.moved_out_date IS NULL")
    out = {}
    try:
        for key in ("h.group_id", "h.hamlet_id", "''"):
            for k, signed, total in con.execute(
                    f"SELECT {key}, sum(p.status = 'signed'), count(*) {base} GROUP BY {key}", (YEAR,)):
                out[k] = (signed, total)
    finally:
        con.close()
    return out


def test_coverage_per_group_hamlet_and_commune_matches_sql(campaign) -> None:
    with campaign.db.session() as s:
        ids = _pledge_ids(s)
        pledges.record_signatures(s, [ids["Nguyễn Văn Ba"], ids["Lê Thị Hoa"], ids["Đỗ Văn Đồng"]],
                                  status=PledgeStatus.SIGNED, signed_date=SIGNED_ON)
        pledges.record_signature(s, ids["Võ Thị Ánh"], status=PledgeStatus.REFUSED, reason="Không đồng ý")
        pledges.record_signature(s, ids["Phạm Văn An"], status=PledgeStatus.MOVED, reason="Đi tỉnh khác")
        households.mark_moved_out(s, campaign.households["Trần Minh Tâm"], date(YEAR, 3, 1))
    expected = _sql_coverage(campaign.db.path)
    with campaign.db.session() as s:
        report = coverage_report(s, YEAR)
    got = {r.id or "": (r.signed, r.total) for r in [report.commune, *report.hamlets, *report.groups]}
    assert got[""] == expected[""] == (3, 5)
    for key, figures in expected.items():
        assert got[key] == figures, key
    a2 = next(g for g in report.groups if g.id == campaign.group_a2)
    assert (a2.signed, a2.refused, a2.unsigned, a2.total) == (0, 1, 0, 1)  # moved left out
    assert [h.name for h in report.hamlets] == ["Đồng Sơn", "Lợi An"]  # Vietnamese order: Đ after D
    assert report.groups_of(campaign.hamlet_b)[0].percent == 50.0


def test_not_signed_list_and_register(campaign) -> None:
    with campaign.db.session() as s:
        ids = _pledge_ids(s, group_id=campaign.group_a1)
        pledges.record_signature(s, ids["Lê Thị Hoa"], status=PledgeStatus.SIGNED, signed_date=SIGNED_ON)
        pledges.record_signature(s, ids["Trần Minh Tâm"], status=PledgeStatus.REFUSED, reason="Bận")
        sheet = pledge_print.not_signed_sheet(s, YEAR, group_id=campaign.group_a1)
        register = pledge_print.register_sheet(s, YEAR, campaign.group_a1)
    assert [(r.head_name, r.status_label, r.reason) for r in sheet.rows] == [
        ("Nguyễn Văn Ba", "chưa ký", None), ("Trần Minh Tâm", "từ chối", "Bận")]
    assert (register.signed, register.total, register.leader_name) == (1, 3, "Nguyễn Văn Ba")
    assert register.header.issuing_body == "TỔ NDTQ SỐ 1 – ẤP LỢI AN"
    assert [r.signed_date for r in register.rows if r.head_name == "Lê Thị Hoa"] == [SIGNED_ON]


def test_printing_without_a_campaign_or_anyone_to_sign_is_refused(seeded) -> None:
    with seeded.db.session() as s:
        with pytest.raises(NotFoundError, match="Chưa mở đợt cam kết năm 2025"):
            pledge_print.pledge_forms(s, YEAR, group_id=seeded.group_a1)
        pledges.open_campaign(s, YEAR)
        households.mark_moved_out(s, seeded.households["Lê Thị Hoa"], date(YEAR, 3, 1))
        with pytest.raises(NotFoundError, match="Không có hộ nào"):
            pledge_print.pledge_forms(s, YEAR, household_id=seeded.households["Lê Thị Hoa"])


def test_list_pledges_json_has_household_status_and_date(campaign) -> None:
    with campaign.db.session() as s:
        pledges.record_signature(s, _pledge_ids(s)["Lê Thị Hoa"], status=PledgeStatus.SIGNED,
                                 signed_date=SIGNED_ON)
        records = listing.list_records(s, "pledges", year=YEAR)
    hoa = next(r for r in records if r["household_name"] == "Lê Thị Hoa")
    assert (hoa["status"], hoa["status_label"], hoa["signed_date"]) == ("signed", "đã ký", "2025-02-01")
    assert not any("violation" in key for r in records for key in r)


def test_violations_are_per_household_and_out_of_sync_by_default(campaign) -> None:
    hoa = campaign.households["Lê Thị Hoa"]
    with campaign.db.session() as s:
        assert violations.include_violations_in_sync(s) is False
        vid = violations.record_violation(s, hoa, violation_date=date(YEAR, 4, 2), item_number=2,
                                          note="Tham gia đánh bạc")
        violations.record_violation(s, hoa, violation_date=date(YEAR, 5, 2))
    with campaign.db.session() as s:
        rows = violations.list_violations(s, hoa)
        assert [r.violation_date for r in rows] == [date(YEAR, 5, 2), date(YEAR, 4, 2)]
        assert rows[1].item_text.startswith("Không tàng trữ") and rows[1].note == "Tham gia đánh bạc"
        assert violations.list_violations(s, campaign.households["Nguyễn Văn Ba"]) == []
        violations.delete_violation(s, vid)
        violations.set_include_violations_in_sync(s, True)
    with campaign.db.session() as s:
        assert len(violations.list_violations(s, hoa)) == 1
        assert violations.include_violations_in_sync(s) is True
    with pytest.raises(ValidationError):
        with campaign.db.session() as s:
            violations.record_violation(s, hoa, violation_date=date(YEAR + 5, 1, 1))
