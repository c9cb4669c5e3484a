"""``gocong-desktop init --role upper --db postgresql://…`` (issue 19): the upper
office's schema, office and first administrator on the server; a second init, a
commune, or a shared database without an administrator are refused untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.location import parse_server_url
from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.services import accounts
from gocong_desktop.core.services.office import find_office
from tests.pg_server import PASSWORD as SERVER_PASSWORD

pytestmark = pytest.mark.pg

ADMIN_PASSWORD = "Mat-khau-quan-tri-9"
UPPER = ("init", "--role", "upper", "--unit-name", "Công an tỉnh Tiền Giang", "--unit-type", "cơ quan",
         "--province", "Tiền Giang")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(parse_server_url(url).url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                    for t in ("office", "admin_unit", "account", "audit_log", "app_setting")}
    finally:
        engine.dispose()


def _init(run, url: str, *extra: str):
    return run(*UPPER, "--db", url, "--admin", "quantri", "--admin-name", "Quản trị tỉnh", "--password-stdin",
               *extra, input=ADMIN_PASSWORD + "\n")


def test_init_sets_up_the_upper_office_on_the_server(run, pg_url):
    done = _init(run, pg_url)
    assert done.returncode == 0, done.stderr
    assert "Đã tạo cơ sở dữ liệu cho cơ quan Công an tỉnh Tiền Giang" in done.stdout
    assert "Mã khôi phục mới: " in done.stdout and "«quantri»" in done.stdout
    assert SERVER_PASSWORD not in done.stdout + done.stderr and ADMIN_PASSWORD not in done.stdout
    db = open_database(pg_url)
    try:
        accounts.sign_in(db, "quantri", ADMIN_PASSWORD)  # the services work on the server's database
        with db.session() as session:
            assert find_office(session).role == OfficeRole.UPPER
        with db.engine.connect() as conn:  # every audit entry sealed in the chain, in places 1..n
            places = conn.execute(text("SELECT seq FROM audit_log WHERE entry_hash IS NOT NULL ORDER BY seq"))
            places = [r[0] for r in places]
            unsealed = conn.execute(text("SELECT count(*) FROM audit_log WHERE entry_hash IS NULL")).scalar()
    finally:
        db.close()
    assert places == list(range(1, len(places) + 1)) and places and unsealed == 0


def test_a_second_init_is_refused_untouched(run, pg_url):
    assert _init(run, pg_url).returncode == 0
    before = _counts(pg_url)
    done = _init(run, pg_url)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "đã có dữ liệu của cơ quan Công an tỉnh Tiền Giang" in lines[0]
    assert SERVER_PASSWORD not in done.stderr
    assert _counts(pg_url) == before


@pytest.mark.parametrize("argv, words", [
    (("init", "--unit-name", "Bình Tân", "--admin", "quantri", "--password-stdin"), "chỉ dành cho cơ quan cấp trên"),
    (UPPER, "cần quản trị viên ngay từ đầu"),
])
def test_a_commune_or_no_administrator_is_refused_before_writing(run, pg_url, argv, words):
    before = _counts(pg_url)
    done = run(*argv, "--db", pg_url, input=ADMIN_PASSWORD + "\n")
    assert done.returncode == 1 and words in done.stderr, done.stderr
    assert _counts(pg_url) == before


def test_init_on_an_empty_database_makes_the_schema_first(run, pg_empty_url):
    assert _init(run, pg_empty_url).returncode == 0
    assert _counts(pg_empty_url)["office"] == 1


def test_a_wrong_server_password_is_one_line(run, pg_server, pg_template):
    done = _init(run, pg_server.url_text(pg_template, password="sai-roi"))
    assert done.returncode == 1 and "sai mật khẩu" in done.stderr and "sai-roi" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
