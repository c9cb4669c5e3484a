"""Command line: the same services the GUI uses.

Exit status: 0 success, 2 wrong usage (argparse), 1 refused input or file.
An expected error prints one Vietnamese line to stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import unicodedata
from typing import Sequence

from gocong_desktop import __version__
from gocong_desktop.cli import (accounts, argparse_vi, encrypt, households, lists, minutes, office, pledges, reports,
                                safety, settings, sync, upper, verify)
from gocong_desktop.cli.access import add_db_arg
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.logs import setup_logging, unexpected_error_message

log = logging.getLogger(__name__)


# The collector's thresholds for the program's process. Start-up builds hundreds of
# thousands of objects that all stay (modules, table classes, mappers, fonts); with
# Python's default (700, 10, 10) it walks them some 250 times per command: about 8 %
# of ``minutes`` and of the window's start-up (issue 16). Collecting the young
# generation every 50,000 allocations still frees cycles long before they matter.
GC_THRESHOLDS = (50_000, 20, 20)

# One module per command group, in the order of ``--help``: each has ``add_parsers``
# and ``COMMANDS`` (name -> function of the parsed arguments).
GROUPS = (office, lists, households, minutes, verify, reports, pledges, safety, encrypt, sync, upper, accounts,
          settings)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``command``, the subcommands of its group only (its
    options and errors are the same: the other groups' parsers cost every run
    tens of milliseconds). An unknown ``command`` gets the whole parser, whose
    error lists them all."""
    argparse_vi.install()
    parser = argparse.ArgumentParser(
        prog="gocong-desktop",
        description="Sổ theo dõi phong trào Toàn dân bảo vệ an ninh Tổ quốc cấp xã.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="in số phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    gui = sub.add_parser("gui", help="mở cửa sổ chương trình (mặc định)")
    add_db_arg(gui)
    for group in [g for g in GROUPS if command in g.COMMANDS] or GROUPS:
        group.add_parsers(sub)
    return parser


def cmd_gui(args: argparse.Namespace) -> int:
    from gocong_desktop.cli.access import db_location
    from gocong_desktop.gui.launch import run_gui

    if args.db is not None:
        db_location(args)  # a bad URL or server settings file: one line here, not a dialog
    return run_gui(db_path=args.db)


COMMANDS = {"gui": cmd_gui}
for _group in GROUPS:
    COMMANDS.update(_group.COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # the program itself (a caller passing argv keeps its own collector)
        gc.set_threshold(*GC_THRESHOLDS)
    if hasattr(sys.stdout, "reconfigure"):  # Windows consoles default to a code page
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    argv = [unicodedata.normalize("NFC", a) for a in (sys.argv[1:] if argv is None else argv)]
    if len(argv) == 1 and argv[0].lower().endswith(".gcsync"):  # a package double-clicked in Explorer
        argv = []  # opens the app (importing it there comes with the Sync page)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]  # the GUI is the default command
    args = build_parser(argv[0]).parse_args(argv)
    log_file = setup_logging()
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        print(unexpected_error_message(log_file), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
