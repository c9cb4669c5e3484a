"""Accounts and roles: enforced in the services (the flush guard), not only in the GUI."""

from __future__ import annotations

import json
import os
from tests import app_sqlite as sqlite3
from datetime import date
from pathlib import Path

import pytest

from gocong_desktop.core.db.access import Principal, Role
from gocong_desktop.core.db.models import Account
from gocong_desktop.core.errors import ConflictError, PermissionDeniedError, ValidationError
from gocong_desktop.core.services import accounts, pledge_violations, privacy, session_lock
from gocong_desktop.core.services.households import (HouseholdInput, create_household, household_input,
                                                     update_household)
from gocong_desktop.core.services.hamlets import add_hamlet

PASSWORD = "mat-khau-1"


@pytest.fixture
def admin_code(db) -> str:
    """The first administrator «quantri», signed in; the recovery code shown at set-up."""
    with db.session() as s:
        code = accounts.create_first_admin(s, username="QuanTri", display_name="Nguyễn Văn  An",
                                           password=PASSWORD, confirm=PASSWORD)
    _as(db, "quantri", Role.ADMIN)
    return code


def _add(db, username: str, role: Role) -> None:
    """Added by the administrator, whoever is signed in."""
    with db.session(actor="quantri") as s:
        s.info["role"] = Role.ADMIN
        accounts.add_account(s, username=username, display_name=f"Người {username}", role=role,
                             password=PASSWORD, confirm=PASSWORD)


def _as(db, username: str, role: Role) -> None:
    db.user = Principal(username=username, display_name=username, role=role)


def test_first_admin_is_hashed_with_argon2id_and_the_code_works_once(db, admin_code):
    con = sqlite3.connect(db.path)
    username, name, role, pw_hash, rec_hash = con.execute(
        "SELECT username, display_name, role, password_hash, recovery_hash FROM account").fetchone()
    assert (username, name, role) == ("quantri", "Nguyễn Văn An", "administrator")
    assert pw_hash.startswith("$argon2id$") and PASSWORD not in pw_hash
    assert rec_hash.startswith("$argon2id$")
    assert len(admin_code) == 24 and admin_code.count("-") == 4

    with db.session() as s:  # a second "first" administrator is refused
        with pytest.raises(ConflictError):
            accounts.create_first_admin(s, username="khac", display_name="Khác", password=PASSWORD)

    # Forgotten password: the recovery code sets a new one and is used up.
    with db.session() as s:
        fresh = accounts.recover_with_code(s, "quantri", admin_code.lower().replace("-", " "),
                                           "mat-khau-moi", "mat-khau-moi")
    assert fresh != admin_code
    with pytest.raises(PermissionDeniedError):
        accounts.sign_in(db, "quantri", PASSWORD)
    assert accounts.sign_in(db, "quantri", "mat-khau-moi").role == Role.ADMIN
    with db.session() as s, pytest.raises(PermissionDeniedError):
        accounts.recover_with_code(s, "quantri", admin_code, "mat-khau-ba", "mat-khau-ba")


def test_sign_in_messages_do_not_tell_which_part_was_wrong_and_pause_after_five(db, admin_code):
    db.user = None
    messages = set()
    for name in ("quantri", "khongco"):
        with pytest.raises(PermissionDeniedError) as err:
            accounts.sign_in(db, name, "sai-mat-khau")
        messages.add(err.value.message)
    assert messages == {accounts.WRONG_PASSWORD}
    for _ in range(4):
        with pytest.raises(PermissionDeniedError):
            accounts.sign_in(db, "quantri", "sai")
    with pytest.raises(PermissionDeniedError, match="chờ"):
        accounts.sign_in(db, "quantri", PASSWORD)  # even the right password waits
    assert db.user is None


def test_validation_of_new_accounts(db, admin_code):
    with db.session() as s:
        for kwargs, field in (({"username": "a b"}, "username"), ({"username": "ab"}, "username"),
                              ({"password": "ngan"}, "password"), ({"confirm": "khac-han"}, "confirm"),
                              ({"display_name": "  "}, "display_name"), ({"role": "boss"}, "role"),
                              ({"role": "system"}, "role")):
            args = dict(username="canbo", display_name="Cán bộ", role="clerk", password=PASSWORD,
                        confirm=PASSWORD) | kwargs
            with pytest.raises(ValidationError) as err:
                accounts.add_account(s, **args)
            assert err.value.field == field
        with pytest.raises(ConflictError):
            accounts.add_account(s, username="QUANTRI", display_name="Trùng", role="clerk",
                                 password=PASSWORD)


def test_a_viewer_write_is_refused_in_the_services_and_nothing_is_written(db, seeded, admin_code):
    _add(db, "xem", Role.VIEWER)
    before = sqlite3.connect(db.path).execute("SELECT count(*) FROM household").fetchone()[0]
    _as(db, "xem", Role.VIEWER)
    data = HouseholdInput(head_name="Lê Thị Mới", hamlet_id=seeded.hamlet_a)
    with pytest.raises(PermissionDeniedError, match="chỉ được xem"):
        with db.session() as s:
            create_household(s, data)
    with pytest.raises(PermissionDeniedError):
        with db.session() as s:
            add_hamlet(s, "Ấp Mới")
    with db.session() as s:  # reading is fine
        assert household_input(s, seeded.households["Nguyễn Văn Ba"]).head_name
    assert sqlite3.connect(db.path).execute("SELECT count(*) FROM household").fetchone()[0] == before


def test_not_signed_in_reads_but_cannot_write_once_accounts_exist(db, seeded, admin_code):
    db.user = None
    with db.session() as s:
        assert household_input(s, seeded.households["Nguyễn Văn Ba"]).head_name
    with pytest.raises(PermissionDeniedError, match="đăng nhập"):
        with db.session() as s:
            add_hamlet(s, "Ấp Mới")


def test_a_clerk_writes_data_but_not_accounts_or_settings(db, seeded, admin_code):
    _add(db, "canbo", Role.CLERK)
    accounts.sign_in(db, "canbo", PASSWORD)
    with db.session() as s:
        add_hamlet(s, "Ấp Mới")
    for change in (lambda s: privacy.set_sync_personal_fields(s, ["names"]),
                   lambda s: session_lock.set_idle_lock_minutes(s, 5),
                   lambda s: accounts.add_account(s, username="moi", display_name="Mới", role="viewer",
                                                  password=PASSWORD),
                   lambda s: accounts.list_accounts(s)):
        with pytest.raises(PermissionDeniedError, match="quản trị"):
            with db.session() as s:
                change(s)
    # ... and may change their own password, knowing the old one.
    with db.session() as s:
        with pytest.raises(PermissionDeniedError):
            accounts.change_own_password(s, "canbo", "sai", "mat-khau-2", "mat-khau-2")
    with db.session() as s:
        accounts.change_own_password(s, "canbo", PASSWORD, "mat-khau-2", "mat-khau-2")
    assert accounts.sign_in(db, "canbo", "mat-khau-2").role == Role.CLERK


def test_violations_and_notes_on_people_are_for_administrators_only(db, seeded, admin_code):
    household = seeded.households["Nguyễn Văn Ba"]
    accounts.sign_in(db, "quantri", PASSWORD)
    with db.session() as s:
        data = household_input(s, household)
        update_household(s, household, HouseholdInput(**{**data.__dict__, "notes": "Có con đang cai nghiện"}))
        pledge_violations.record_violation(s, household, violation_date=date(2026, 1, 5), note="Đốt pháo")
    _add(db, "canbo", Role.CLERK)
    accounts.sign_in(db, "canbo", PASSWORD)
    with db.session() as s:
        with pytest.raises(PermissionDeniedError):
            pledge_violations.list_violations(s, household)
        shown = household_input(s, household)
        assert shown.notes is None
        update_household(s, household, HouseholdInput(**{**shown.__dict__, "phone": "0912345678"}))
    accounts.sign_in(db, "quantri", PASSWORD)
    with db.session() as s:  # the clerk's edit kept the notes they could not see
        assert household_input(s, household).notes == "Có con đang cai nghiện"
        assert len(pledge_violations.list_violations(s, household)) == 1


def test_the_last_active_administrator_cannot_be_demoted_or_disabled(db, admin_code):
    accounts.sign_in(db, "quantri", PASSWORD)
    with db.session() as s:
        admin_id = s.exec(Account.__table__.select()).first().id
    with db.session() as s, pytest.raises(ConflictError):
        accounts.update_account(s, admin_id, display_name="An", role="clerk", active=True)
    _add(db, "phoquantri", Role.ADMIN)
    _as(db, "phoquantri", Role.ADMIN)  # another administrator does it (no one demotes themself)
    with db.session() as s:
        accounts.update_account(s, admin_id, display_name="An", role="clerk", active=True)
    assert accounts.sign_in(db, "quantri", PASSWORD).role == Role.CLERK


def test_account_changes_are_audited_without_secrets_and_as_the_person(db, admin_code):
    accounts.sign_in(db, "quantri", PASSWORD)
    _add(db, "canbo", Role.CLERK)
    with db.session() as s:
        account_id = next(r.id for r in accounts.list_accounts(s) if r.username == "canbo")
        accounts.reset_password(s, account_id, "mat-khau-9", "mat-khau-9")
    rows = sqlite3.connect(db.path).execute(
        "SELECT actor, action, changes_json FROM audit_log WHERE table_name = 'account' ORDER BY rowid").fetchall()
    assert [act for _, act, _ in rows] == ["create", "create", "update"]
    assert [a for a, _, _ in rows][1:] == ["quantri", "quantri"]
    for _, _, changes in rows:
        text = json.dumps(json.loads(changes))
        assert "argon2" not in text and PASSWORD not in text
    assert json.loads(rows[2][2]) == {"password_hash": ["***", "***"]}


def test_idle_lock_setting_defaults_to_ten_minutes_and_is_checked(db):
    with db.session() as s:
        assert session_lock.idle_lock_minutes(s) == 10
        with pytest.raises(ValidationError):
            session_lock.set_idle_lock_minutes(s, 0)
        session_lock.set_idle_lock_minutes(s, 3)
    with db.session() as s:
        assert session_lock.idle_lock_minutes(s) == 3


def test_a_bulk_statement_is_guarded_like_a_flush(db, seeded, admin_code):
    from gocong_desktop.core.services.prevention_sites import set_site_households
    from gocong_desktop.core.services.prevention import ensure_default_catalogue  # noqa: F401

    _add(db, "xem", Role.VIEWER)
    _as(db, "xem", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        with db.session() as s:
            set_site_households(s, "any-site", [])
    with pytest.raises(PermissionDeniedError):
        with db.session() as s:
            from sqlalchemy import delete

            from gocong_desktop.core.db.models import ModelSiteHousehold
            s.exec(delete(ModelSiteHousehold))


def test_setting_changes_are_audited(db, admin_code):
    with db.session() as s:
        session_lock.set_idle_lock_minutes(s, 5)
    with db.session() as s:
        session_lock.set_idle_lock_minutes(s, 7)
    rows = sqlite3.connect(db.path).execute(
        "SELECT actor, action, record_id, changes_json FROM audit_log WHERE table_name = 'app_setting' "
        "ORDER BY rowid").fetchall()
    assert [(a, act, key) for a, act, key, _ in rows][-2:] == [
        ("quantri", "create", session_lock.SETTING_KEY), ("quantri", "update", session_lock.SETTING_KEY)]
    assert json.loads(rows[-1][3]) == {"value_json": ["5", "7"]}


def test_an_administrator_cannot_demote_themself(db, admin_code):
    _add(db, "phoquantri", Role.ADMIN)  # so that the last-administrator rule is not what refuses
    with db.session() as s:
        admin_id = next(r.id for r in accounts.list_accounts(s) if r.username == "quantri")
        with pytest.raises(ConflictError, match="tự đổi vai trò"):
            accounts.update_account(s, admin_id, display_name="An", role="viewer", active=True)


def test_a_file_whose_accounts_are_all_disabled_is_still_protected(db, admin_code):
    sqlite3.connect(db.path, isolation_level=None).execute("UPDATE account SET active = 0")
    db.user = None
    with pytest.raises(PermissionDeniedError):
        with db.session() as s:
            add_hamlet(s, "Ấp Mới")
    with db.session() as s, pytest.raises(ConflictError):
        accounts.create_first_admin(s, username="khac", display_name="Khác", password=PASSWORD)


def test_reading_the_key_card_never_writes_for_a_reader(db, admin_code):
    from gocong_desktop.core.errors import NotFoundError
    from gocong_desktop.core.sync import office_card

    db.user = None  # the CLI without --user, on a file made before keys were made at set-up
    with db.session() as s, pytest.raises(NotFoundError, match="chưa có khóa"):
        office_card(s)
    _as(db, "quantri", Role.ADMIN)
    with db.session() as s:
        made = office_card(s).fingerprint
    db.user = None
    with db.session() as s:
        assert office_card(s).fingerprint == made


def test_conflict_review_hides_notes_on_people_from_clerks_and_keys_are_for_administrators(db, admin_code,
                                                                                          tmp_path):
    from gocong_desktop.core.db.models import SyncConflict
    from gocong_desktop.core.sync import import_key_card
    from gocong_desktop.core.sync.conflicts import HIDDEN, list_conflicts, resolve_conflict

    with db.session() as s:
        for table, local, incoming in (
                ("household", {"head_name": "Lê Văn A", "notes": "cũ"}, {"head_name": "Lê Văn A", "notes": "mới"}),
                ("pledge_violation", {"note": "Đánh bạc"}, {"note": "Đá gà"})):
            s.add(SyncConflict(table_name=table, record_id=table, package_uuid="p", local_version=2,
                               incoming_version=2, local_json=json.dumps(local), incoming_json=json.dumps(incoming)))
    with db.session() as s:
        assert {r.local.get("notes") or r.local.get("note") for r in list_conflicts(s)} == {"cũ", "Đánh bạc"}
    _add(db, "canbo", Role.CLERK)
    _as(db, "canbo", Role.CLERK)
    with db.session() as s:
        rows = {r.table_name: r for r in list_conflicts(s)}
        assert rows["household"].local["notes"] == HIDDEN and rows["household"].local["head_name"] == "Lê Văn A"
        assert rows["pledge_violation"].incoming["note"] == HIDDEN
        violation_conflict = rows["pledge_violation"].id
    with pytest.raises(PermissionDeniedError):
        with db.session() as s:
            resolve_conflict(s, violation_conflict, keep="local")
    with pytest.raises(PermissionDeniedError):
        with db.session() as s:
            import_key_card(s, tmp_path / "khong-can-doc.gckey")


def undo_incarnations(con: sqlite3.Connection) -> None:
    """What migration 0006 (incarnations) added, taken out again."""
    con.execute("DROP TABLE sync_clock")
    for table in [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]:
        columns = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}
        for column in ("origin", "change_seq", "lineage_json", "reason") if table != "sync_clock" else ():
            if column in columns and not (table == "sync_package" or table == "audit_log"):
                con.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')


def test_a_file_from_before_accounts_upgrades_with_its_data_and_opens_to_its_first_administrator(db, seeded):
    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.db.migrate import schema_version

    path = db.path
    db.close()
    con = sqlite3.connect(path, isolation_level=None)  # as the previous version left it: schema 0003
    con.execute("DROP TABLE account")
    undo_incarnations(con)
    for column in ("salts_json", "digests_json", "origin_unit_id"):  # added later, by 0005
        con.execute(f"ALTER TABLE audit_log DROP COLUMN {column}")
    con.execute("UPDATE alembic_version SET version_num = '0003'")
    con.execute("PRAGMA user_version = 3")
    con.close()
    upgraded = open_database(path)
    try:
        assert upgraded.role() == Role.ADMIN  # no account yet: the app asks for the first administrator
        with upgraded.session() as s:
            assert household_input(s, seeded.households["Nguyễn Văn Ba"]).head_name == "Nguyễn Văn Ba"
            accounts.create_first_admin(s, username="quantri", display_name="An", password=PASSWORD)
        assert upgraded.role() == Role.SYSTEM
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == schema_version()
    finally:
        upgraded.close()
    backups = Path(os.environ["XDG_DATA_HOME"])  # the per-test data folder (tests/conftest.py)
    assert list(backups.rglob("*truoc-nang-cap-0003*"))  # a copy was taken before the migration


def test_the_audit_log_names_fields_in_words_and_never_shows_secrets(db, admin_code):
    from gocong_desktop.core.services.audit_log import list_entries

    _add(db, "canbo", Role.CLERK)
    with db.session() as s:
        account_id = next(r.id for r in accounts.list_accounts(s) if r.username == "canbo")
        accounts.update_account(s, account_id, display_name="Trần Thị Hà", role="viewer", active=True)
        accounts.reset_password(s, account_id, "mat-khau-9", "mat-khau-9")
    with db.session() as s:
        texts = [r.changes for r in list_entries(s, table_name="account")]
    assert any("Vai trò: clerk → viewer" in t and "Họ và tên: Người canbo → Trần Thị Hà" in t for t in texts)
    assert any(t == "Mật khẩu: *** → ***" for t in texts)
    assert not any("argon2" in t for t in texts)


def test_the_pause_after_wrong_passwords_outlives_the_process_and_a_bad_file_locks_no_one_out(db, admin_code):
    from gocong_desktop.core.services.sign_in_throttle import SignInThrottle

    db.user = None
    for _ in range(5):
        with pytest.raises(PermissionDeniedError):
            accounts.sign_in(db, "quantri", "sai")
    accounts.throttle = SignInThrottle()  # as a new process (the app started again, or the next CLI run)
    with pytest.raises(PermissionDeniedError, match="chờ"):
        accounts.sign_in(db, "quantri", PASSWORD)
    accounts.throttle.path.write_text("{không phải json", encoding="utf-8")
    assert accounts.sign_in(db, "quantri", PASSWORD).role == Role.ADMIN


def test_vietnamese_passwords_and_names_match_whatever_the_input_method(db):
    import unicodedata

    composed = "Mật khẩu của xã Bình Tân"
    with db.session() as s:
        accounts.create_first_admin(s, username=unicodedata.normalize("NFD", "Quảntri"),
                                    display_name=unicodedata.normalize("NFD", "Nguyễn  Văn Ân"),
                                    password=composed)
    typed_nfd = unicodedata.normalize("NFD", composed)
    principal = accounts.sign_in(db, unicodedata.normalize("NFD", "QUẢNTRI"), typed_nfd)
    assert principal.username == "quantri" and principal.display_name == "Nguyễn Văn Ân"
    assert unicodedata.is_normalized("NFC", principal.display_name)
    with pytest.raises(ValidationError):  # too long a name, and empty ones, are refused too
        with db.session() as s:
            accounts.check_new_account("quantri2", "A" * 101, "mat-khau-1", "mat-khau-1")
