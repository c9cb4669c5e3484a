"""The audit chain is anchored: a package carries the head of the commune's
chain, the upper office's receipt signs it back, and ``check`` at the commune
finds history cut off or rewritten below the newest signed anchor — even when
the chain was re-hashed so that its own links hold again."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop.core.storage import audit_chain
from gocong_desktop.core.storage.backup import write_backup
from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.db.models import SyncKey
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.sync import export_package, import_package, import_receipt, write_key_card, write_receipt
from gocong_desktop.core.sync.anchors import SETTING
from gocong_desktop.core.sync.crypto import b64, canonical
from gocong_desktop.core.sync.errors import PackageRefused
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from tests.core.sync.conftest import dump, edit_household, fingerprint_of, rows, unit_of
from tests.core.sync.forge import forge, signing_key
from tests.core.sync.forge_keys import Forger, write_doc

FIELDS = audit_chain.FIELDS


def _register_upper(commune: Database, upper: Database, folder: Path, *, replace: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with upper.session() as s:
        card = write_key_card(s, folder)
    with commune.session() as s:
        import_key_card(s, card, replace=replace)


def _round(commune: Database, upper: Database, usb: Path, folder: Path):
    """Export, import upstairs, write a receipt, import it at the commune: (manifest, receipt path)."""
    summary = export_package(commune, usb)
    result = import_package(upper, summary.path, trust=[fingerprint_of(summary.path)])
    assert result.status == "imported", result.message
    folder.mkdir(parents=True, exist_ok=True)
    receipt = write_receipt(upper, folder, unit_id=unit_of(commune))
    import_receipt(commune, receipt)
    return open_package(summary.path).manifest, receipt


def _stored(path: Path) -> dict | None:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT value_json FROM app_setting WHERE key = ?", (SETTING,)).fetchone()
    finally:
        con.close()
    return json.loads(row[0]) if row else None


def _problems(path: Path, rule: str) -> list[str]:
    return [p.message for p in check_database(path) if p.rule == rule]


@pytest.fixture
def anchored(seeded, upper, usb: Path, tmp_path: Path):
    """xã Bình Tân after one full round: its anchor stored. (database, manifest, receipt)."""
    _register_upper(seeded.db, upper, tmp_path / "the")
    manifest, receipt = _round(seeded.db, upper, usb, tmp_path / "bien-nhan")
    edit_household(seeded.db, seeded.households["Lê Thị Hoa"], address="Số 9")  # the chain goes on past the anchor
    return seeded.db, manifest, receipt


def _sql(path: Path, *statements: tuple[str, tuple]) -> None:
    con = sqlite3.connect(path)
    try:
        for sql, params in statements:
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def _rehash_chain(path: Path, chain_id: str) -> None:
    """What someone who knows the scheme does after an edit: every entry of the
    chain renumbered from 1 and hashed again, so that its own links hold."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(f"SELECT rowid, {FIELDS} FROM audit_log WHERE chain_id = ? AND origin_unit_id IS NULL "
                           "ORDER BY seq", (chain_id,)).fetchall()
        prev = audit_chain.GENESIS
        for seq, (rowid, *fields) in enumerate(rows, start=1):
            digest = audit_chain.entry_hash(chain_id, seq, prev, tuple(fields))
            con.execute("UPDATE audit_log SET seq = ?, prev_hash = ?, entry_hash = ? WHERE rowid = ?",
                        (seq, prev, digest, rowid))
            prev = digest
        con.commit()
    finally:
        con.close()


# ---- (a) the round trip -------------------------------------------------------------------------

def test_the_receipt_signs_back_the_head_the_package_carried(anchored) -> None:
    db, manifest, receipt = anchored
    head = manifest.audit_head
    assert head is not None and head.chain_id == audit_chain.stored_chain_id(sqlite3.connect(db.path))
    body = json.loads(receipt.read_text(encoding="utf-8"))["body"]
    [signed] = body["anchors"]
    assert {k: signed["anchor"][k] for k in ("chain_id", "seq", "entry_hash")} == head.as_dict()
    assert signed["anchor"]["package_uuid"] == manifest.package_uuid and signed["anchor"]["unit_id"] == unit_of(db)
    assert _stored(db.path) == {head.chain_id: signed}
    assert check_database(db.path) == []


def test_a_receipt_imported_again_writes_nothing(anchored) -> None:
    db, _, receipt = anchored
    before = dump(db.path)
    assert import_receipt(db, receipt).already == [1]
    assert dump(db.path) == before


def test_the_newest_anchor_per_chain_is_kept(anchored, upper, usb: Path, tmp_path: Path) -> None:
    db, first, old_receipt = anchored
    second, _ = _round(db, upper, usb, tmp_path / "lan-2")
    assert second.audit_head.seq > first.audit_head.seq
    import_receipt(db, old_receipt)  # an older receipt afterwards does not take the anchor back
    [kept] = _stored(db.path).values()
    assert kept["anchor"]["seq"] == second.audit_head.seq and kept["anchor"]["sequence"] == 2
    assert check_database(db.path) == []


# ---- (b) history cut off ------------------------------------------------------------------------

def test_entries_deleted_below_the_anchor_are_reported(anchored) -> None:
    db, manifest, _ = anchored
    head = manifest.audit_head
    _sql(db.path, ("DELETE FROM audit_log WHERE chain_id = ? AND seq <= 3", (head.chain_id,)))
    [message] = _problems(db.path, "audit_anchors")
    assert "Nhật ký thay đổi đã bị xoá bớt" in message and "mục số 3 không còn trong tệp" in message
    assert f"đến mục số {head.seq} khi nhận gói số 1" in message and "báo quản trị viên" in message


def test_a_cut_hidden_by_rehashing_or_a_new_chain_id_is_still_reported(anchored) -> None:
    """Deleting the oldest entries and re-hashing what is left (or moving it to a
    chain id of its own) leaves a chain whose links hold: only the anchor shows."""
    db, manifest, _ = anchored
    head = manifest.audit_head
    _sql(db.path, ("DELETE FROM audit_log WHERE chain_id = ? AND seq <= 2", (head.chain_id,)))
    _rehash_chain(db.path, head.chain_id)
    assert _problems(db.path, "audit_chain") == []
    [message] = _problems(db.path, "audit_anchors")
    assert "Nhật ký thay đổi đã bị viết lại" in message
    new_chain = str(uuid.uuid4())
    _sql(db.path, ("UPDATE audit_log SET chain_id = ? WHERE chain_id = ?", (new_chain, head.chain_id)),
         ("UPDATE app_setting SET value_json = ? WHERE key = ?", (json.dumps(new_chain), audit_chain.CHAIN_SETTING)))
    _rehash_chain(db.path, new_chain)
    assert _problems(db.path, "audit_chain") == []
    [message] = _problems(db.path, "audit_anchors")
    assert f"mục số {head.seq} không còn trong tệp" in message and head.chain_id in message


def test_entries_deleted_between_the_anchor_and_the_newest_are_reported(anchored) -> None:
    db, manifest, _ = anchored
    head = manifest.audit_head
    _sql(db.path, ("DELETE FROM audit_log WHERE chain_id = ? AND seq = ?", (head.chain_id, head.seq + 1)))
    assert any(f"mục số {head.seq + 1} không còn" in m for m in _problems(db.path, "audit_anchors"))


# ---- (c) history rewritten ----------------------------------------------------------------------

def test_an_anchored_entry_rewritten_is_reported_even_when_rehashed(anchored) -> None:
    db, manifest, _ = anchored
    head = manifest.audit_head
    _sql(db.path, ("UPDATE audit_log SET actor = 'người khác' WHERE chain_id = ? AND seq = 2", (head.chain_id,)))
    assert _problems(db.path, "audit_chain")  # a plain edit: the entry's own hash shows it
    _rehash_chain(db.path, head.chain_id)
    assert _problems(db.path, "audit_chain") == []
    [message] = _problems(db.path, "audit_anchors")
    assert "Nhật ký thay đổi đã bị viết lại" in message and f"mục số {head.seq} không còn khớp" in message


def test_an_entry_above_the_anchor_may_be_rewritten_only_as_the_chain_rule_sees(anchored) -> None:
    """What came after the anchor is not yet signed: its own hashes are all there is."""
    db, manifest, _ = anchored
    head = manifest.audit_head
    _sql(db.path, ("UPDATE audit_log SET actor = 'người khác' WHERE chain_id = ? AND seq = ?",
                   (head.chain_id, head.seq + 1)))
    _rehash_chain(db.path, head.chain_id)
    assert _problems(db.path, "audit_anchors") == []


# ---- the stored anchor itself -------------------------------------------------------------------

def test_a_stored_anchor_edited_in_the_file_is_reported(anchored) -> None:
    db, manifest, _ = anchored
    stored = _stored(db.path)
    [doc] = stored.values()
    doc["anchor"]["seq"] = 1  # claims less was confirmed
    _sql(db.path, ("UPDATE app_setting SET value_json = ? WHERE key = ?", (json.dumps(stored), SETTING)))
    [message] = _problems(db.path, "audit_anchors")
    assert "không có chữ ký hợp lệ của Công an huyện Gò Công Tây" in message and "biên nhận mới nhất" in message
    _sql(db.path, ("UPDATE app_setting SET value_json = '[1' WHERE key = ?", (SETTING,)))
    [message] = _problems(db.path, "audit_anchors")
    assert "bị hỏng hoặc bị sửa (sai dạng)" in message


def test_a_changed_upper_key_asks_for_a_new_receipt_which_signs_again(anchored, upper, tmp_path: Path) -> None:
    db, _, _ = anchored
    with upper.session() as s:  # the upper office's PC reinstalled: new keys
        for key in s.exec(select(SyncKey)).all():
            s.delete(key)
    _register_upper(db, upper, tmp_path / "khoa-moi", replace=True)
    [message] = _problems(db.path, "audit_anchors")
    assert "cơ quan cấp trên đã đổi khóa" in message
    (tmp_path / "moi").mkdir()
    import_receipt(db, write_receipt(upper, tmp_path / "moi", unit_id=unit_of(db)))
    assert check_database(db.path) == []


def test_the_upper_key_removed_while_anchors_are_kept_is_reported(anchored) -> None:
    db, _, _ = anchored
    _sql(db.path, ("DELETE FROM sync_peer WHERE role = 'upper'", ()))
    [message] = _problems(db.path, "audit_anchors")
    assert "không còn khóa của cơ quan cấp trên" in message


# ---- a restore starts a new chain: both stay anchored -------------------------------------------

def test_a_restore_keeps_the_old_chain_anchored_and_anchors_the_new_one(anchored, upper, usb: Path,
                                                                        tmp_path: Path) -> None:
    db, first, _ = anchored
    backup = write_backup(db.path, tmp_path / "sao-luu.db")
    edit_household(db, next(iter(_households(db.path))), address="Số 10")  # lost with the restore
    path = db.path
    db.close()
    restore_backup(path, backup)
    restored = open_database(path)
    try:
        assert check_database(path) == []  # the old chain's anchored entries came back with the backup
        edit_household(restored, next(iter(_households(path))), address="Số 11")
        second, _ = _round(restored, upper, usb, tmp_path / "sau-khoi-phuc")
        assert second.audit_head.chain_id != first.audit_head.chain_id
        assert set(_stored(path)) == {first.audit_head.chain_id, second.audit_head.chain_id}
        assert check_database(path) == []
        _sql(path, ("DELETE FROM audit_log WHERE chain_id = ? AND seq = 1", (first.audit_head.chain_id,)))
        assert any("mục số 1 không còn trong tệp" in m for m in _problems(path, "audit_anchors"))
    finally:
        restored.close()


def _households(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT id FROM household WHERE deleted = 0 ORDER BY head_name")]
    finally:
        con.close()


# ---- (d) forged receipts store nothing ----------------------------------------------------------

def _receipt_doc(receipt: Path) -> dict:
    return json.loads(receipt.read_text(encoding="utf-8"))


def _refused_receipt(db: Database, path: Path, code: str) -> str:
    before = dump(db.path)
    with pytest.raises(PackageRefused) as caught:
        import_receipt(db, path)
    assert caught.value.code == code, str(caught.value)
    assert dump(db.path) == before
    return str(caught.value)


@pytest.fixture
def unanchored(seeded, upper, usb: Path, tmp_path: Path):
    """A package imported upstairs and its genuine receipt, not yet imported at the commune."""
    _register_upper(seeded.db, upper, tmp_path / "the")
    summary = export_package(seeded.db, usb)
    import_package(upper, summary.path, trust=[fingerprint_of(summary.path)])
    return seeded.db, write_receipt(upper, tmp_path, unit_id=unit_of(seeded.db))


def test_a_receipt_signed_by_another_key_stores_no_anchor(unanchored, tmp_path: Path) -> None:
    db, receipt = unanchored
    forger = Forger()
    body = _receipt_doc(receipt)["body"]
    body["issuer"].update(signing_key=forger.signing_public, fingerprint=forger.fingerprint)
    for item in body["anchors"]:
        item["signature"] = b64(forger.signing.sign(canonical(item["anchor"])))
    _refused_receipt(db, write_doc(tmp_path / "gia.gcreceipt", forger.sign(body)), "key_changed")
    assert _stored(db.path) is None


def test_a_tampered_anchor_breaks_the_receipts_signature(unanchored, tmp_path: Path) -> None:
    db, receipt = unanchored
    doc = _receipt_doc(receipt)
    doc["body"]["anchors"][0]["anchor"]["seq"] += 5
    _refused_receipt(db, write_doc(tmp_path / "sua.gcreceipt", doc), "bad_signature")
    assert _stored(db.path) is None


def test_an_anchor_the_upper_office_signed_wrongly_is_refused(unanchored, upper, tmp_path: Path) -> None:
    """Signed with the registered key itself: an anchor whose own signature does
    not match, or that names a head the package did not carry, stores nothing."""
    db, receipt = unanchored
    key = signing_key(upper)
    body = _receipt_doc(receipt)["body"]
    body["anchors"][0]["anchor"]["entry_hash"] = "0" * 64  # its own signature left as it was
    signed = {"body": body, "signature": b64(key.sign(canonical(body)))}
    _refused_receipt(db, write_doc(tmp_path / "a.gcreceipt", signed), "bad_signature")
    body["anchors"][0]["signature"] = b64(key.sign(canonical(body["anchors"][0]["anchor"])))
    signed = {"body": body, "signature": b64(key.sign(canonical(body)))}
    assert "với đầu chuỗi nhật ký khác" in _refused_receipt(db, write_doc(tmp_path / "b.gcreceipt", signed),
                                                             "anchor_mismatch")
    assert _stored(db.path) is None


@pytest.mark.parametrize("edit", [
    lambda body: body.update(anchors="nhiều"),
    lambda body: body.update(anchors=[{"anchor": {}, "signature": ""}]),
    lambda body: body["anchors"][0]["anchor"].update(seq="7"),
    lambda body: body["anchors"][0]["anchor"].update(entry_hash="A" * 200_000),
    lambda body: body["anchors"][0]["anchor"].update(extra=1),
    lambda body: body["anchors"][0].update(signature="%%%"),
    lambda body: body.update(anchors=body["anchors"] * 1001),
], ids=["not_a_list", "empty_anchor", "seq_text", "huge_hash", "extra_field", "bad_signature_text", "too_many"])
def test_a_malformed_anchor_refuses_the_receipt(unanchored, upper, tmp_path: Path, edit) -> None:
    db, receipt = unanchored
    key = signing_key(upper)
    body = _receipt_doc(receipt)["body"]
    edit(body)
    path = write_doc(tmp_path / "hong.gcreceipt", {"body": body, "signature": b64(key.sign(canonical(body)))})
    message = _refused_receipt(db, path, "format")
    assert "không phải biên nhận hợp lệ" in message and len(message) < 300
    assert _stored(db.path) is None


def test_a_receipt_without_anchors_is_still_taken(unanchored, upper, tmp_path: Path) -> None:
    """From an upper office not updated yet: delivered, nothing anchored."""
    db, receipt = unanchored
    key = signing_key(upper)
    body = _receipt_doc(receipt)["body"]
    del body["anchors"]
    path = write_doc(tmp_path / "cu.gcreceipt", {"body": body, "signature": b64(key.sign(canonical(body)))})
    assert import_receipt(db, path).delivered == [1]
    assert _stored(db.path) is None and check_database(db.path) == []


# ---- (e) the manifest's head, crafted -----------------------------------------------------------

HEAD_EDITS = {
    "missing": lambda doc: doc.pop("audit_head"),
    "text": lambda doc: doc.update(audit_head="đầu chuỗi"),
    "list": lambda doc: doc.update(audit_head=[1, 2, 3]),
    "empty": lambda doc: doc.update(audit_head={}),
    "extra_field": lambda doc: doc["audit_head"].update(note="x"),
    "chain_id_number": lambda doc: doc["audit_head"].update(chain_id=7),
    "chain_id_upper_case": lambda doc: doc["audit_head"].update(chain_id=doc["audit_head"]["chain_id"].upper()),
    "chain_id_huge": lambda doc: doc["audit_head"].update(chain_id="a" * 200_000),
    "seq_text": lambda doc: doc["audit_head"].update(seq="12"),
    "seq_bool": lambda doc: doc["audit_head"].update(seq=True),
    "seq_float": lambda doc: doc["audit_head"].update(seq=12.0),
    "seq_zero": lambda doc: doc["audit_head"].update(seq=0),
    "seq_negative": lambda doc: doc["audit_head"].update(seq=-3),
    "seq_huge": lambda doc: doc["audit_head"].update(seq=10 ** 40),
    "hash_short": lambda doc: doc["audit_head"].update(entry_hash="ab" * 16),
    "hash_upper_case": lambda doc: doc["audit_head"].update(entry_hash=doc["audit_head"]["entry_hash"].upper()),
    "hash_null": lambda doc: doc["audit_head"].update(entry_hash=None),
    "hash_huge": lambda doc: doc["audit_head"].update(entry_hash="0" * 200_000),
}


@pytest.fixture
def package(seeded, usb: Path) -> Path:
    return export_package(seeded.db, usb).path


@pytest.mark.parametrize("edit", HEAD_EDITS.values(), ids=HEAD_EDITS.keys())
def test_a_crafted_head_refuses_the_package(seeded, upper, package: Path, tmp_path: Path, edit) -> None:
    forged = forge(package, tmp_path / "dau.gcsync", signing_key(seeded.db), manifest=edit)
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, forged, trust=[fingerprint_of(package)])
    assert caught.value.code == "manifest" and "tệp mô tả (manifest) không hợp lệ" in str(caught.value)
    assert len(str(caught.value)) < 300 and dump(upper) == before


def _upper_chain(upper: Database) -> str:
    return json.loads(rows(upper, "SELECT value_json FROM app_setting WHERE key = ?", (audit_chain.CHAIN_SETTING,))[0][0])


def test_a_head_that_contradicts_the_chain_refuses_the_package(seeded, upper, package: Path, tmp_path: Path) -> None:
    """The upper office's own chain, or a place the package's entries say holds another hash."""
    audit = json.loads(open_package(package).manifest.to_bytes())["audit_head"]
    own = forge(package, tmp_path / "rieng.gcsync", signing_key(seeded.db),
                manifest=lambda doc: doc["audit_head"].update(chain_id=_upper_chain(upper)))
    sent = [json.loads(line) for line in _payload(package, "data/audit_log.jsonl").splitlines()]
    place = max(r["seq"] for r in sent if r["chain_id"] == audit["chain_id"])
    other = forge(package, tmp_path / "khac.gcsync", signing_key(seeded.db),
                  manifest=lambda doc: doc["audit_head"].update(seq=place, entry_hash="f" * 64))
    for path, words in ((own, "không phải của đơn vị gửi"), (other, "không khớp mục nhật ký")):
        before = dump(upper)
        with pytest.raises(PackageRefused) as caught:
            import_package(upper, path, trust=[fingerprint_of(package)])
        assert caught.value.code == "audit_head" and words in str(caught.value)
        assert dump(upper) == before


def _payload(package: Path, name: str) -> str:
    from tests.core.sync.forge import members

    return members(package)[name].decode()
