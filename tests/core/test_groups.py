"""Self-managed groups (Tổ NDTQ) and hamlets: numbers, officers, retirement."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from gocong_desktop.core.errors import ConflictError, NotFoundError, ValidationError
from gocong_desktop.core.services import groups, hamlets, households
from tests.conftest import table_counts

# --------------------------------------------------------------------------- groups


def test_default_name_and_listing(seeded) -> None:
    with seeded.db.session() as s:
        rows = groups.list_groups(s)
    assert [(r.number, r.name, r.hamlet_name, r.households) for r in rows] == [
        (1, "Tổ NDTQ số 1", "Lợi An", 3), (2, "Tổ NDTQ số 2", "Lợi An", 2),
        (3, "Tổ NDTQ số 3", "Đồng Sơn", 2)]


def test_choices_are_the_lists_groups_without_reading_households_or_meetings(seeded) -> None:
    """What the filters and forms list (issue 16: the list's counts cost 134 ms at 50,000 households)."""
    from sqlalchemy import event

    ran: list[str] = []

    def record(*args) -> None:
        ran.append(args[2])
    with seeded.db.session() as s:
        hamlet_id = groups.list_groups(s)[0].hamlet_id
        event.listen(seeded.db.engine, "before_cursor_execute", record)
        choices = groups.group_choices(s)
        in_hamlet = groups.group_choices(s, hamlet_id=hamlet_id)
        event.remove(seeded.db.engine, "before_cursor_execute", record)
        expected = [(r.id, r.name) for r in groups.list_groups(s)]
        expected_in_hamlet = [(r.id, r.name) for r in groups.list_groups(s, hamlet_id=hamlet_id)]
    assert [(c.id, c.name) for c in choices] == expected
    assert [(c.id, c.name) for c in in_hamlet] == expected_in_hamlet and len(in_hamlet) == 2
    assert len(ran) == 2 and not [sql for sql in ran if "household" in sql or "meeting" in sql]


def test_group_number_unique_in_commune(seeded) -> None:
    before = table_counts(seeded.db.path)
    for hamlet in (seeded.hamlet_a, seeded.hamlet_b):  # same or another hamlet of the commune
        with pytest.raises(ConflictError) as err:
            with seeded.db.session() as s:
                groups.save_group(s, hamlet_id=hamlet, number=1)
        assert err.value.field == "number"
        assert "Số tổ 1" in err.value.message
    assert table_counts(seeded.db.path) == before
    # Saving a group with its own number is not a clash.
    with seeded.db.session() as s:
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          name="Tổ NDTQ số 1 – Lợi An")
    with seeded.db.session() as s:
        assert groups.list_groups(s, search="loi an")[0].name == "Tổ NDTQ số 1 – Lợi An"


def test_group_needs_number_or_name(seeded) -> None:
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            groups.save_group(s, hamlet_id=seeded.hamlet_a, number=None, name=" ")
    assert err.value.field == "number"
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            groups.save_group(s, hamlet_id=seeded.hamlet_a, number=0)
    assert err.value.field == "number"


def test_leader_and_deputy_must_belong_to_the_group(seeded) -> None:
    ba, hoa = seeded.households["Nguyễn Văn Ba"], seeded.households["Lê Thị Hoa"]
    outsider = seeded.households["Phạm Văn An"]  # Tổ 2
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                              leader_household_id=outsider)
    assert err.value.field == "leader_household_id"
    assert "Tổ trưởng" in err.value.message
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                              leader_household_id=ba, deputy_household_id=ba)
    assert err.value.field == "deputy_household_id"
    with seeded.db.session() as s:
        assert groups.list_groups(s)[0].leader_name is None  # nothing half-saved
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=ba, deputy_household_id=hoa)
    with seeded.db.session() as s:
        row = groups.list_groups(s)[0]
    assert (row.leader_name, row.deputy_name) == ("Nguyễn Văn Ba", "Lê Thị Hoa")


def test_retire_with_households_needs_a_target(seeded) -> None:
    before = table_counts(seeded.db.path)
    with pytest.raises(ConflictError) as err:
        with seeded.db.session() as s:
            groups.retire_group(s, seeded.group_a2, when=date(2024, 6, 30))
    assert err.value.field == "move_households_to"
    assert "2 hộ" in err.value.message
    with pytest.raises(ValidationError):
        with seeded.db.session() as s:
            groups.retire_group(s, seeded.group_a2, when=date(2024, 6, 30),
                                move_households_to=seeded.group_a2)
    assert table_counts(seeded.db.path) == before


def test_retire_moves_households(seeded) -> None:
    with seeded.db.session() as s:
        moved = groups.retire_group(s, seeded.group_a2, when=date(2024, 6, 30),
                                    move_households_to=seeded.group_b3)
    assert moved == 2
    with seeded.db.session() as s:
        assert [g.number for g in groups.list_groups(s)] == [1, 3]
        retired = [g for g in groups.list_groups(s, include_retired=True) if g.id == seeded.group_a2]
        assert retired and not retired[0].active and retired[0].households == 0
        rows = households.list_households(s, group_id=seeded.group_b3)
        assert len(rows) == 4
        assert {r.hamlet_id for r in rows} == {seeded.hamlet_b}
        # Its number is free again for a new group.
        groups.save_group(s, hamlet_id=seeded.hamlet_a, number=2)
    with pytest.raises(ValidationError):  # a retired group cannot receive households
        with seeded.db.session() as s:
            groups.retire_group(s, seeded.group_b3, when=date(2024, 7, 1),
                                move_households_to=seeded.group_a2)


# --------------------------------------------------------------------------- hamlets


@pytest.mark.parametrize("name", ["Lợi An", "loi an", "LỢI  AN",
                                  unicodedata.normalize("NFD", "Lợi An")])
def test_duplicate_hamlet_name_refused(seeded, name) -> None:
    before = table_counts(seeded.db.path)
    with pytest.raises(ConflictError) as err:
        with seeded.db.session() as s:
            hamlets.add_hamlet(s, name)
    assert err.value.field == "name"
    assert table_counts(seeded.db.path) == before


def test_rename_hamlet_to_an_existing_name_refused(seeded) -> None:
    with pytest.raises(ConflictError):
        with seeded.db.session() as s:
            hamlets.rename_hamlet(s, seeded.hamlet_b, "lợi an")
    with seeded.db.session() as s:
        hamlets.rename_hamlet(s, seeded.hamlet_a, "Lợi  An")  # itself: fine
        assert [h.name for h in hamlets.list_hamlets(s)] == ["Đồng Sơn", "Lợi An"]


def test_hamlet_list_sorted_vietnamese_with_group_counts(seeded) -> None:
    with seeded.db.session() as s:
        hamlets.add_hamlet(s, "Dương Long", unit_type="khu phố")
        rows = hamlets.list_hamlets(s)
    assert [(h.name, h.groups) for h in rows] == [("Dương Long", 0), ("Đồng Sơn", 1), ("Lợi An", 2)]
    assert rows[0].display_name == "khu phố Dương Long"


def test_retire_hamlet_refused_while_groups_active(seeded) -> None:
    before = table_counts(seeded.db.path)
    with pytest.raises(ConflictError) as err:
        with seeded.db.session() as s:
            hamlets.retire_hamlet(s, seeded.hamlet_b, date(2025, 7, 1))
    assert "1 tổ" in err.value.message
    with pytest.raises(ConflictError):
        with seeded.db.session() as s:
            hamlets.delete_hamlet(s, seeded.hamlet_b)
    assert table_counts(seeded.db.path) == before
    with seeded.db.session() as s:
        groups.retire_group(s, seeded.group_b3, when=date(2025, 6, 30),
                            move_households_to=seeded.group_a1)
        hamlets.retire_hamlet(s, seeded.hamlet_b, date(2025, 7, 1))
    with seeded.db.session() as s:
        assert [h.name for h in hamlets.list_hamlets(s)] == ["Lợi An"]
        assert [h.name for h in hamlets.list_hamlets(s, include_retired=True)] == ["Đồng Sơn", "Lợi An"]
        # The retired name may be used again by a new hamlet.
        hamlets.add_hamlet(s, "Đồng Sơn")


def test_delete_unused_hamlet(db) -> None:
    with db.session() as s:
        hamlet = hamlets.add_hamlet(s, "Thạnh Phong")
        hamlets.delete_hamlet(s, hamlet)
    with db.session() as s:
        assert hamlets.list_hamlets(s, include_retired=True) == []
    with pytest.raises(NotFoundError):
        with db.session() as s:
            hamlets.rename_hamlet(s, hamlet, "Thạnh Phong Mới")


def test_moving_a_group_to_another_hamlet_takes_its_households(seeded) -> None:
    from sqlmodel import select

    from gocong_desktop.core.db.models import Household

    with seeded.db.session() as s:
        groups.save_group(s, hamlet_id=seeded.hamlet_b, number=1, group_id=seeded.group_a1)
    with seeded.db.session() as s:
        members = s.exec(select(Household).where(Household.group_id == seeded.group_a1)).all()
        assert members and {h.hamlet_id for h in members} == {seeded.hamlet_b}
