"""``gocong-desktop upper migrate``: the upper office's file moved to a PostgreSQL server.

The file is only read; the server's database must be empty. With accounts in the
file, ``--user`` names one of its administrators (their password opens an
encrypted file). Heavy imports happen only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gocong_desktop.cli.access import add_password_stdin_arg, ask_secret, server_with_password, slow_when_wrong

# The file is opened (and its account checked) before the server is reached.
FILE_FIRST = ("mật khẩu của --user trước, rồi mật khẩu máy chủ PostgreSQL khi địa chỉ, PGPASSWORD và ~/.pgpass "
              "không có")

PROGRESS_EVERY = 100_000  # rows between two progress lines of a large table


def add_parsers(sub: argparse._SubParsersAction) -> None:
    upper = sub.add_parser("upper", help="cơ quan cấp trên: chuyển dữ liệu lên máy chủ PostgreSQL")
    acts = upper.add_subparsers(dest="upper_action", metavar="VIỆC", required=True)
    move = acts.add_parser("migrate", help="chép toàn bộ dữ liệu cơ quan cấp trên từ tệp sang một cơ sở dữ liệu "
                                           "PostgreSQL trống, rồi đối chiếu từng bảng (tệp được giữ nguyên)")
    move.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE.db",
                      help="tệp dữ liệu của cơ quan cấp trên")
    move.add_argument("--to", dest="target", required=True, metavar="postgresql://…",
                      help="địa chỉ cơ sở dữ liệu trống trên máy chủ, ví dụ «postgresql://tên@máy-chủ/gocong»")
    move.add_argument("--user", metavar="TÊN", default=None,
                      help="tên đăng nhập của quản trị viên trong tệp (sẽ hỏi mật khẩu); bắt buộc khi tệp có "
                           "tài khoản")
    add_password_stdin_arg(move, FILE_FIRST)


def run(args: argparse.Namespace) -> int:
    return {"migrate": _migrate}[args.upper_action](args)


def _migrate(args: argparse.Namespace) -> int:
    from gocong_desktop.core.db.location import ServerAddress, parse_location
    from gocong_desktop.core.errors import ValidationError
    from gocong_desktop.core.upper.move_to_server import existing_file, move_to_server, mover

    target = parse_location(args.target)
    if not isinstance(target, ServerAddress):
        raise ValidationError(f"«{args.target}» không phải địa chỉ máy chủ: hãy viết «postgresql://…».")
    existing_file(args.source)  # before any password is asked for it
    password = ask_secret(args, f"Mật khẩu của {args.user}: ") if args.user else None
    with slow_when_wrong():
        principal = mover(args.source, args.user, password)
    actor = principal.username if principal else _os_user()
    target = server_with_password(args, target)
    print(f"Đang chuyển «{args.source}» lên «{target}»…", flush=True)
    summary = move_to_server(args.source, target, actor=actor, password=password, on_progress=_progress)
    width = max(len(t.name) for t in summary.tables)
    for table in summary.tables:
        print(f"  {table.name.ljust(width)}  {_count(table.source.rows):>12} dòng  mã băm khớp")
    print(f"Đã chuyển {_count(summary.rows)} dòng của {len(summary.tables)} bảng lên «{target}»; mọi bảng đã "
          f"đối chiếu khớp. Tệp «{summary.source}» được giữ nguyên.")
    if summary.recovery_code:  # an encrypted file's secrets stayed in its key slots
        print(f"Trên máy chủ, «{actor}» đăng nhập bằng mật khẩu vừa nhập. Mã khôi phục mới: {summary.recovery_code} "
              "(chỉ hiện một lần: hãy chép lại và cất giữ cẩn thận).")
    if summary.need_password:
        print(f"Các tài khoản cần quản trị viên đặt mật khẩu mới trên máy chủ (gocong-desktop account "
              f"reset-password): {', '.join(summary.need_password)}.")
    return 0


def _progress(table: str, rows: int) -> None:
    if rows == 0:
        print(f"  chép bảng {table}…", file=sys.stderr, flush=True)
    elif rows % PROGRESS_EVERY == 0:
        print(f"    {table}: {_count(rows)} dòng", file=sys.stderr, flush=True)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese thousands separator


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows set-ups
        return "?"


COMMANDS = {"upper": run}
