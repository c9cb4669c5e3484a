"""``gocong-desktop export | import | keys | receipt | sync``: sync packages
between a commune and its upper office, through the same core as the GUI
(``sync undo-import``: the upper office undoes one import).

Exit status: 0 when everything asked was done (for ``import``: every file was
imported or had been imported before); 1 with one line per refused file
otherwise (the other files are still imported, and a summary names both);
2 for wrong usage. Heavy imports happen only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gocong_desktop.cli import key_backup as cli_key_backup
from gocong_desktop.cli.access import add_db_user_args, open_db
from gocong_desktop.cli.signer_args import add_signer_args, signer_choice


def _db(p: argparse.ArgumentParser) -> None:
    add_db_user_args(p)


def _trust(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trust-sender", action="append", default=[], metavar="DẤU_VÂN_TAY",
                   help="xác nhận đơn vị gửi chưa đăng ký có dấu vân tay này (so với phiếu đăng ký khóa)")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser("export", help="xuất gói đồng bộ gửi cơ quan cấp trên (in ra đường dẫn tệp)")
    _db(ex)
    ex.add_argument("--out", type=Path, required=True, metavar="DIR", help="thư mục hoặc USB để ghi gói")
    ex.add_argument("--full", action="store_true", help="gửi toàn bộ dữ liệu thay vì chỉ phần thay đổi")
    im = sub.add_parser("import", help="nhập gói đồng bộ của các xã (tại cơ quan cấp trên)")
    _db(im)
    im.add_argument("files", nargs="+", type=Path, metavar="FILE", help="tệp .gcsync hoặc thư mục chứa chúng")
    im.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    _trust(im)
    im.add_argument("--receipts", type=Path, metavar="DIR", help="ghi biên nhận cho từng xã vào thư mục này")
    keys = sub.add_parser("keys", help="khóa của đơn vị: xem dấu vân tay, xuất, nhập tệp khóa; khóa dự phòng, "
                                       "đổi cặp khóa")
    ks = keys.add_subparsers(dest="keys_action", metavar="VIỆC", required=True)
    _db(ks.add_parser("show", help="xem dấu vân tay khóa của đơn vị và các đơn vị đã đăng ký"))
    kx = ks.add_parser("export", help="ghi tệp khóa công khai (.gckey) để gửi đơn vị kia")
    _db(kx)
    kx.add_argument("--out", type=Path, required=True, metavar="DIR")
    kp = ks.add_parser("sheet", help="in phiếu đăng ký khóa (PDF, một trang) để gửi kèm tệp khóa")
    _db(kp)
    kp.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    add_signer_args(kp)
    ki = ks.add_parser("import", help="quản trị viên nhập tệp khóa của cơ quan cấp trên (tại xã) hoặc của một "
                                      "xã (tại cấp trên), sau khi so dấu vân tay với phiếu đăng ký khóa")
    _db(ki)
    ki.add_argument("file", type=Path, metavar="FILE.gckey")
    ki.add_argument("--replace", action="store_true",
                    help="thay khóa đã đăng ký (đơn vị đã đổi khóa): in dấu vân tay cũ và mới, ghi nhật ký")
    cli_key_backup.add_parsers(ks)
    rc = sub.add_parser("receipt", help="biên nhận: ghi (tại cấp trên) hoặc nhập (tại xã)")
    rs = rc.add_subparsers(dest="receipt_action", metavar="VIỆC", required=True)
    rw = rs.add_parser("write", help="ghi biên nhận các gói đã nhập của một xã (mặc định: mọi xã)")
    _db(rw)
    rw.add_argument("--out", type=Path, required=True, metavar="DIR")
    rw.add_argument("--commune", metavar="XÃ", help="mã, tên hoặc mã đơn vị của xã")
    ri = rs.add_parser("import", help="nhập biên nhận của cơ quan cấp trên: đánh dấu gói đã đến nơi")
    _db(ri)
    ri.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ri.add_argument("--trust-sender", action="append", default=[], help=argparse.SUPPRESS)  # refused, see below
    sy = sub.add_parser("sync", help="việc khác với gói đồng bộ: hoàn tác một lần nhập (tại cơ quan cấp trên)")
    ss = sy.add_subparsers(dest="sync_action", metavar="VIỆC", required=True)
    su = ss.add_parser("undo-import", help="hoàn tác một lần nhập gói: trả mọi bản ghi về như trước khi nhập "
                                           "(từ chối nếu gói nhập sau đã sửa các bản ghi đó)")
    _db(su)
    su.add_argument("package", metavar="MÃ_GÓI_HOẶC_TỆP",
                    help="mã gói (cột «Mã gói» của danh sách gói đã nhập) hoặc tệp .gcsync đã nhập")


def _open(args: argparse.Namespace):
    """Opened for writing (the office lock held) unless the command only reads."""
    reads = args.command == "import" and args.dry_run or getattr(args, "keys_action", None) == "show"
    return open_db(args, writes=not reads)


def cmd_export(args: argparse.Namespace) -> int:
    from gocong_desktop.core.sync.export import export_package

    db = _open(args)
    try:
        summary = export_package(db, args.out, full=args.full)
    finally:
        db.close()
    print(summary.path)
    for line in summary.lines():
        print(line, file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Each file on its own: a line for it (imported, already imported, or refused
    and why, on stderr), then with several files a summary naming both."""
    from gocong_desktop.core.sync.importer import batch_summary, import_packages

    db = _open(args)
    try:
        results = import_packages(db, args.files, trust=args.trust_sender, dry_run=args.dry_run)
        receipts = _receipts(db, results, args.receipts) if args.receipts and not args.dry_run else []
    finally:
        db.close()
    for result in results:
        if result.ok:
            print("\n".join(result.lines()))
        else:
            print(f"Từ chối {result.path}: {result.message}", file=sys.stderr)
    if not results:
        print("Không có tệp .gcsync nào để nhập.", file=sys.stderr)
    if len(results) > 1:
        print(batch_summary(results))
    for path in receipts:
        print(f"Đã ghi biên nhận: {path}")
    return 0 if results and all(r.ok for r in results) else 1


def _receipts(db, results, folder: Path) -> list[Path]:
    from gocong_desktop.core.sync.receipts import write_receipt

    by_sender: dict[str, list[str]] = {}
    for r in results:
        if r.ok and r.sender_unit_id:
            by_sender.setdefault(r.sender_unit_id, []).append(r.package_uuid)
    return [write_receipt(db, folder, unit_id=unit, package_uuids=uuids)
            for unit, uuids in by_sender.items()]


def cmd_keys(args: argparse.Namespace) -> int:
    from gocong_desktop.core.sync.keys import office_card, write_key_card
    from gocong_desktop.core.sync.peers import import_key_card, list_peers

    db = _open(args)
    try:
        if args.keys_action in cli_key_backup.ACTIONS:
            return cli_key_backup.run(args, db)
        with db.session() as session:
            if args.keys_action == "export":
                print(write_key_card(session, args.out))
                return 0
            if args.keys_action == "sheet":
                return _sheet(session, args.out, signer_choice(args))
            if args.keys_action == "import":
                print("\n".join(import_key_card(session, args.file, replace=args.replace).lines()))
                return 0
            card, peers = office_card(session), list_peers(session)
    finally:
        db.close()
    code = f" (mã {card.unit_code})" if card.unit_code else ""
    print(f"Đơn vị: {card.display_name}{code}")
    print(f"Dấu vân tay khóa: {card.fingerprint}")
    for p in peers:
        role = "cơ quan cấp trên" if p.role == "upper" else "đơn vị gửi gói"
        enc = ", nhận gói mã hóa" if p.role == "upper" and p.can_encrypt else ""
        print(f"{role}: {p.display_name} — {p.fingerprint}{enc}")
    return 0


def _sheet(session, out: Path, choice) -> int:
    from gocong_desktop.core.documents.key_sheet import write_key_sheet

    card = write_key_sheet(session, out, signer=choice)
    print(f"Đã ghi phiếu đăng ký khóa ({card.fingerprint}): {out}")
    return 0


RECEIPT_TRUST_REFUSED = (
    "Biên nhận không còn được tin cậy bằng --trust-sender: biên nhận chỉ được kiểm tra bằng khóa đã đăng ký "
    "của cơ quan cấp trên. Quản trị viên hãy nhập tệp khóa của cơ quan cấp trên trước (keys import "
    "TỆP.gckey, so dấu vân tay với phiếu đăng ký khóa), rồi nhập lại biên nhận (bỏ --trust-sender).")


def cmd_receipt(args: argparse.Namespace) -> int:
    from gocong_desktop.core.errors import UserError
    from gocong_desktop.core.sync.receipts import write_receipt
    from gocong_desktop.core.sync.peers import find_communes

    if args.receipt_action == "import" and args.trust_sender:
        raise UserError(RECEIPT_TRUST_REFUSED)
    db = _open(args)
    try:
        if args.receipt_action == "import":
            return _import_receipts(db, args)
        with db.session() as session:
            peers = find_communes(session, args.commune)
        written = 0
        for peer in peers:
            try:
                print(write_receipt(db, args.out, unit_id=peer.unit_id))
                written += 1
            except UserError as exc:  # without --commune: a commune with no package yet is skipped
                if args.commune:
                    raise
                print(f"{peer.display_name}: {exc.message}", file=sys.stderr)
        return 0 if written else 1
    finally:
        db.close()


def _import_receipts(db, args: argparse.Namespace) -> int:
    from gocong_desktop.core.errors import UserError
    from gocong_desktop.core.sync.receipts import import_receipt

    failed = 0
    for path in args.files:
        try:
            result = import_receipt(db, path)
            print(f"{path.name}: {result.message}")
        except UserError as exc:
            failed += 1
            print(f"Từ chối {path}: {exc.message}", file=sys.stderr)
    return 1 if failed else 0


def cmd_sync(args: argparse.Namespace) -> int:
    """``sync undo-import``: one line, the import undone (a refusal: one line on stderr, exit 1)."""
    from gocong_desktop.core.sync.undo import package_uuid_of, undo_import

    package_uuid = package_uuid_of(args.package)  # a file is read before the database is opened
    db = _open(args)
    try:
        print(undo_import(db, package_uuid).message)
    finally:
        db.close()
    return 0


COMMANDS = {"export": cmd_export, "import": cmd_import, "keys": cmd_keys, "receipt": cmd_receipt,
            "sync": cmd_sync}
