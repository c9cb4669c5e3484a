"""The CLI's fixed cost: ``--version``, ``--help`` and building the parser import
no database, PDF, spreadsheet, crypto or GUI library (each costs a user tenths of
a second on every command); a command imports what it needs when it runs.
Checked through ``python -X importtime``'s list of modules, not through timings."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_database

HEAVY = ("sqlalchemy", "sqlmodel", "reportlab", "PySide6", "openpyxl", "cryptography", "argon2", "alembic")


def imported_modules(env: dict[str, str], *args: str, code: str | None = None, stdin: str | None = None) -> set[str]:
    """Every module a fresh interpreter imported running the CLI with ``args`` (or ``code``)."""
    command = ["-c", code] if code else ["-m", "gocong_desktop", *args]
    ran = subprocess.run([sys.executable, "-X", "importtime", *command], env=env, input=stdin, capture_output=True,
                         text=True, encoding="utf-8", timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    lines = [line.rsplit("|", 1) for line in ran.stderr.splitlines() if line.startswith("import time:")]
    return {name.strip() for _, name in lines[1:]}  # the first line is the header


def heavy_among(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("minutes", "--help"), ("list", "--help"),
                                  ("import", "--help"), ("keys", "show", "--help")])
def test_version_help_and_parser_import_nothing_heavy(env, args) -> None:
    modules = imported_modules(env, *args)
    assert "gocong_desktop.cli" in modules  # the list is the CLI's
    assert heavy_among(modules) == set()


def test_main_version_in_process_imports_nothing_heavy(env) -> None:
    code = ("from gocong_desktop.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit as stop:\n    assert stop.code == 0\n")
    assert heavy_among(imported_modules(env, code=code)) == set()


def test_the_program_collects_garbage_less_often_and_a_caller_keeps_its_collector(env) -> None:
    """The program's process raises the collector's thresholds (start-up objects all
    stay: walking them again costs every command); ``main(argv)`` called by other
    code leaves them as they were."""
    import gc

    from gocong_desktop.cli import GC_THRESHOLDS, main

    code = ("import gc, sys\nsys.argv = ['gocong-desktop', '--version']\n"
            "from gocong_desktop.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint(gc.get_threshold())\n")
    ran = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert ran.stdout.splitlines()[-1] == str(GC_THRESHOLDS) != str(gc.get_threshold())  # after the version
    before = gc.get_threshold()
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.get_threshold() == before


@pytest.mark.parametrize("kind", ["hamlets", "households"])
def test_a_listing_imports_the_database_layer_and_its_own_tables_only(env, demo_files, tmp_path, kind) -> None:
    """A read command on a plain file opens it without alembic (its schema is the
    head), prints without a PDF or spreadsheet library, and builds the table classes
    its listing reads, not those of prevention models or sync."""
    db = copy_database(demo_files["plain"], tmp_path / "xa.db")
    modules = imported_modules(env, "list", kind, "--db", str(db))
    assert {"sqlalchemy", "sqlmodel", "gocong_desktop.core.db.models.registers"} <= modules  # it did read
    opening = {"sqlalchemy", "sqlmodel", "cryptography", "argon2"}  # key slots are read for any file
    assert {m.split(".")[0] for m in heavy_among(modules)} - opening == set()
    assert {"gocong_desktop.core.db.models.prevention", "gocong_desktop.core.db.models.sync"}.isdisjoint(modules)


@pytest.mark.parametrize(("kind", "not_built"), [("households", "meetings"), ("meetings", "pledges"),
                                                 ("groups", "pledges")])
def test_a_listing_builds_no_table_class_of_another_kind(env, demo_files, tmp_path, kind, not_built) -> None:
    """Households are listed without the meeting tables (a pledge count's criteria
    import ``figures`` only where counted), meetings and groups without the pledge tables."""
    db = copy_database(demo_files["plain"], tmp_path / "xa.db")
    modules = imported_modules(env, "list", kind, "--db", str(db))
    assert "gocong_desktop.core.db.models.registers" in modules
    assert f"gocong_desktop.core.db.models.{not_built}" not in modules


# What a signed-in read of an encrypted file needs no part of: migrations (its schema is the
# head), documents, the window, the tables of meetings, pledges, prevention and sync, the
# encodings of SSH keys (key slots use raw X25519 bytes), the stdlib sqlite3 driver
# (every connection is SQLCipher's) and the rules typed values are checked by.
NOT_FOR_A_SIGNED_IN_LISTING = {"alembic", "reportlab", "openpyxl", "PySide6", "PIL", "sqlite3",
                               "cryptography.hazmat.primitives.serialization", "gocong_desktop.core.rules",
                               *(f"gocong_desktop.core.db.models.{m}" for m in ("meetings", "pledges", "prevention",
                                                                                 "sync"))}


def test_a_signed_in_listing_of_an_encrypted_file_imports_only_what_it_reads(env, demo_files, tmp_path) -> None:
    """``list hamlets --user`` on an encrypted file: the key unwrapped, the user signed
    in and the hamlets read, with the table classes of accounts, the office, units
    and the register only (a CLI command pays every table class it builds)."""
    from gocong_desktop.core.demo.accounts import ACCOUNTS, PASSWORD

    db = copy_database(demo_files["encrypted"], tmp_path / "xa.db")
    modules = imported_modules(env, "list", "hamlets", "--db", str(db), "--user", ACCOUNTS[0][0],
                               "--password-stdin", stdin=PASSWORD + "\n")
    assert {"sqlmodel", "argon2", "gocong_desktop.core.db.models.units"} <= modules  # it did sign in and read
    assert modules & NOT_FOR_A_SIGNED_IN_LISTING == set()


# What printing a meeting's minutes needs no part of: the draft editor and the field rules
# it checks typed values by (the kind and attendance words are in ``meeting_words``), the
# group service (for the blank form only), spreadsheets, Word and the window.
NOT_FOR_MINUTES = {"gocong_desktop.core.rules", "gocong_desktop.core.services.meeting_drafts",
                   "gocong_desktop.core.services.groups", "gocong_desktop.core.db.models.reports",
                   "openpyxl", "docx", "PySide6", "alembic"}


def test_printing_minutes_imports_neither_the_draft_editor_nor_the_rules(env, demo_files, tmp_path) -> None:
    from tests import app_sqlite as sqlite3

    db = copy_database(demo_files["plain"], tmp_path / "xa.db")
    con = sqlite3.connect(db)
    (meeting,) = con.execute("SELECT id FROM meeting WHERE status = 'final' LIMIT 1").fetchone()
    con.close()
    out = tmp_path / "bien-ban.pdf"
    modules = imported_modules(env, "minutes", "--meeting", meeting, "--out", str(out), "--db", str(db))
    assert out.read_bytes().startswith(b"%PDF") and "reportlab.platypus" in modules  # it did print
    assert modules & NOT_FOR_MINUTES == set()


def test_printing_pledge_forms_builds_no_meeting_table(env, demo_files, tmp_path) -> None:
    """Which pledges count is decided in ``pledge_criteria``, not through ``figures``
    (which counts meetings too): pledge forms are printed without the meeting tables."""
    from tests import app_sqlite as sqlite3

    db = copy_database(demo_files["plain"], tmp_path / "xa.db")
    con = sqlite3.connect(db)
    (group, year) = con.execute("SELECT h.group_id, p.year FROM pledge p JOIN household h ON h.id = p.household_id "
                                "LIMIT 1").fetchone()
    con.close()
    out = tmp_path / "cam-ket.pdf"
    modules = imported_modules(env, "pledges", "--year", str(year), "--group", group, "--out", str(out),
                               "--db", str(db))
    assert out.read_bytes().startswith(b"%PDF") and "gocong_desktop.core.db.models.pledges" in modules
    assert "gocong_desktop.core.db.models.meetings" not in modules


def test_every_table_is_registered_before_a_write(env, db_path: Path, _set_up_file: Path) -> None:
    """Table classes load on first use; a flush first registers them all (the
    foreign keys it orders inserts by name tables no import may have built yet)."""
    copy_database(_set_up_file, db_path)
    code = ("from sqlmodel import SQLModel\n"
            "from gocong_desktop.core.db.engine import open_database\n"
            "from gocong_desktop.core.services.hamlets import add_hamlet\n"
            f"db = open_database({str(db_path)!r})\n"
            "assert 'model_site' not in SQLModel.metadata.tables\n"
            "with db.session(actor='tester') as session:\n"
            "    add_hamlet(session, 'Lợi An')\n"
            "assert 'model_site' in SQLModel.metadata.tables\n"
            "db.close()\n")
    assert "gocong_desktop.core.db.models.prevention" in imported_modules(env, code=code)


def test_one_sync_submodule_does_not_load_the_whole_sync_package(env) -> None:
    """``core.sync``'s facade names its functions without importing every submodule."""
    modules = imported_modules(env, code="import gocong_desktop.core.sync.keys")
    assert {"gocong_desktop.core.sync.importer", "gocong_desktop.core.sync.export",
            "gocong_desktop.core.sync.conflicts"}.isdisjoint(modules)


def test_the_sync_facade_still_names_every_function() -> None:
    import gocong_desktop.core.sync as sync
    from gocong_desktop.core.sync.importer import import_packages

    assert sync.import_packages is import_packages
    assert all(callable(getattr(sync, name)) for name in sync.__all__)
    assert set(sync.__all__) <= set(dir(sync))
    with pytest.raises(AttributeError):
        sync.no_such_function  # noqa: B018


@pytest.mark.parametrize("argv", [["list", "hamlets", "--db", "x.db", "--json"],
                                  ["minutes", "--meeting", "m", "--out", "b.pdf", "--user", "quantri"],
                                  ["keys", "show", "--db", "x.db"], ["account", "list", "--db", "x.db"]])
def test_a_command_parses_the_same_with_its_group_alone(argv) -> None:
    """``main`` builds the subcommands of the command's group only: same result."""
    from gocong_desktop.cli import build_parser

    narrow = build_parser(argv[0])
    assert set(narrow._subparsers._group_actions[0].choices) < set(
        build_parser()._subparsers._group_actions[0].choices)
    assert _values(narrow.parse_args(argv)) == _values(build_parser().parse_args(argv))


def _values(args: argparse.Namespace) -> dict:
    """The parsed values (a parser kept for its error messages is another object)."""
    return {k: v for k, v in vars(args).items() if not isinstance(v, argparse.ArgumentParser)}


def test_an_unknown_command_is_refused_with_every_command_listed(capsys) -> None:
    from gocong_desktop.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["lisst"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "'lisst'" in err and "'list'" in err and "'account'" in err


def test_the_pdf_documents_import_no_url_or_xml_library(env) -> None:
    """Their text is escaped for reportlab's markup by ``html.escape``, not by
    ``xml.sax.saxutils``, which imports ``urllib.request`` for every ``minutes``."""
    modules = imported_modules(env, code="import gocong_desktop.core.documents.pdf.minutes")
    assert "reportlab.platypus" in modules
    assert {"urllib.request", "xml.sax.saxutils"}.isdisjoint(modules)


def test_markup_escaping_is_the_one_of_xml() -> None:
    from xml.sax.saxutils import escape

    from gocong_desktop.core.documents.pdf.decree30 import text

    value = "Hộ «A & B» <số 5> 'x' \"y\""
    assert text(value) == escape(value)
