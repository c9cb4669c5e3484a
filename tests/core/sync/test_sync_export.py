"""Export at the commune: the file written, verified and never overwritten;
incremental packages carry exactly the changes (tombstones included); the
private key and — when encrypted — personal data never appear in the clear."""

from __future__ import annotations

import json
from tests import app_sqlite as sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest

from gocong_desktop.core.db.models import Household
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services import groups, households
from gocong_desktop.core.services.pledge_violations import record_violation, set_include_violations_in_sync
from gocong_desktop.core.services.privacy import set_sync_personal_fields
from gocong_desktop.core.sync import export_package, list_exports, write_key_card
from gocong_desktop.core.sync.crypto import private_b64
from gocong_desktop.core.sync.keys import load_office_keys
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from tests.core.sync.conftest import dump


def payload(path: Path, kind: str) -> list[dict]:
    with zipfile.ZipFile(path) as zf:
        name = f"data/{kind}.jsonl"
        if name not in zf.namelist():
            return []
        return [json.loads(line) for line in zf.read(name).decode().splitlines()]


def test_export_writes_a_verified_package(seeded, usb: Path) -> None:
    summary = export_package(seeded.db, usb)
    assert summary.path == usb / "binhtan-28513-000001.gcsync" and summary.path.is_file()
    assert summary.size == summary.path.stat().st_size and summary.full and summary.sequence == 1
    assert summary.counts["household"] == 7 and summary.counts["self_managed_group"] == 3
    assert summary.lines()[-1].endswith("Có thể rút USB an toàn.")
    assert sorted(p.name for p in usb.iterdir()) == [summary.path.name]  # no .part left behind
    package = open_package(summary.path)
    assert package.manifest.sender.unit_name == "Bình Tân" and package.manifest.previous_hash is None
    with seeded.db.session() as s:
        (row,) = list_exports(s)
    assert (row.sequence, row.status, row.file_name, row.records) == (1, "exported", summary.path.name,
                                                                       summary.records)


def test_an_existing_file_is_never_overwritten(seeded, usb: Path) -> None:
    taken = usb / "binhtan-28513-000001.gcsync"
    taken.write_bytes(b"someone else's file")
    summary = export_package(seeded.db, usb)
    assert summary.path.name == "binhtan-28513-000001-2.gcsync"
    assert taken.read_bytes() == b"someone else's file"


def test_a_failed_export_records_nothing(seeded, tmp_path: Path) -> None:
    before = dump(seeded.db.path)
    with pytest.raises(UserError, match="Không tìm thấy thư mục"):
        export_package(seeded.db, tmp_path / "USB chưa cắm")
    assert dump(seeded.db.path) == before  # no ledger row, no keys made


def test_incremental_carries_only_changes_and_tombstones(seeded, usb: Path) -> None:
    first = export_package(seeded.db, usb)
    hoa, anh = seeded.households["Lê Thị Hoa"], seeded.households["Võ Thị Ánh"]
    with seeded.db.session() as s:
        data = households.household_input(s, hoa)
        data.address = "Số 5 đường liên ấp"
        households.update_household(s, hoa, data)
        households.delete_household(s, anh)
        new_group = groups.save_group(s, hamlet_id=seeded.hamlet_b, number=4)
    second = export_package(seeded.db, usb)
    assert not second.full and second.since_sequence == 1 and second.sequence == 2
    assert {k: n for k, n in second.counts.items() if n} == {"household": 2, "self_managed_group": 1,
                                                             "audit_log": 3}
    rows = {r["id"]: r for r in payload(second.path, "household")}
    assert rows[anh]["deleted"] is True and rows[anh]["version"] == 2
    assert rows[hoa]["deleted"] is False and rows[hoa]["content"]["address"] == "Số 5 đường liên ấp"
    assert [r["id"] for r in payload(second.path, "self_managed_group")] == [new_group]
    assert {a["record_id"] for a in payload(second.path, "audit_log")} == {hoa, anh, new_group}
    assert open_package(second.path).manifest.previous_hash == open_package(first.path).package_hash
    third = export_package(seeded.db, usb)  # nothing changed since
    assert third.records == 0 and third.since_sequence == 2


def test_an_edit_stamped_in_the_past_is_still_sent(seeded, usb: Path) -> None:
    """A PC clock set wrong: the edit's updated_at lies before the last package."""
    export_package(seeded.db, usb)
    hoa = seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        data = households.household_input(s, hoa)
        data.address = "Ấp Lợi An (mới)"
        households.update_household(s, hoa, data)
    con = sqlite3.connect(seeded.db.path)
    con.execute("UPDATE household SET updated_at = '2001-01-01 00:00:00.000000' WHERE id = ?", (hoa,))
    con.commit()
    con.close()
    second = export_package(seeded.db, usb)
    assert [r["id"] for r in payload(second.path, "household")] == [hoa]


def test_full_on_request(seeded, usb: Path) -> None:
    export_package(seeded.db, usb)
    again = export_package(seeded.db, usb, full=True)
    assert again.full and again.sequence == 2 and again.counts["household"] == 7


def test_violations_are_left_out_unless_the_office_chose_to_send_them(seeded, usb: Path) -> None:
    ba = seeded.households["Nguyễn Văn Ba"]
    with seeded.db.session() as s:
        violation = record_violation(s, ba, violation_date=date(2025, 3, 2), note="Đánh bạc tại nhà")
    plain = export_package(seeded.db, usb)
    assert "pledge_violation" not in plain.counts
    assert violation not in plain.path.read_bytes().decode("latin-1")
    assert "Đánh bạc".encode() not in b"".join(_members(plain.path))
    with seeded.db.session() as s:
        set_include_violations_in_sync(s, True)
    chosen = export_package(seeded.db, usb, full=True)
    assert chosen.counts["pledge_violation"] == 1
    assert [r["id"] for r in payload(chosen.path, "pledge_violation")] == [violation]
    assert open_package(chosen.path).manifest.includes_violations
    # The records travel, their notes only when the privacy setting allows it too.
    assert payload(chosen.path, "pledge_violation")[0]["content"]["note"] is None
    with seeded.db.session() as s:
        set_sync_personal_fields(s, {"names", "hamlets", "violation_notes"})
    noted = export_package(seeded.db, usb, full=True)
    assert payload(noted.path, "pledge_violation")[0]["content"]["note"] == "Đánh bạc tại nhà"


def test_citizen_ids_stay_home_unless_chosen(seeded, usb: Path) -> None:
    ba = seeded.households["Nguyễn Văn Ba"]
    with seeded.db.session() as s:
        data = households.household_input(s, ba)
        data.citizen_id = "082090001234"
        households.update_household(s, ba, data)
    default = export_package(seeded.db, usb)
    sent = {r["id"]: r["content"] for r in payload(default.path, "household")}
    assert sent[ba]["citizen_id"] is None and sent[ba]["head_name"] == "Nguyễn Văn Ba"
    assert b"082090001234" not in b"".join(_members(default.path))
    with seeded.db.session() as s:
        set_sync_personal_fields(s, {"names", "hamlets", "citizen_id"})
    chosen = export_package(seeded.db, usb, full=True)
    assert {r["id"]: r["content"] for r in payload(chosen.path, "household")}[ba]["citizen_id"] == "082090001234"


def _members(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in zf.namelist()]


def test_private_keys_never_leave_the_database(seeded, upper, usb: Path) -> None:
    with upper.session() as s:
        card = write_key_card(s, usb)
    with seeded.db.session() as s:
        import_key_card(s, card)
    summary = export_package(seeded.db, usb)
    with seeded.db.session() as s:
        keys = load_office_keys(s)
    secrets = [private_b64(keys.signing), private_b64(keys.encryption)]
    for path in (summary.path, card):
        blob = path.read_bytes() + b"".join(_members(path) if path.suffix == ".gcsync" else [])
        for secret in secrets:
            assert secret.encode() not in blob
        assert keys.signing.private_bytes_raw() not in blob


def test_encrypted_package_keeps_a_readable_manifest_without_personal_data(seeded, upper, usb: Path) -> None:
    with upper.session() as s:
        card = write_key_card(s, usb)
    with seeded.db.session() as s:
        import_key_card(s, card)
        name = s.get(Household, seeded.households["Nguyễn Văn Ba"]).head_name
    summary = export_package(seeded.db, usb)
    assert summary.encrypted and summary.recipient_name == "Công an huyện Gò Công Tây"
    manifest = open_package(summary.path).manifest
    assert manifest.encryption is not None and all(f.name.endswith(".enc") for f in manifest.files)
    assert manifest.counts["household"] == 7 and manifest.sender.unit_name == "Bình Tân"
    for blob in _members(summary.path) + [summary.path.read_bytes()]:
        for text in (name, "đường liên ấp", "Lợi An", "Đồng Sơn"):
            assert text.encode() not in blob


def test_audit_entries_travel_sealed_in_the_communes_chain(seeded, usb: Path) -> None:
    con = sqlite3.connect(seeded.db.path)  # entries from before the hash chain existed
    con.execute("UPDATE audit_log SET chain_id = NULL, seq = NULL, prev_hash = NULL, entry_hash = NULL")
    con.commit()
    con.close()
    entries = payload(export_package(seeded.db, usb).path, "audit_log")
    assert entries and all(e["entry_hash"] and e["chain_id"] and e["seq"] for e in entries)


def test_sending_a_field_withheld_before_fills_it_in_without_a_conflict(seeded, upper, usb: Path) -> None:
    from tests.core.sync.conftest import send

    ba = seeded.households["Nguyễn Văn Ba"]
    with seeded.db.session() as s:
        data = households.household_input(s, ba)
        data.citizen_id = "082090001234"
        households.update_household(s, ba, data)
    _, first = send(seeded.db, upper, usb)  # CCCD stays home by default
    assert first.status == "imported"
    with seeded.db.session() as s:  # the commune now sends citizen IDs too
        set_sync_personal_fields(s, {"names", "hamlets", "citizen_id"})
    _, again = send(seeded.db, upper, usb, full=True)  # the same versions, one field more
    assert again.status == "imported" and again.conflicts == 0
    assert again.changes["household"].updated == 1
    with upper.session() as s:
        assert s.get(Household, ba).citizen_id == "082090001234"
    with seeded.db.session() as s:  # and back: a field no longer sent is kept, not a conflict
        set_sync_personal_fields(s, {"names", "hamlets"})
    _, third = send(seeded.db, upper, usb, full=True)
    assert third.conflicts == 0
    with upper.session() as s:
        assert s.get(Household, ba).citizen_id == "082090001234"
