"""Demo data: reproducible, realistic, and consistent with the schema's rules.

Real SQLite files in tmp_path; one generated database is shared by the read-only
checks to keep the suite fast.
"""

from __future__ import annotations

import json
from tests import app_sqlite as sqlite3
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import Household, Meeting
from gocong_desktop.core.demo import DemoSummary, generate_demo
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services.search_keys import household_search_fold, household_sort_key
from gocong_desktop.core.text import citizen_id_error, phone_error

TODAY = date(2026, 11, 29)
N = 300


def _rows(path: Path, sql: str, *args: object) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


# The demo accounts are made last, by the services: random ids and password salts
# by design (the same password never hashes the same), and their (and the sign-in
# hint's) audit entries.
_NOT_REPRODUCIBLE = {"account": "SELECT * FROM account WHERE 0",
                     "audit_log": "SELECT * FROM audit_log WHERE table_name NOT IN ('account', 'app_setting')"}


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    tables = [t for (t,) in _rows(path, "SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: sorted(_rows(path, _NOT_REPRODUCIBLE.get(t, f"SELECT * FROM {t}")), key=repr) for t in tables}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return path, generate_demo(path, households=N, seed=7, today=TODAY)


# --------------------------------------------------------------------------- reproducible


def test_same_seed_gives_identical_files_content(tmp_path: Path, demo_db) -> None:
    path, _ = demo_db
    again = tmp_path / "again.db"
    generate_demo(again, households=N, seed=7, today=TODAY)
    first, second = _dump(path), _dump(again)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table


def test_different_seed_gives_different_data(tmp_path: Path, demo_db) -> None:
    path, _ = demo_db
    other = tmp_path / "other.db"
    generate_demo(other, households=N, seed=8, today=TODAY)
    sql = "SELECT id, head_name FROM household ORDER BY id"
    assert _rows(path, sql) != _rows(other, sql)
    assert _rows(path, "SELECT id FROM meeting") != _rows(other, "SELECT id FROM meeting")


# --------------------------------------------------------------------------- registers


def test_counts_and_summary(demo_db) -> None:
    path, summary = demo_db
    assert _rows(path, "SELECT count(*) FROM household") == [(N,)]
    assert summary.counts["household"] == N
    assert summary.counts["meeting"] == _rows(path, "SELECT count(*) FROM meeting")[0][0]
    assert summary.elapsed > 0
    assert any(line.startswith("Hộ gia đình: 300") for line in summary.lines())


def test_hamlets_belong_to_the_commune(demo_db) -> None:
    path, _ = demo_db
    (commune_id,) = _rows(path, "SELECT unit_id FROM office")[0]
    hamlets = _rows(path, "SELECT name, unit_type, parent_id, owner_unit_id FROM admin_unit "
                          "WHERE level = 'hamlet'")
    assert len(hamlets) >= 6
    assert {"Lợi An", "Thuận Trị", "Xóm Thủ"} <= {name for name, *_ in hamlets}
    assert all(row[1:] == ("ấp", commune_id, commune_id) for row in hamlets)
    assert _rows(path, "SELECT name, code FROM admin_unit WHERE id = ?", commune_id) == [
        ("Bình Tân", "28318")]


def _check_groups(path: Path) -> None:
    sizes = _rows(path, "SELECT g.id, g.hamlet_id, count(h.id), sum(h.hamlet_id != g.hamlet_id) "
                        "FROM self_managed_group g JOIN household h ON h.group_id = g.id "
                        "GROUP BY g.id")
    assert all(15 <= size <= 70 for _, _, size, _ in sizes)
    assert all(other_hamlet == 0 for *_, other_hamlet in sizes)
    assert _rows(path, "SELECT count(*) FROM household WHERE group_id IS NULL") == [(0,)]
    numbers = [n for (n,) in _rows(path, "SELECT number FROM self_managed_group ORDER BY number")]
    assert numbers == list(range(1, len(numbers) + 1))
    # Leader and deputy: two different households of the group that still live there.
    bad = _rows(path, "SELECT g.id FROM self_managed_group g "
                      "JOIN household l ON l.id = g.leader_household_id "
                      "JOIN household d ON d.id = g.deputy_household_id "
                      "WHERE l.group_id != g.id OR d.group_id != g.id OR l.id = d.id "
                      "OR l.moved_out_date IS NOT NULL OR d.moved_out_date IS NOT NULL")
    assert bad == []


def test_groups_have_15_to_70_households_of_one_hamlet(demo_db) -> None:
    _check_groups(demo_db[0])


def test_groups_at_5000_households(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    summary = generate_demo(path, households=5000, seed=1, today=TODAY)
    assert summary.counts["household"] == 5000
    _check_groups(path)
    assert _rows(path, "PRAGMA foreign_key_check") == []


def test_households_look_real(demo_db) -> None:
    path, _ = demo_db
    homes = _rows(path, "SELECT head_name, gender, birth_year, address, phone, citizen_id, "
                        "members, name_sort_key, search_fold, moved_out_date FROM household")
    names = [h[0] for h in homes]
    assert any("Đ" in n or "đ" in n for n in names)
    assert any(n.split()[-1].startswith("Đ") for n in names)  # in given names too
    assert sum(n.startswith("Nguyễn ") for n in names) / len(names) == pytest.approx(0.38, abs=0.08)
    for name, gender, born, address, phone, cid, members, sort_key, fold, moved in homes:
        assert unicodedata.is_normalized("NFC", name) and unicodedata.is_normalized("NFC", address)
        if " Văn " in name:
            assert gender == "nam"
        if " Thị " in name:
            assert gender == "nu"
        assert 1940 <= born <= 2000 and 1 <= members <= 8
        assert phone is None or (len(phone) == 10 and phone_error(phone) is None)
        if cid:
            assert citizen_id_error(cid) is None and cid[:3] == "082"
            assert cid[4:6] == f"{born % 100:02d}"
            assert int(cid[3]) // 2 == (0 if born < 2000 else 1)  # century digit
            assert int(cid[3]) % 2 == (0 if gender == "nam" else 1)
        assert sort_key == household_sort_key(name)
        assert fold == household_search_fold(name, address, phone)
    with_phone = sum(h[4] is not None for h in homes) / len(homes)
    with_cid = sum(h[5] is not None for h in homes) / len(homes)
    assert with_phone > 0.75 and 0.35 < with_cid < 0.65
    assert 0 < sum(h[9] is not None for h in homes) <= 0.06 * len(homes)


# --------------------------------------------------------------------------- meetings


def test_final_meetings_are_numbered_per_group_and_year(demo_db) -> None:
    path, _ = demo_db
    meetings = _rows(path, "SELECT group_id, starts_at, status, minutes_number, minutes_year, "
                           "finalised_at, content_hash, kind FROM meeting ORDER BY starts_at")
    numbers: dict[tuple, list[int]] = defaultdict(list)
    for group, starts, status, number, year, finalised, digest, kind in meetings:
        assert starts < TODAY.isoformat() and starts[:4] in ("2025", "2026")
        assert kind in ("dinh_ky", "dot_xuat")
        if status == "final":
            assert year == int(starts[:4]) and finalised and len(digest) == 64
            numbers[(group, year)].append(number)
        else:
            assert status == "draft" and number is None and finalised is None
    assert all(ns == list(range(1, len(ns) + 1)) for ns in numbers.values())
    assert 1 <= sum(m[2] == "draft" for m in meetings) <= 2
    assert any(m[7] == "dot_xuat" for m in meetings)


def test_meetings_are_evening_group_meetings(demo_db) -> None:
    path, _ = demo_db
    rows = _rows(path, "SELECT m.starts_at, m.ends_at, m.place, m.chair_name, h.head_name, "
                       "m.chair_role, m.secretary_role FROM meeting m "
                       "JOIN self_managed_group g ON g.id = m.group_id "
                       "JOIN household h ON h.id = g.leader_household_id")
    for starts, ends, place, chair, leader, chair_role, secretary_role in rows:
        start, end = datetime.fromisoformat(starts), datetime.fromisoformat(ends)
        assert 18 <= start.hour <= 19 and 90 <= (end - start).total_seconds() / 60 <= 120
        assert chair == leader and place in (f"Nhà ông {leader}", f"Nhà bà {leader}")
        assert (chair_role, secretary_role) == ("Tổ trưởng", "Tổ phó")
    items = _rows(path, "SELECT meeting_id, count(*) FROM agenda_item GROUP BY meeting_id")
    assert len(items) == len(rows) and all(2 <= n <= 4 for _, n in items)
    assert _rows(path, "SELECT count(*) FROM meeting_guest WHERE name LIKE 'Đ/c %'")[0][0] > 0


def test_attendance_only_for_households_of_the_group(demo_db) -> None:
    path, _ = demo_db
    wrong = _rows(path, "SELECT a.id FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
                        "JOIN household h ON h.id = a.household_id "
                        "WHERE h.group_id != m.group_id "
                        "OR (h.moved_out_date IS NOT NULL AND h.moved_out_date <= date(m.starts_at))")
    assert wrong == []
    # Every household still living in the group has a row.
    missing = _rows(path, "SELECT m.id, h.id FROM meeting m "
                          "JOIN household h ON h.group_id = m.group_id "
                          "WHERE (h.moved_out_date IS NULL OR h.moved_out_date > date(m.starts_at)) "
                          "AND NOT EXISTS (SELECT 1 FROM attendance a "
                          "WHERE a.meeting_id = m.id AND a.household_id = h.id)")
    assert missing == []
    statuses = Counter(s for (s,) in _rows(path, "SELECT status FROM attendance"))
    assert statuses["present"] / sum(statuses.values()) == pytest.approx(0.85, abs=0.03)
    assert statuses["absent_excused"] and statuses["absent_unexcused"]
    # The minutes' chair and secretary came: their households are never listed away.
    away = _rows(path, "SELECT m.id FROM meeting m JOIN attendance a ON a.meeting_id = m.id "
                       "WHERE a.household_id IN (m.chair_household_id, m.secretary_household_id) "
                       "AND a.status != 'present'")
    assert away == []


def test_opinions_come_from_households_of_the_group(demo_db) -> None:
    path, _ = demo_db
    wrong = _rows(path, "SELECT o.id FROM agenda_opinion o "
                        "JOIN agenda_item i ON i.id = o.agenda_item_id "
                        "JOIN meeting m ON m.id = i.meeting_id "
                        "JOIN household h ON h.id = o.household_id WHERE h.group_id != m.group_id "
                        "OR o.text NOT LIKE 'Hộ % ' || h.head_name || ' %'")
    assert wrong == []


# --------------------------------------------------------------------------- pledges


def test_pledge_coverage_per_year(demo_db) -> None:
    path, _ = demo_db
    for year in (2025, 2026):
        statuses = Counter(s for (s,) in _rows(path, "SELECT status FROM pledge WHERE year = ?", year))
        staying = sum(statuses.values()) - statuses["moved"]
        assert 0.85 <= statuses["signed"] / staying <= 0.95
        assert statuses["refused"] >= 1
    # Households that left in an earlier year have no pledge any more.
    assert _rows(path, "SELECT count(*) FROM pledge p JOIN household h ON h.id = p.household_id "
                       "WHERE h.moved_out_date IS NOT NULL AND p.year > "
                       "CAST(strftime('%Y', h.moved_out_date) AS INTEGER)") == [(0,)]
    signed = _rows(path, "SELECT p.signed_date, p.witness_name, l.head_name FROM pledge p "
                         "JOIN household h ON h.id = p.household_id "
                         "JOIN self_managed_group g ON g.id = h.group_id "
                         "JOIN household l ON l.id = g.leader_household_id WHERE p.status = 'signed'")
    assert all(witness == leader for _, witness, leader in signed)
    first_quarter = sum(d[5:7] in ("01", "02", "03") for d, _, _ in signed) / len(signed)
    assert first_quarter > 0.75
    assert len(_rows(path, "SELECT id FROM pledge_template")) == 2
    items = json.loads(_rows(path, "SELECT items_json FROM pledge_template")[0][0])
    assert len(items) >= 5 and unicodedata.is_normalized("NFC", items[0])


def test_pledges_are_signed_while_their_campaign_is_open(demo_db) -> None:
    path, _ = demo_db
    outside = _rows(path, "SELECT p.signed_date, c.opened_on, c.closed_on FROM pledge p "
                          "JOIN pledge_campaign c ON c.year = p.year WHERE p.signed_date IS NOT NULL "
                          "AND (p.signed_date < c.opened_on OR p.signed_date > c.closed_on)")
    assert outside == []
    assert _rows(path, "SELECT count(*) FROM pledge_campaign WHERE closed_on IS NOT NULL") != [(0,)]


# --------------------------------------------------------------------------- models


def test_evaluations_follow_the_criteria_set(demo_db) -> None:
    path, _ = demo_db
    criteria_json, bands_json = _rows(path, "SELECT criteria_json, bands_json FROM criteria_set")[0]
    criteria, bands = json.loads(criteria_json), json.loads(bands_json)
    advice = {0: {"nhan_rong", "duy_tri"}, 1: {"duy_tri"}, 2: {"cung_co"}, 3: {"cung_co", "xoa_bo"}}
    evaluations = _rows(path, "SELECT scores_json, total_score, rating, recommendation, period_kind "
                              "FROM evaluation")
    assert evaluations
    for scores_json, total, rating, recommendation, kind in evaluations:
        scores = json.loads(scores_json)
        weighted = sum(c["weight"] * scores[c["code"]] / c["max_score"] for c in criteria)
        assert total == pytest.approx(weighted / sum(c["weight"] for c in criteria) * 100, abs=0.05)
        band = next(i for i, b in enumerate(bands) if b["min_score"] <= total)
        assert rating == bands[band]["label"] and recommendation in advice[band]
        assert kind in ("6_thang", "nam")
    models = _rows(path, "SELECT status, status_reason FROM prevention_model")
    assert 5 <= len(models) <= 8
    assert [reason is not None for status, reason in models if status == "retired"] == [True]
    # The real site: 63 households (fewer only when the demo hamlet is smaller).
    site_id, count = _rows(path, "SELECT id, households_count FROM model_site "
                                 "WHERE road_name = 'Đường liên ấp Lợi An dài 1.300 m'")[0]
    living = _rows(path, "SELECT count(*) FROM household h JOIN admin_unit u ON u.id = h.hamlet_id "
                         "WHERE u.name = 'Lợi An' AND h.moved_out_date IS NULL")[0][0]
    assert count == min(63, living)
    assert _rows(path, "SELECT count(*) FROM model_site_household WHERE site_id = ?", site_id) == [
        (count,)]


def test_propaganda_kinds(demo_db) -> None:
    path, _ = demo_db
    kinds = dict(_rows(path, "SELECT kind, count(*) FROM propaganda_activity GROUP BY kind"))
    assert set(kinds) == {"phat_thanh", "loa_luu_dong", "hop_dan", "to_roi"}
    assert kinds["phat_thanh"] >= 2 * 12  # several a month
    assert _rows(path, "SELECT max(activity_date) FROM propaganda_activity")[0][0] < TODAY.isoformat()


# --------------------------------------------------------------------------- the file


def test_file_is_sound_and_readable_by_the_app(demo_db) -> None:
    path, _ = demo_db
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(path, "PRAGMA foreign_key_check") == []
    synced = [t for (t,) in _rows(path, "SELECT m.name FROM sqlite_master m WHERE type = 'table' "
                                        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) "
                                        "WHERE name = 'owner_unit_id')")]
    (commune_id,) = _rows(path, "SELECT unit_id FROM office")[0]
    for table in synced:
        owners = _rows(path, f"SELECT DISTINCT owner_unit_id, version, deleted FROM {table} "
                             "WHERE level IS NULL OR level IN ('commune', 'hamlet')"
                       if table == "admin_unit" else
                       f"SELECT DISTINCT owner_unit_id, version, deleted FROM {table}")
        assert owners in ([], [(commune_id, 1, 0)]), table
    db = open_database(path)
    try:
        with db.session(actor="test") as session:
            home = session.exec(select(Household).limit(1)).one()
            meeting = session.exec(select(Meeting).where(Meeting.status == "final").limit(1)).one()
            assert home.created_at.tzinfo is not None and home.created_at.year == 2025
            assert meeting.finalised_at.tzinfo is not None and meeting.starts_at.tzinfo is None
            assert meeting.finalised_at >= meeting.created_at
    finally:
        db.close()


def test_refuses_an_existing_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    path.write_bytes(b"important data")
    with pytest.raises(ConflictError, match="đã có dữ liệu"):
        generate_demo(path, households=N)
    assert path.read_bytes() == b"important data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


def test_an_empty_file_is_filled(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert generate_demo(path, households=120, today=TODAY).counts["household"] == 120


def test_bad_size_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        generate_demo(tmp_path / "x.db", households=10)
    assert list(tmp_path.iterdir()) == []


def test_default_today_only_has_past_meetings(tmp_path: Path) -> None:
    path = tmp_path / "now.db"
    generate_demo(path, households=120)
    latest = _rows(path, "SELECT max(starts_at) FROM meeting")[0][0]
    assert latest < date.today().isoformat()


def test_demo_has_one_account_per_role_and_says_so_at_sign_in(demo_db) -> None:
    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.demo.accounts import PASSWORD, sign_in_hint
    from gocong_desktop.core.services.accounts import sign_in

    path, _ = demo_db
    assert sorted(_rows(path, "SELECT username, role FROM account")) == [
        ("canbo", "clerk"), ("quantri", "administrator"), ("xem", "viewer")]
    db = open_database(path)
    try:
        assert sign_in(db, "xem", PASSWORD).role == "viewer"
        with db.session() as s:
            assert "demo1234" in sign_in_hint(s)
    finally:
        db.close()
