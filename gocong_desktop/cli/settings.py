"""``gocong-desktop settings list | get NAME | set NAME VALUE``: the office's
settings, through the same services as the settings page
(``core.services.settings_catalog``). Anyone may read them; only an
administrator (``--user``) may change one, and each change is audited.
Heavy imports (database, Argon2) happen only when a command runs.
"""

from __future__ import annotations

import argparse

from gocong_desktop.cli.access import USER_HINT, add_db_user_args, database


def add_parsers(sub: argparse._SubParsersAction) -> None:
    st = sub.add_parser("settings", help="cài đặt của đơn vị: xem, đổi (quản trị viên), "
                                         "kể cả thông tin cá nhân gửi trong gói đồng bộ")
    acts = st.add_subparsers(dest="settings_action", metavar="VIỆC", required=True)
    add_db_user_args(acts.add_parser("list", help="mọi cài đặt, giá trị hiện tại và giải thích"))
    get = acts.add_parser("get", help="in giá trị của một cài đặt")
    get.add_argument("name", metavar="TÊN", help="tên cài đặt, ví dụ privacy.phone")
    add_db_user_args(get)
    put = acts.add_parser("set", help="đổi một cài đặt (quản trị viên)")
    put.add_argument("name", metavar="TÊN", help="tên cài đặt, ví dụ privacy.phone")
    put.add_argument("value", metavar="GIÁ_TRỊ", help="giá trị mới, ví dụ «không gửi», «có», «15»")
    add_db_user_args(put)


def run(args: argparse.Namespace) -> int:
    return {"list": _list, "get": _get, "set": _set}[args.settings_action](args)


def _list(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services.privacy import sync_personal_fields, travel_lines
    from gocong_desktop.core.services.settings_catalog import list_settings

    with database(args, writes=False) as db, db.session() as session:
        rows = list_settings(session)
        travels, home = travel_lines(sync_personal_fields(session))
    width = max(len(r.name) for r in rows)
    for r in rows:
        print(f"{r.name.ljust(width)}  {r.value}")
        print(f"{' ' * width}  {r.description}")
    print()
    _print_lines("Thông tin cá nhân gửi trong gói đồng bộ:", travels)
    _print_lines("Thông tin cá nhân giữ lại tại đơn vị:", home)
    return 0


def _print_lines(title: str, lines: list[str]) -> None:
    print(title)
    for line in lines or ["(không có)"]:
        print(f"  {line}")


def _get(args: argparse.Namespace) -> int:
    from gocong_desktop.core.services.settings_catalog import get_setting

    with database(args, writes=False) as db, db.session() as session:
        print(get_setting(session, args.name).value)
    return 0


def _set(args: argparse.Namespace) -> int:
    from gocong_desktop.core.db.access import Role, ensure_admin
    from gocong_desktop.core.errors import PermissionDeniedError
    from gocong_desktop.core.services.settings_catalog import get_setting, set_setting

    with database(args) as db:
        with db.session() as session:
            get_setting(session, args.name)  # an unknown name is said before anything else
        if db.role() == Role.SYSTEM:
            raise PermissionDeniedError(f"Chỉ quản trị viên mới được thay đổi cài đặt: hãy {USER_HINT}.")
        ensure_admin(db.role(), "thay đổi cài đặt")
        with db.session() as session:
            setting = set_setting(session, args.name, args.value)
    print(f"Đã đổi «{setting.name}» thành «{setting.value}».")
    return 0


COMMANDS = {"settings": run}
