"""Pledge PDFs read back with pypdf: a group's forms have exactly one A4 page per
resident household, in Vietnamese name order, text in NFC even from decomposed
input, fonts embedded; the register sheet and the not-signed list."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from gocong_desktop.core.db.models import PledgeStatus
from gocong_desktop.core.documents.pdf.pledge_forms import write_pledge_forms_pdf
from gocong_desktop.core.documents.pdf.pledge_sheets import write_not_signed_pdf, write_register_pdf
from gocong_desktop.core.services import groups, households, pledge_print, pledges
from gocong_desktop.core.services.households import HouseholdInput

YEAR = 2025
A4_POINTS = (595.2756, 841.8898)
# Group 1 after the fixture: seeded names plus these, one moved out, one deleted;
# Trần Minh Tâm's pledge is marked "chuyển đi", so he gets no form either.
ADDED = ["Lê Văn Đức", "Lê Văn Dũng", "Phạm Thị Ánh", "Võ Văn An", "Huỳnh Thị Ngọc Điệp"]
# By given name, then family, then middle; d before đ, a before á (DOMAIN.md §3).
EXPECTED_ORDER = ["Võ Văn An", "Phạm Thị Ánh", "Nguyễn Văn Ba", "Lê Văn Dũng", "Huỳnh Thị Ngọc Điệp",
                  "Lê Văn Đức", "Lê Thị Hoa"]


@pytest.fixture
def group(seeded):
    """Group 1 with nine households: two leave the register; the campaign is open."""
    with seeded.db.session() as s:
        for name in ADDED + ["Trần Văn Đi", "Ngô Văn Nhầm"]:
            seeded.households[name] = households.create_household(s, HouseholdInput(
                head_name=unicodedata.normalize("NFD", name), hamlet_id=seeded.hamlet_a,
                group_id=seeded.group_a1, birth_year=1970, address="Số 7, đường Lê Lợi"))
        households.mark_moved_out(s, seeded.households["Trần Văn Đi"], date(2024, 12, 1))
        households.delete_household(s, seeded.households["Ngô Văn Nhầm"])
        groups.save_group(s, group_id=seeded.group_a1, hamlet_id=seeded.hamlet_a, number=1,
                          leader_household_id=seeded.households["Nguyễn Văn Ba"])
        pledges.open_campaign(s, YEAR, opened_on=date(YEAR, 1, 5))
        ids = {r.household_name: r.id for r in pledges.list_pledges(s, YEAR)}
        pledges.record_signature(s, ids["Lê Thị Hoa"], status=PledgeStatus.SIGNED, signed_date=date(YEAR, 2, 3))
        pledges.record_signature(s, ids["Trần Minh Tâm"], status=PledgeStatus.MOVED, reason="Đi làm xa")
    return seeded


def _read(write, data) -> PdfReader:
    buffer = io.BytesIO()
    write(data, buffer)
    return PdfReader(io.BytesIO(buffer.getvalue()))


def _flat(page) -> str:
    return " ".join(page.extract_text().split())


def _forms(seeded, **scope):
    with seeded.db.session() as s:
        return pledge_print.pledge_forms(s, YEAR, **scope)


def _form_texts(reader: PdfReader) -> list[str]:
    """The text of each form: a form starts on the page naming its household (the default
    template's twelve items take two pages, printed on both sides)."""
    forms: list[str] = []
    for page in reader.pages:
        text = _flat(page)
        if "Họ và tên chủ hộ:" in text:
            forms.append(text)
        elif text:
            forms[-1] += " " + text
    return forms


def test_group_forms_one_per_household_in_vietnamese_order(group) -> None:
    reader = _read(write_pledge_forms_pdf, _forms(group, group_id=group.group_a1))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.01)
    forms = _form_texts(reader)
    assert len(reader.pages) <= 2 * len(forms)
    assert [next(n for n in EXPECTED_ORDER if f"Họ và tên chủ hộ: {n} " in f) for f in forms] == EXPECTED_ORDER


def test_form_content(group) -> None:
    forms = _form_texts(_read(write_pledge_forms_pdf, _forms(group, group_id=group.group_a1)))
    items = pledges.default_template_text().items
    hoa, ba = forms[-1], forms[EXPECTED_ORDER.index("Nguyễn Văn Ba")]
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BẢN CAM KẾT",
                     "Về việc giữ gìn an ninh, trật tự, phòng, chống tội phạm, ma túy và tệ nạn xã hội",
                     "Năm 2025", "UBND XÃ BÌNH TÂN", "TỔ NDTQ SỐ 1 – ẤP LỢI AN", "Năm sinh: 1961",
                     "Nơi cư trú: 11 đường liên ấp, ấp Lợi An, xã Bình Tân",
                     "Thuộc: Tổ NDTQ số 1, ấp Lợi An.", "Số nhân khẩu trong hộ: 3 người.",
                     f"1. {items[0]}", f"{len(items)}. {items[-1]}", "TỔ TRƯỞNG", "CHỦ HỘ",
                     "Bình Tân, ngày 03 tháng 02 năm 2025"]:  # signed: the date is filled in
        assert expected in hoa, expected
    assert "Bình Tân, ngày …… tháng …… năm 2025" in ba  # not yet signed: dots to write on
    assert "Nguyễn Văn Ba" in hoa  # the group leader confirms


def test_default_form_covers_what_communes_pledge_today_and_its_copies(group) -> None:
    reader = _read(write_pledge_forms_pdf, _forms(group, group_id=group.group_a1))
    form = " ".join(_flat(page) for page in reader.pages)
    for subject in ["vũ khí, vật liệu nổ", "pháo nổ", "lừa đảo, chiếm đoạt tài sản qua mạng",
                    "tụ tập đông người trái pháp luật", "lập thành 02 bản"]:
        assert subject in form, subject


def test_text_is_nfc_even_from_decomposed_input(group) -> None:
    forms = [dataclasses.replace(f, head_name=unicodedata.normalize("NFD", f.head_name),
                                 items=tuple(unicodedata.normalize("NFD", i) for i in f.items))
             for f in _forms(group, group_id=group.group_a1)]
    reader = _read(write_pledge_forms_pdf, forms)
    assert all(unicodedata.is_normalized("NFC", page.extract_text()) for page in reader.pages)
    texts = _form_texts(reader)
    assert all("Họ và tên chủ hộ" in t and "ngày" in t for t in texts)
    assert "Huỳnh Thị Ngọc Điệp" in texts[EXPECTED_ORDER.index("Huỳnh Thị Ngọc Điệp")]


def test_fonts_are_embedded(group) -> None:
    reader = _read(write_pledge_forms_pdf, _forms(group, household_id=group.households["Lê Thị Hoa"]))
    assert len(_form_texts(reader)) == 1
    seen = set()
    for font in (f for page in reader.pages for f in page["/Resources"]["/Font"].values()):
        font = font.get_object()
        name = str(font["/BaseFont"])
        if "Liberation" not in name:
            continue
        descriptor = font["/FontDescriptor"].get_object() if "/FontDescriptor" in font else \
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
        seen.add(name.split("+", 1)[-1])
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= seen


def test_hamlet_forms_come_group_by_group(group) -> None:
    forms = _forms(group, hamlet_id=group.hamlet_a)
    assert [f.group_name for f in forms] == ["Tổ NDTQ số 1"] * len(EXPECTED_ORDER) + ["Tổ NDTQ số 2"] * 2
    assert len(_form_texts(_read(write_pledge_forms_pdf, forms))) == len(forms)


def test_register_and_not_signed_sheets(group) -> None:
    with group.db.session() as s:
        register = pledge_print.register_sheet(s, YEAR, group.group_a1)
        missing = pledge_print.not_signed_sheet(s, YEAR, hamlet_id=group.hamlet_a)
    text = _flat(_read(lambda d, out: write_register_pdf(d, out, today=date(YEAR, 3, 1)), register).pages[0])
    for expected in ["SỔ THEO DÕI KÝ CAM KẾT", "Năm 2025 – Tổ NDTQ số 1, ấp Lợi An", "Lê Thị Hoa",
                     "03/02/2025", "Chuyển đi: Đi làm xa", "Bình Tân, ngày 01 tháng 3 năm 2025",
                     "đã ký: 1 hộ (14,3%)"]:
        assert expected in text, expected
    reader = _read(write_not_signed_pdf, missing)
    text = " ".join(_flat(p) for p in reader.pages)
    assert "DANH SÁCH HỘ CHƯA KÝ CAM KẾT" in text and "Lê Thị Hoa" not in text
    assert all(n in text for n in ("Võ Văn An", "Phạm Văn An", "Võ Thị Ánh"))


def test_a_register_with_no_household_to_sign_prints_no_rate(group) -> None:
    """0 of 0 is no rate: the summary says there is nothing to sign, not «(0,0%)»."""
    from dataclasses import replace

    with group.db.session() as s:
        register = replace(pledge_print.register_sheet(s, YEAR, group.group_a1), rows=[], signed=0, total=0)
    text = _flat(_read(write_register_pdf, register).pages[0])
    assert "Không có hộ nào trong danh sách" in text and "%" not in text, text


def test_register_has_a_cell_to_sign_and_labels_its_notes(group) -> None:
    with group.db.session() as s:
        ids = {r.household_name: r.id for r in pledges.list_pledges(s, YEAR)}
        pledges.record_signature(s, ids["Võ Văn An"], status=PledgeStatus.SIGNED, signed_date=date(YEAR, 2, 4),
                                 witness_name="Nguyễn Văn Ba")
        register = pledge_print.register_sheet(s, YEAR, group.group_a1)
    text = _flat(_read(write_register_pdf, register).pages[0])
    for expected in ["Hộ ký tên", "Chứng kiến: Nguyễn Văn Ba", "Chuyển đi: Đi làm xa", "Chưa ký"]:
        assert expected in text, expected


def test_commune_not_signed_list_goes_hamlet_by_hamlet_and_group_by_group(group) -> None:
    with group.db.session() as s:
        missing = pledge_print.not_signed_sheet(s, YEAR)
    from gocong_desktop.core.text import sort_key
    order = [(sort_key(r.hamlet_name), r.group_number is None, r.group_number or 0) for r in missing.rows]
    assert order == sorted(order) and len({r.hamlet_name for r in missing.rows}) > 1
    text = " ".join(_flat(p) for p in _read(write_not_signed_pdf, missing).pages)
    first = missing.rows[0]
    assert f"Ấp {first.hamlet_name} – {first.group_name} (" in text
    with group.db.session() as s:  # one group: no headings, the title names it
        one = pledge_print.not_signed_sheet(s, YEAR, group_id=group.group_a1)
    assert " – Tổ NDTQ số 1 (" not in " ".join(_flat(p) for p in _read(write_not_signed_pdf, one).pages)


def test_signatures_never_stand_alone_on_a_page(group) -> None:
    reader = _read(write_pledge_forms_pdf, _forms(group, household_id=group.households["Lê Thị Hoa"]))
    signed_on = next(_flat(p) for p in reader.pages if "CHỦ HỘ" in _flat(p))
    assert "chịu trách nhiệm trước pháp luật" in signed_on  # the closing pledge goes with the signatures
