"""``keys export-backup | import-backup | rotate`` and ``init --key-backup``:
this office's own key pairs kept safe, restored on a new PC, or replaced.

An administrator's ``--user`` is needed (checked before the passphrase is
asked). With ``--password-stdin`` stdin holds the account password line
first, then the passphrase line (typed once).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gocong_desktop.cli.access import USER_HINT, add_db_user_args, add_password_stdin_arg, ask_secret

PASSPHRASE_PROMPT = "Cụm mật khẩu của tệp khóa dự phòng: "


def add_parsers(ks: argparse._SubParsersAction) -> None:
    """The ``keys`` actions on this office's own key pairs."""
    kb = ks.add_parser("export-backup", help="quản trị viên ghi tệp khóa dự phòng (khóa riêng của đơn vị, khóa "
                                             "bằng cụm mật khẩu) để cất nơi an toàn, phòng khi máy hỏng")
    add_db_user_args(kb)
    kb.add_argument("--out", type=Path, required=True, metavar="FILE",
                    help="tệp cần ghi (hoặc thư mục: tự đặt tên); không bao giờ ghi đè tệp đã có")
    kr = ks.add_parser("import-backup", help="quản trị viên nhập tệp khóa dự phòng của chính đơn vị (máy mới "
                                             "sau khi máy cũ hỏng): đọc lại được các gói gửi cho khóa đó")
    add_db_user_args(kr)
    kr.add_argument("file", type=Path, metavar="FILE")
    ko = ks.add_parser("rotate", help="quản trị viên đổi cặp khóa của đơn vị; khóa cũ được giữ để vẫn đọc được "
                                      "gói cũ; sau đó gửi tệp khóa mới cho đơn vị kia")
    add_db_user_args(ko)
    ko.add_argument("--card", type=Path, metavar="DIR", help="ghi luôn tệp khóa mới (.gckey) vào thư mục này")


def add_init_args(init: argparse.ArgumentParser) -> None:
    init.add_argument("--key-backup", type=Path, metavar="FILE",
                      help="thiết lập lại đơn vị trên máy mới từ tệp khóa dự phòng của đơn vị (tên, mã đơn vị và "
                           "khóa lấy từ tệp; không dùng cùng --unit-name...)")
    add_password_stdin_arg(init)


ACTIONS = ("export-backup", "import-backup", "rotate")
_WHAT = {"export-backup": "xuất khóa dự phòng của đơn vị", "import-backup": "nhập khóa dự phòng của đơn vị",
         "rotate": "đổi cặp khóa của đơn vị"}


def _ask_new_passphrase(args: argparse.Namespace) -> tuple[str, str]:
    passphrase = ask_secret(args, "Cụm mật khẩu cho tệp khóa dự phòng (ít nhất 12 ký tự): ")
    if getattr(args, "password_stdin", False):
        return passphrase, passphrase
    return passphrase, ask_secret(args, "Nhập lại cụm mật khẩu: ")


def _check_admin(args: argparse.Namespace, db) -> None:
    """Before a passphrase is asked (the core checks again)."""
    from gocong_desktop.core.db.access import Role
    from gocong_desktop.core.errors import PermissionDeniedError

    if db.role() != Role.ADMIN:
        hint = "" if args.user else f"; hãy {USER_HINT}"
        raise PermissionDeniedError(f"Chỉ quản trị viên mới được {_WHAT[args.keys_action]}{hint}.")


def run(args: argparse.Namespace, db) -> int:
    """One of ``ACTIONS`` on the open database (signed in as ``--user``)."""
    from gocong_desktop.core.sync.escrow import KEEP_SAFE, export_office_keys, import_office_keys
    from gocong_desktop.core.sync.key_store import rotate_office_keys
    from gocong_desktop.core.sync.keys import write_key_card

    _check_admin(args, db)
    if args.keys_action == "export-backup":
        passphrase, confirm = _ask_new_passphrase(args)
        with db.session() as session:
            path = export_office_keys(session, args.out, passphrase, confirm)
        print(f"Đã ghi tệp khóa dự phòng: {path}")
        print(KEEP_SAFE, file=sys.stderr)
        return 0
    if args.keys_action == "import-backup":
        passphrase = ask_secret(args, PASSPHRASE_PROMPT)
        with db.session() as session:
            print("\n".join(import_office_keys(session, args.file, passphrase).lines()))
        return 0
    with db.session() as session:
        lines = rotate_office_keys(session).lines()
        card = write_key_card(session, args.card) if args.card else None
    print("\n".join(lines))
    if card is not None:
        print(f"Đã ghi tệp khóa mới: {card}")
    return 0


def init_setup(args: argparse.Namespace, hamlets: tuple[str, ...]):
    """The office of ``--key-backup`` set up again (its passphrase asked)."""
    from gocong_desktop.core.errors import ValidationError
    from gocong_desktop.core.setup.office import setup_from_key_backup
    from gocong_desktop.core.sync.escrow import open_key_backup

    given = [name for name in ("unit_name", "unit_code", "unit_type", "upper_name", "province", "district")
             if getattr(args, name)]
    if given:
        raise ValidationError(f"Với --key-backup, thông tin đơn vị lấy từ tệp khóa dự phòng; bỏ "
                              f"--{given[0].replace('_', '-')}.")
    if args.role != "commune":
        raise ValidationError("Với --key-backup, vai trò đơn vị lấy từ tệp khóa dự phòng; bỏ --role.")
    backup = open_key_backup(args.key_backup, ask_secret(args, PASSPHRASE_PROMPT))
    return setup_from_key_backup(backup, hamlets=hamlets)
