"""Finding a record by what a person types (an id, a number, a name): in the
services, so the CLI and any other caller share one rule and one message."""

from __future__ import annotations

from datetime import date

import pytest

from gocong_desktop.core.errors import NotFoundError
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.groups import find_group, retire_group, save_group
from gocong_desktop.core.services.hamlets import find_hamlet
from tests.conftest import as_demo_admin

PASSWORD = "mật khẩu đủ dài 2026"


def test_a_group_by_id_or_number_the_active_one_first(seeded) -> None:
    with seeded.db.session(actor="tester") as s:
        assert find_group(s, seeded.group_a2) == seeded.group_a2 and find_group(s, "3") == seeded.group_b3
        retire_group(s, seeded.group_a1, when=date(2025, 1, 1), move_households_to=seeded.group_a2)
        again = save_group(s, hamlet_id=seeded.hamlet_b, number=1)  # number 1 is free again
        assert find_group(s, "1") == again and find_group(s, seeded.group_a1) == seeded.group_a1
        with pytest.raises(NotFoundError, match="^Không tìm thấy tổ «9»."):
            find_group(s, "9")


def test_a_hamlet_by_id_or_name_marks_and_case_ignored(seeded) -> None:
    with seeded.db.session() as s:
        assert find_hamlet(s, "loi an") == seeded.hamlet_a and find_hamlet(s, "ĐỒNG SƠN") == seeded.hamlet_b
        assert find_hamlet(s, seeded.hamlet_b) == seeded.hamlet_b
        with pytest.raises(NotFoundError, match="^Không tìm thấy ấp «Xóm Mới»."):
            find_hamlet(s, "Xóm Mới")


def test_an_account_by_its_user_name_as_typed(db) -> None:
    with db.session() as s:
        accounts.create_first_admin(s, username="quantri", display_name="Quản trị", password=PASSWORD,
                                    confirm=PASSWORD)
    as_demo_admin(db)  # reading accounts is an administrator's
    with db.session() as s:
        assert accounts.find_account(s, " QuanTri ").display_name == "Quản trị"
        with pytest.raises(NotFoundError, match="^Không có tài khoản «khongco».$"):
            accounts.find_account(s, "khongco")
