"""The upper office's aggregate report across communes: the PDF and the workbook print
the same totals. (The figures themselves are checked against hand-counted SQL, per
commune too, in ``test_figures.py``.)"""

from __future__ import annotations

import dataclasses
import io

from tests import app_sqlite as sqlite3
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.documents.pdf.aggregate_report import write_aggregate_pdf
from gocong_desktop.core.documents.excel.aggregate_workbook import HEADER_ROW, headers, write_aggregate_workbook
from gocong_desktop.core.services.review_period import parse_period
from gocong_desktop.core.upper.aggregate import NOT_UPPER, aggregate_figures
from gocong_desktop.core.text import format_int
from gocong_desktop.core.services.counting_notes import counting_note
from tests.core.sync.conftest import send
from tests.xlsx_reading import check_print_layout, computed, note_under
from tests.core.test_document_layout import runs_of

YEAR = date.today().year - 1  # the demo holds two years up to today
PERIOD = f"{YEAR}-H1"


@pytest.fixture
def figures(demo_communes, upper, usb):
    communes = demo_communes(2)
    for c in communes:
        send(c.db, upper, usb)
    with upper.session() as s:
        f = aggregate_figures(s, parse_period(PERIOD))
    return communes, upper, f


def test_pdf_and_workbook_agree(figures, tmp_path: Path) -> None:
    _communes, _upper, f = figures
    pdf, xlsx = tmp_path / "tổng hợp.pdf", tmp_path / "tổng hợp.xlsx"
    write_aggregate_pdf(f, pdf, issued_on=date(YEAR, 7, 5))
    write_aggregate_workbook(f, xlsx)
    reader = PdfReader(pdf)
    body = "".join(p.extract_text() for p in reader.pages)
    flat = " ".join(body.split())
    assert unicodedata.is_normalized("NFC", body)
    for phrase in ("CÔNG AN HUYỆN GÒ CÔNG TÂY", "Tổng hợp kết quả phong trào", f"6 tháng đầu năm {YEAR}",
                   "xã Bình Tân", "xã Bình Nhì", f"Gò Công Tây, ngày 05 tháng 7 năm {YEAR}"):
        assert phrase in flat, phrase
    # The first totals row: groups, households, meetings held.
    printed = flat.split("Tổng cộng", 1)[1].split()[:3]
    assert printed == [format_int(v) for v in (f.total.groups, f.total.households, f.total.meetings)], flat
    assert "Ghi chú: buổi sinh hoạt: các buổi đã họp trong kỳ" in flat  # what the communes' table counts
    embedded = set()
    for page in reader.pages:
        for font in map(lambda f: f.get_object(), page["/Resources"]["/Font"].values()):
            if "Liberation" in str(font["/BaseFont"]):  # not reportlab's unused Helvetica
                assert "/FontFile2" in font["/FontDescriptor"].get_object()
                embedded.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert {"LiberationSerif", "LiberationSerif-Bold"} <= embedded
    sheet = load_workbook(xlsx)["Theo xã"]
    cols = headers(f)
    total_row = [computed(sheet, c.coordinate) for c in sheet[HEADER_ROW + len(f.communes) + 1]]
    assert total_row[0] == "Tổng cộng"
    pick = lambda name: total_row[cols.index(name)]  # noqa: E731
    assert (pick("Số tổ"), pick("Số hộ"), pick("Buổi sinh hoạt")) == (
        f.total.groups, f.total.households, f.total.meetings)
    assert pick("Hộ đã ký cam kết") == f.total.pledges_signed
    assert pick("Số mô hình") == f.models
    assert sheet.cell(HEADER_ROW, 1).value == "Xã" and unicodedata.is_normalized("NFC", sheet["A1"].value)
    last = HEADER_ROW + len(f.communes)
    assert sheet.cell(last + 1, cols.index("Số hộ") + 1).value == f"=SUM(C{HEADER_ROW + 1}:C{last})"
    assert pick("Buổi/tổ") == pytest.approx(f.meetings_per_group)
    assert pick("Tỷ lệ dự họp") == pytest.approx(f.total.attendance_rate / 100)
    check_print_layout(xlsx, HEADER_ROW)
    assert sheet.freeze_panes == f"B{HEADER_ROW + 1}"  # the commune's name stays in view
    # Under the table, what it counts: the PDF's note (issue 17 point 12).
    assert note_under(sheet, HEADER_ROW + 1) == (last + 3, counting_note(f.total, f.period))
    assert counting_note(f.total, f.period) in flat


def test_refused_at_a_commune(seeded) -> None:
    with seeded.db.session() as s, pytest.raises(ValidationError) as caught:
        aggregate_figures(s, parse_period(PERIOD))
    assert caught.value.message == NOT_UPPER


@pytest.mark.upper_sqlite
def test_odd_text_stored_before_imports_checked_it_does_not_break_the_reports(demo_communes, upper, usb,
                                                                             tmp_path: Path) -> None:
    """A NUL, an escape and a bidi override in a commune's name, stored before
    imports refused them: the workbook leaves them out instead of failing."""
    send(demo_communes(1)[0].db, upper, usb)
    con = sqlite3.connect(upper.path)
    with con:
        con.execute("UPDATE sync_peer SET unit_name = ? WHERE role = 'commune'", ("Bình\x00Tân\x1b[2J\u202e",))
    con.close()
    with upper.session() as s:
        f = aggregate_figures(s, parse_period(PERIOD))
    write_aggregate_workbook(f, tmp_path / "tổng hợp.xlsx")
    write_aggregate_pdf(f, tmp_path / "tổng hợp.pdf", issued_on=date(YEAR, 7, 5))
    sheet = load_workbook(tmp_path / "tổng hợp.xlsx")["Theo xã"]
    assert sheet.cell(HEADER_ROW + 1, 1).value == "xã BìnhTân[2J"


def test_the_closing_block_stays_whole_with_recipients_level_with_the_signer(figures) -> None:
    """Issue 17 point 6: whatever the number of communes, the last page holds the
    closing sentence, the signer's title and, level with it at the left, "Nơi nhận"
    down to its last line."""
    _communes, _upper, f = figures
    for copies in range(1, 9):
        longer = dataclasses.replace(f, communes=f.communes * copies)
        buffer = io.BytesIO()
        write_aggregate_pdf(longer, buffer, issued_on=date(YEAR, 7, 5))
        runs = runs_of(PdfReader(io.BytesIO(buffer.getvalue())))
        last = max(r.page for r in runs)
        on_last = [r for r in runs if r.page == last]
        first = lambda text: next(r for r in on_last if r.text.startswith(text))  # noqa: E731
        title, recipients = first("TRƯỞNG CÔNG AN"), first("Nơi nhận:")
        first("Trên đây là báo cáo tổng hợp")
        first("- Lưu: VT")
        assert abs(title.y - recipients.y) < 2 and recipients.x < title.x, copies


def test_a_long_signer_title_breaks_balanced(figures) -> None:
    _communes, _upper, f = figures
    buffer = io.BytesIO()
    write_aggregate_pdf(f, buffer, issued_on=date(YEAR, 7, 5))
    lines = [" ".join(r.text for r in runs) for runs in _lines_by_y(runs_of(PdfReader(io.BytesIO(buffer.getvalue()))))]
    title = lines[[i for i, line in enumerate(lines) if line.startswith("TRƯỞNG CÔNG AN")][0]:][:2]
    assert title == ["TRƯỞNG CÔNG AN", "HUYỆN GÒ CÔNG TÂY"], title  # the name whole, lines balanced


def _lines_by_y(runs):
    rows: dict[tuple[int, int], list] = {}
    for run in runs:
        if run.x > 300:  # the right half: the signer
            rows.setdefault((run.page, round(run.y)), []).append(run)
    return [rows[k] for k in sorted(rows, key=lambda k: (k[0], -k[1]))]


def test_the_upper_office_signs_with_its_settings_or_the_print_s_choice(figures, tmp_path) -> None:
    from gocong_desktop.core.documents.reports import write_aggregate_report
    from gocong_desktop.core.services.signers import SignerChoice, SignerForm, SignerSettings, save_signer_settings

    _communes, upper, _f = figures
    with upper.session() as s:
        save_signer_settings(s, SignerSettings(head_name="Huỳnh Văn Bảy", deputy_name="Lý Thị Tám"))
    for choice, expected in ((None, ["TRƯỞNG CÔNG AN", "HUYỆN GÒ CÔNG TÂY", "(Ký, ghi rõ họ tên, đóng dấu)",
                                     "Huỳnh Văn Bảy"]),
                             (SignerChoice(SignerForm.KT), ["KT. TRƯỞNG CÔNG AN", "HUYỆN GÒ CÔNG TÂY",
                                                            "PHÓ TRƯỞNG CÔNG AN", "HUYỆN GÒ CÔNG TÂY",
                                                            "(Ký, ghi rõ họ tên, đóng dấu)", "Lý Thị Tám"])):
        with upper.session() as s:
            write_aggregate_report(s, parse_period(PERIOD), tmp_path / "th.pdf", signer=choice)
        lines = [" ".join(r.text for r in runs) for runs in _lines_by_y(runs_of(PdfReader(tmp_path / "th.pdf")))]
        start = next(i for i, line in enumerate(lines) if "TRƯỞNG CÔNG AN" in line)
        signer = [line.split("- ")[0].replace("Nơi nhận:", "").strip() for line in lines[start:]]
        assert [line for line in signer if line][:len(expected)] == expected


def test_the_closing_never_stands_alone_on_the_last_page(figures) -> None:
    """Issue 17, point 6: the last page held only "Trên đây là báo cáo…" and the signature;
    the short last section now goes with them."""
    _communes, _upper, f = figures
    for copies in range(1, 9):
        buffer = io.BytesIO()
        write_aggregate_pdf(dataclasses.replace(f, communes=f.communes * copies), buffer, issued_on=date(YEAR, 7, 5))
        runs = runs_of(PdfReader(io.BytesIO(buffer.getvalue())))
        last = max(r.page for r in runs)
        body = [r.text for r in sorted((r for r in runs if r.page == last), key=lambda r: -r.y)
                if not r.text.strip().isdigit()]  # the page number
        assert not body[0].startswith("Trên đây là báo cáo"), (copies, body[:3])
