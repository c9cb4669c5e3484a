"""What the privacy setting withholds never leaves the commune: not in the records,
not in their audit history (values travel as digests only), not in meetings,
attendance or opinions. The package is opened with the upper office's own key
and every byte of it searched for the withheld values."""

from __future__ import annotations

import json
from tests import app_sqlite as sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.db.models import AgendaOpinion, Attendance, AuditEntry, Meeting, MeetingGuest
from gocong_desktop.core.services import households
from gocong_desktop.core.services.audit_log import describe_changes
from gocong_desktop.core.services.privacy import DEFAULT_FIELDS, set_sync_personal_fields, withheld_for
from gocong_desktop.core.sync import export_package, import_package, write_key_card
from gocong_desktop.core.sync.crypto import Opener
from gocong_desktop.core.sync.keys import load_office_keys
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from tests.core.sync.conftest import file_problems, fingerprint_of, unit_of
from tests.core.sync.forge import members

NEW_NAME, NEW_ADDRESS = "Huỳnh Thị Thanh Xuân", "Số 77 hẻm Bảy Mẫu"
REPRESENTATIVE, SPEAKER, CHAIR = "Lâm Văn Đại Diện", "Tạ Quang Phát Biểu", "Mạc Đình Chủ Trì"
GUEST, OPINION = "Đ/c Kha Minh Khách", "Đề nghị lắp thêm đèn ở hẻm nhà bà Xuân"


def _decrypted(path: Path, upper) -> str:
    """Every byte of the package, its members decrypted with the upper office's key."""
    package = open_package(path)
    with upper.session() as s:
        key = load_office_keys(s).encryption
    m = package.manifest
    opener = Opener(key, m.encryption.ephemeral_key)
    parts = [members(path)["manifest.json"].decode()]
    for f in m.files:
        parts.append(opener.open(m.package_uuid, f.name, package.blobs[f.name], f.plain_size).decode())
    return "\n".join(parts)


def _register_upper(commune, upper, folder: Path) -> None:
    with upper.session() as s:
        card = write_key_card(s, folder)
    with commune.session() as s:
        import_key_card(s, card)


def _edit_people(commune) -> None:
    """A household renamed and moved; an attendance, an opinion, a meeting and a
    guest changed: each change also leaves its values in the audit log."""
    with commune.session() as s:
        hid = s.exec(select(Attendance.household_id)).first()
        data = households.household_input(s, hid)
        data.head_name, data.address = NEW_NAME, NEW_ADDRESS
        households.update_household(s, hid, data)
        s.exec(select(Attendance)).first().representative = REPRESENTATIVE
        opinion = s.exec(select(AgendaOpinion)).first()
        opinion.speaker_name, opinion.text = SPEAKER, OPINION
        s.exec(select(Meeting)).first().chair_name = CHAIR
        s.exec(select(MeetingGuest)).first().name = GUEST


def _withheld_values(path: Path, unit_id: str, sent: set[str]) -> set[str]:
    """Every stored value of a withheld column long enough to search for."""
    con = sqlite3.connect(path)
    try:
        values = set()
        for table, columns in withheld_for(sent).items():
            for column in columns:
                values |= {v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" '
                                                     "WHERE owner_unit_id = ?", (unit_id,))
                           if isinstance(v, str) and len(v) >= 6}
        return values
    finally:
        con.close()


@pytest.mark.parametrize("sent", [set(), set(DEFAULT_FIELDS)], ids=["nothing_sent", "default"])
def test_no_withheld_value_leaves_in_any_part_of_the_package(demo_communes, upper, usb: Path, sent) -> None:
    (commune,) = demo_communes(1)
    _register_upper(commune.db, upper, usb)
    with commune.db.session() as s:
        set_sync_personal_fields(s, sent)
    export_package(commune.db, usb)  # the edits below then travel in an incremental package
    _edit_people(commune.db)
    package = export_package(commune.db, usb)
    full = export_package(commune.db, usb, full=True)
    withheld = _withheld_values(commune.db.path, commune.unit_id, sent)
    if not sent:
        assert {NEW_NAME, NEW_ADDRESS, REPRESENTATIVE, SPEAKER, CHAIR, GUEST, OPINION} <= withheld
    assert open_package(package.path).manifest.counts["audit_log"] >= 5  # the edits' history travels
    for path in (package.path, full.path):
        text = _decrypted(path, upper)
        leaked = sorted(v for v in withheld if v in text or json.dumps(v)[1:-1] in text)
        assert leaked == [], leaked[:5]
    if sent:  # the names the setting sends do travel: the search above can find values
        assert NEW_NAME in _decrypted(package.path, upper)


def test_withheld_audit_values_travel_as_digests_and_the_upper_office_checks_them(
        demo_communes, upper, usb: Path) -> None:
    (commune,) = demo_communes(1)
    with commune.db.session() as s:
        set_sync_personal_fields(s, set())
    _edit_people(commune.db)
    package = export_package(commune.db, usb)
    result = import_package(upper, package.path, trust=[fingerprint_of(package.path)])
    assert result.status == "imported" and result.changes["audit_log"].new > 0
    with upper.session() as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.origin_unit_id == commune.unit_id)).all()
    renamed = next(e for e in entries if e.digests_json and "head_name" in e.digests_json)
    assert NEW_NAME not in (renamed.changes_json or "") and "head_name" in json.loads(renamed.digests_json)
    shown = describe_changes(renamed.changes_json, withheld_json=renamed.digests_json)
    assert "Họ tên chủ hộ: (đơn vị gửi giữ lại, không gửi)" in shown and NEW_NAME not in shown
    assert {e.chain_id for e in entries} != {None} and all(e.entry_hash for e in entries)
    upper.close()
    assert file_problems(upper) == []


@pytest.mark.upper_sqlite
def test_commune_entries_keep_their_chain_and_the_upper_office_its_own(seeded, upper, usb: Path) -> None:
    package = export_package(seeded.db, usb)
    import_package(upper, package.path, trust=[fingerprint_of(package.path)])
    upper.close()
    con = sqlite3.connect(upper.path)
    try:
        local = json.loads(con.execute("SELECT value_json FROM app_setting WHERE key = 'audit_chain_id'").fetchone()[0])
        chains = dict(con.execute("SELECT coalesce(origin_unit_id, 'here'), group_concat(DISTINCT chain_id) "
                                  "FROM audit_log GROUP BY 1").fetchall())
        own = [seq for (seq,) in con.execute("SELECT seq FROM audit_log WHERE chain_id = ? ORDER BY seq", (local,))]
    finally:
        con.close()
    assert chains["here"] == local and local not in chains[unit_of(seeded.db)]
    assert own == list(range(1, len(own) + 1))  # the upper office's chain: its own entries, in order
    assert check_database(upper.path) == []
