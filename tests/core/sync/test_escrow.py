"""The office's key backup and key rotation: a package on a stick when the upper
office's PC died is read on the replacement PC once the backup is imported;
bad passphrases and bad files change nothing; rotation keeps old packages readable."""

from __future__ import annotations

import base64
import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.errors import ConflictError, PermissionDeniedError, UserError, ValidationError
from gocong_desktop.core.setup.office import create_office_database, setup_from_key_backup
from gocong_desktop.core.services import office
from gocong_desktop.core.services.audit_log import list_entries
from gocong_desktop.core.sync import export_package, import_package, import_receipt, office_card, write_receipt
from gocong_desktop.core.sync.crypto import canonical, private_b64
from gocong_desktop.core.sync.errors import NewerFormat, PackageRefused
from gocong_desktop.core.sync.escrow import (EXTENSION, FILE_LIMIT, describe_key_backup, export_office_keys,
                                             import_office_keys, open_key_backup)
from gocong_desktop.core.sync.key_store import MAX_RETIRED, rotate_office_keys
from gocong_desktop.core.sync.keys import load_office_keys, write_key_card
from gocong_desktop.core.sync.package import open_package
from gocong_desktop.core.sync.peers import import_key_card
from tests.conftest import file_digest
from tests.core.sync.conftest import dump, fingerprint_of, make_upper_office, unit_of
from tests.core.sync.forge_keys import audit_entries

# Keys kept by an office (a file's or a server's database alike): the import's store is
# tested elsewhere; these run once, on SQLite, to keep the suite's time.
pytestmark = pytest.mark.upper_sqlite

PASSPHRASE = "ba con vịt bơi qua sông"
CLERK = Principal("canbo", "Cán bộ nhập liệu", Role.CLERK)


def _card(database: Database, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    with database.session() as s:
        return write_key_card(s, folder)


def _register_upper(commune: Database, upper: Database, folder: Path, *, replace: bool = False) -> None:
    card = _card(upper, folder)
    with commune.session() as s:
        import_key_card(s, card, replace=replace)


def _backup(database: Database, folder: Path, passphrase: str = PASSPHRASE) -> Path:
    folder.mkdir(exist_ok=True)
    with database.session() as s:
        return export_office_keys(s, folder, passphrase, passphrase)


def _import(database: Database, path: Path, passphrase: str = PASSPHRASE):
    with database.session() as s:
        return import_office_keys(s, path, passphrase)


def _fingerprint(database: Database) -> str:
    with database.session() as s:
        return office_card(s).fingerprint


def _pc_died(database: Database) -> None:
    database.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database.path}{suffix}").unlink(missing_ok=True)


def _same_unit_again(path: Path, unit_id: str) -> Database:
    """The upper office set up again on a new PC, with its unit id (new keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(path, create=True)
    with database.session(actor="tester") as s:
        office.setup_office(s, unit_name="Gò Công Tây", role="upper", unit_type="Công an huyện",
                            province_name="Tiền Giang", unit_id=unit_id)
    return database


def _imported(upper: Database, package: Path) -> str:
    return import_package(upper, package, trust=[fingerprint_of(package)]).status


def test_the_backup_reads_a_package_sent_before_the_pc_died(seeded, upper, usb: Path, tmp_path: Path) -> None:
    _register_upper(seeded.db, upper, tmp_path / "the")
    fingerprint, unit_id = _fingerprint(upper), unit_of(upper)
    key_file = _backup(upper, tmp_path / "tu-sat")
    package = export_package(seeded.db, usb).path  # on its way up when the PC dies
    assert open_package(package).manifest.encryption is not None
    _pc_died(upper)

    new = _same_unit_again(tmp_path / "may-moi" / "huyen.db", unit_id)
    try:
        with pytest.raises(PackageRefused) as unreadable:  # new keys: the package is not for them
            import_package(new, package, trust=[fingerprint_of(package)])
        assert unreadable.value.code == "wrong_recipient" and "tệp khóa dự phòng" in str(unreadable.value)
        change = _import(new, key_file)
        assert change.new_fingerprint == fingerprint == _fingerprint(new)
        assert _imported(new, package) == "imported"
        with sqlite3.connect(new.path) as con:
            assert con.execute("SELECT count(*) FROM household WHERE owner_unit_id = ?",
                               (unit_of(seeded.db),)).fetchone()[0] == len(seeded.households)
        receipt = write_receipt(new, tmp_path, unit_id=unit_of(seeded.db))  # the same identity: accepted
        assert import_receipt(seeded.db, receipt).delivered == [1]
    finally:
        new.close()


def test_an_office_set_up_again_from_its_backup(seeded, upper, usb: Path, tmp_path: Path) -> None:
    _register_upper(seeded.db, upper, tmp_path / "the")
    fingerprint, unit_id = _fingerprint(upper), unit_of(upper)
    key_file = _backup(upper, tmp_path / "tu-sat")
    package = export_package(seeded.db, usb).path
    _pc_died(upper)
    backup = open_key_backup(key_file, PASSPHRASE)
    assert PASSPHRASE not in repr(backup) and private_b64(backup.pairs.signing) not in repr(backup)
    created = create_office_database(tmp_path / "may-moi" / "huyen.db", setup_from_key_backup(backup))
    new = open_database(created.path)
    try:
        with new.session() as s:
            info = office.get_office(s)
            assert (info.unit_id, info.display_name, info.province_name) == (
                unit_id, "Công an huyện Gò Công Tây", "Tiền Giang")
        assert _fingerprint(new) == fingerprint
        assert _imported(new, package) == "imported"
        assert [a for a, *_ in audit_entries(new.path, "key_backup_import")] == ["key_backup_import"]
    finally:
        new.close()


def test_the_backup_file_holds_no_readable_secret(upper, tmp_path: Path) -> None:
    key_file = _backup(upper, tmp_path)
    assert key_file.name.startswith("khoa-du-phong-gocongtay-") and key_file.name.endswith(EXTENSION)
    with upper.session() as s:
        keys = load_office_keys(s)
    data = key_file.read_bytes()
    for secret in (private_b64(keys.signing), private_b64(keys.encryption), PASSPHRASE):
        assert secret.encode() not in data
    info = describe_key_backup(key_file)  # whose it is, without the passphrase
    assert info.office.display_name == "Công an huyện Gò Công Tây" and info.fingerprint == keys.fingerprint
    again = _backup(upper, tmp_path)  # never overwrites the first
    assert again != key_file and key_file.read_bytes() == data


def test_wrong_passphrase_changes_nothing(upper, tmp_path: Path) -> None:
    key_file = _backup(upper, tmp_path)
    with upper.session() as s:
        rotate_office_keys(s)
    before, digest = dump(upper), file_digest(key_file)
    with pytest.raises(ValidationError) as wrong:
        _import(upper, key_file, "ba con vit boi qua song")
    assert wrong.value.field == "passphrase" and "Cụm mật khẩu không đúng" in wrong.value.message
    assert "\n" not in wrong.value.message
    assert dump(upper) == before and file_digest(key_file) == digest


def test_a_passphrase_typed_decomposed_is_the_same(upper, tmp_path: Path) -> None:
    key_file = _backup(upper, tmp_path)
    assert _import(upper, key_file, unicodedata.normalize("NFD", PASSPHRASE)).new_fingerprint == _fingerprint(upper)


@pytest.mark.parametrize("passphrase, confirm, field, words", [
    ("ngắn quá", "ngắn quá", "passphrase", "ít nhất 12 ký tự"),
    ("            ", "            ", "passphrase", "dấu cách"),
    (PASSPHRASE, PASSPHRASE + " ", "confirm", "không giống nhau"),
])
def test_passphrase_rules(upper, usb: Path, passphrase: str, confirm: str, field: str, words: str) -> None:
    before = dump(upper)
    with upper.session() as s, pytest.raises(ValidationError) as refused:
        export_office_keys(s, usb, passphrase, confirm)
    assert refused.value.field == field and words in refused.value.message
    assert list(usb.iterdir()) == [] and dump(upper) == before


def test_only_an_administrator_handles_the_office_keys(upper, tmp_path: Path) -> None:
    key_file = _backup(upper, tmp_path / "a")
    upper.user = CLERK
    before = dump(upper)
    for act in (lambda s: export_office_keys(s, tmp_path, PASSPHRASE, PASSPHRASE),
                lambda s: import_office_keys(s, key_file, PASSPHRASE), rotate_office_keys):
        with upper.session() as s, pytest.raises(PermissionDeniedError, match="Chỉ quản trị viên"):
            act(s)
    assert dump(upper) == before and not list(tmp_path.glob(f"*{EXTENSION}"))


def test_another_units_backup_is_refused(upper, seeded, tmp_path: Path) -> None:
    other = make_upper_office(tmp_path / "khac" / "huyen.db")
    other_db = open_database(other)
    try:
        theirs = _backup(other_db, tmp_path / "b")
    finally:
        other_db.close()
    commune_file = _backup(seeded.db, tmp_path / "c")
    _fingerprint(upper)  # keys made
    before = dump(upper)
    for key_file in (theirs, commune_file):
        with pytest.raises(ConflictError) as refused:
            _import(upper, key_file)
        assert "Khóa dự phòng chỉ nhập được vào dữ liệu của chính đơn vị đó" in refused.value.message
    assert "xã Bình Tân" in refused.value.message and "Công an huyện Gò Công Tây" in refused.value.message
    assert dump(upper) == before


def _edited(key_file: Path, edit) -> Path:
    doc = json.loads(key_file.read_text(encoding="utf-8"))
    edit(doc)
    key_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return key_file


def _set(path: list, value):
    def edit(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return edit


def _flip_ciphertext(doc) -> None:
    text = doc["ciphertext"]
    doc["ciphertext"] = ("A" if text[0] != "A" else "B") + text[1:]


NOT_OURS = "không phải tệp khóa dự phòng"
WRONG = "Cụm mật khẩu không đúng"
CRAFTED = [
    ("truncated", lambda p: p.write_bytes(p.read_bytes()[:300]), NOT_OURS),
    ("oversized", lambda p: p.write_bytes(p.read_bytes() + b" " * FILE_LIMIT), "quá lớn"),
    ("binary", lambda p: p.write_bytes(b"\x00\xff" * 100), NOT_OURS),
    ("a list", lambda p: p.write_text("[1, 2]"), NOT_OURS),
    ("deep", lambda p: p.write_text('{"format": "gocong-key-backup", "x": ' + "[" * 5000 + "]" * 5000 + "}"),
     NOT_OURS),
    ("key card", lambda p: _edited(p, _set(["format"], "gocong-key")), NOT_OURS),
    ("extra field", lambda p: _edited(p, _set(["note"], "x")), NOT_OURS),
    ("version text", lambda p: _edited(p, _set(["version"], "1")), NOT_OURS),
    ("unit id", lambda p: _edited(p, _set(["office", "unit_id"], "../../etc")), NOT_OURS),
    ("control char", lambda p: _edited(p, _set(["office", "unit_name"], "Gò Công\u202eTây")), NOT_OURS),
    ("memory bomb", lambda p: _edited(p, _set(["kdf", "memory_kib"], 64 * 1024 * 1024)), NOT_OURS),
    ("time bomb", lambda p: _edited(p, _set(["kdf", "time_cost"], 10_000)), NOT_OURS),
    ("bool cost", lambda p: _edited(p, _set(["kdf", "parallelism"], True)), NOT_OURS),
    ("other kdf", lambda p: _edited(p, _set(["kdf", "name"], "pbkdf2")), NOT_OURS),
    ("short salt", lambda p: _edited(p, _set(["kdf", "salt"], "AAAA")), NOT_OURS),
    ("bad nonce", lambda p: _edited(p, _set(["cipher", "nonce"], "not base64!")), NOT_OURS),
    ("renamed office", lambda p: _edited(p, _set(["office", "unit_name"], "Gò Công Đông")), WRONG),
    ("weaker kdf", lambda p: _edited(p, _set(["kdf", "time_cost"], 1)), WRONG),
    ("changed ciphertext", lambda p: _edited(p, _flip_ciphertext), WRONG),
]


@pytest.mark.parametrize("edit, words", [c[1:] for c in CRAFTED], ids=[c[0] for c in CRAFTED])
def test_damaged_or_crafted_backups_change_nothing(upper, tmp_path: Path, edit, words: str) -> None:
    key_file = _backup(upper, tmp_path)
    with upper.session() as s:
        rotate_office_keys(s)  # so that a wrongly accepted file would change the current keys
    edit(key_file)
    before, digest = dump(upper), file_digest(key_file)
    with pytest.raises(UserError) as refused:
        _import(upper, key_file)
    assert words in refused.value.message and "\n" not in refused.value.message
    assert dump(upper) == before and file_digest(key_file) == digest


def test_a_newer_backup_format_asks_for_an_update(upper, tmp_path: Path) -> None:
    key_file = _edited(_backup(upper, tmp_path), _set(["version"], 2))
    with pytest.raises(NewerFormat, match="phiên bản gocong_desktop mới hơn"):
        _import(upper, key_file)


def test_rotation_keeps_old_packages_readable(seeded, upper, usb: Path, tmp_path: Path) -> None:
    _register_upper(seeded.db, upper, tmp_path / "the-1")
    old_card = _fingerprint(upper)
    first = export_package(seeded.db, usb).path  # sealed to the old key
    with upper.session() as s:
        change = rotate_office_keys(s)
    new_card = _fingerprint(upper)
    assert (change.old_fingerprint, change.new_fingerprint) == (old_card, new_card) and new_card != old_card
    assert any("cho từng xã" in line for line in change.lines())
    second = export_package(seeded.db, usb).path  # the commune has not imported the new card yet
    assert _imported(upper, first) == "imported" and _imported(upper, second) == "imported"
    _register_upper(seeded.db, upper, tmp_path / "the-2", replace=True)
    third = export_package(seeded.db, usb).path
    assert open_package(third).manifest.encryption.recipient_fingerprint == new_card
    assert _imported(upper, third) == "imported"
    with sqlite3.connect(upper.path) as con:  # the old signing key is gone; the old encryption key kept
        assert sorted(r[0] for r in con.execute("SELECT purpose FROM sync_key")) == [
            "encryption", "old-encryption-1", "signing"]
    entries = audit_entries(upper.path, "key_rotate")
    assert [(a, c["fingerprint"]) for a, _who, _id, c in entries] == [("key_rotate", [old_card, new_card])]


def test_retired_keys_travel_in_the_backup(seeded, upper, usb: Path, tmp_path: Path) -> None:
    _register_upper(seeded.db, upper, tmp_path / "the")
    unit_id = unit_of(upper)
    old_package = export_package(seeded.db, usb).path
    with upper.session() as s:
        rotate_office_keys(s)
    _register_upper(seeded.db, upper, tmp_path / "the-2", replace=True)
    key_file = _backup(upper, tmp_path / "tu-sat")  # after the rotation: both keys
    new_package = export_package(seeded.db, usb).path
    _pc_died(upper)
    new = _same_unit_again(tmp_path / "may-moi" / "huyen.db", unit_id)
    try:
        _import(new, key_file)
        assert _imported(new, old_package) == "imported" and _imported(new, new_package) == "imported"
    finally:
        new.close()


def test_a_commune_that_rotated_is_known_again_by_its_new_card(seeded, upper, usb: Path, tmp_path: Path) -> None:
    assert _imported(upper, export_package(seeded.db, usb).path) == "imported"
    with seeded.db.session() as s:
        change = rotate_office_keys(s)
    assert any("cơ quan cấp trên nhập tệp khóa mới" in line for line in change.lines())
    package = export_package(seeded.db, usb).path
    with pytest.raises(PackageRefused) as refused:
        import_package(upper, package)
    assert refused.value.code == "key_changed"
    card = _card(seeded.db, tmp_path / "the")
    with upper.session() as s:
        import_key_card(s, card, replace=True)
    assert import_package(upper, package).status == "imported"


def test_every_key_action_is_audited(upper, tmp_path: Path) -> None:
    upper.user = Principal("quantri", "Quản trị", Role.ADMIN)
    first = _fingerprint(upper)
    key_file = _backup(upper, tmp_path)
    with upper.session() as s:
        rotate_office_keys(s)
    second = _fingerprint(upper)
    _import(upper, key_file)
    entries = audit_entries(upper.path, "key_backup_export", "key_rotate", "key_backup_import")
    assert [(a, who, c["fingerprint"]) for a, who, _id, c in entries] == [
        ("key_backup_export", "quantri", [None, first]), ("key_rotate", "quantri", [first, second]),
        ("key_backup_import", "quantri", [second, first])]
    assert entries[0][3]["file"] == [None, key_file.name] and entries[0][2] == unit_of(upper)
    with sqlite3.connect(upper.path) as con:  # the key that was current before the import stays readable
        assert con.execute("SELECT count(*) FROM sync_key WHERE purpose LIKE 'old-encryption-%'").fetchone() == (1,)
    with upper.session() as s:  # the audit log in people's words
        rows = [r for r in list_entries(s, table_name="sync_key")]
    assert [r.action_label for r in rows] == ["Nhập khóa dự phòng", "Đổi cặp khóa", "Xuất khóa dự phòng"]
    assert rows[1].changes == f"Dấu vân tay khóa: {first} → {second}" and rows[0].table_label == "Khóa của đơn vị này"
    assert f"Tệp: (trống) → {key_file.name}" in rows[2].changes


def _resealed(key_file: Path, secrets) -> Path:
    """The file re-sealed by someone who knows the passphrase, with other contents."""
    doc = json.loads(key_file.read_text(encoding="utf-8"))
    header = {k: v for k, v in doc.items() if k != "ciphertext"}
    kdf = header["kdf"]
    key = hash_secret_raw(PASSPHRASE.encode(), base64.b64decode(kdf["salt"]), time_cost=kdf["time_cost"],
                          memory_cost=kdf["memory_kib"], parallelism=kdf["parallelism"], hash_len=32, type=Type.ID)
    plain = secrets if isinstance(secrets, bytes) else json.dumps(secrets).encode()
    sealed = AESGCM(key).encrypt(base64.b64decode(header["cipher"]["nonce"]), plain, canonical(header))
    return _edited(key_file, _set(["ciphertext"], base64.b64encode(sealed).decode()))


def _other_signing_key(secrets: dict) -> None:
    secrets["signing"] = private_b64(Ed25519PrivateKey.generate())


SEALED = [
    ("not json", lambda s: b"\xff not json"),
    ("another signing key", _other_signing_key),
    ("short key", lambda s: s.update(encryption="AAAA")),
    ("extra secret", lambda s: s.update(note="x")),
    ("retired not a list", lambda s: s.update(retired={"a": 1})),
    ("too many retired", lambda s: s.update(retired=[{"encryption": s["encryption"], "created_at": s["created_at"]}]
                                            * 101)),
    ("retired bad time", lambda s: s.update(retired=[{"encryption": s["encryption"], "created_at": "hôm qua"}])),
    ("time without its offset", lambda s: s.update(created_at="2026-01-01T00:00:00")),  # once «lỗi ngoài dự kiến»
]


@pytest.mark.parametrize("edit", [c[1] for c in SEALED], ids=[c[0] for c in SEALED])
def test_a_resealed_backup_with_bad_contents_changes_nothing(upper, tmp_path: Path, edit) -> None:
    """Whoever knows the passphrase may still have made the contents: checked too."""
    key_file = _backup(upper, tmp_path)
    with upper.session() as s:
        keys = load_office_keys(s)
        rotate_office_keys(s)
    secrets = {"signing": private_b64(keys.signing), "encryption": private_b64(keys.encryption),
               "created_at": keys.created_at.isoformat(), "retired": []}
    changed = edit(secrets)
    _resealed(key_file, changed if isinstance(changed, bytes) else secrets)
    before = dump(upper)
    with pytest.raises(PackageRefused, match=NOT_OURS):
        _import(upper, key_file)
    assert dump(upper) == before


def test_resealing_unchanged_contents_is_accepted(upper, tmp_path: Path) -> None:
    """The forging helper above makes files the app opens: the refusals are about their contents."""
    key_file = _backup(upper, tmp_path)
    with upper.session() as s:
        keys = load_office_keys(s)
        rotate_office_keys(s)
    _resealed(key_file, {"signing": private_b64(keys.signing), "encryption": private_b64(keys.encryption),
                         "created_at": keys.created_at.isoformat(), "retired": []})
    assert _import(upper, key_file).new_fingerprint == keys.fingerprint


def test_an_office_with_every_retired_key_it_may_keep(upper, tmp_path: Path) -> None:
    """The backup of an office that rotated as often as allowed fits the size bound; one
    rotation more is refused (the keys stay as they were)."""
    _fingerprint(upper)  # the first keys, retired by the first rotation
    with upper.session() as s:
        for _ in range(MAX_RETIRED):
            rotate_office_keys(s)
    key_file = _backup(upper, tmp_path)
    assert key_file.stat().st_size < FILE_LIMIT
    before = dump(upper)
    with upper.session() as s, pytest.raises(ConflictError, match="quá 100 khóa cũ"):
        rotate_office_keys(s)
    assert dump(upper) == before
    assert _import(upper, key_file).retired == MAX_RETIRED


def test_a_long_upper_office_name_of_an_earlier_version_sets_up_again(seeded, tmp_path: Path) -> None:
    """Earlier versions let the upper office's name be 500 characters long, and a key
    backup carries up to 500: such a unit is set up again on a new PC as it was."""
    from gocong_desktop.core.db.models import Office

    long_name = "Phòng Cảnh sát quản lý hành chính về trật tự xã hội, Công an tỉnh Tiền Giang " * 4
    with seeded.db.session() as s:  # as an earlier version stored it
        s.get(Office, 1).upper_office_name = long_name.strip()
    key_file = _backup(seeded.db, tmp_path / "tu-sat")
    created = create_office_database(tmp_path / "may-moi" / "xa.db",
                                     setup_from_key_backup(open_key_backup(key_file, PASSPHRASE)))
    new = open_database(created.path)
    try:
        with new.session() as s:
            assert office.get_office(s).upper_office_name == long_name.strip()
    finally:
        new.close()
