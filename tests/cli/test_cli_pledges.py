"""``gocong-desktop pledges`` and ``list pledges``, run as a user would (in this
process as its own process would: tests/cli/conftest.py ``run``): exit 0 with a PDF, 1 with one Vietnamese line and no file, 2 for
wrong usage."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from gocong_desktop.core.db.models import PledgeStatus
from gocong_desktop.core.services import pledges

YEAR = 2025


@pytest.fixture
def campaign(seeded):
    with seeded.db.session() as s:
        pledges.open_campaign(s, YEAR, opened_on=date(YEAR, 1, 5))
        hoa = next(r.id for r in pledges.list_pledges(s, YEAR) if r.household_name == "Lê Thị Hoa")
        pledges.record_signature(s, hoa, status=PledgeStatus.SIGNED, signed_date=date(YEAR, 2, 3))
    seeded.db.close()  # the command opens the file itself
    return seeded


def test_forms_for_a_group_and_a_hamlet_by_name(run, campaign, tmp_path: Path) -> None:
    out = tmp_path / "Bản cam kết" / "tổ 1.pdf"
    out.parent.mkdir()
    result = run("pledges", "--db", campaign.db.path, "--year", YEAR, "--group", campaign.group_a1, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Đã ghi 3 bản cam kết năm 2025" in result.stdout
    fronts = [p.extract_text() for p in PdfReader(out).pages if "Họ và tên chủ hộ" in p.extract_text()]
    assert len(fronts) == 3 and "Nguyễn Văn Ba" in fronts[0] and "Trần Minh Tâm" in fronts[2]
    assert [p.name for p in out.parent.iterdir()] == ["tổ 1.pdf"]  # no temporary file left
    result = run("pledges", "--db", campaign.db.path, "--year", YEAR, "--hamlet", "dong son",
                 "--sheet", "not-signed", "--out", out)
    assert result.returncode == 0, result.stderr
    text = PdfReader(out).pages[0].extract_text()
    assert "DANH SÁCH HỘ CHƯA KÝ CAM KẾT" in text and "Đỗ Văn Đồng" in text and "Lê Thị Hoa" not in text


def test_refusals(run, campaign, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run("pledges", "--db", campaign.db.path, "--year", 2030, "--out", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "Lỗi: Chưa mở đợt cam kết năm 2030." and not out.exists()
    result = run("pledges", "--db", campaign.db.path, "--year", YEAR, "--sheet", "register", "--out", out)
    assert result.returncode == 2 and "--group" in result.stderr and not out.exists()


def test_list_pledges_json(run, campaign) -> None:
    result = run("list", "pledges", "--db", campaign.db.path, "--year", YEAR, "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["household_name"]: r for r in json.loads(result.stdout)}
    assert len(rows) == 7
    assert (rows["Lê Thị Hoa"]["status"], rows["Lê Thị Hoa"]["signed_date"]) == ("signed", "2025-02-03")
    assert (rows["Võ Thị Ánh"]["status"], rows["Võ Thị Ánh"]["signed_date"]) == ("unsigned", None)
