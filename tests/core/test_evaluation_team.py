"""An evaluation's hours and team (issue 17 point 13) and its period (issue 18):
stored through the service, printed on the record (read back with pypdf), kept
across migration 0013 for evaluations recorded before, carried by sync
packages; a period still running, hours out of order or an oversized team are
refused with the database unchanged."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from pypdf import PdfReader
from sqlalchemy import create_engine

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.documents.reports import write_evaluation_record
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.maintenance.check import check_database
from gocong_desktop.core.services import prevention, prevention_catalogue
from gocong_desktop.core.services.evaluation_record import evaluation_record
from gocong_desktop.core.services.evaluation_team import TeamMember
from gocong_desktop.core.services.privacy import set_sync_personal_fields
from tests import app_sqlite as sqlite3
from tests.core.sync.conftest import dump, send, stored_record

H1_2024 = dict(period_kind="6_thang", period_start=date(2024, 1, 1), period_end=date(2024, 6, 30))
TEAM = [TeamMember("Trần Minh Tâm", "Trưởng Công an xã"), TeamMember("Lê Thị Hoa", "Chủ tịch Hội LHPN xã"),
        TeamMember("  ", None)]  # a row left blank in the form


@pytest.fixture
def model_id(db) -> str:
    with db.session(actor="tester") as s:
        prevention.ensure_default_catalogue(s)
        type_id = prevention_catalogue.list_model_types(s)[0].id
        return prevention.create_model(s, type_id=type_id, name="Camera an ninh ấp Lợi An",
                                       lead_organisation="Công an xã")


def _evaluate(db, model_id: str, **changes) -> str:
    with db.session(actor="tester") as s:
        criteria = prevention_catalogue.latest_criteria_set(s)
        values = dict(**H1_2024, evaluated_on=date(2024, 7, 5), started_at=datetime(2024, 7, 5, 8, 0),
                      ended_at=datetime(2024, 7, 5, 10, 30), team=TEAM, recommendation="duy_tri",
                      scores={c.code: 8 for c in criteria.criteria}, evaluator="Đ/c Trần Minh Tâm")
        values.update(changes)
        return prevention.evaluate_model(s, model_id, criteria_set_id=criteria.id, **values)


def _pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_hours_and_team_are_stored_and_printed(db, model_id: str, tmp_path: Path) -> None:
    nfd = [TeamMember(unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), unicodedata.normalize("NFD", "Bí thư Chi bộ ấp"))]
    evaluation = _evaluate(db, model_id, team=[*TEAM, *nfd])
    with db.session() as s:
        record = evaluation_record(s, evaluation)
        write_evaluation_record(s, evaluation, tmp_path / "danh-gia.pdf")
    assert (record.started_at, record.ended_at) == (datetime(2024, 7, 5, 8, 0), datetime(2024, 7, 5, 10, 30))
    assert record.team == (*TEAM[:2], TeamMember("Nguyễn Thị Ánh", "Bí thư Chi bộ ấp"))  # NFC, blank row skipped
    text = _pdf_text(tmp_path / "danh-gia.pdf")
    assert ("Thời gian: bắt đầu lúc 08 giờ 00 phút, ngày 05 tháng 7 năm 2024; kết thúc lúc 10 giờ 30 phút "
            "cùng ngày.") in text
    assert ("Thành phần đoàn đánh giá: 1. Trần Minh Tâm – Trưởng Công an xã 2. Lê Thị Hoa – Chủ tịch Hội LHPN "
            "xã 3. Nguyễn Thị Ánh – Bí thư Chi bộ ấp") in text


def test_an_evaluation_ending_the_next_day_prints_both_days(db, model_id: str, tmp_path: Path) -> None:
    evaluation = _evaluate(db, model_id, started_at=datetime(2024, 7, 5, 14, 0), ended_at=datetime(2024, 7, 6, 9, 15))
    with db.session() as s:
        write_evaluation_record(s, evaluation, tmp_path / "danh-gia.pdf")
    assert ("bắt đầu lúc 14 giờ 00 phút, ngày 05 tháng 7 năm 2024; kết thúc lúc 09 giờ 15 phút, ngày 06 tháng 7 "
            "năm 2024.") in _pdf_text(tmp_path / "danh-gia.pdf")


TODAY = date.today()
REFUSALS = [
    # issue 18: the period had not ended on the day evaluated (or has not ended today)
    ("period_running_on_the_day", dict(evaluated_on=date(2024, 6, 20), started_at=datetime(2024, 6, 20, 8),
                                       ended_at=None), "period", "chưa kết thúc"),
    ("running_today", dict(period_kind="tuy_chon", period_start=TODAY - timedelta(days=30),
                           period_end=TODAY + timedelta(days=1), evaluated_on=TODAY, started_at=None, ended_at=None),
     "period", "chưa kết thúc"),
    ("evaluated_in_the_future", dict(evaluated_on=TODAY + timedelta(days=3), started_at=None, ended_at=None),
     "evaluated_on", "tương lai"),
    # the hours
    ("ends_before_it_starts", dict(ended_at=datetime(2024, 7, 5, 7, 30)), "ended_at", "sau giờ bắt đầu"),
    ("ends_as_it_starts", dict(ended_at=datetime(2024, 7, 5, 8, 0)), "ended_at", "sau giờ bắt đầu"),
    ("starts_another_day", dict(started_at=datetime(2024, 7, 4, 8, 0)), "started_at", "ngày đánh giá"),
    ("ends_without_a_start", dict(started_at=None), "started_at", "giờ bắt đầu"),
    # the team
    ("team_of_31", dict(team=[TeamMember(f"Người thứ {n}") for n in range(31)]), "team", "tối đa 30"),
    ("name_of_101", dict(team=[TeamMember("A" * 101)]), "team", "tối đa 100"),
    ("role_of_201", dict(team=[TeamMember("Trần Minh Tâm", "B" * 201)]), "team", "tối đa 200"),
    ("role_without_name", dict(team=[TeamMember("", "Trưởng ấp")]), "team", "Chưa nhập họ tên thành viên thứ 1"),
    ("escape_in_name", dict(team=[TeamMember("Trần\x1b[2JTâm")]), "team", "U+001B"),
]


@pytest.mark.parametrize("changes, field, fragment", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refused_with_the_database_unchanged(db, model_id: str, changes: dict, field: str, fragment: str) -> None:
    before = dump(db.path)
    with pytest.raises(ValidationError) as caught:
        _evaluate(db, model_id, **changes)
    assert caught.value.field == field and fragment in caught.value.message, caught.value.message
    assert caught.value.message.endswith(".") and dump(db.path) == before


def test_the_period_may_be_evaluated_on_its_last_day(db, model_id: str) -> None:
    _evaluate(db, model_id, evaluated_on=date(2024, 6, 30), started_at=datetime(2024, 6, 30, 8), ended_at=None,
              team=())
    with db.session() as s:
        assert [e.evaluated_on for e in prevention.list_evaluations(s)] == [date(2024, 6, 30)]


def _back_to_0012(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
        conn.exec_driver_sql("PRAGMA user_version=12")
        conn.commit()
    engine.dispose()


def test_an_evaluation_from_before_0013_is_kept_and_still_prints(db, model_id: str, tmp_path: Path) -> None:
    evaluation = _evaluate(db, model_id, started_at=None, ended_at=None, team=())
    db.close()
    _back_to_0012(db.path)
    con = sqlite3.connect(db.path)
    assert "team_json" not in {row[1] for row in con.execute("PRAGMA table_info(evaluation)")}
    con.close()
    reopened = open_database(db.path)  # migrates to 0013
    try:
        with reopened.session() as s:
            record = evaluation_record(s, evaluation)
            write_evaluation_record(s, evaluation, tmp_path / "cu.pdf")
        assert (record.started_at, record.ended_at, record.team, record.evaluator) == (
            None, None, (), "Đ/c Trần Minh Tâm")
        text = _pdf_text(tmp_path / "cu.pdf")
        assert ("Thời gian: bắt đầu lúc …… giờ …… phút, ngày 05 tháng 7 năm 2024; kết thúc lúc …… giờ …… phút "
                "cùng ngày.") in text
        assert "Thành phần đoàn đánh giá: Đ/c Trần Minh Tâm" in text
        assert check_database(reopened.path) == []
    finally:
        reopened.close()


def _evaluation_row(database, evaluation: str) -> tuple:
    return stored_record(database, "evaluation", ["started_at", "ended_at", "team_json", "evaluated_on"], evaluation)


def test_hours_and_team_travel_and_names_stay_home_when_withheld(db, model_id: str, upper, usb: Path) -> None:
    evaluation = _evaluate(db, model_id)
    _summary, result = send(db, upper, usb)
    assert result.status == "imported"
    sent = _evaluation_row(db, evaluation)
    assert _evaluation_row(upper, evaluation) == sent
    assert [m["name"] for m in json.loads(sent[2])] == ["Trần Minh Tâm", "Lê Thị Hoa"]
    with db.session(actor="tester") as s:
        set_sync_personal_fields(s, [])  # no names leave the commune: the team's neither
    withheld = _evaluate(db, model_id, period_kind="nam", period_start=date(2024, 1, 1),
                         period_end=date(2024, 12, 31), evaluated_on=date(2025, 1, 6),
                         started_at=datetime(2025, 1, 6, 8), ended_at=datetime(2025, 1, 6, 9))
    send(db, upper, usb)
    assert _evaluation_row(upper, withheld) == ("2025-01-06 08:00:00.000000", "2025-01-06 09:00:00.000000", None,
                                                "2025-01-06")


@pytest.mark.upper_sqlite
def test_an_older_evaluation_of_a_running_period_does_not_block_its_communes_packages(
        db, model_id: str, upper, usb: Path) -> None:
    """Saved by a version that did not refuse a running period yet (no hours recorded
    then): the commune cannot change it, so its packages still go in; ``check`` lists it."""
    evaluation = _evaluate(db, model_id)
    con = sqlite3.connect(db.path)
    with con:
        con.execute("UPDATE evaluation SET period_end = '2024-12-31', started_at = NULL, ended_at = NULL "
                    "WHERE id = ?", (evaluation,))
    con.close()
    _summary, result = send(db, upper, usb)
    assert result.status == "imported", result.message
    assert _evaluation_row(upper, evaluation)[:2] == (None, None)
    assert any("chưa kết thúc" in str(problem) for problem in check_database(upper.path))
