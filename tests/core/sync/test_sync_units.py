"""Shared reference units and who may send which unit: provinces and districts
are held once at the upper office; no commune can create, change or squat a
unit it does not own."""

from __future__ import annotations

import importlib.util
from tests import app_sqlite as sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from gocong_desktop.core.db.migrate import MIGRATIONS_DIR
from gocong_desktop.core.db.models import new_id
from gocong_desktop.core.text import fold
from gocong_desktop.core.db.reference_units import reference_unit_id
from gocong_desktop.core.sync import PackageRefused, export_package, import_package, import_packages
from gocong_desktop.core.db.engine import Database
from tests.core.sync.conftest import dump, fingerprint_of, rows, view
from tests.core.sync.forge import edit_lines, forge, signing_key


def units_named(db: Database | Path, name: str) -> int:
    return rows(db, "SELECT count(*) FROM admin_unit WHERE name = ?", (name,))[0][0]


def test_the_upper_office_holds_each_province_once(demo_communes, upper, usb: Path) -> None:
    communes = demo_communes(3)
    paths = [export_package(c.db, usb).path for c in communes]
    results = import_packages(upper, paths, trust=[fingerprint_of(p) for p in paths])
    assert [r.status for r in results] == ["imported"] * 3
    assert units_named(upper, "Tiền Giang") == 1
    assert units_named(upper, "Gò Công Tây") == 2  # the district, and the upper office's own unit
    for c in communes:
        assert view(upper, c.unit_id) == view(c.db.path, c.unit_id)


def _unit_line(template: dict, **content) -> dict:
    line = {**template, "id": content.pop("id"), "version": 1}
    line["content"] = {**template["content"], **content}
    return line


def _forge_units(path: Path, out: Path, key, make) -> Path:
    def add(rows: list[dict]) -> None:
        rows.append(make(rows[0]))
    return forge(path, out, key, payload={"data/admin_unit.jsonl": edit_lines(add)})


@pytest.fixture
def two(demo_communes, upper, usb: Path):
    a, b = demo_communes(2)
    pa, pb = export_package(a.db, usb).path, export_package(b.db, usb).path
    return a, b, pa, pb, [fingerprint_of(pa), fingerprint_of(pb)]


def _refused(upper, path: Path, trust, fragment: str) -> None:
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, path, trust=trust)
    assert fragment in str(caught.value)
    assert dump(upper) == before


def test_an_owner_less_unit_with_another_communes_id_is_refused(two, upper, tmp_path: Path) -> None:
    """The finding: such a row used to block the other commune's first package forever."""
    a, b, pa, pb, trust = two
    forged = _forge_units(pa, tmp_path / "chiem.gcsync", signing_key(a.db), lambda t: _unit_line(
        t, id=b.unit_id, owner_unit_id=None, level="commune", name="Bình Nhì", parent_id=None))
    _refused(upper, forged, trust, "không phải tỉnh hay huyện")
    assert import_package(upper, pb, trust=trust).status == "imported"


def test_a_hamlet_with_a_registered_offices_id_is_refused(two, upper, tmp_path: Path) -> None:
    a, b, pa, pb, trust = two
    assert import_package(upper, pb, trust=trust).status == "imported"  # b is registered now
    forged = _forge_units(pa, tmp_path / "chiem.gcsync", signing_key(a.db), lambda t: _unit_line(
        t, id=b.unit_id, owner_unit_id=a.unit_id, level="hamlet", name="Ấp Giả", parent_id=a.unit_id))
    _refused(upper, forged, trust, "đơn vị khác đã đăng ký")


@pytest.mark.parametrize("made_by", ["this version", "an earlier version"])
def test_a_hamlet_the_commune_made_is_taken_whichever_version_made_its_id(two, upper, tmp_path: Path,
                                                                         made_by: str) -> None:
    """Ids made now are version 8 (db/ids.py); a commune still on an earlier version sends version 4."""
    a, _b, pa, _pb, trust = two
    hamlet = new_id() if made_by == "this version" else str(uuid.uuid4())
    forged = _forge_units(pa, tmp_path / "ap.gcsync", signing_key(a.db), lambda t: _unit_line(
        t, id=hamlet, owner_unit_id=a.unit_id, level="hamlet", unit_type="ấp", name="Ấp Mới Lập",
        name_fold=fold("Ấp Mới Lập"), code=None, parent_id=a.unit_id))
    assert import_package(upper, forged, trust=trust).status == "imported"
    assert rows(upper, "SELECT level FROM admin_unit WHERE id = ?", (hamlet,)) == [("hamlet",)]


def test_a_hamlet_whose_id_is_a_derived_one_is_refused(two, upper, tmp_path: Path) -> None:
    a, _b, pa, _pb, trust = two
    derived = str(uuid.uuid5(uuid.NAMESPACE_URL, "ấp"))
    forged = _forge_units(pa, tmp_path / "ap.gcsync", signing_key(a.db), lambda t: _unit_line(
        t, id=derived, owner_unit_id=a.unit_id, level="hamlet", unit_type="ấp", name="Ấp Giả",
        name_fold=fold("Ấp Giả"), code=None, parent_id=a.unit_id))
    _refused(upper, forged, trust, "không phải ấp/khu phố do đơn vị gửi tạo")


def test_a_reference_unit_whose_id_does_not_match_its_content_is_refused(two, upper, tmp_path: Path) -> None:
    a, _b, pa, _pb, trust = two
    real = reference_unit_id(level="province", unit_type="tỉnh", name="Tiền Giang", code=None, parent_id=None)

    def rename(rows: list[dict]) -> None:
        (province,) = [r for r in rows if r["id"] == real]
        province["content"]["name"] = "Tỉnh Giả"
    forged = forge(pa, tmp_path / "sua.gcsync", signing_key(a.db), payload={"data/admin_unit.jsonl": edit_lines(rename)})
    _refused(upper, forged, trust, "không khớp nội dung")


def test_a_commune_cannot_send_another_commune_level_unit(two, upper, tmp_path: Path) -> None:
    a, _b, pa, _pb, trust = two
    forged = _forge_units(pa, tmp_path / "xa.gcsync", signing_key(a.db), lambda t: _unit_line(
        t, id=str(uuid.uuid4()), owner_unit_id=a.unit_id, level="commune", name="Xã Lạ", parent_id=None))
    _refused(upper, forged, trust, "chỉ được gửi đơn vị của chính mình")


def _migration():
    path = next((MIGRATIONS_DIR / "versions").glob("*_incarnations_and_shared_units.py"))
    spec = importlib.util.spec_from_file_location("incarnations_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.upper_sqlite
def test_the_upgrade_merges_the_provinces_each_commune_made(upper) -> None:
    """Before this version each commune made its own "Tiền Giang" row with a random id."""
    upper.close()
    con = sqlite3.connect(upper.path)
    province = con.execute("SELECT id FROM admin_unit WHERE level = 'province'").fetchone()[0]
    old = str(uuid.uuid4())
    con.execute("INSERT INTO admin_unit (id, version, created_at, updated_at, deleted, level, unit_type, name, "
                "name_fold) SELECT ?, version, created_at, updated_at, 0, level, unit_type, name, name_fold "
                "FROM admin_unit WHERE id = ?", (old, province))
    commune = str(uuid.uuid4())
    con.execute("INSERT INTO admin_unit (id, version, created_at, updated_at, deleted, level, unit_type, name, "
                "name_fold, parent_id, owner_unit_id) SELECT ?, version, created_at, updated_at, 0, 'commune', "
                "'xã', 'Bình Nhì', 'binh nhi', ?, NULL FROM admin_unit WHERE id = ?", (commune, old, province))
    con.execute("UPDATE admin_unit SET owner_unit_id = id WHERE id = ?", (commune,))
    con.commit()
    con.close()
    engine = create_engine(f"sqlite:///{upper.path}")
    with engine.begin() as conn:
        _migration()._share_reference_units(conn)
    engine.dispose()
    con = sqlite3.connect(upper.path)
    try:
        assert con.execute("SELECT count(*) FROM admin_unit WHERE level = 'province'").fetchone()[0] == 1
        assert con.execute("SELECT parent_id FROM admin_unit WHERE id = ?", (commune,)).fetchone()[0] == province
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


@pytest.mark.parametrize("change", [dict(deleted=True), dict(valid_to="2001-01-01"), dict(name_fold="zzz")],
                         ids=["deleted", "valid_to", "name_fold"])
def test_a_commune_cannot_decide_a_shared_unit_for_everyone(two, upper, tmp_path: Path, change: dict) -> None:
    """The first commune to send a shared district would otherwise set its flags for all."""
    a, b, pa, pb, trust = two
    district = reference_unit_id(level="province", unit_type="tỉnh", name="Tiền Giang", code=None, parent_id=None)

    def edit(rows: list[dict]) -> None:
        (row,) = [r for r in rows if r["id"] == district]
        if "deleted" in change:
            row["deleted"] = change["deleted"]
        else:
            row["content"].update(change)
    forged = forge(pa, tmp_path / "chung.gcsync", signing_key(a.db), payload={"data/admin_unit.jsonl": edit_lines(edit)})
    _refused(upper, forged, trust, "dùng chung")
    assert import_package(upper, pb, trust=trust).status == "imported"
