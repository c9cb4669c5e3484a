"""The office's signers from the command line: ``settings set signer.*`` (administrators,
validated as the settings window validates), and ``--signer-form``/``--signer-name`` for
one print, which leave the settings and the file as they were."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.cli.conftest import PASSWORD
from tests.conftest import file_digest


def _set(gc, typed, db, name: str, value: str) -> tuple[int, str, str]:
    typed[0].append(PASSWORD)
    return gc("settings", "set", name, value, "--db", db, "--user", "quantri")


def _lines(pdf) -> list[str]:
    return [line.strip() for page in PdfReader(pdf).pages for line in page.extract_text().splitlines()]


def test_signers_are_set_listed_and_printed(gc, typed, protected, tmp_path):
    assert _set(gc, typed, protected, "signer.form", "kt")[1] == "Đã đổi «signer.form» thành «KT.».\n"
    code, out, err = _set(gc, typed, protected, "signer.deputy_name", "  Trần   Văn Hải ")
    assert (code, out) == (0, "Đã đổi «signer.deputy_name» thành «Trần Văn Hải».\n"), err
    assert gc("settings", "get", "signer.deputy_name", "--db", protected)[1] == "Trần Văn Hải\n"
    code, out, _err = gc("settings", "list", "--db", protected)
    assert "signer.form" in out and "Hình thức ký các văn bản của đơn vị" in out and "signer.body_name" in out
    typed[0].append(PASSWORD)
    pdf = tmp_path / "bc.pdf"
    code, _out, err = gc("report", "--db", protected, "--user", "canbo", "--period", "2024-H1", "--out", pdf)
    assert code == 0, err
    lines = _lines(pdf)
    assert lines[-4:] == ["KT. TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)",
                          "Trần Văn Hải"]


def test_one_print_chooses_its_own_signer_and_nothing_changes(gc, typed, protected, tmp_path):
    _set(gc, typed, protected, "signer.deputy_name", "Trần Văn Hải")
    before = file_digest(protected)
    pdf = tmp_path / "bc.pdf"
    typed[0].append(PASSWORD)
    code, _out, err = gc("report", "--db", protected, "--user", "canbo", "--period", "2024-H1", "--out", pdf,
                         "--signer-form", "Q.", "--signer-name", "Lê Văn Tư")
    assert code == 0, err
    assert _lines(pdf)[-3:] == ["Q. TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)", "Lê Văn Tư"]
    assert file_digest(protected) == before
    assert gc("settings", "get", "signer.form", "--db", protected)[1] == "ký trực tiếp\n"


@pytest.mark.parametrize(("name", "value", "said"), [
    ("signer.head_name", "Nguyễn " + "A" * 60, "Họ tên người đứng đầu quá dài (tối đa 60 ký tự)."),
    ("signer.head_name", "Nguyễn\x1bVăn", "ký tự điều khiển ẩn (U+001B)"),
    ("signer.form", "", "Hình thức ký «» không hợp lệ: hãy ghi «ký trực tiếp», «KT.», «Q.» hoặc «TM.»."),
    ("signer.form", "TM.", "Hình thức «TM.» cần tên tập thể"),
    ("signer.deputy_title", "KT. Phó Trưởng", "không ghi «KT.», «Q.», «TM.» ở đầu"),
])
def test_bad_signer_values_are_refused_in_one_line(gc, typed, protected, name, value, said):
    before = file_digest(protected)
    code, out, err = _set(gc, typed, protected, name, value)
    assert code == 1 and out == "" and said in err and err.count("\n") == 1, err
    assert file_digest(protected) == before


def test_bad_print_choices_are_refused_before_anything_is_written(gc, typed, protected, tmp_path):
    before, pdf = file_digest(protected), tmp_path / "bc.pdf"
    code, out, err = gc("report", "--db", protected, "--period", "2024-H1", "--out", pdf, "--signer-form", "ký hộ")
    assert code == 1 and "Hình thức ký «ký hộ» không hợp lệ" in err and err.count("\n") == 1
    code, out, err = gc("report", "--db", protected, "--period", "2024-H1", "--out", pdf, "--signer-name", "X" * 61)
    assert code == 1 and "quá dài" in err
    with pytest.raises(SystemExit) as stop:
        gc("report", "--db", protected, "--evaluation", "x", "--out", pdf, "--signer-name", "Lê Văn Tư")
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        gc("pledges", "--db", protected, "--year", "2024", "--sheet", "forms", "--out", pdf, "--signer-form", "KT.")
    assert stop.value.code == 2
    assert not pdf.exists() and file_digest(protected) == before


def test_key_sheet_takes_the_print_s_signer(gc, env, seeded, tmp_path):
    seeded.db.close()
    commune, pdf = seeded.db.path, tmp_path / "phiếu khóa.pdf"
    assert gc("keys", "show", "--db", commune)[0] == 0  # the office's keys made
    code, _out, err = gc("keys", "sheet", "--db", commune, "--out", pdf, "--signer-form", "KT.",
                         "--signer-name", "Trần Văn Hải")
    assert code == 0, err
    assert _lines(pdf)[-4:] == ["KT. TRƯỞNG CÔNG AN XÃ", "PHÓ TRƯỞNG CÔNG AN XÃ", "(Ký, ghi rõ họ tên, đóng dấu)",
                                "Trần Văn Hải"]
