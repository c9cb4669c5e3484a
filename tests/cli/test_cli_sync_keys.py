"""``keys import`` and ``receipt import`` on a commune with accounts: a receipt
never registers or replaces the upper office's key (``--trust-sender`` is
refused), and changing a registered key is for an administrator, who sees the
old and new fingerprints; both are in the audit log."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from gocong_desktop import cli
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import SyncKey
from gocong_desktop.core.sync import office_card, write_key_card
from tests.conftest import copy_database, file_digest
from tests.core.sync.conftest import make_upper_office, unit_of
from tests.core.sync.forge_keys import Forger, audit_entries, forged_receipt, registered_upper

PASSWORD = "mat-khau-1"


@pytest.fixture
def gc(capsys, monkeypatch):
    """Run the CLI in this process as ``user`` (password on stdin): (exit code, stdout, stderr)."""
    def run(user: str, *args) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
        code = cli.main([str(a) for a in args] + ["--user", user, "--password-stdin"])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture(scope="module")
def _upper_template(tmp_path_factory) -> Path:
    return make_upper_office(tmp_path_factory.mktemp("upper") / "tinh.db")


@pytest.fixture
def offices(protected: Path, _upper_template: Path, tmp_path: Path):
    """(commune db with accounts quantri/canbo/nguoixem, upper db, commune unit id), both closed for the CLI."""
    upper = tmp_path / "upper" / "tinh.db"
    upper.parent.mkdir()
    copy_database(_upper_template, upper)
    commune = open_database(protected)
    try:
        return protected, upper, unit_of(commune)
    finally:
        commune.close()


def _upper_card(upper: Path, folder: Path) -> tuple[Path, str]:
    """(the upper office's key card, its fingerprint)."""
    folder.mkdir(parents=True, exist_ok=True)
    database = open_database(upper)
    try:
        with database.session() as s:
            return write_key_card(s, folder), office_card(s).fingerprint
    finally:
        database.close()


def _new_keys(path: Path) -> None:
    database = open_database(path)
    try:
        with database.session() as s:
            for key in s.exec(select(SyncKey)).all():
                s.delete(key)
    finally:
        database.close()


def test_a_forged_receipt_confirmed_by_fingerprint_is_refused(gc, offices, tmp_path: Path) -> None:
    """Before, a clerk importing a forged receipt with ``--trust-sender`` replaced
    the registered upper office: every export went to the forger."""
    commune, upper, commune_id = offices
    card, upper_fp = _upper_card(upper, tmp_path / "khoa")
    assert gc("quantri", "keys", "import", "--db", commune, card)[0] == 0
    forger = Forger()
    forged = forged_receipt(tmp_path / "gia.gcreceipt", forger, recipient_unit_id=commune_id)
    before = file_digest(commune)
    code, out, err = gc("canbo", "receipt", "import", "--db", commune, forged, "--trust-sender", forger.fingerprint)
    assert code == 1 and out == "" and err.count("\n") == 1 and "keys import" in err
    code, out, err = gc("canbo", "receipt", "import", "--db", commune, forged)
    assert code == 1 and out == "" and err.startswith(f"Từ chối {forged}") and err.count("\n") == 1
    assert upper_fp in err and forger.fingerprint in err
    assert file_digest(commune) == before and registered_upper(commune)[1] == upper_fp


def test_changing_a_registered_key_is_for_administrators(gc, offices, tmp_path: Path) -> None:
    commune, upper, _commune_id = offices
    card_a, fp_a = _upper_card(upper, tmp_path / "a")
    code, out, err = gc("quantri", "keys", "import", "--db", commune, card_a)
    assert code == 0 and out == f"Đã đăng ký khóa của Công an huyện Gò Công Tây: {fp_a}\n"
    _new_keys(upper)
    card_b, fp_b = _upper_card(upper, tmp_path / "b")
    before = file_digest(commune)
    code, out, err = gc("canbo", "keys", "import", "--db", commune, card_b, "--replace")
    assert code == 1 and "quản trị viên" in err
    code, out, err = gc("quantri", "keys", "import", "--db", commune, card_b)
    assert code == 1 and fp_a in err and fp_b in err and "--replace" in err and err.count("\n") == 1
    assert file_digest(commune) == before
    code, out, err = gc("quantri", "keys", "import", "--db", commune, card_b, "--replace")
    assert code == 0, err
    assert f"Khóa cũ: {fp_a}" in out and f"Khóa mới: {fp_b}" in out
    assert [(a, who, c["fingerprint"]) for a, who, _id, c in audit_entries(commune, "key_register", "key_replace")] \
        == [("key_register", "quantri", [None, fp_a]), ("key_replace", "quantri", [fp_a, fp_b])]
    code, out, err = gc("canbo", "keys", "show", "--db", commune)
    assert f"cơ quan cấp trên: Công an huyện Gò Công Tây — {fp_b}" in out
