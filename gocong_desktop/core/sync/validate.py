"""Validation behind the signature: a package signed by a trusted commune is
still only imported when every record passes the rules the app's own forms
apply, and when importing it cannot break what ``check`` verifies.

``validate_package`` runs after the records were decoded and type-checked
(``records.py``) and before anything is written, for an import and a dry run
alike. In order:

1. manifest flags obeyed: no violation records unless the manifest says it
   includes them;
2. sequence numbers sane: below 2^31, and an incremental package at most
   ``MAX_SEQUENCE_JUMP`` numbers after the newest received from its sender
   (a full package is accepted at any number: it carries everything);
3. every field of every record (``validate_values``);
4. every reference within the sender's own data (``validate_links``);
5. the data as it will be stored keeps ``check``'s rules (``validate_state``).

A failure raises ``InvalidRecord`` (or ``PackageRefused``) naming the record —
kind, id, line — and the rule; the database is not touched.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.rules.checks import CLOCK_SLACK
from gocong_desktop.core.text import format_int
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.kinds import VIOLATIONS, get_kind
from gocong_desktop.core.sync.ledger import MAX_SEQUENCE_JUMP, received
from gocong_desktop.core.sync.manifest import Manifest
from gocong_desktop.core.sync.records import invalid_record
from gocong_desktop.core.sync.txn import bound_session, read_transaction
from gocong_desktop.core.sync.validate_links import check_references
from gocong_desktop.core.sync.validate_state import check_state
from gocong_desktop.core.sync.validate_values import check_values

MAX_SEQUENCE = 2 ** 31 - 1


def validate_import(db: Database, manifest: Manifest, records: dict[str, list[tuple]],
                    conn: Connection | None = None) -> None:
    """``validate_package`` against the database's current data (read only);
    ``conn``: on that connection, held by the caller."""
    with read_transaction(db, conn=conn) as conn:
        validate_package(conn, manifest, records)


def validate_package(conn: Connection, manifest: Manifest, records: dict[str, list[tuple]]) -> None:
    """Raises ``InvalidRecord``/``PackageRefused`` for the first rule broken."""
    members = {f.kind: f.name for f in manifest.files}
    _check_flags(manifest, records, members)
    _check_sequence(conn, manifest)
    today = date.today() + CLOCK_SLACK
    for name, rows in records.items():
        check_values(get_kind(name), rows, members[name], today, manifest.withheld.get(name, ()))
    sender = manifest.sender
    check_references(conn, records, members, sender.unit_id, sender.display_name)
    check_state(conn, manifest, records, members)


def _check_flags(manifest: Manifest, records: dict[str, list[tuple]], members: dict[str, str]) -> None:
    violations = records.get(VIOLATIONS)
    if violations and not manifest.includes_violations:
        kind = get_kind(VIOLATIONS)
        raise invalid_record(kind, members[VIOLATIONS], 1, violations[0][kind.index("id")],
                             "tệp mô tả khai báo gói không gửi vi phạm cam kết, nhưng gói lại có bản ghi vi phạm")


def _check_sequence(conn: Connection, manifest: Manifest) -> None:
    m, who = manifest, manifest.sender.display_name
    if m.sequence > MAX_SEQUENCE or (m.since_sequence or 0) > MAX_SEQUENCE:
        raise PackageRefused(f"Gói của {who} có số thứ tự quá lớn ({format_int(m.sequence)}); không nhập.",
                             code="sequence")
    if m.full:
        return
    with bound_session(conn) as session:
        newest = max(received(session, m.sender.unit_id), default=0)
    if m.sequence - newest > MAX_SEQUENCE_JUMP:
        here = f"ở đây mới nhận đến gói số {format_int(newest)}" if newest else "ở đây chưa nhận gói nào"
        raise PackageRefused(
            f"Gói số {format_int(m.sequence)} của {who} chỉ chứa thay đổi từ sau gói số "
            f"{format_int(m.since_sequence or 0)}, nhưng {here} của đơn vị này: thiếu quá "
            f"nhiều gói ở giữa. Hãy đề nghị {who} xuất gói toàn bộ dữ liệu rồi gửi lại; cơ sở dữ liệu chưa bị "
            "thay đổi.", code="sequence_jump")
