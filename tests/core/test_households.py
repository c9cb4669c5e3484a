"""The household register: validation, NFC storage, folded search, Vietnamese
sort order, paging (DOMAIN.md §3–4)."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import hamlets, households
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.text import fold
from tests.conftest import table_counts


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _names(rows) -> list[str]:
    return [r.head_name for r in rows]


# --------------------------------------------------------------------------- validation

BAD_INPUTS = [
    # (changes to a valid input, field, words the message must contain)
    ({"head_name": "   "}, "head_name", "Chưa nhập họ tên chủ hộ"),
    ({"head_name": "\u200b\u2060 \u200b"}, "head_name", "Chưa nhập họ tên chủ hộ"),  # pasted, invisible
    ({"birth_year": 1850}, "birth_year", "Năm sinh phải từ 1900"),
    ({"birth_year": date.today().year + 1}, "birth_year", "Năm sinh"),
    ({"phone": "12345"}, "phone", "Số điện thoại"),
    ({"phone": "0123456789"}, "phone", "di động"),
    ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
    ({"citizen_id": "999090123456"}, "citizen_id", "mã tỉnh"),
    ({"members": 0}, "members", "Số nhân khẩu"),
    ({"members": None}, "members", "Chưa nhập số nhân khẩu"),
    ({"gender": "x"}, "gender", "Giới tính"),
]


@pytest.mark.parametrize("changes,field,words", BAD_INPUTS)
def test_create_refused_with_field_and_message(seeded, changes, field, words) -> None:
    good = HouseholdInput(head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_a,
                          group_id=seeded.group_a1, birth_year=1970, members=3,
                          phone="0912345678", citizen_id="082070123456")
    before = table_counts(seeded.db.path)
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            households.create_household(s, replace(good, **changes))
    assert err.value.field == field
    assert words in err.value.message
    assert table_counts(seeded.db.path) == before


def test_group_of_another_hamlet_refused(seeded) -> None:
    before = table_counts(seeded.db.path)
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            households.create_household(s, HouseholdInput(
                head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_a, group_id=seeded.group_b3))
    assert err.value.field == "group_id"
    assert "không thuộc ấp Lợi An" in err.value.message
    assert table_counts(seeded.db.path) == before


def test_refused_update_leaves_record_unchanged(seeded) -> None:
    hid = seeded.households["Nguyễn Văn Ba"]
    with seeded.db.session() as s:
        stored = households.household_input(s, hid)
    before = table_counts(seeded.db.path)
    with pytest.raises(ValidationError):
        with seeded.db.session() as s:
            households.update_household(s, hid, replace(stored, head_name="Nguyễn Văn Bảy",
                                                        phone="0000"))
    with seeded.db.session() as s:
        assert households.household_input(s, hid) == stored
    assert table_counts(seeded.db.path) == before


def test_valid_input_is_normalised(seeded) -> None:
    with seeded.db.session() as s:
        hid = households.create_household(s, HouseholdInput(
            head_name="  " + nfd("Huỳnh  Thị Ngọc   Ánh") + " ", hamlet_id=seeded.hamlet_a,
            address=nfd("Đường liên ấp Lợi An"), phone="+84 91 234 5678",
            citizen_id=" 082190123456 ", members=4))
    con = sqlite3.connect(seeded.db.path)
    try:
        name, address, phone, cid = con.execute(
            "SELECT head_name, address, phone, citizen_id FROM household WHERE id=?", (hid,)).fetchone()
    finally:
        con.close()
    assert name == "Huỳnh Thị Ngọc Ánh" and unicodedata.is_normalized("NFC", name)
    assert address == "Đường liên ấp Lợi An" and unicodedata.is_normalized("NFC", address)
    assert phone == "0912345678"
    assert cid == "082190123456"
    with seeded.db.session() as s:
        row = households.list_households(s, search="ngoc anh")[0]
    assert row.citizen_id_masked == "•••••••••456"


def test_a_viewer_reads_the_form_with_the_citizen_id_masked(seeded) -> None:
    from gocong_desktop.core.db.access import Principal, Role

    with seeded.db.session() as s:
        hid = households.create_household(s, HouseholdInput(
            head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_a, citizen_id="082190123456"))
        assert households.household_input(s, hid).citizen_id == "082190123456"  # the clerk edits it
    seeded.db.user = Principal("xem", "Người xem", Role.VIEWER)
    try:
        with seeded.db.session() as s:
            assert households.household_input(s, hid).citizen_id == "•••••••••456"
    finally:
        seeded.db.user = None


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("query", ["dong", "ĐỒNG", "Đồng", nfd("đồng"), nfd("ĐỒNG"), "  DONG "])
def test_search_folds_marks_case_and_d(seeded, query) -> None:
    with seeded.db.session() as s:
        assert _names(households.list_households(s, search=query)) == ["Đỗ Văn Đồng"]
        assert households.count_households(s, search=query) == 1


@pytest.mark.parametrize("query", ["nguyen van", "NGUYỄN VĂN", nfd("Nguyễn Văn"), "nguyen  v"])
def test_multi_word_search_matches_the_phrase(seeded, query) -> None:
    with seeded.db.session() as s:
        assert _names(households.list_households(s, search=query)) == ["Nguyễn Văn Ba"]


@pytest.mark.parametrize("query", ["van nguyen", "guyen", "an ba"])
def test_search_matches_from_the_start_of_a_word_in_order(seeded, query) -> None:
    with seeded.db.session() as s:
        assert households.list_households(s, search=query) == []


def test_name_matches_come_before_address_matches(seeded) -> None:
    with seeded.db.session() as s:
        households.create_household(s, HouseholdInput(
            head_name="Lê Văn An", hamlet_id=seeded.hamlet_a, address="Số 5, đường Nguyễn Văn Cừ"))
        names = _names(households.list_households(s, search="nguyen van"))
    assert names == ["Nguyễn Văn Ba", "Lê Văn An"]


@pytest.mark.parametrize("query", ["Ánh", "ánh", nfd("Ánh"), "Thị Ánh", "thị ánh"])
def test_a_query_with_marks_ranks_names_with_those_marks_first(db, query) -> None:
    with db.session() as s:
        hamlet = hamlets.add_hamlet(s, "Lợi An")
        for name in ("Nguyễn Thị Anh", "Nguyễn Thị Ánh", "Lê Thị Anh", "Trần Thị Ánh"):
            households.create_household(s, HouseholdInput(head_name=name, hamlet_id=hamlet))
    with db.session() as s:
        names = _names(households.list_households(s, search=query))
        paged = _names(households.list_households(s, search=query, offset=1, limit=2))
    assert names == ["Nguyễn Thị Ánh", "Trần Thị Ánh", "Lê Thị Anh", "Nguyễn Thị Anh"]
    assert paged == names[1:3]


def test_a_query_without_marks_keeps_the_vietnamese_order(db) -> None:
    with db.session() as s:
        hamlet = hamlets.add_hamlet(s, "Lợi An")
        for name in ("Nguyễn Thị Ánh", "Nguyễn Thị Anh"):
            households.create_household(s, HouseholdInput(head_name=name, hamlet_id=hamlet))
    with db.session() as s:
        assert _names(households.list_households(s, search="anh")) == ["Nguyễn Thị Anh", "Nguyễn Thị Ánh"]


def test_search_matches_address_and_phone(seeded) -> None:
    with seeded.db.session() as s:
        hid = households.create_household(s, HouseholdInput(
            head_name="Lê Văn Tám", hamlet_id=seeded.hamlet_b, address="Kênh Xáng",
            phone="0987654321"))
        assert [r.id for r in households.list_households(s, search="kenh xang")] == [hid]
        assert [r.id for r in households.list_households(s, search="0987654321")] == [hid]


def test_search_wildcards_are_literal(seeded) -> None:
    with seeded.db.session() as s:
        assert households.list_households(s, search="%") == []
        assert households.list_households(s, search="_") == []
        assert households.count_households(s, search="%") == 0


def test_search_results_equal_a_python_fold_filter(seeded) -> None:
    with seeded.db.session() as s:
        everyone = households.list_households(s)
        for query in ("van", "thi", "a", "nguyen thi", "an", "loi an", "ba"):
            # The phrase must start at a word of the name, the address or the phone.
            expected = {r.id for r in everyone
                        if any(f" {query}" in f" {fold(part or '')}"
                               for part in (r.head_name, r.address, r.phone))}
            assert {r.id for r in households.list_households(s, search=query)} == expected


# --------------------------------------------------------------------------- sorting, paging


def test_default_order_is_vietnamese_by_given_name(seeded) -> None:
    with seeded.db.session() as s:
        assert _names(households.list_households(s)) == [
            "Phạm Văn An", "Võ Thị Ánh", "Nguyễn Văn Ba", "Nguyễn Thị Bích",
            "Đỗ Văn Đồng", "Lê Thị Hoa", "Trần Minh Tâm"]


def test_sort_order_alphabet_tones_and_family_names(db) -> None:
    names = ["Trần Văn Đức", "Nguyễn Văn Dũng", "Hồ Văn Ân", "Lê Thị Ánh", "Trần Văn An",
             "Lê Văn An", "Lê Thị Hòa", "Lê Thị Hoa", "Phan Văn Ơn", "Phan Văn On", "Võ Thị Yến",
             "Bùi Văn Út"]
    with db.session() as s:
        hamlet = hamlets.add_hamlet(s, "Lợi An")
        for name in names:
            households.create_household(s, HouseholdInput(head_name=name, hamlet_id=hamlet))
    with db.session() as s:
        ordered = _names(households.list_households(s))
        reverse = _names(households.list_households(s, descending=True))
    assert ordered == [
        "Lê Văn An", "Trần Văn An",  # same given name: family name decides
        "Lê Thị Ánh", "Hồ Văn Ân",  # a < â; Ánh before Ân
        "Nguyễn Văn Dũng", "Trần Văn Đức",  # d < đ
        "Lê Thị Hoa", "Lê Thị Hòa",  # tone only breaks the tie
        "Phan Văn On", "Phan Văn Ơn",  # o < ơ
        "Bùi Văn Út", "Võ Thị Yến"]
    assert reverse == ordered[::-1]


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_hamlet_sorts_by_name_within_it(db, descending) -> None:
    with db.session() as s:
        loi_an, long_hoa = hamlets.add_hamlet(s, "Lợi An"), hamlets.add_hamlet(s, "Long Hòa")
        for name, hamlet in (("Trần Văn Tư", loi_an), ("Lê Văn Ba", long_hoa), ("Võ Văn An", loi_an),
                             ("Đỗ Thị Yến", long_hoa), ("Phan Văn Cường", loi_an)):
            households.create_household(s, HouseholdInput(head_name=name, hamlet_id=hamlet))
    with db.session() as s:
        rows = households.list_households(s, order_by="hamlet", descending=descending)
    by_hamlet = {"Long Hòa": ["Lê Văn Ba", "Đỗ Thị Yến"], "Lợi An": ["Võ Văn An", "Phan Văn Cường", "Trần Văn Tư"]}
    hamlet_order = ["Lợi An", "Long Hòa"] if not descending else ["Long Hòa", "Lợi An"]
    assert [(r.hamlet_name, r.head_name) for r in rows] == [
        (h, name) for h in hamlet_order for name in by_hamlet[h]]


def test_paging_and_count_agree(db) -> None:
    with db.session() as s:
        hamlet = hamlets.add_hamlet(s, "Lợi An")
        for i in range(23):
            households.create_household(s, HouseholdInput(
                head_name=f"Nguyễn Văn {['An', 'Bình', 'Cường', 'Dũng'][i % 4]}",
                hamlet_id=hamlet, address=f"Số {i}"))
    with db.session() as s:
        for search in (None, "nguyen van", "binh"):
            full = households.list_households(s, search=search)
            assert households.count_households(s, search=search) == len(full)
            pages = []
            for offset in range(0, len(full) + 5, 5):
                pages += households.list_households(s, search=search, offset=offset, limit=5)
            assert [r.id for r in pages] == [r.id for r in full]
        assert len(households.list_households(s, offset=20, limit=10)) == 3
        assert households.list_households(s, offset=30, limit=10) == []


def test_moved_out_hidden_by_default(seeded) -> None:
    hid = seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        households.mark_moved_out(s, hid, date(2024, 5, 1))
    with seeded.db.session() as s:
        assert hid not in [r.id for r in households.list_households(s)]
        assert households.count_households(s) == 6
        assert households.count_households(s, group_id=seeded.group_a1) == 2
        moved = [r for r in households.list_households(s, include_moved=True) if r.id == hid]
        assert moved and moved[0].moved_out_date == date(2024, 5, 1)
        assert households.count_households(s, include_moved=True) == 7
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            households.mark_moved_out(s, hid, date(date.today().year + 1, 1, 1))
    assert err.value.field == "moved_out_date"


def test_deleted_households_are_gone_from_lists(seeded) -> None:
    hid = seeded.households["Trần Minh Tâm"]
    with seeded.db.session() as s:
        households.delete_household(s, hid)
    with seeded.db.session() as s:
        assert hid not in [r.id for r in households.list_households(s, include_moved=True)]
        assert households.count_households(s, include_moved=True) == 6


def test_filters_by_hamlet_and_group(seeded) -> None:
    with seeded.db.session() as s:
        assert households.count_households(s, hamlet_id=seeded.hamlet_b) == 2
        assert _names(households.list_households(s, group_id=seeded.group_a2)) == [
            "Phạm Văn An", "Võ Thị Ánh"]


def test_move_household_to_group_of_another_hamlet(seeded) -> None:
    hid = seeded.households["Phạm Văn An"]
    with seeded.db.session() as s:
        households.move_household(s, hid, seeded.group_b3)
    with seeded.db.session() as s:
        row = households.list_households(s, search="pham van an")[0]
    assert (row.group_id, row.hamlet_id, row.hamlet_name) == (seeded.group_b3, seeded.hamlet_b, "Đồng Sơn")
