"""The written sections of the review report: saved per period, pre-filled from the
figures and from the last period's text, NFC and bounded, audited, refusals
leaving the file unchanged."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.review_narrative import (SECTION_KEYS, narrative_for, narrative_outline,
                                                            save_narrative, saved_narrative)
from gocong_desktop.core.services.review_period import parse_period
from tests.conftest import file_digest
from tests.core.prevention_scenario import H1, build_scenario

H2 = parse_period("2024-H2")
NINE = parse_period("2024-9T")


def _audit_rows(path) -> list[tuple[str, str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT action, record_id FROM audit_log WHERE table_name = 'review_narrative'").fetchall()
    finally:
        con.close()


def test_an_unsaved_period_tells_its_figures_as_sentences(seeded) -> None:
    build_scenario(seeded)
    with seeded.db.session() as s:
        proposal = narrative_for(s, H1)
    assert not proposal.saved and proposal.previous_label is None
    results = proposal.sections["results"]
    assert "Toàn xã Bình Tân có 3 Tổ nhân dân tự quản" in results
    assert "Năm 2024 có 4/" in results and "mô hình phòng, chống tội phạm" in results
    assert all(proposal.sections[k] == "" for k in SECTION_KEYS if k != "results")


def test_saved_sections_come_back_and_are_audited(seeded) -> None:
    typed = unicodedata.normalize("NFD", "Tình hình ổn định.\r\nKhông có vụ việc phức tạp.")
    with seeded.db.session() as s:
        record_id = save_narrative(s, H1, {"situation": typed, "results": "Đạt.", "proposals": "  "})
    with seeded.db.session() as s:
        saved = saved_narrative(s, H1)
        assert narrative_for(s, H1) == saved
    assert saved.saved
    assert saved.sections["situation"] == "Tình hình ổn định.\nKhông có vụ việc phức tạp."
    assert unicodedata.is_normalized("NFC", saved.sections["situation"])
    assert saved.sections["proposals"] == "" and saved.sections["causes"] == ""
    with seeded.db.session() as s:
        save_narrative(s, H1, {"situation": "Đã sửa.", "results": "Đạt."})
        save_narrative(s, H1, {"situation": "Đã sửa.", "results": "Đạt."})  # unchanged: no new version
    assert _audit_rows(seeded.db.path) == [("create", record_id), ("update", record_id)]


def test_the_next_period_starts_from_the_last_periods_text(seeded) -> None:
    build_scenario(seeded)
    with seeded.db.session() as s:
        save_narrative(s, H1, {"situation": "Đặc điểm kỳ đầu.", "directions": "Tiếp tục lắp camera.",
                               "results": "Kết quả cũ."})
    with seeded.db.session() as s:
        nine, second = narrative_for(s, NINE), narrative_for(s, H2)
    for proposal in (nine, second):
        assert not proposal.saved and proposal.previous_label == "6 tháng đầu năm 2024"
        assert proposal.sections["situation"] == "Đặc điểm kỳ đầu."
        assert proposal.sections["directions"] == "Tiếp tục lắp camera."
        assert "Kết quả cũ." not in proposal.sections["results"]  # the figures of its own period
        assert "Tổ nhân dân tự quản" in proposal.sections["results"]
    with seeded.db.session() as s:
        assert narrative_for(s, parse_period("2023")).previous_label is None  # nothing earlier


@pytest.mark.parametrize("sections,words", [({"situation": "x" * 20_001}, "quá dài"),
                                            ({"causes": "Tâm\u202egnp"}, "U+202E"),
                                            ({"weather": "Nắng"}, "Không có mục")])
def test_bad_text_is_refused_and_changes_nothing(seeded, sections, words) -> None:
    with seeded.db.session() as s:
        save_narrative(s, H1, {"situation": "Giữ nguyên."})
    before = file_digest(seeded.db.path)
    with pytest.raises(ValidationError) as caught:
        with seeded.db.session() as s:
            save_narrative(s, H1, sections)
    assert words in caught.value.message
    assert file_digest(seeded.db.path) == before


def test_outline_numbers_only_the_written_sections() -> None:
    outline = narrative_outline({"situation": "A\n\nB", "results": "", "strengths": "Tốt.", "causes": "Do thiếu.",
                                 "proposals": "Đề nghị."})
    assert [(p.heading, p.level, p.paragraphs) for p in outline] == [
        ("I. ĐẶC ĐIỂM TÌNH HÌNH", 1, ("A", "B")), ("II. ĐÁNH GIÁ CHUNG", 1, ()),
        ("1. Ưu điểm", 2, ("Tốt.",)), ("2. Nguyên nhân", 2, ("Do thiếu.",)),
        ("III. KIẾN NGHỊ, ĐỀ XUẤT", 1, ("Đề nghị.",))]


def test_the_sections_travel_to_the_upper_office_under_the_communes_unit(seeded, upper, usb) -> None:
    """The upper office keeps what each commune wrote, and never takes it for its own."""
    from tests.core.sync.conftest import send, unit_of, view

    with seeded.db.session() as s:
        save_narrative(s, H1, {"situation": "Ổn định.", "proposals": "Hỗ trợ đèn."})
    _summary, result = send(seeded.db, upper, usb)
    assert result.status == "imported"
    unit = unit_of(seeded.db)
    arrived = view(upper, unit)["review_narrative"]
    assert len(arrived) == 1 and arrived == view(seeded.db.path, unit)["review_narrative"]
    with upper.session() as s:
        assert saved_narrative(s, H1) is None
