"""Campaigns and batch signatures for a whole commune, written in bulk: the rows,
stamps, audit entries and change sets are those the ORM path wrote one by one,
and the upper office receives them like any other."""

from __future__ import annotations


from datetime import date

from gocong_desktop.core.db import changes
from gocong_desktop.core.db.models import Household, Pledge, PledgeStatus, live
from gocong_desktop.core.services import groups, pledges
from gocong_desktop.core.storage.audit_chain import chain_problems
from gocong_desktop.core.sync import export_package
from gocong_desktop.core.sqlite.raw import connect
from sqlmodel import select
from tests.core.sync.conftest import rows, send, unit_of, view

BULK, ORM = 2025, 2024
BOOKKEEPING = {"id", "year", "template_id", "created_at", "updated_at", "change_seq"}


def _open_the_old_way(session, year: int) -> None:
    """What open_campaign did before the bulk path: an ORM row per household."""
    pledges.open_campaign(session, year, opened_on=date(year, 1, 5))
    session.exec(Pledge.__table__.delete().where(Pledge.year == year))  # start again, one object each
    template_id = pledges.get_campaign(session, year).template.id
    for household_id in session.exec(select(Household.id).where(live(Household))).all():
        session.add(Pledge(household_id=household_id, year=year, template_id=template_id))
    session.flush()


def _stored(db, year: int) -> dict[str, dict]:
    """household id -> the pledge row as SQLite stores it (column -> value)."""
    con = connect(db.path)
    try:
        cursor = con.execute("SELECT * FROM pledge WHERE year = ?", (year,))
        names = [d[0] for d in cursor.description]
        return {row["household_id"]: row for row in (dict(zip(names, r)) for r in cursor)}
    finally:
        con.close()


def _audit(db, ids: set[str]) -> list[tuple]:
    con = connect(db.path)
    try:
        rows = con.execute("SELECT record_id, action, actor, changes_json, entry_hash IS NOT NULL FROM audit_log "
                           "WHERE table_name = 'pledge'").fetchall()
        assert chain_problems(con) == []
        return sorted(row for row in rows if row[0] in ids)
    finally:
        con.close()


def test_a_bulk_campaign_stores_what_the_orm_path_stored(seeded) -> None:
    with seeded.db.session(actor="tester") as s:
        _open_the_old_way(s, ORM)
    with changes.recording() as recorded, seeded.db.session(actor="tester") as s:
        assert pledges.open_campaign(s, BULK, opened_on=date(BULK, 1, 5)) == len(seeded.households)
    assert recorded.changes.touches("pledge") and recorded.changes.touches("audit_log")
    bulk, orm = _stored(seeded.db, BULK), _stored(seeded.db, ORM)
    assert bulk.keys() == orm.keys() == set(seeded.households.values())
    for household_id, row in bulk.items():
        old = orm[household_id]
        assert {k: v for k, v in row.items() if k not in BOOKKEEPING} == \
               {k: v for k, v in old.items() if k not in BOOKKEEPING}
        assert row["created_at"] == row["updated_at"] and len(row["created_at"]) == len(old["created_at"])
        assert row["origin"] is not None and row["change_seq"] > old["change_seq"]
    assert len({row["change_seq"] for row in bulk.values()}) == 1  # one unit of work, one stamp
    # One sealed "create" entry per pledge, by the same actor, as the flush hook wrote.
    expected = [(r["id"], "create", "tester", None, 1) for r in bulk.values()]
    assert _audit(seeded.db, {r["id"] for r in bulk.values()}) == sorted(expected)
    assert [entry[1:] for entry in _audit(seeded.db, {r["id"] for r in orm.values()})] == \
           [entry[1:] for entry in expected]


def test_a_bulk_campaign_reaches_the_upper_office(seeded, upper, usb) -> None:
    """The campaign opened after a first package goes in the next, incremental one,
    with the audit entries of its pledges."""
    assert send(seeded.db, upper, usb)[1].status == "imported"
    with seeded.db.session() as s:
        pledges.open_campaign(s, BULK, opened_on=date(BULK, 1, 5))
    summary, result = send(seeded.db, upper, usb)
    assert result.status == "imported", result.message
    assert summary.counts["pledge"] == len(seeded.households)
    unit = unit_of(seeded.db)
    assert view(upper, unit)["pledge"] == view(seeded.db.path, unit)["pledge"]
    arrived = rows(upper, "SELECT count(*) FROM audit_log WHERE table_name = 'pledge' AND action = 'create' "
                          "AND origin_unit_id = ?", (unit,))[0][0]
    assert arrived == len(seeded.households)
    assert export_package(seeded.db, usb).counts.get("pledge", 0) == 0  # nothing new: nothing sent again


def test_a_batch_of_signatures_is_one_unit_of_work(seeded) -> None:
    """Every pledge of the batch gets its own version and audit entry, all under one
    change stamp (each lookup used to flush the pledge before it on its own)."""
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=seeded.households["Nguyễn Văn Ba"])
        pledges.open_campaign(s, BULK, opened_on=date(BULK, 1, 5))
    with seeded.db.session() as s:
        ids = [r.id for r in pledges.list_pledges(s, BULK)]
    with seeded.db.session(actor="tester") as s:
        assert pledges.record_signatures(s, ids, status=PledgeStatus.SIGNED, signed_date=date(BULK, 2, 1)) == len(ids)
    rows = _stored(seeded.db, BULK).values()
    assert {(r["status"], r["version"]) for r in rows} == {(PledgeStatus.SIGNED, 2)}
    assert len({r["change_seq"] for r in rows}) == 1
    leader = seeded.households["Nguyễn Văn Ba"]
    with seeded.db.session() as s:
        in_group = set(s.exec(select(Household.id).where(Household.group_id == seeded.group_a1)).all())
    assert {r["household_id"] for r in rows if r["witness_household_id"] == leader} == in_group
    updates = [entry for entry in _audit(seeded.db, set(ids)) if entry[1] == "update"]
    assert sorted(entry[0] for entry in updates) == sorted(ids)
