"""The comparison dashboard counts each commune as the commune counts itself."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from datetime import date
from pathlib import Path

from gocong_desktop.core.services.overview import overview
from gocong_desktop.core.sync import export_package, import_packages
from gocong_desktop.core.upper.dashboard import commune_dashboard
from gocong_desktop.core.services.figures import quarter_bounds
from gocong_desktop.core.upper.dashboard import NOT_RATED
from tests.core.sync.conftest import fingerprint_of


def test_dashboard_row_matches_the_communes_own_overview(demo_communes, upper, usb: Path) -> None:
    today = date.today()  # the demo was made up to today
    communes = demo_communes(2)
    paths = [export_package(c.db, usb / "").path for c in communes]
    import_packages(upper, paths, trust=[fingerprint_of(p) for p in paths])
    with upper.session() as s:
        rows = {r.unit_id: r for r in commune_dashboard(s, today=today)}
    for c, path in zip(communes, paths):
        with c.db.session() as s:
            _hamlets, total = overview(s, today=today)
        row = rows[c.unit_id]
        assert row.name == f"xã {c.name}" and row.last_sequence == 1 and row.open_conflicts == 0
        assert (row.groups, row.households) == (total.groups, total.households)
        assert row.meetings_this_quarter == total.meetings_this_quarter
        assert (row.pledges_signed, row.pledges_total) == (total.pledges_signed, total.pledges_total)
        assert row.meetings_per_group == (row.meetings_this_quarter / row.groups)
        start, end = quarter_bounds(today)
        con = sqlite3.connect(c.db.path)
        present, counted = con.execute(
            "SELECT sum(a.status = 'present'), count(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
            "WHERE a.deleted = 0 AND m.deleted = 0 AND m.starts_at >= ? AND m.starts_at < ?",
            (str(start), str(end))).fetchone()
        models = con.execute("SELECT count(*) FROM prevention_model WHERE deleted = 0 AND status = 'active'"
                             ).fetchone()[0]
        con.close()
        assert (row.attendance_present, row.attendance_total) == (present or 0, counted)
        assert sum(row.models_by_rating.values()) == models
        assert row.last_package_at is not None and row.last_imported_at is not None


def test_quarter_bounds() -> None:
    assert [str(d.date()) for d in quarter_bounds(date(2025, 11, 20))] == ["2025-10-01", "2026-01-01"]
    assert [str(d.date()) for d in quarter_bounds(date(2025, 2, 1))] == ["2025-01-01", "2025-04-01"]


def test_commune_without_data_yet(seeded, upper, usb: Path) -> None:
    path = export_package(seeded.db, usb).path
    import_packages(upper, [path], trust=[fingerprint_of(path)])
    with upper.session() as s:
        (row,) = commune_dashboard(s, today=date(2025, 5, 1))
    assert (row.groups, row.households, row.meetings_this_quarter) == (3, 7, 0)
    assert row.attendance_rate == 0.0 and row.pledge_coverage == 0.0 and row.models_by_rating == {}
    assert NOT_RATED == "Chưa đánh giá"
