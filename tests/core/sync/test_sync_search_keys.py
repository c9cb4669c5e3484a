"""Households received at the upper office are found by name there (issue 19):
the search key (name, address, phone) never travels while the phone is withheld,
so the receiving side derives it from what did arrive."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.engine import open_database

from gocong_desktop.core.services import households
from gocong_desktop.core.services.privacy import DEFAULT_FIELDS, set_sync_personal_fields
from gocong_desktop.core.services.search_keys import household_search_fold
from gocong_desktop.core.sync import undo_import
from tests.core.sync.conftest import edit_household, rows, send, write_beside

NAME, ADDRESS = "Huỳnh Thị Thanh Xuân", "Số 77 hẻm Bảy Mẫu"


def _renamed(commune) -> str:
    with commune.session() as s:
        hid = households.list_households(s, limit=1)[0].id
    edit_household(commune, hid, head_name=NAME, address=ADDRESS, phone="0912345678")
    return hid


def _found(upper, search: str) -> list[str]:
    with upper.session() as s:
        return [h.id for h in households.list_households(s, search=search)]


def test_received_households_are_found_by_name_and_address(demo_communes, upper, usb: Path) -> None:
    commune = demo_communes(1)[0].db
    hid = _renamed(commune)
    send(commune, upper, usb)
    assert hid in _found(upper, "huynh thi thanh xuan")
    assert hid in _found(upper, "so 77 hem bay mau")
    assert _found(upper, "0912345678") == []  # the phone was withheld: not searchable here
    stored = rows(upper, "SELECT search_fold FROM household WHERE id = ?", (hid,))
    assert stored == [(household_search_fold(NAME, ADDRESS, None),)]
    empty = rows(upper, "SELECT count(*) FROM household WHERE search_fold = ''")
    assert empty == [(0,)]


def test_a_sent_phone_is_searchable_and_a_later_update_keeps_the_key(demo_communes, upper, usb: Path) -> None:
    commune = demo_communes(1)[0].db
    with commune.session() as s:
        set_sync_personal_fields(s, set(DEFAULT_FIELDS) | {"phone"})
    hid = _renamed(commune)
    send(commune, upper, usb)
    assert _found(upper, "0912345678") == [hid]
    edit_household(commune, hid, head_name="Huỳnh Thị Thu Cúc")
    send(commune, upper, usb)
    assert hid in _found(upper, "huynh thi thu cuc") and hid not in _found(upper, "thanh xuan")


def test_an_import_with_derived_keys_is_undone(demo_communes, upper, usb: Path) -> None:
    commune = demo_communes(1)[0].db
    summary, _result = send(commune, upper, usb)
    hid = _renamed(commune)
    second, _result = send(commune, upper, usb)
    assert _found(upper, "so 77 hem bay mau") == [hid]
    undo_import(upper, second.package_uuid)
    assert _found(upper, "so 77 hem bay mau") == []
    undo_import(upper, summary.package_uuid)
    assert rows(upper, "SELECT count(*) FROM household") == [(0,)]


def test_a_full_package_after_the_first_finds_nothing_to_change(demo_communes, upper, usb: Path) -> None:
    commune = demo_communes(1)[0].db
    send(commune, upper, usb)
    _summary, again = send(commune, upper, usb, full=True)
    assert again.changes["household"].updated == 0 and again.changes["household"].conflicts == 0


def test_a_phone_sent_later_fills_in_the_key_without_a_conflict(demo_communes, upper, usb: Path) -> None:
    commune = demo_communes(1)[0].db
    hid = _renamed(commune)
    send(commune, upper, usb)
    with commune.session() as s:  # the commune now sends phones: the same versions, filled in
        set_sync_personal_fields(s, set(DEFAULT_FIELDS) | {"phone"})
    _summary, again = send(commune, upper, usb, full=True)
    assert again.changes["household"].conflicts == 0
    assert _found(upper, "0912345678") == [hid]


def _migration_0017():
    spec = importlib.util.spec_from_file_location(
        "migration_0017", migrate.MIGRATIONS_DIR / "versions" / "0017_received_household_search_keys.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_folds_as_the_service_does() -> None:
    derive = _migration_0017().search_fold
    for parts in [("Huỳnh Thị Thanh Xuân", "Số 77 hẻm Bảy Mẫu", "0912345678"), ("Lê Văn Tám", None, None),
                  ("ĐẶNG  Ánh", "", "")]:
        assert derive(*parts) == household_search_fold(*parts)


def test_an_upper_office_from_0016_finds_the_households_it_received(demo_communes, upper, usb: Path) -> None:
    commune = demo_communes(1)[0].db
    hid = _renamed(commune)
    send(commune, upper, usb)
    with upper.session() as s:
        own = upper.office_unit_id(s)
    local = rows(upper, "SELECT id, search_fold FROM household WHERE owner_unit_id = ?", (own,))
    write_beside(upper, "UPDATE household SET search_fold = '' WHERE owner_unit_id <> ?", (own,))
    write_beside(upper, "UPDATE alembic_version SET version_num = '0016'")
    if upper.server is None:
        write_beside(upper, "PRAGMA user_version = 16")
    location = upper.server or upper.path
    upper.close()
    reopened = open_database(location)  # migrates
    try:
        assert hid in _found(reopened, "huynh thi thanh xuan")
        assert rows(reopened, "SELECT count(*) FROM household WHERE search_fold = ''") == [(0,)]
        assert rows(reopened, "SELECT id, search_fold FROM household WHERE owner_unit_id = ?", (own,)) == local
    finally:
        reopened.close()
