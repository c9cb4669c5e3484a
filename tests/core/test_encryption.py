"""The encrypted database: nothing readable without a password, each account's own slot."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from gocong_desktop.core.sqlite import key_slots
from gocong_desktop.core.storage.backup import all_backups, backup_now, verify_backup
from gocong_desktop.core.sqlite.cipher import is_encrypted
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.sqlite.key_slots import KeySlotsError, table_path
from gocong_desktop.core.maintenance.restore import restore_backup
from gocong_desktop.core.sqlite.unlocked import LockedError
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.demo.accounts import HINT, PASSWORD
from gocong_desktop.core.errors import PermissionDeniedError, UserError
from gocong_desktop.core.services import accounts, households
from gocong_desktop.core.services.unlocking import needs_unlock, unlock_with_code, unlock_with_password
from gocong_desktop.core.sync.crypto import private_b64
from gocong_desktop.core.sync.keys import ensure_office_keys, load_office_keys
from tests.conftest import file_digest
from tests.encrypted import forget_keys, new_recovery_code, signed_in

DEMO_NAMES = ("Bình Tân", "quantri", "canbo")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ma-hoa") / "mau.db"
    generate_demo(path, households=100)
    db = open_database(path)
    accounts.sign_in(db, "quantri", PASSWORD)
    with db.session() as s:
        ensure_office_keys(s)  # the private sync keys are in the file too
    db.close()
    LIVE.append(len(household_names(path)))
    return path


LIVE: list[int] = []  # households listed in the demo file (some of the demo's are moved away)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy (with its slot table), locked as a new process finds it."""
    path = tmp_path / "mau.db"
    shutil.copyfile(demo_file, path)
    shutil.copyfile(table_path(demo_file), table_path(path))
    forget_keys()
    return path


def household_names(path: Path) -> list[str]:
    db = open_database(path)
    try:
        with db.session() as s:
            return sorted(h.head_name for h in households.list_households(s))
    finally:
        db.close()


def plain_secrets(path: Path) -> list[bytes]:
    """What a thief would look for: names, user names and the private sync keys."""
    names = household_names(path)[:5]
    db = open_database(path)
    try:
        with db.session() as s:
            keys = load_office_keys(s)
    finally:
        db.close()
    private = [private_b64(keys.signing).encode(), private_b64(keys.encryption).encode(),
               *(raw_private(k) for k in (keys.signing, keys.encryption))]
    return [n.encode() for n in names] + [n.encode() for n in DEMO_NAMES] + private


def raw_private(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def test_the_file_and_its_slot_table_hold_no_plain_secret(demo: Path) -> None:
    assert is_encrypted(demo)
    unlock_with_password(demo, "quantri", PASSWORD)
    secrets = plain_secrets(demo)
    table = key_slots.read_table(demo)
    table.hint = None  # the demo's sign-in hint names its demo accounts on purpose; a real file has none
    for blob in (demo.read_bytes(), table.to_bytes()):
        assert not blob.startswith(b"SQLite format 3")
        for secret in secrets:
            assert secret not in blob, secret


def test_each_account_opens_it_and_a_wrong_password_does_not(demo: Path) -> None:
    with pytest.raises(LockedError, match="mã hóa"):
        open_database(demo)
    before = file_digest(demo)
    with pytest.raises(PermissionDeniedError, match="không đúng"):
        unlock_with_password(demo, "quantri", "sai-mat-khau")
    assert file_digest(demo) == before and needs_unlock(demo)
    for user in ("quantri", "canbo", "xem"):
        forget_keys()
        assert unlock_with_password(demo, user.upper(), PASSWORD) == user
        assert len(household_names(demo)) == LIVE[0]


def test_a_disabled_account_no_longer_opens_it(demo: Path) -> None:
    db = signed_in(demo, "quantri")
    with db.session() as s:
        clerk = next(a for a in accounts.list_accounts(s) if a.username == "canbo")
        accounts.update_account(s, clerk.id, display_name=clerk.display_name, role=clerk.role, active=False)
    db.close()
    forget_keys()
    with pytest.raises(PermissionDeniedError):
        unlock_with_password(demo, "canbo", PASSWORD)
    unlock_with_password(demo, "xem", PASSWORD)  # the others still do


def test_changing_a_password_rewraps_one_slot_and_keeps_the_data(demo: Path) -> None:
    before = key_slots.read_table(demo)
    db = signed_in(demo, "canbo")
    with db.session() as s:
        accounts.change_own_password(s, "canbo", PASSWORD, "mat-khau-moi-2026")
    db.close()
    after = key_slots.read_table(demo)
    changed = [slot for slot in after.slots if slot not in before.slots]
    assert len(changed) == 1 and len(after.slots) == len(before.slots)  # one slot re-wrapped
    assert (after.file_id, after.check) == (before.file_id, before.check)  # the same data key: not re-encrypted
    forget_keys()
    with pytest.raises(PermissionDeniedError):
        unlock_with_password(demo, "canbo", PASSWORD)
    unlock_with_password(demo, "canbo", "mat-khau-moi-2026")
    assert len(household_names(demo)) == LIVE[0]


def test_the_recovery_code_opens_it_sets_a_password_and_is_replaced(demo: Path) -> None:
    code = new_recovery_code(demo)
    forget_keys()
    unlock_with_code(demo, "quantri", code.lower())  # typed in lower case, still the code
    db = open_database(demo)
    with db.session() as s:
        fresh = accounts.recover_with_code(s, "quantri", code, "mat-khau-quan-tri-moi")
    db.close()
    forget_keys()
    with pytest.raises(PermissionDeniedError, match="mã khôi phục"):
        unlock_with_code(demo, "quantri", code)  # used up
    unlock_with_code(demo, "quantri", fresh)
    forget_keys()
    unlock_with_password(demo, "quantri", "mat-khau-quan-tri-moi")


def test_a_slot_table_of_another_file_is_refused_naming_the_file(demo: Path, tmp_path: Path) -> None:
    other = tmp_path / "khac.db"
    generate_demo(other, households=100)
    forget_keys()
    shutil.copyfile(table_path(other), table_path(demo))  # the same passwords, another key
    unlock_with_password(demo, "quantri", PASSWORD)
    with pytest.raises(KeySlotsError, match="không khớp") as err:
        open_database(demo)
    assert str(demo) in err.value.message


def test_a_missing_or_damaged_slot_table_is_a_clear_refusal(demo: Path) -> None:
    table = table_path(demo)
    table.write_bytes(b'{"format": "gocong-key-slots", "version": 1, "slots": "x"}')
    with pytest.raises(KeySlotsError, match="bị hỏng"):
        unlock_with_password(demo, "quantri", PASSWORD)
    table.write_bytes(b"x" * (key_slots.MAX_BYTES + 10))
    with pytest.raises(KeySlotsError, match="bị hỏng"):
        unlock_with_password(demo, "quantri", PASSWORD)
    table.unlink()
    with pytest.raises(KeySlotsError, match="thiếu tệp khóa"):
        unlock_with_password(demo, "quantri", PASSWORD)


def test_five_wrong_passwords_pause_that_file_wherever_it_is_opened_from(demo: Path, tmp_path: Path) -> None:
    for _ in range(5):
        with pytest.raises(PermissionDeniedError, match="không đúng"):
            unlock_with_password(demo, "canbo", "doan-sai")
    with pytest.raises(PermissionDeniedError, match="Hãy chờ"):
        unlock_with_password(demo, "canbo", PASSWORD)  # even the right one, for now
    moved = tmp_path / "chep" / "ban-sao.db"  # another path to the same data: the same count
    moved.parent.mkdir()
    shutil.copyfile(demo, moved)
    shutil.copyfile(table_path(demo), table_path(moved))
    with pytest.raises(PermissionDeniedError, match="Hãy chờ"):
        unlock_with_password(moved, "canbo", PASSWORD)
    unlock_with_password(demo, "xem", PASSWORD)  # another person is not paused


def test_backups_are_encrypted_and_open_with_the_passwords_of_their_day(demo: Path, tmp_path: Path,
                                                                        monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    unlock_with_password(demo, "canbo", PASSWORD)
    db = open_database(demo)
    secrets = plain_secrets(demo)
    result = backup_now(db, "thu-cong")
    accounts.sign_in_unlocked(db, "canbo")
    with db.session() as s:
        accounts.change_own_password(s, "canbo", PASSWORD, "mat-khau-sau-sao-luu")
    db.close()
    copy = result.path
    assert copy.suffix == ".gcbak" and [b.path for b in all_backups(demo)] == [copy]
    blob = copy.read_bytes().replace(json.dumps(HINT, ensure_ascii=False).encode(), b"")  # the demo's own hint
    assert all(secret not in blob for secret in secrets)
    forget_keys()
    with pytest.raises(LockedError):
        verify_backup(copy)
    unlock_with_password(demo, "canbo", "mat-khau-sau-sao-luu")  # today's password: opens the file
    verify_backup(copy)  # and its backups (the same data key)
    restore_backup(demo, copy)
    forget_keys()
    with pytest.raises(PermissionDeniedError):
        unlock_with_password(demo, "canbo", "mat-khau-sau-sao-luu")  # the backup's slots came back
    unlock_with_password(demo, "canbo", PASSWORD)
    assert len(household_names(demo)) == LIVE[0]


def test_a_report_never_replaces_an_encrypted_file_or_its_slot_table(demo: Path) -> None:
    from gocong_desktop.core.documents.output import save_pdf_atomically

    for target in (demo, table_path(demo)):
        digest = file_digest(target)
        with pytest.raises(UserError, match="cơ sở dữ liệu"):
            save_pdf_atomically(target, lambda out: out.write(b"%PDF"))
        assert file_digest(target) == digest


GUESSER = """
import sys, time
from pathlib import Path
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services.unlocking import unlock_with_password
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
try:
    unlock_with_password(sys.argv[1], "canbo", "doan-song-song")
except UserError as exc:
    print(exc.message)
"""


def test_guesses_made_in_parallel_each_count(demo: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    go = tmp_path / "bat-dau"
    guessers = [subprocess.Popen([sys.executable, "-c", GUESSER, str(demo), str(go)], stdout=subprocess.PIPE,
                                 text=True) for _ in range(8)]
    go.touch()  # all at once: each reads the count before any guess has failed
    said = [g.communicate(timeout=120)[0] for g in guessers]
    assert all("không đúng" in s or "Hãy chờ" in s for s in said), said
    assert sum("không đúng" in s for s in said) == 5  # only five were tried: the rest found the pause
    with pytest.raises(PermissionDeniedError, match="Hãy chờ"):
        unlock_with_password(demo, "canbo", PASSWORD)  # eight wrong guesses: paused, even in parallel


def test_setting_up_over_an_encrypted_file_never_touches_it_or_its_slot_table(demo: Path) -> None:
    from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database

    digests = (file_digest(demo), file_digest(table_path(demo)))
    setup = OfficeSetup("commune", "xã", "Long Bình", "Đồng Tháp",
                        admin=FirstAdmin("quantri2", "Người Mới", "mat-khau-moi-1"))
    with pytest.raises(UserError):
        create_office_database(demo, setup)
    assert (file_digest(demo), file_digest(table_path(demo))) == digests
    unlock_with_password(demo, "quantri", PASSWORD)  # still opens as before


REKEY_CHILD = """
import os, signal, sys
from gocong_desktop.core.sqlite import key_slots
from tests.encrypted import signed_in
from gocong_desktop.core.services import accounts

real_replace = key_slots.os.replace

def replace(src, dst):
    if sys.argv[2] == "after":
        real_replace(src, dst)
    os.kill(os.getpid(), signal.SIGKILL)

db = signed_in(sys.argv[1], "canbo")
key_slots.os.replace = replace  # the next replace is the re-wrapped slot's (signing in wrote one too)
with db.session() as s:
    accounts.change_own_password(s, "canbo", "demo1234", "mat-khau-sau-khi-mat-dien")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX: Windows has no SIGKILL")
@pytest.mark.parametrize("moment", ["before", "after"])
def test_kill_9_while_a_slot_is_rewrapped_leaves_the_old_or_the_new_password(demo: Path, moment: str) -> None:
    import subprocess
    import sys

    child = subprocess.run([sys.executable, "-c", REKEY_CHILD, str(demo), moment], capture_output=True,
                           text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert child.returncode == -9, child.stderr
    forget_keys()
    password = PASSWORD if moment == "before" else "mat-khau-sau-khi-mat-dien"
    unlock_with_password(demo, "canbo", password)
    assert len(household_names(demo)) == LIVE[0]
    forget_keys()
    unlock_with_password(demo, "quantri", PASSWORD)  # the other slots are whole


def test_made_up_names_are_not_counted_and_a_stuffed_throttle_never_locks_anyone_out(demo: Path) -> None:
    table = table_path(demo)
    before = file_digest(table)
    with pytest.raises(PermissionDeniedError):
        unlock_with_password(demo, "khong-co-ai-ten-nay", "doan")
    assert file_digest(table) == before  # nothing written for a name without a slot
    body = json.loads(table.read_bytes())
    body["throttle"] = {f"{n:032x}": [3, 1e308] for n in range(2000)}  # junk, and a pause of forever
    clerk = key_slots.who_of(body["file_id"], "canbo")
    body["throttle"][clerk] = [0, 1e308]
    table.write_text(json.dumps(body))
    unlock_with_password(demo, "quantri", PASSWORD)  # the table still opens
    forget_keys()
    with pytest.raises(PermissionDeniedError, match=r"Hãy chờ (30|31) giây"):  # one pause at most
        unlock_with_password(demo, "canbo", PASSWORD)


def test_an_old_backup_and_a_revoked_secret_open_that_backup_never_the_live_file(demo: Path, tmp_path: Path,
                                                                                  monkeypatch) -> None:
    from gocong_desktop.core.db.vault import unlock_backup

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    code = new_recovery_code(demo)
    db = signed_in(demo, "quantri")
    old_backup = backup_now(db, "thu-cong").path  # canbo active, this code valid
    with db.session() as s:
        clerk = next(a for a in accounts.list_accounts(s) if a.username == "canbo")
        accounts.update_account(s, clerk.id, display_name=clerk.display_name, role=clerk.role, active=False)
        admin = next(a for a in accounts.list_accounts(s) if a.username == "quantri")
        accounts.regenerate_recovery_code(s, admin.id)  # the old code is "lost": replaced
    db.close()
    for username, secret, kind in (("canbo", PASSWORD, "password"), ("quantri", code, "recovery")):
        forget_keys()
        unlock_backup(old_backup, username, secret.replace("-", "") if kind == "recovery" else secret, kind=kind)
        verify_backup(old_backup)  # the backup of its day opens, by design
        with pytest.raises(LockedError):
            open_database(demo)  # but its key is not the live file's


def test_restore_never_turns_the_encrypted_file_back_into_a_plain_one(demo: Path, demo_files, tmp_path: Path,
                                                                       monkeypatch) -> None:
    from gocong_desktop.core.storage import backup_file

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    unlock_with_password(demo, "quantri", PASSWORD)
    digests = (file_digest(demo), file_digest(table_path(demo)))
    plain_copy = tmp_path / "cu_20250101-000000_thu-cong.db"
    plain_copy.write_bytes(demo_files["plain"].read_bytes())
    with pytest.raises(UserError, match="chưa mã hóa"):
        restore_backup(demo, plain_copy)
    forged = tmp_path / "gia.gcbak"  # the office's own slots in front of a plain database
    header = table_path(demo).read_bytes()
    forged.write_bytes(backup_file.MAGIC + len(header).to_bytes(4, "big") + header + demo_files["plain"].read_bytes())
    with pytest.raises(UserError, match="làm giả"):
        restore_backup(demo, forged)
    assert (file_digest(demo), file_digest(table_path(demo))) == digests


def test_a_save_that_fails_after_the_slot_was_written_keeps_the_old_secret(demo: Path) -> None:
    from sqlalchemy import event

    code = new_recovery_code(demo)
    db = signed_in(demo, "quantri")

    def disk_full(_conn) -> None:
        raise OSError(28, "No space left on device")

    event.listen(db.engine, "commit", disk_full)
    with pytest.raises(Exception):
        with db.session() as s:
            admin = next(a for a in accounts.list_accounts(s) if a.username == "quantri")
            accounts.regenerate_recovery_code(s, admin.id)
    with pytest.raises(Exception):
        with db.session() as s:
            accounts.change_own_password(s, "quantri", PASSWORD, "mat-khau-khong-luu-duoc")
    event.remove(db.engine, "commit", disk_full)
    db.close()
    assert len(key_slots.read_table(demo).slots) == 4  # nothing added is left behind
    forget_keys()
    unlock_with_code(demo, "quantri", code)  # the code shown before still works
    forget_keys()
    unlock_with_password(demo, "quantri", PASSWORD)


@pytest.mark.parametrize("renamed", [0, 1])
def test_a_restore_cut_short_before_it_was_in_place_is_finished_on_opening(demo: Path, tmp_path: Path,
                                                                         monkeypatch, renamed: int) -> None:
    import os

    from gocong_desktop.core.maintenance import restore
    from gocong_desktop.core.storage import interrupted

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "du-lieu"))
    db = signed_in(demo, "quantri")
    copy = backup_now(db, "thu-cong").path
    db.close()

    def power_cut(staged: Path, db_path: Path) -> None:
        if renamed:
            os.replace(staged, db_path)  # the database is in place, its slot table not yet
        raise KeyboardInterrupt

    monkeypatch.setattr(restore, "move_staged_into_place", power_cut)
    with pytest.raises(KeyboardInterrupt):
        restore_backup(demo, copy)
    assert not table_path(demo).exists()
    monkeypatch.setattr(restore, "move_staged_into_place", interrupted.move_staged_into_place)
    forget_keys()
    unlock_with_password(demo, "quantri", PASSWORD)  # finished on opening: the backup's slots are there
    assert len(household_names(demo)) == LIVE[0]


def test_a_table_padded_with_copies_of_a_slot_is_refused(demo: Path) -> None:
    """A sign-in derives once per slot of its person: a table (e.g. at the front of a
    backup, which no key authenticates) holding 300 copies of one account's slot would
    make that sign-in derive for minutes. More than four of a kind and person: damaged."""
    import json

    table = table_path(demo)
    body = json.loads(table.read_text(encoding="utf-8"))
    who = key_slots.read_table(demo).find(key_slots.PASSWORD, key_slots.who_of(body["file_id"], "canbo")).who
    theirs = [s for s in body["slots"] if s["who"] == who and s["kind"] == key_slots.PASSWORD]
    body["slots"] += theirs * key_slots.MAX_SLOTS_PER_SIGN_IN  # one too many
    table.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(KeySlotsError, match="bị hỏng"):
        unlock_with_password(demo, "canbo", PASSWORD)


def test_a_restored_table_brings_no_sign_in_hint(demo: Path) -> None:
    from dataclasses import replace

    crafted = replace(key_slots.read_table(demo), hint="Mật khẩu mới gửi qua Zalo 0900 000 000")
    assert crafted.as_live().hint is None and crafted.as_live().slots == crafted.slots


def test_the_largest_table_that_reads_is_written_within_the_size_that_reads() -> None:
    """Every table that reads is written back as one that reads (a restore, a sign-in
    count): as many slots as a table may hold, each of another person with a failure
    count, a hint and a parent seal, as the app writes it."""
    import time
    import uuid

    key = key_slots.new_data_key()
    table = key_slots.new_table(key)
    one = key_slots.wrap(key, "mật khẩu", file_id=table.file_id, key_id=table.key_id, kind=key_slots.RECOVERY,
                         who="f" * 32)
    slow = dict(one.kdf, t=10, m=262144, p=8)  # the largest costs a slot may name
    table.slots = [key_slots.Slot(**{**one.__dict__, "who": f"{n:032x}", "kdf": slow})
                   for n in range(key_slots.MAX_SLOTS)]
    table.throttle = {s.who: (1000, time.time() + 1e9) for s in table.slots}
    table.hint = "Đ" * 300
    table.parent_key_id, table.parent_seal = str(uuid.uuid4()), bytes(12 + key_slots.KEY_BYTES + 16)
    data = table.to_bytes()
    assert len(data) <= key_slots.MAX_BYTES, len(data)
    assert len(key_slots.parse_table(data, shown="x").slots) == key_slots.MAX_SLOTS


def test_a_table_is_never_written_past_what_reads_and_the_account_change_is_refused(
        demo: Path, monkeypatch) -> None:
    """An account added when the table is full would lock everyone out at the next sign-in
    (a table past its limits reads as damaged): refused, the account and the table unchanged."""
    db = signed_in(demo, "quantri")
    table = table_path(demo).read_bytes()
    monkeypatch.setattr(key_slots, "MAX_SLOTS", len(key_slots.read_table(demo).slots))
    with pytest.raises(UserError, match="tối đa") as caught:
        with db.session() as s:
            accounts.add_account(s, username="moi", display_name="Người mới", role="clerk",
                                 password="matkhau-moi-123")
            s.commit()
    assert "Chưa thay đổi gì" in caught.value.message
    assert table_path(demo).read_bytes() == table
    with db.session() as s:
        assert "moi" not in {a.username for a in accounts.list_accounts(s)}
    db.close()
