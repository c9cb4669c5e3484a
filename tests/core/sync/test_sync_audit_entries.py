"""Audit entries from a commune are checked against that commune's own chain and
kept apart from the upper office's chain. A forged entry — unsealed, sealed in
the upper office's chain or another commune's, with a hash that does not match,
or about a record the package does not carry — refuses the whole package
signed by a trusted key: the upper office's file is byte-for-byte unchanged and
``check`` still passes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from gocong_desktop.core.storage import audit_chain
from gocong_desktop.core.services import households
from gocong_desktop.core.sync import export_package, import_package
from gocong_desktop.core.sync.errors import PackageRefused
from tests.core.sync.conftest import dump, file_problems, fingerprint_of, rows, unit_of
from tests.core.sync.forge import edit_lines, forge, signing_key

AUDIT = "data/audit_log.jsonl"
HOUSEHOLDS = "data/household.jsonl"
FIELDS = audit_chain.FIELDS.split(", ")


def _rehash(row: dict) -> dict:
    row["entry_hash"] = audit_chain.entry_hash(row["chain_id"], row["seq"], row["prev_hash"],
                                               tuple(row[f] for f in FIELDS))
    return row


def _refused(upper, path: Path, fp: str, *fragments: str) -> str:
    before = dump(upper)
    with pytest.raises(PackageRefused) as caught:
        import_package(upper, path, trust=[fp])
    message = str(caught.value)
    assert caught.value.code == "audit_entry", message
    for fragment in fragments:
        assert fragment in message
    assert dump(upper) == before
    assert file_problems(upper) == []
    return message


@pytest.fixture
def package(seeded, usb: Path) -> Path:
    hoa = seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:  # an update: an entry with values (and salts)
        data = households.household_input(s, hoa)
        data.head_name, data.phone = "Lê Thị Hoa Mai", "0901234567"
        households.update_household(s, hoa, data)
    return export_package(seeded.db, usb).path


@pytest.fixture
def fp(package: Path) -> str:
    return fingerprint_of(package)


def _upper_chain(upper) -> str:
    return json.loads(rows(upper, "SELECT value_json FROM app_setting WHERE key = 'audit_chain_id'")[0][0])


def _entry(rows: list[dict], **fields) -> dict:
    """A new entry like the commune's last one, with ``fields`` changed."""
    return {**rows[-1], "id": str(uuid.uuid4()), "changes_json": None, "salts_json": None, "digests_json": None,
            **fields}


def _account_deleted(rows: list[dict]) -> dict:
    return _entry(rows, actor="quantri", action="delete", table_name="account", record_id=str(uuid.uuid4()))


def _household_row(rows: list[dict]) -> dict:
    return next(r for r in rows if r["table_name"] == "household")


def _continue(rows: list[dict], entry: dict) -> dict:
    """``entry`` sealed as the next place of the sender's chain, hash and all."""
    last = max(rows, key=lambda r: r["seq"])
    return _rehash({**entry, "chain_id": last["chain_id"], "seq": last["seq"] + 1, "prev_hash": last["entry_hash"]})


def _renaming(rows: list[dict]) -> dict:
    """The entry of the household's rename (it holds values, each with a salt)."""
    return next(r for r in rows if r["changes_json"] and "head_name" in r["changes_json"])


def _other_salts(row: dict) -> None:
    row["salts_json"] = json.dumps({name: "00" * 16 for name in json.loads(row["salts_json"])})


FORGERIES = {
    "unsealed_account_deletion": (
        lambda rows, upper: rows.append({**_account_deleted(rows), "chain_id": None, "seq": None,
                                         "prev_hash": None, "entry_hash": None}), ""),
    "unsealed_entry_about_a_household": (
        lambda rows, upper: rows.append({**_entry(rows, table_name="household",
                                                  record_id=_household_row(rows)["record_id"], action="delete"),
                                         "chain_id": None, "seq": None, "prev_hash": None, "entry_hash": None}),
        "chưa được niêm phong"),
    "account_deletion_sealed_in_the_senders_chain": (
        lambda rows, upper: rows.append(_continue(rows, _account_deleted(rows))), "không có trong gói"),
    "sealed_in_the_upper_offices_chain": (
        lambda rows, upper: rows.append(_rehash({**_entry(rows, action="delete", table_name="household",
                                                          record_id=_household_row(rows)["record_id"]),
                                                 "chain_id": _upper_chain(upper), "seq": 999,
                                                 "prev_hash": "0" * 64})),
        "chính cơ quan này"),
    "actor_changed_after_sealing": (
        lambda rows, upper: rows[-1].update(actor="quantri"), "không khớp mã băm"),
    "hash_replaced": (lambda rows, upper: rows[0].update(entry_hash="ab" * 32), "không khớp mã băm"),
    "hash_not_a_hash": (lambda rows, upper: rows[0].update(entry_hash="abc"), "không hợp lệ"),
    "salt_changed": (lambda rows, upper: _other_salts(_renaming(rows)), "không khớp mã băm"),
    "value_changed_under_its_salt": (
        lambda rows, upper: _renaming(rows).update(changes_json=_renaming(rows)["changes_json"].replace(
            "Hoa Mai", "Hoa Lan")), "không khớp mã băm"),
    "another_origin": (lambda rows, upper: rows[0].update(origin_unit_id=str(uuid.uuid4())),
                       "không ghi là của đơn vị gửi"),
    "link_broken_and_rehashed": (lambda rows, upper: _rehash(rows[1].update(prev_hash="0" * 64) or rows[1]),
                                 "không nối tiếp mục trước"),
    "first_place_not_first": (lambda rows, upper: _rehash(rows[0].update(prev_hash="1" * 64) or rows[0]),
                              "không nối tiếp mục trước"),
}


@pytest.mark.parametrize("name", FORGERIES)
def test_forged_entries_refuse_the_package(seeded, upper, package: Path, tmp_path: Path, fp: str, name) -> None:
    edit, fragment = FORGERIES[name]
    forged = forge(package, tmp_path / "gia.gcsync", signing_key(seeded.db),
                   payload={AUDIT: edit_lines(lambda rows: edit(rows, upper))})
    message = _refused(upper, forged, fp, fragment, "mục nhật ký thay đổi mã")
    assert message.startswith("Gói bị từ chối (không nhập bản ghi nào)")


def test_an_entry_reusing_the_id_of_an_upper_office_entry_is_refused(seeded, upper, package, tmp_path, fp) -> None:
    theirs = rows(upper, "SELECT id FROM audit_log LIMIT 1")[0][0]
    forged = forge(package, tmp_path / "gia.gcsync", signing_key(seeded.db),
                   payload={AUDIT: edit_lines(lambda rows: rows.__setitem__(-1, _rehash({**rows[-1], "id": theirs})))})
    _refused(upper, forged, fp, "nhật ký của chính cơ quan này")


def test_a_chain_of_another_commune_is_refused(seeded, demo_communes, upper, package, tmp_path, fp) -> None:
    assert import_package(upper, package, trust=[fp]).status == "imported"
    (other,) = demo_communes(1)
    theirs = export_package(other.db, tmp_path).path
    chain = rows(upper, "SELECT chain_id FROM audit_log WHERE origin_unit_id = ? LIMIT 1", (unit_of(seeded.db),))[0][0]

    def into_their_chain(rows: list[dict]) -> None:
        prev = {}
        for row in sorted(rows, key=lambda r: r["seq"]):
            row.update(chain_id=chain, prev_hash=prev.get(row["seq"] - 1, "" if row["seq"] == 1 else "0" * 64))
            prev[row["seq"]] = _rehash(row)["entry_hash"]

    forged = forge(theirs, tmp_path / "gia.gcsync", signing_key(other.db),
                   payload={AUDIT: edit_lines(into_their_chain)})
    _refused(upper, forged, fingerprint_of(theirs), "của một đơn vị khác")


def test_a_new_entry_that_would_break_a_held_one_is_refused(seeded, upper, package, tmp_path, fp) -> None:
    """Entries of a chain may arrive in parts; one filling a gap must link to what
    is held after it, or ``check`` would fail for good once it is in."""
    key = signing_key(seeded.db)
    with_gap = forge(package, tmp_path / "thieu.gcsync", key,
                     payload={AUDIT: edit_lines(lambda rows: rows.remove(_middle(rows)))})
    assert import_package(upper, with_gap, trust=[fp]).status == "imported"
    assert file_problems(upper) == []

    def other_middle(rows: list[dict]) -> None:
        middle = _middle(rows)
        middle.update(actor="kẻ giả mạo")
        _rehash(middle)
    filled = forge(package, tmp_path / "lap.gcsync", key, payload={AUDIT: edit_lines(other_middle)},
                   manifest=lambda doc: doc.update(package_uuid=str(uuid.uuid4())))
    _refused(upper, filled, fp, "không khớp với mục số")


def _middle(rows: list[dict]) -> dict:
    ordered = sorted(rows, key=lambda r: r["seq"])
    return ordered[len(ordered) // 2]


def test_a_consistent_entry_of_the_senders_own_chain_stays_in_that_chain(seeded, upper, package, tmp_path,
                                                                         fp) -> None:
    """What a commune writes in its own log is its own: it is kept there, under
    the commune, and never enters the upper office's chain."""
    def add(rows: list[dict]) -> None:
        rows.append(_continue(rows, _entry(rows, action="delete", table_name="household",
                                           record_id=_household_row(rows)["record_id"])))
        head.update({k: rows[-1][k] for k in ("chain_id", "seq", "entry_hash")})

    head: dict = {}  # the manifest's audit head moves on to the added entry, as the commune's exporter writes it
    added = forge(package, tmp_path / "them.gcsync", signing_key(seeded.db), payload={AUDIT: edit_lines(add)},
                  manifest=lambda doc: doc.update(audit_head=head))
    upper_chain = _upper_chain(upper)
    assert import_package(upper, added, trust=[fp]).status == "imported"
    mixed = rows(upper, "SELECT count(*) FROM audit_log WHERE chain_id = ? AND origin_unit_id IS NOT NULL",
                 (upper_chain,))[0][0]
    assert mixed == 0 and file_problems(upper) == []


def test_genuine_packages_in_turn_keep_check_passing(seeded, upper, usb: Path) -> None:
    for name in ("Lê Thị Hoa", "Võ Thị Ánh", "Nguyễn Văn Ba"):
        with seeded.db.session() as s:
            households.delete_household(s, seeded.households[name])
        path = export_package(seeded.db, usb).path
        assert import_package(upper, path, trust=[fingerprint_of(path)]).status == "imported"
        assert file_problems(upper) == []
    again = export_package(seeded.db, usb, full=True).path  # everything sent again: held, unchanged
    result = import_package(upper, again, trust=[fingerprint_of(again)])
    assert result.changes["audit_log"].new == 0 and result.conflicts == 0
    assert file_problems(upper) == []
