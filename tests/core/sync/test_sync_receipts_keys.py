"""Keys (fingerprints, key cards) and receipts (exported → delivered), with their
refusals leaving the database unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop.core.db.models import SyncKey
from gocong_desktop.core.errors import ConflictError
from gocong_desktop.core.sync import (export_package, import_receipt, list_exports, list_peers, office_card,
                                      write_key_card, write_receipt)
from gocong_desktop.core.sync.crypto import normalise_fingerprint
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.keys import read_key_card
from gocong_desktop.core.sync.peers import import_key_card
from tests.core.sync.conftest import dump, send, unit_of


def test_fingerprint_is_short_and_readable(seeded) -> None:
    with seeded.db.session() as s:
        card = office_card(s)
        again = office_card(s)  # made once, then the same
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", card.fingerprint)
    assert again.fingerprint == card.fingerprint and card.role == "commune"
    assert normalise_fingerprint(card.fingerprint.lower().replace(" ", "-")) == card.fingerprint.replace(" ", "")


def test_key_card_round_trip_and_tampering(seeded, usb: Path) -> None:
    with seeded.db.session() as s:
        path = write_key_card(s, usb)
    assert path.name == "khoa-binhtan-28513.gckey"
    card = read_key_card(path)
    assert card.unit_name == "Bình Tân" and card.display_name == "xã Bình Tân"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["body"]["unit_name"] = "Bình Tâm"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(PackageRefused, match="chữ ký không hợp lệ"):
        read_key_card(path)


def test_upper_office_key_card_at_the_commune(seeded, upper, usb: Path) -> None:
    with upper.session() as s:
        card = write_key_card(s, usb)
    with seeded.db.session() as s:
        peer = import_key_card(s, card)
        assert peer.role == "upper" and peer.can_encrypt
    assert export_package(seeded.db, usb).encrypted
    with seeded.db.session() as s:  # a commune's own card, or another commune's, is refused
        own = write_key_card(s, usb)
        with pytest.raises(ConflictError, match="chính đơn vị này"):
            import_key_card(s, own)


def test_commune_key_card_registers_the_sender_upstairs(seeded, upper, usb: Path) -> None:
    with seeded.db.session() as s:
        card = write_key_card(s, usb)
    with upper.session() as s:
        peer = import_key_card(s, card)
        assert peer.display_name == "xã Bình Tân" and peer.role == "commune"
    assert send(seeded.db, upper, usb, trust=False)[1].status == "imported"  # no --trust-sender needed


def test_receipt_marks_packages_delivered(seeded, upper, usb: Path, tmp_path: Path) -> None:
    first, _ = send(seeded.db, upper, usb)
    second, _ = send(seeded.db, upper, usb)
    receipt = write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))
    assert receipt.name == "bien-nhan-binhtan-28513-000002.gcreceipt"
    with upper.session() as s:
        fp = office_card(s).fingerprint
    before = dump(seeded.db.path)
    with pytest.raises(PackageRefused) as unknown:  # the upper office is not known yet
        import_receipt(seeded.db, receipt)
    assert unknown.value.code == "unknown_sender" and fp in str(unknown.value)
    assert dump(seeded.db.path) == before
    result = import_receipt(seeded.db, receipt, trust=[fp])
    assert result.delivered == [1, 2] and "Công an huyện Gò Công Tây" in result.message
    with seeded.db.session() as s:
        assert [r.status for r in list_exports(s)] == ["delivered", "delivered"]
        assert [p.role for p in list_peers(s)] == ["upper"]
    assert import_receipt(seeded.db, receipt).already == [1, 2]
    assert export_package(seeded.db, usb).encrypted  # the receipt brought the upper office's key


def test_forged_receipts_are_refused_and_change_nothing(seeded, upper, usb: Path, tmp_path: Path,
                                                        demo_communes) -> None:
    send(seeded.db, upper, usb)
    receipt = write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))
    with upper.session() as s:
        fp = office_card(s).fingerprint
    doc = json.loads(receipt.read_text(encoding="utf-8"))
    doc["body"]["packages"][0]["sequence"] = 9
    forged = tmp_path / "forged.gcreceipt"
    forged.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = dump(seeded.db.path)
    with pytest.raises(PackageRefused, match="không hợp lệ"):
        import_receipt(seeded.db, forged, trust=[fp])
    assert dump(seeded.db.path) == before
    other = demo_communes(1)[0]
    with pytest.raises(PackageRefused, match="dành cho xã Bình Tân") as wrong:
        import_receipt(other.db, receipt, trust=[fp])
    assert wrong.value.code == "wrong_recipient"
    bad = tmp_path / "bad.gcreceipt"
    bad.write_bytes(b"\x00\x01 not json")
    with pytest.raises(PackageRefused, match="không phải biên nhận"):
        import_receipt(seeded.db, bad)
    assert dump(seeded.db.path) == before


def test_receipt_signed_by_a_changed_key_is_refused(seeded, upper, usb: Path, tmp_path: Path) -> None:
    commune_card = _card_of(seeded, usb)
    with upper.session() as s:
        import_key_card(s, commune_card)
    send(seeded.db, upper, usb, trust=False)
    with upper.session() as s:
        card = write_key_card(s, tmp_path)
    with seeded.db.session() as s:
        import_key_card(s, card)
    with upper.session() as s:  # the upper office's keys are replaced (a reinstalled PC)
        for key in s.exec(select(SyncKey)).all():
            s.delete(key)
    receipt = write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))
    before = dump(seeded.db.path)
    with pytest.raises(PackageRefused) as changed:
        import_receipt(seeded.db, receipt)
    assert changed.value.code == "key_changed" and dump(seeded.db.path) == before


def _card_of(seeded, folder: Path) -> Path:
    with seeded.db.session() as s:
        return write_key_card(s, folder)
