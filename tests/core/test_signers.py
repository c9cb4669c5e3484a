"""Named signers (issue 17, point 7): office settings hold the title line(s) and the name
for each form (ký trực tiếp, KT., Q., TM.); every document that signs for the office
prints them, read back from the PDF (pypdf) and the Word copy (python-docx); one print
may choose another form or name without touching the settings; bad values are refused
and leave the file as it was."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from gocong_desktop.core.documents.key_sheet import write_key_sheet
from gocong_desktop.core.documents.pledges import write_not_signed
from gocong_desktop.core.documents.reports import write_review_report
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services import pledges
from gocong_desktop.core.services.signers import (SignatureBlock, SignerChoice, SignerForm, SignerSettings,
                                                  block_for, save_signer_settings, signer_settings)
from gocong_desktop.core.sync import ensure_office_keys
from tests import app_sqlite as sqlite3
from tests.conftest import file_digest
from tests.core.prevention_scenario import H1, build_scenario

DEPUTY = SignerSettings(form=SignerForm.KT, head_name="Nguyễn Văn Tâm", deputy_name="Trần Văn Hải",
                        acting_name="Lê Văn Tư")


def _pdf_lines(path: Path) -> list[str]:
    return [line.strip() for page in PdfReader(path).pages for line in page.extract_text().splitlines()
            if line.strip()]


def _signature_lines(lines: list[str], first: str, count: int) -> list[str]:
    """``count`` lines of the signature block from its first title line (Nơi nhận lines,
    which stand level with it on the left, removed)."""
    start = next(i for i, line in enumerate(lines) if first in line)
    ours = [line.split("- ")[0].split("Nơi nhận:")[-1].strip() for line in lines[start:]]
    return [line for line in ours if line][:count]


def _save(db, settings: SignerSettings) -> None:
    with db.session() as s:
        save_signer_settings(s, settings)


def _review(db, path: Path, choice: SignerChoice | None = None) -> Path:
    with db.session() as s:
        write_review_report(s, H1, path, signer=choice)
    return path


@pytest.fixture
def scenario(seeded):
    build_scenario(seeded)
    return seeded


def test_nothing_configured_keeps_the_title_and_a_blank_name_line():
    assert block_for(SignerSettings(), "Trưởng Công an xã") == SignatureBlock("Trưởng Công an xã", "", None)


def test_each_form_builds_its_lines():
    body = SignerSettings(head_title="Trưởng Công an xã Bình Tân", head_name="Nguyễn Văn Tâm",
                          deputy_name="Trần Văn Hải", acting_name="Lê Văn Tư", body="Ban Chỉ đạo xã",
                          body_title="Trưởng ban", body_name="Phan Văn Sáu")
    head = "Trưởng Công an xã Bình Tân"
    assert block_for(body, "x") == SignatureBlock(head, "", "Nguyễn Văn Tâm")
    assert block_for(body, "x", SignerChoice(SignerForm.KT)) == SignatureBlock(f"KT. {head}", f"Phó {head}",
                                                                                "Trần Văn Hải")
    assert block_for(body, "x", SignerChoice(SignerForm.Q)) == SignatureBlock(f"Q. {head}", "", "Lê Văn Tư")
    assert block_for(body, "x", SignerChoice(SignerForm.TM, "")) == SignatureBlock("TM. Ban Chỉ đạo xã",
                                                                                    "Trưởng ban", None)
    with pytest.raises(ValidationError, match="tên tập thể"):
        block_for(SignerSettings(), "x", SignerChoice(SignerForm.TM))


def test_review_pdf_and_docx_print_the_deputy_signing_for_the_head(scenario, tmp_path):
    _save(scenario.db, DEPUTY)
    lines = _pdf_lines(_review(scenario.db, tmp_path / "bc.pdf"))
    assert _signature_lines(lines, "KT. TRƯỞNG", 4) == [
        "KT. TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)", "Trần Văn Hải"]
    doc = Document(_review(scenario.db, tmp_path / "bc.docx"))
    cell = doc.tables[-1].rows[0].cells[1]
    assert [p.text for p in cell.paragraphs] == ["KT. TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ",
                                                  "(Ký, ghi rõ họ tên, đóng dấu)", "Trần Văn Hải"]


def test_one_print_overrides_form_and_name_and_leaves_the_settings(scenario, tmp_path):
    _save(scenario.db, DEPUTY)
    before = file_digest(scenario.db.path)
    lines = _pdf_lines(_review(scenario.db, tmp_path / "bc.pdf", SignerChoice(SignerForm.Q, "Võ  Tha\u0301nh Nam")))
    assert _signature_lines(lines, "Q. TRƯỞNG", 3) == ["Q. TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)",
                                                      "Võ Thánh Nam"]  # NFC, spaces collapsed
    doc = Document(_review(scenario.db, tmp_path / "bc.docx", SignerChoice(name="")))  # the form of the settings
    assert [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs] == [
        "KT. TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)", ""]
    assert file_digest(scenario.db.path) == before
    with scenario.db.session() as s:
        assert signer_settings(s) == DEPUTY


@pytest.mark.parametrize(("settings", "said"), [
    (SignerSettings(head_name="Nguyễn Văn " + "A" * 60), "quá dài (tối đa 60 ký tự)"),
    (SignerSettings(deputy_name="Trần\x07Văn Hải"), "ký tự điều khiển"),
    (SignerSettings(head_title="KT. Trưởng Công an xã"), "không ghi «KT.», «Q.», «TM.»"),
    (SignerSettings(form=SignerForm.TM), "cần tên tập thể"),
    (SignerSettings(form=""), "Hình thức ký «» không hợp lệ"),  # type: ignore[arg-type]
])
def test_bad_settings_are_refused_and_the_file_is_unchanged(db, settings, said):
    _save(db, DEPUTY)
    before = file_digest(db.path)
    with pytest.raises(ValidationError, match=re.escape(said)), db.session() as s:
        save_signer_settings(s, settings)
    assert file_digest(db.path) == before


def test_a_bad_name_for_one_print_is_refused_before_writing(scenario, tmp_path):
    with pytest.raises(ValidationError, match="quá dài"):
        _review(scenario.db, tmp_path / "bc.pdf", SignerChoice(name="X" * 61))
    assert not (tmp_path / "bc.pdf").exists()


def test_key_sheet_prints_the_signer(db, tmp_path):
    with db.session() as s:
        ensure_office_keys(s)
    _save(db, SignerSettings(head_name="Nguyễn Văn Tâm"))
    with db.session() as s:
        write_key_sheet(s, tmp_path / "khoa.pdf")
    lines = _pdf_lines(tmp_path / "khoa.pdf")
    assert _signature_lines(lines, "TRƯỞNG CÔNG AN XÃ", 3)[::2] == ["TRƯỞNG CÔNG AN XÃ", "Nguyễn Văn Tâm"]


def test_the_commune_wide_not_signed_list_is_confirmed_by_the_office(seeded, tmp_path):
    year = date.today().year
    with seeded.db.session() as s:
        pledges.open_campaign(s, year, opened_on=date(year, 1, 5))
    _save(seeded.db, DEPUTY)
    with seeded.db.session() as s:
        write_not_signed(s, year, tmp_path / "xa.pdf")
        write_not_signed(s, year, tmp_path / "to.pdf", group_id=seeded.group_a1,
                         signer=SignerChoice(SignerForm.DIRECT))  # a group's list: its own signers
    commune = _pdf_lines(tmp_path / "xa.pdf")
    assert commune[-6:] == ["NGƯỜI LẬP", "(Ký, ghi rõ họ tên)", "KT. TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ",
                            "(Ký, ghi rõ họ tên, đóng dấu)", "Trần Văn Hải"]
    group = " ".join(_pdf_lines(tmp_path / "to.pdf"))
    assert "TRƯỞNG CÔNG AN" not in group and "Nguyễn Văn Tâm" not in group
    # issued by the body that signs it: the commune's police under the province's, not "UBND XÃ"
    assert "CÔNG AN XÃ BÌNH TÂN" in commune[:4] and not any(line.startswith("UBND") for line in commune[:4])
    assert "UBND XÃ BÌNH TÂN" in _pdf_lines(tmp_path / "to.pdf")[:4]


def test_only_what_changed_is_written(db):
    _save(db, SignerSettings(head_name="Nguyễn Văn Tâm"))
    con = sqlite3.connect(db.path)
    try:
        rows = con.execute("SELECT key, value_json FROM app_setting WHERE key LIKE 'signer.%'").fetchall()
    finally:
        con.close()
    assert rows == [("signer.head_name", '"Nguyễn Văn Tâm"')]
    before = file_digest(db.path)
    _save(db, SignerSettings(head_name=" Nguyễn  Văn Tâm"))  # the same once stored
    assert file_digest(db.path) == before
