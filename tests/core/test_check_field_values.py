"""``check --full``'s rule ``field_values``: every stored value of every table held to
its form's rule (``core/rules/fields.py``), on a commune's file and on an upper
office on both stores, each kind of rule broken by raw SQL as a database edited
outside the app would be."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.services.privacy import set_sync_personal_fields
from tests.core.sync.conftest import rows, send, write_beside

NFD_ADDRESS = unicodedata.normalize("NFD", "Ấp Bình Đông, xã Bình Tân")


def _field_messages(location, **kwargs) -> list[str]:
    return [p.message for p in check_database(location, **kwargs) if p.rule == "field_values"]


def _first_id(con, table: str, where: str = "1 = 1") -> str:
    return con.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY rowid LIMIT 1").fetchone()[0]


def test_a_healthy_demo_passes_the_full_check(demo):
    assert check_database(demo, full=True) == []


# (table, SQL assignment, which row, what the message says)
BROKEN_VALUES = {
    "number_range": ("household", "members = 999", "deleted = 0",
                     "Bản ghi hộ gia đình {id}: trường «members» (số nhân khẩu) phải từ 1 đến 50."),
    "text_length": ("household", f"head_name = '{'Nguyễn Văn A' * 420}'", "deleted = 0",
                    "Bản ghi hộ gia đình {id}: trường «head_name» (họ tên chủ hộ) quá dài (tối đa 100 ký tự)."),
    "choice": ("household", "gender = 'khác'", "deleted = 0",
               "Bản ghi hộ gia đình {id}: trường «gender» (giới tính) không hợp lệ (chỉ được là: nam, nu)."),
    "nfc": ("household", f"address = '{NFD_ADDRESS}'", "deleted = 0",
            "Bản ghi hộ gia đình {id}: trường «address» (địa chỉ) chưa ở dạng Unicode dựng sẵn (NFC)."),
    "date": ("pledge", "signed_date = '2025-02-30'", "status = 'signed'",
             "Bản ghi bản cam kết {id}: trường «signed_date» (ngày ký) không phải ngày hợp lệ."),
    "future_date": ("household", "moved_out_date = '2099-01-01'", "deleted = 0",
                    "Bản ghi hộ gia đình {id}: trường «moved_out_date» (ngày chuyển đi) không được ở tương lai."),
    "tombstone": ("attendance", "deleted = 1, status = 'co mat'", "deleted = 0",
                  "Bản ghi điểm danh {id} (đã xóa): trường «status» (trạng thái tham dự) không hợp lệ (chỉ được là: "
                  "unmarked, present, absent_excused, absent_unexcused)."),
}


@pytest.mark.parametrize("case", BROKEN_VALUES.values(), ids=BROKEN_VALUES.keys())
def test_each_kind_of_rule_broken_is_named_by_the_full_check_only(broken, case):
    path, con = broken
    table, assignment, where, said = case
    record = _first_id(con, table, where)
    con.execute(f"UPDATE {table} SET {assignment} WHERE id = ?", (record,))
    assert _field_messages(path, full=True) == [said.format(id=record)]
    assert _field_messages(path) == []  # the quick check leaves every value to --full (its speed target)


def test_an_impossible_start_of_final_minutes_is_reported_not_a_crash(broken):
    """The minutes' hash rule reads the start as a date: a value no form writes is
    said as minutes changed after finalising, and by the field rule as no date."""
    path, con = broken
    record = _first_id(con, "meeting", "status = 'final'")
    con.execute("UPDATE meeting SET starts_at = '2025-13-01 19:00:00.000000' WHERE id = ?", (record,))
    found = {p.rule: p.message for p in check_database(path, full=True)}
    assert "không khớp mã băm" in found["minutes_hashes"] and record in found["minutes_hashes"]
    assert found["field_values"] == (f"Bản ghi cuộc họp {record}: trường «starts_at» (giờ bắt đầu) không phải "
                                     "ngày hợp lệ.")


def test_many_bad_values_are_listed_as_the_other_rules_list_them(broken):
    path, con = broken
    total = con.execute("SELECT count(*) FROM household").fetchone()[0]
    con.execute("UPDATE household SET members = 0")
    messages = _field_messages(path, full=True)
    assert len(messages) == 21 and all("«members»" in m for m in messages[:20])
    assert messages[20] == f"… và {total - 20} trường hợp khác cùng loại."


def test_a_blank_name_of_the_communes_own_household_is_reported(broken):
    """Only records received from another office may hold withheld (blank) values."""
    path, con = broken
    record = _first_id(con, "household", "deleted = 0")
    con.execute("UPDATE household SET head_name = '' WHERE id = ?", (record,))
    assert _field_messages(path, full=True) == [
        f"Bản ghi hộ gia đình {record}: trường «head_name» (họ tên chủ hộ) còn trống."]


def _location(db):
    return db.path if db.server is None else db.server


def test_an_upper_office_holding_withheld_values_passes_then_names_a_bad_one(upper, demo_communes, usb):
    """The commune withholds every personal field (blank names, notes...): received
    blanks are what its privacy setting sent, on the file and on a server alike."""
    (commune,) = demo_communes(1)
    with commune.db.session() as s:
        set_sync_personal_fields(s, set())
    send(commune.db, upper, usb)
    assert rows(upper, "SELECT count(*) FROM household WHERE head_name = ''")[0][0] > 0
    assert check_database(_location(upper), full=True) == []
    record = rows(upper, "SELECT min(id) FROM household")[0][0]
    write_beside(upper, "UPDATE household SET birth_year = 1200, gender = 'x' WHERE id = ?", (record,))
    assert _field_messages(_location(upper), full=True) == [
        f"Bản ghi hộ gia đình {record}: trường «birth_year» (năm sinh) phải từ 1900 đến "
        f"{date.today().year}."]
    assert _field_messages(_location(upper)) == []


def test_a_crafted_id_is_named_escaped_and_cut_short(broken):
    path, con = broken
    record = _first_id(con, "household", "deleted = 0")
    crafted = "\x1b[2J" + "x" * 100
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("UPDATE household SET id = ?, members = 0 WHERE id = ?", (crafted, record))
    [message] = _field_messages(path, full=True)
    assert message.startswith("Bản ghi hộ gia đình '\\x1b[2J" + "x" * 36 + "'…: trường «members»")
