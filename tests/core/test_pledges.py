"""Yearly pledge campaigns: no duplicates, late joiners, coverage."""

from __future__ import annotations

import json
from dataclasses import replace
from tests import app_sqlite as sqlite3
from datetime import date

import pytest
from sqlmodel import func, select

from gocong_desktop.core.db.models import Pledge, PledgeCampaign, PledgeStatus, PledgeTemplate
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import households, pledges
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.services.overview import overview
from tests.conftest import table_counts

YEAR = 2025


def _count(s, model, *where) -> int:
    return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_open_twice_does_not_duplicate(seeded) -> None:
    with seeded.db.session() as s:
        assert pledges.open_campaign(s, YEAR, opened_on=date(YEAR, 1, 10)) == 7
    before = table_counts(seeded.db.path)
    with seeded.db.session() as s:
        assert pledges.open_campaign(s, YEAR) == 0
    assert table_counts(seeded.db.path) == before
    with seeded.db.session() as s:
        assert _count(s, Pledge, Pledge.year == YEAR) == 7
        assert _count(s, PledgeCampaign) == 1
        assert _count(s, PledgeTemplate) == 1
        template = s.exec(select(PledgeTemplate)).one()
        assert template.title == "BẢN CAM KẾT" and json.loads(template.items_json)
        rows = pledges.list_pledges(s, YEAR)
    assert len({r.household_id for r in rows}) == 7
    assert {r.status for r in rows} == {PledgeStatus.UNSIGNED}


def test_new_household_joins_on_reopen(seeded) -> None:
    with seeded.db.session() as s:
        households.mark_moved_out(s, seeded.households["Lê Thị Hoa"], date(2024, 12, 1))
        assert pledges.open_campaign(s, YEAR) == 6  # moved-out household not asked
    with seeded.db.session() as s:
        new = households.create_household(s, HouseholdInput(
            head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_a, group_id=seeded.group_a1))
    with seeded.db.session() as s:
        assert pledges.open_campaign(s, YEAR) == 1
        assert pledges.open_campaign(s, YEAR) == 0
        rows = pledges.list_pledges(s, YEAR, group_id=seeded.group_a1)
    assert new in {r.household_id for r in rows}
    assert seeded.households["Lê Thị Hoa"] not in {r.household_id for r in rows}
    # Another year is a separate campaign.
    with seeded.db.session() as s:
        assert pledges.open_campaign(s, YEAR + 1) == 7
        assert _count(s, PledgeCampaign) == 2


def test_record_signature_validation(seeded) -> None:
    with seeded.db.session() as s:
        pledges.open_campaign(s, YEAR)
        pid = pledges.list_pledges(s, YEAR)[0].id
    for kwargs, field in (({"status": "signed"}, "signed_date"), ({"status": "refused"}, "reason"),
                          ({"status": "lost"}, "status")):
        with pytest.raises(ValidationError) as err:
            with seeded.db.session() as s:
                pledges.record_signature(s, pid, **kwargs)
        assert err.value.field == field
    with seeded.db.session() as s:
        assert s.get(Pledge, pid).status == PledgeStatus.UNSIGNED


def _independent_coverage(path, year: int) -> tuple[int, int]:
    """Pledges of live, resident households, status "moved" left out — in plain SQL."""
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT coalesce(sum(p.status = 'signed'), 0), count(*) FROM pledge p "
            "JOIN household h ON h.id = p.household_id "
            "WHERE p.year = ? AND p.deleted = 0 AND p.status != 'moved' "
            "AND h.deleted = 0 AND h.moved_out_date IS NULL", (year,)).fetchone()
    finally:
        con.close()


def test_coverage_matches_an_independent_count(seeded) -> None:
    with seeded.db.session() as s:
        assert pledges.coverage(s, YEAR) == (0, 0)
        pledges.open_campaign(s, YEAR)
        by_name = {r.household_name: r.id for r in pledges.list_pledges(s, YEAR)}
        for name in ("Nguyễn Văn Ba", "Lê Thị Hoa", "Đỗ Văn Đồng"):
            pledges.record_signature(s, by_name[name], status=PledgeStatus.SIGNED,
                                     signed_date=date(YEAR, 2, 1), witness_name="Nguyễn Văn Ba")
        pledges.record_signature(s, by_name["Võ Thị Ánh"], status=PledgeStatus.REFUSED,
                                 reason="Không đồng ý")
        pledges.record_signature(s, by_name["Phạm Văn An"], status=PledgeStatus.MOVED,
                                 reason="Chuyển đi tỉnh khác")
    with seeded.db.session() as s:
        assert pledges.coverage(s, YEAR) == (3, 6) == _independent_coverage(seeded.db.path, YEAR)
        # A household entered by mistake is deleted, one moves out after signing:
        households.delete_household(s, seeded.households["Nguyễn Thị Bích"])
        households.mark_moved_out(s, seeded.households["Lê Thị Hoa"], date(YEAR, 3, 1))
    with seeded.db.session() as s:
        expected = _independent_coverage(seeded.db.path, YEAR)
        assert expected == (2, 4)
        assert pledges.coverage(s, YEAR) == expected
        # The overview page shows the same figures.
        _, total = overview(s, today=date(YEAR, 6, 1))
        assert (total.pledges_signed, total.pledges_total) == expected
        listed = {r.household_id for r in pledges.list_pledges(s, YEAR)}
        assert seeded.households["Nguyễn Thị Bích"] not in listed and len(listed) == 6


def test_list_pledges_search_and_order(seeded) -> None:
    with seeded.db.session() as s:
        pledges.open_campaign(s, YEAR)
        rows = pledges.list_pledges(s, YEAR)
        assert [r.household_name for r in rows][:3] == ["Phạm Văn An", "Võ Thị Ánh", "Nguyễn Văn Ba"]
        assert [r.household_name for r in pledges.list_pledges(s, YEAR, search="DONG")] == ["Đỗ Văn Đồng"]
        assert len(pledges.list_pledges(s, YEAR, hamlet_id=seeded.hamlet_b)) == 2


def test_list_pledges_pages_and_counts_with_the_same_filters(seeded) -> None:
    with seeded.db.session() as s:
        pledges.open_campaign(s, YEAR)
        whole = [r.id for r in pledges.list_pledges(s, YEAR)]
        pages = [r.id for offset in range(0, 7, 3) for r in pledges.list_pledges(s, YEAR, offset=offset, limit=3)]
        assert pages == whole and len(whole) == pledges.count_pledges(s, YEAR) == 7
        after = [r.id for r in pledges.list_pledges(s, YEAR, after=whole[2], limit=3)]
        assert after == whole[3:6]  # the page right after a pledge already read
        assert [r.id for r in pledges.list_pledges(s, YEAR, after="no-such-id", offset=5)] == whole[5:]
        assert pledges.count_pledges(s, YEAR, hamlet_id=seeded.hamlet_b) == 2
        assert pledges.count_pledges(s, YEAR, search="DONG") == 1
        households.update_household(s, seeded.households["Đỗ Văn Đồng"], _without_group(s, seeded))
        ungrouped = pledges.list_pledges(s, YEAR, ungrouped=True)
        assert [r.household_name for r in ungrouped] == ["Đỗ Văn Đồng"]
        assert pledges.count_pledges(s, YEAR, ungrouped=True) == 1


def _without_group(s, seeded):
    return replace(households.household_input(s, seeded.households["Đỗ Văn Đồng"]), group_id=None)
