"""Keys (fingerprints, key cards) and receipts (exported → delivered), with their
refusals leaving the database unchanged."""

from __future__ import annotations

import inspect
import json
import re
from tests import app_sqlite as sqlite3
import unicodedata
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import AdminUnit, SyncKey
from gocong_desktop.core.errors import ConflictError, PermissionDeniedError, UserError
from gocong_desktop.core.services import households
from gocong_desktop.core.services.audit_log import list_entries
from gocong_desktop.core.services.households import HouseholdInput
from gocong_desktop.core.sync import (export_package, import_package, import_packages,
                                      import_receipt, list_exports, list_peers, office_card, write_key_card,
                                      write_receipt)
from gocong_desktop.core.sync.crypto import b64, canonical, normalise_fingerprint
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.keys import read_key_card
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import KeyChangeUnconfirmed, import_key_card, preview_key_card
from tests.core.sync.conftest import dump, fingerprint_of, make_upper_office, send, unit_of
from tests.core.sync.forge import signing_key
from tests.core.sync.forge_keys import (Forger, audit_entries, forged_card, forged_receipt, registered_upper,
                                        write_doc)


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
        fp = office_card(s).fingerprint
    with seeded.db.session() as s:
        registered = import_key_card(s, card)
        assert registered.peer.role == "upper" and registered.peer.can_encrypt and registered.previous is None
    summary = export_package(seeded.db, usb)
    assert summary.encrypted  # and the screen names the registered office with its fingerprint
    assert f"Đã mã hóa cho Công an huyện Gò Công Tây (dấu vân tay {fp})" in summary.lines()
    with seeded.db.session() as s:  # a commune's own card, or another commune's, is refused
        own = write_key_card(s, usb)
        with pytest.raises(ConflictError, match="chính đơn vị này"):
            import_key_card(s, own)


def test_commune_key_card_registers_the_sender_upstairs(seeded, upper, usb: Path) -> None:
    with seeded.db.session() as s:
        card = write_key_card(s, usb)
    with upper.session() as s:
        registered = import_key_card(s, card)
        assert registered.peer.display_name == "xã Bình Tân" and registered.peer.role == "commune"
    assert send(seeded.db, upper, usb, trust=False)[1].status == "imported"  # no --trust-sender needed


def test_receipt_marks_packages_delivered(seeded, upper, usb: Path, tmp_path: Path) -> None:
    """A receipt is checked against the upper office's key registered from its
    key card; before that card is imported, the receipt is refused (it never
    registers a key itself)."""
    first, _ = send(seeded.db, upper, usb)
    second, _ = send(seeded.db, upper, usb)
    receipt = write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))
    assert receipt.name == "bien-nhan-binhtan-28513-000002.gcreceipt"
    before = dump(seeded.db.path)
    with pytest.raises(PackageRefused) as unknown:  # the upper office is not known yet
        import_receipt(seeded.db, receipt)
    assert unknown.value.code == "upper_key_missing" and "tệp khóa của cơ quan cấp trên" in str(unknown.value)
    assert dump(seeded.db.path) == before
    _register_upper(seeded, upper, tmp_path)
    result = import_receipt(seeded.db, receipt)
    assert result.delivered == [1, 2] and "Công an huyện Gò Công Tây" in result.message
    with seeded.db.session() as s:
        assert [r.status for r in list_exports(s)] == ["delivered", "delivered"]
        assert [p.role for p in list_peers(s)] == ["upper"]
    assert import_receipt(seeded.db, receipt).already == [1, 2]


def test_forged_receipts_are_refused_and_change_nothing(seeded, upper, usb: Path, tmp_path: Path,
                                                        demo_communes) -> None:
    send(seeded.db, upper, usb)
    receipt = write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))
    card = _register_upper(seeded, upper, tmp_path)
    doc = json.loads(receipt.read_text(encoding="utf-8"))
    doc["body"]["packages"][0]["sequence"] = 9
    forged = tmp_path / "forged.gcreceipt"
    forged.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = dump(seeded.db.path)
    with pytest.raises(PackageRefused, match="không hợp lệ"):
        import_receipt(seeded.db, forged)
    assert dump(seeded.db.path) == before
    other = demo_communes(1)[0]
    with other.db.session() as s:
        import_key_card(s, card)
    with pytest.raises(PackageRefused, match="dành cho xã Bình Tân") as wrong:
        import_receipt(other.db, receipt)
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
    folder.mkdir(parents=True, exist_ok=True)
    with seeded.db.session() as s:
        return write_key_card(s, folder)


def _upper_card(upper, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with upper.session() as s:
        return write_key_card(s, folder)


def _register_upper(seeded, upper, folder: Path) -> Path:
    """The upper office's key card, imported at the commune by its administrator."""
    card = _upper_card(upper, folder)
    with seeded.db.session() as s:
        import_key_card(s, card)
    return card


def _new_keys(database) -> None:
    """The office's PC reinstalled: new key pairs made on next use."""
    with database.session() as s:
        for key in s.exec(select(SyncKey)).all():
            s.delete(key)


ADMIN = Principal(username="quantri", display_name="Nguyễn Văn An", role=Role.ADMIN)
CLERK = Principal(username="canbo", display_name="Lê Thị Bình", role=Role.CLERK)


# ---- receipts never register or replace a key -------------------------------------------------

def test_a_forged_receipt_never_registers_or_replaces_the_upper_key(seeded, upper, usb: Path,
                                                                     tmp_path: Path) -> None:
    """Anyone can sign a receipt naming the upper office's public unit id (or a
    new office) with a key of their own; a clerk imports it. Before, a receipt
    confirmed by fingerprint replaced the registered upper office, and every
    export went to the forger while the screen named the real office."""
    assert "trust" not in inspect.signature(import_receipt).parameters  # no receipt-based trust at all
    _register_upper(seeded, upper, tmp_path)
    registered = registered_upper(seeded.db.path)
    forger, commune = Forger(), unit_of(seeded.db)
    seeded.db.user = CLERK
    before = dump(seeded.db.path)
    for n, issuer in enumerate((unit_of(upper), None)):  # the real office's unit id, or another office
        forged = forged_receipt(tmp_path / f"gia-{n}.gcreceipt", forger, recipient_unit_id=commune,
                                issuer_unit_id=issuer)
        with pytest.raises(PackageRefused) as refused:
            import_receipt(seeded.db, forged)
        assert refused.value.code == "key_changed"
        assert registered[1] in str(refused.value) and forger.fingerprint in str(refused.value)
    assert dump(seeded.db.path) == before and registered_upper(seeded.db.path) == registered
    summary = export_package(seeded.db, usb)
    assert open_package(summary.path).manifest.encryption.recipient_fingerprint == registered[1]


def test_a_receipt_never_registers_an_upper_office(seeded, tmp_path: Path) -> None:
    forged = forged_receipt(tmp_path / "gia.gcreceipt", Forger(), recipient_unit_id=unit_of(seeded.db))
    before = dump(seeded.db.path)
    with pytest.raises(PackageRefused) as refused:
        import_receipt(seeded.db, forged)
    assert refused.value.code == "upper_key_missing"
    assert "Gò Công Tây" not in str(refused.value)  # a name from an unverified file is never shown
    assert dump(seeded.db.path) == before and registered_upper(seeded.db.path) is None
    hostile = forged_receipt(tmp_path / "xau.gcreceipt", Forger(), recipient_unit_id=unit_of(seeded.db),
                             name="\x1b[2J\x1b]0;Công an tỉnh\x07" + "A" * 10_000)
    with pytest.raises(PackageRefused) as refused:
        import_receipt(seeded.db, hostile)
    assert refused.value.code == "format" and "\x1b" not in str(refused.value) and len(str(refused.value)) < 200
    assert dump(seeded.db.path) == before


# ---- changing a registered key: administrators, both fingerprints, audited --------------------

def test_registering_and_changing_the_upper_key(seeded, upper, tmp_path: Path) -> None:
    card_a = _upper_card(upper, tmp_path / "a")
    with upper.session() as s:
        fp_a = office_card(s).fingerprint
    seeded.db.user = ADMIN
    with seeded.db.session() as s:
        first = import_key_card(s, card_a)
    assert first.action == "key_register" and first.previous is None
    _new_keys(upper)
    card_b = _upper_card(upper, tmp_path / "b")
    with upper.session() as s:
        fp_b = office_card(s).fingerprint
    before = dump(seeded.db.path)
    seeded.db.user = CLERK
    with pytest.raises(PermissionDeniedError, match="quản trị viên"), seeded.db.session() as s:
        import_key_card(s, card_b, replace=True)
    seeded.db.user = ADMIN
    with pytest.raises(KeyChangeUnconfirmed) as unconfirmed, seeded.db.session() as s:
        import_key_card(s, card_b)
    assert fp_a in str(unconfirmed.value) and fp_b in str(unconfirmed.value)
    assert dump(seeded.db.path) == before
    with seeded.db.session() as s:
        preview = preview_key_card(s, card_b)
        change = import_key_card(s, card_b, replace=True)
    assert preview.is_change and (preview.previous.fingerprint, preview.peer.fingerprint) == (fp_a, fp_b)
    assert change.action == "key_replace" and change.previous.fingerprint == fp_a
    assert any(fp_a in line for line in change.lines()) and any(fp_b in line for line in change.lines())
    assert registered_upper(seeded.db.path)[1] == fp_b
    upper_id = unit_of(upper)
    assert audit_entries(seeded.db.path, "key_register", "key_replace") == [
        ("key_register", "quantri", upper_id, {"unit_id": [None, upper_id],
                                               "unit_name": [None, "Công an huyện Gò Công Tây"],
                                               "fingerprint": [None, fp_a]}),
        ("key_replace", "quantri", upper_id, {"unit_id": [upper_id, upper_id],
                                              "unit_name": ["Công an huyện Gò Công Tây"] * 2,
                                              "fingerprint": [fp_a, fp_b]})]
    with seeded.db.session() as s:  # as the audit log window shows it
        newest = list_entries(s, table_name="sync_peer")[0]
    assert newest.action_label == "Thay khóa" and f"Dấu vân tay khóa: {fp_a} → {fp_b}" in newest.changes


def test_a_key_card_of_another_upper_office_is_a_key_change(seeded, upper, tmp_path: Path) -> None:
    _register_upper(seeded, upper, tmp_path)
    other = open_database(make_upper_office(tmp_path / "khac" / "tinh.db"))
    try:
        with other.session() as s:
            card = write_key_card(s, tmp_path)
            fp_other = office_card(s).fingerprint
        before = dump(seeded.db.path)
        with pytest.raises(KeyChangeUnconfirmed), seeded.db.session() as s:
            import_key_card(s, card)
        assert dump(seeded.db.path) == before
        with seeded.db.session() as s:
            change = import_key_card(s, card, replace=True)
        assert change.action == "key_replace" and change.peer.unit_id == unit_of(other)
        (entry,) = audit_entries(seeded.db.path, "key_replace")
        assert entry[3]["unit_id"] == [unit_of(upper), unit_of(other)] and entry[3]["fingerprint"][1] == fp_other
        assert registered_upper(seeded.db.path)[0] == unit_of(other)
    finally:
        other.close()


def test_a_commune_key_replaced_at_the_upper_office(seeded, upper, usb: Path, tmp_path: Path) -> None:
    with upper.session() as s:
        import_key_card(s, _card_of(seeded, tmp_path / "a"))
    send(seeded.db, upper, usb, trust=False)
    _new_keys(seeded.db)
    card = _card_of(seeded, tmp_path / "b")
    summary = export_package(seeded.db, usb)
    before = dump(upper)
    with pytest.raises(PackageRefused) as changed:  # the commune's new key is not trusted from a package
        import_package(upper, summary.path, trust=[fingerprint_of(summary.path)])
    assert changed.value.code == "key_changed" and dump(upper) == before
    upper.user = CLERK
    with pytest.raises(PermissionDeniedError), upper.session() as s:
        import_key_card(s, card, replace=True)
    upper.user = ADMIN
    with upper.session() as s:
        change = import_key_card(s, card, replace=True)
    assert change.action == "key_replace"
    assert import_package(upper, summary.path).status == "imported"
    actions = [a for a, *_ in audit_entries(upper, "key_register", "key_replace", "key_trust")]
    assert actions == ["key_register", "key_replace"]


def test_first_import_trust_is_audited(seeded, upper, usb: Path) -> None:
    upper.user = CLERK  # a writer who compared the fingerprint with the registration sheet
    summary, result = send(seeded.db, upper, usb)
    assert result.status == "imported"
    commune, fp = unit_of(seeded.db), fingerprint_of(summary.path)
    assert audit_entries(upper, "key_trust") == [
        ("key_trust", "canbo", commune, {"unit_id": [None, commune], "unit_name": [None, "xã Bình Tân"],
                                         "fingerprint": [None, fp]})]
    send(seeded.db, upper, usb)
    assert len(audit_entries(upper, "key_trust")) == 1  # once, when it was registered


def test_a_key_registered_for_another_commune_is_refused(seeded, upper, tmp_path: Path) -> None:
    card = _card_of(seeded, tmp_path)
    with upper.session() as s:
        import_key_card(s, card)
    body = json.loads(card.read_text(encoding="utf-8"))["body"]
    body.update(unit_id=str(uuid.uuid4()), unit_name="Bình Nhì")  # the same key, claimed for another unit
    reused = write_doc(tmp_path / "khac.gckey", {"body": body,
                                                  "signature": b64(signing_key(seeded.db).sign(canonical(body)))})
    before = dump(upper)
    with pytest.raises(ConflictError, match="đã được đăng ký cho xã Bình Tân"), upper.session() as s:
        import_key_card(s, reused)
    assert dump(upper) == before


# ---- packages: unencrypted after encrypted -----------------------------------------------------

def test_an_unencrypted_package_after_encrypted_ones_is_refused(seeded, upper, usb: Path,
                                                               tmp_path: Path) -> None:
    """Once a commune's packages came encrypted to this office, a plain one is a
    forgery by someone holding its key, or a commune that lost the upper office's
    key (an old backup restored): refused either way, nothing changed."""
    _register_upper(seeded, upper, tmp_path)
    summary, result = send(seeded.db, upper, usb)
    assert summary.encrypted and result.status == "imported"
    con = sqlite3.connect(seeded.db.path)
    con.execute("DELETE FROM sync_peer WHERE role = 'upper'")
    con.commit()
    con.close()
    with seeded.db.session() as s:
        households.create_household(s, HouseholdInput(head_name="Ngô Văn Mới", hamlet_id=seeded.hamlet_a))
    plain = export_package(seeded.db, usb)
    assert not plain.encrypted
    before = dump(upper)
    with pytest.raises(PackageRefused) as refused:
        import_package(upper, plain.path)
    assert refused.value.code == "unencrypted" and "tệp khóa" in str(refused.value)
    assert dump(upper) == before
    (batch,) = import_packages(upper, [plain.path])
    assert batch.error_code == "unencrypted" and dump(upper) == before


def test_plain_packages_are_still_taken_from_a_commune_that_never_encrypted(seeded, upper, usb: Path) -> None:
    assert send(seeded.db, upper, usb)[1].status == "imported"
    assert send(seeded.db, upper, usb)[1].status == "imported"


# ---- hostile key cards -------------------------------------------------------------------------

HOSTILE = {
    "name 201 characters": lambda b: b.update(unit_name="A" * 201),
    "terminal escape": lambda b: b.update(unit_name="\x1b[31mBình Tân\x1b[0m"),
    "right-to-left override": lambda b: b.update(unit_name="Bình \u202eTân"),
    "NUL": lambda b: b.update(unit_name="Bình\x00Tân"),
    "NFD": lambda b: b.update(unit_name=unicodedata.normalize("NFD", "Bình Tân")),
    "empty name": lambda b: b.update(unit_name="  "),
    "name not text": lambda b: b.update(unit_name=["Bình Tân"]),
    "long unit type": lambda b: b.update(unit_type="xã " * 100),
    "line break in code": lambda b: b.update(unit_code="28\n513"),
    "long code": lambda b: b.update(unit_code="2" * 21),
    "unit id": lambda b: b.update(unit_id="../../etc"),
    "role": lambda b: b.update(role="administrator"),
    "creation time": lambda b: b.update(created_at=10 ** 30),
    "short encryption key": lambda b: b.update(encryption_key="AAAA"),
    "fingerprint of another key": lambda b: b.update(fingerprint=Forger().fingerprint),
}


@pytest.mark.parametrize("edit", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_key_card_fields_are_refused(db, tmp_path: Path, edit) -> None:
    with db.session() as s:
        genuine = write_key_card(s, tmp_path)
    card = forged_card(tmp_path / "xau.gckey", genuine, Forger(), edit)
    with pytest.raises(PackageRefused) as refused:
        read_key_card(card)
    assert "\x1b" not in str(refused.value) and "\u202e" not in str(refused.value)


def test_a_hostile_key_card_changes_nothing(seeded, upper, tmp_path: Path) -> None:
    huge = forged_card(tmp_path / "to.gckey", _card_of(seeded, tmp_path), Forger(),
                       lambda b: b.update(unit_name="Bình Tân" * 150_000))
    escape = forged_card(tmp_path / "esc.gckey", _card_of(seeded, tmp_path / "x"), Forger(),
                         lambda b: b.update(unit_name="\x1b]0;Công an tỉnh\x07"))
    before = dump(upper)
    for card in (huge, escape):
        with pytest.raises(UserError) as refused, upper.session() as s:
            import_key_card(s, card)
        assert len(str(refused.value)) < 300 and "\x1b" not in str(refused.value)
    assert dump(upper) == before


@pytest.mark.parametrize("version", [None, "1", 0, -3])
def test_a_receipt_or_card_without_a_proper_version_is_not_called_newer(db, tmp_path: Path, version) -> None:
    """Only a larger version number means "made by a newer app"; anything else is not our file."""
    import json as _json

    from gocong_desktop.core.sync.errors import PackageRefused
    from gocong_desktop.core.sync.keys import read_key_card
    from gocong_desktop.core.sync.receipts import import_receipt
    for name, fmt in (("bn.gcreceipt", "gocong-receipt"), ("khoa.gckey", "gocong-key")):
        body = {"format": fmt} if version is None else {"format": fmt, "version": version}
        path = tmp_path / name
        path.write_text(_json.dumps({"body": body, "signature": "AAAA"}))
        with pytest.raises(PackageRefused) as caught:
            import_receipt(db, path) if fmt == "gocong-receipt" else read_key_card(path)
        assert caught.value.code == "format" and "mới hơn" not in str(caught.value)


@pytest.mark.parametrize("level", ["province", "hamlet"])
def test_a_commune_card_naming_a_unit_the_upper_office_holds_is_refused(seeded, upper, usb: Path, tmp_path: Path,
                                                                        level: str) -> None:
    """A province's id can be computed from its name, a hamlet's read in any package: a
    card (or a first package) claiming one for a «xã» would block every genuine package
    that carries the row. Refused, and the genuine commune still gets through."""
    send(seeded.db, upper, usb)  # the upper office now holds Bình Tân's hamlets and its province
    with upper.session() as s:
        taken = s.exec(select(AdminUnit.id).where(AdminUnit.level == level)).first()
    forger = Forger()
    card = forged_card(tmp_path / "gia.gckey", _card_of(seeded, tmp_path / "that"), forger,
                       lambda body: body.update(unit_id=taken, unit_name="Giả", unit_code="99999"))
    before = dump(upper)
    with upper.session() as s, pytest.raises(ConflictError, match="không phải của một xã"):
        import_key_card(s, card)
    assert dump(upper) == before
    assert send(seeded.db, upper, usb)[1].status == "imported"


def test_a_card_with_a_key_of_small_order_is_refused(seeded, upper, tmp_path: Path) -> None:
    """Keys no one holds: an Ed25519 «public key» of small order, for which one fixed
    signature verifies on any message (anyone could then sign as that office), and an
    X25519 one whose shared secret is all zero (the office could not export any more)."""
    from gocong_desktop.core.sync.crypto import fingerprint, verify

    identity = b64(bytes([1]) + bytes(31))  # the neutral point: signature (R = identity, S = 0) fits any text
    forged_signature = bytes([1]) + bytes(63)
    assert not verify(identity, forged_signature, b"bat ky noi dung nao")
    genuine = _card_of(seeded, tmp_path / "that")
    body = json.loads(genuine.read_text(encoding="utf-8"))["body"]
    weak_signing = {**body, "signing_key": identity, "fingerprint": fingerprint(identity)}
    (tmp_path / "yeu-ky.gckey").write_text(json.dumps({"body": weak_signing, "signature": b64(forged_signature)}),
                                           encoding="utf-8")
    zero = forged_card(tmp_path / "yeu-ma.gckey", genuine, Forger(), lambda b: b.update(encryption_key=b64(bytes(32))))
    before = dump(upper)
    with upper.session() as s:
        with pytest.raises(UserError, match="chữ ký không hợp lệ"):
            import_key_card(s, tmp_path / "yeu-ky.gckey")
        with pytest.raises(UserError, match="khóa mã hóa không dùng được"):
            import_key_card(s, zero)
    assert dump(upper) == before


def _refused_when_signed_edited(seeded, upper, usb: Path, tmp_path: Path, edit) -> None:
    """A genuine receipt, ``edit``ed and signed again with the upper office's own key
    (whoever holds it may craft one): refused, the database unchanged."""
    send(seeded.db, upper, usb)
    _register_upper(seeded, upper, tmp_path / "khoa")
    genuine = write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))
    doc = json.loads(genuine.read_text(encoding="utf-8"))
    edit(doc["body"])
    doc["signature"] = b64(signing_key(upper).sign(canonical(doc["body"])))
    genuine.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = dump(seeded.db)
    with pytest.raises(PackageRefused):
        import_receipt(seeded.db, genuine)
    assert dump(seeded.db) == before


@pytest.mark.parametrize("imported_at", ["hôm qua \u202e", "2026-01-01T00:00:00", "x" * 100])
def test_a_receipts_delivery_time_must_be_a_time(seeded, upper, usb: Path, tmp_path: Path, imported_at: str) -> None:
    """The delivery time is stored and shown, so it is an ISO time with its offset, not
    any text (a direction override, a naive time)."""
    _refused_when_signed_edited(seeded, upper, usb, tmp_path,
                                lambda body: body["packages"][0].update(imported_at=imported_at))


def test_a_key_card_saved_again_with_a_bom_still_reads(seeded, tmp_path: Path) -> None:
    card = _card_of(seeded, tmp_path / "that")
    card.write_bytes(b"\xef\xbb\xbf" + card.read_bytes())  # Notepad's «UTF-8 with BOM»
    assert read_key_card(card).unit_name == "Bình Tân"


@pytest.mark.parametrize("receipt_uuid", [None, 7, "", "biên nhận \u202e", "A" * 36,
                                          "0F1D3C52-9A43-4D1E-8F4B-2C7E0A5B9D10"])  # upper case: not as written
def test_a_receipts_own_id_must_be_a_uuid(seeded, upper, usb: Path, tmp_path: Path, receipt_uuid) -> None:
    """The receipt's id is stored with each package it confirms: a UUID as the upper
    office writes it, not any text cut to 36 characters."""
    _refused_when_signed_edited(seeded, upper, usb, tmp_path, lambda body: body.update(receipt_uuid=receipt_uuid))
