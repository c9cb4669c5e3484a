"""The Models page through its real widgets: evaluating a model in the form (live
rating, evidence beside it) updates the list and the history; the form refuses a
missing recommendation; replicating a site; saving the review report."""

from __future__ import annotations

import os
import unicodedata
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QDialog, QFileDialog  # noqa: E402

from gocong_desktop.core.services import prevention_sites as model_sites, prevention  # noqa: E402
from gocong_desktop.core.services.evaluation_record import evaluation_record  # noqa: E402
from gocong_desktop.core.services.evaluation_team import TeamMember  # noqa: E402
from gocong_desktop.core.text import format_date  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.prevention.evaluation_dialog import EvaluationDialog  # noqa: E402
from gocong_desktop.gui.widgets.form_parts import select_data  # noqa: E402
from gocong_desktop.gui.prevention.site_dialog import SiteDialog  # noqa: E402
from gocong_desktop.gui.prevention.page import PreventionPage  # noqa: E402
from gocong_desktop.gui.documents.report_files import ReportDialog  # noqa: E402
from gocong_desktop.gui import message_box
from tests.conftest import table_counts  # noqa: E402
from tests.core.prevention_scenario import build_scenario  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402


@pytest.fixture
def scenario(seeded):
    return build_scenario(seeded)


@pytest.fixture
def ctx(seeded, scenario, tmp_path):
    create_app()
    context = make_context(seeded.db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield context
    context.tasks.wait()


@pytest.fixture
def page(qtbot, ctx, scenario):
    widget = PreventionPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1180, 700)
    widget.show()
    widget.select_model(scenario.model_id)
    settle(widget)
    return widget


def _open_evaluation(page) -> EvaluationDialog:
    page.evaluate_button.click()
    dialog = page.dialog
    assert isinstance(dialog, EvaluationDialog)
    select_data(dialog.period.choice, "Y")
    dialog.period.year.setValue(2024)
    return dialog


def _type_hours(dialog: EvaluationDialog, start: str, end: str) -> None:
    type_text(dialog.start_time, start)
    type_text(dialog.end_time, end)


def _type_score(spin, text: str) -> None:
    spin.selectAll()
    type_text(spin, text)


def test_evaluate_model_through_the_form(qtbot, page, seeded, scenario) -> None:
    assert page.detail.history.rowCount() == 1
    dialog = _open_evaluation(page)
    # The evidence beside the form is that of the whole of 2024 (one more meeting, on 01/07).
    assert dialog.evidence.values["Số buổi sinh hoạt"].text().startswith("5 buổi")
    assert "Năm 2024 (từ ngày 01/01/2024 đến ngày 31/12/2024)" in dialog.evidence.heading.text()
    for spin in dialog.scores.values():
        _type_score(spin, "5")
    assert dialog.total_label.text() == "Tổng điểm: 50 / 100 – Xếp loại: Trung bình"
    _type_score(dialog.scores["hieu-qua"], "4,5")  # Vietnamese decimal comma
    assert dialog.total_label.text() == "Tổng điểm: 48,5 / 100 – Xếp loại: Yếu"  # live, at the edge
    select_data(dialog.recommendation, "cung_co")
    type_text(dialog.evaluator, unicodedata.normalize("NFD", "Đ/c Lê Thị Hoa"), input_method=True)
    type_text(dialog.notes, "Đèn hỏng 3 bóng; cần củng cố.")
    _type_hours(dialog, "8:00", "10h30")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)
    qtbot.waitUntil(lambda: page.detail.history.rowCount() == 2, timeout=3000)
    settle(page)
    newest = page.detail.history.row_at(0)
    assert (newest.rating, newest.total_score, newest.recommendation) == ("Yếu", 48.5, "cung_co")
    assert newest.evaluator == "Đ/c Lê Thị Hoa" and unicodedata.is_normalized("NFC", newest.evaluator)
    assert "6 tháng đầu năm 2024: <b>Tốt</b> → Năm 2024: <b>Yếu</b>" in page.detail.trend.text()
    row = page.model.row_at(page.model.row_of(scenario.model_id))
    assert row.last_rating == "Yếu" and page.selected_model().id == scenario.model_id
    with seeded.db.session() as s:
        stored = prevention.list_evaluations(s, model_id=scenario.model_id)[0]
    assert (stored.period_kind, str(stored.period_end)) == ("nam", "2024-12-31")


def test_form_without_recommendation_saves_nothing(qtbot, page, seeded) -> None:
    dialog = _open_evaluation(page)
    before = table_counts(seeded.db.path)
    dialog.ok_button.click()
    assert "kiến nghị" in dialog.errors.message("recommendation")
    assert dialog.isVisible()
    page.ctx.tasks.wait()
    assert table_counts(seeded.db.path) == before


def _fill(dialog: EvaluationDialog) -> None:
    for spin in dialog.scores.values():
        _type_score(spin, "8")
    select_data(dialog.recommendation, "duy_tri")


def test_the_hours_and_team_through_the_form_and_the_team_offered_again(qtbot, page, seeded, scenario) -> None:
    dialog = _open_evaluation(page)
    _fill(dialog)
    _type_hours(dialog, "7 giờ 30", "9:45")
    team = dialog.team
    assert team.table.rowCount() == 1 and team.members() == [TeamMember("", None)]  # one row to type in
    team.table.item(0, 0).setText(unicodedata.normalize("NFD", "Trần Minh Tâm"))
    team.table.item(0, 1).setText("Trưởng Công an xã")
    team.add_button.click()
    team.table.item(1, 0).setText("Lê Thị Hoa")
    team.add_button.click()  # a third row left blank: ignored
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)
    today = dialog.today
    with seeded.db.session() as s:
        newest = prevention.list_evaluations(s, model_id=scenario.model_id)[0]
        record = evaluation_record(s, newest.id)
    assert (record.started_at, record.ended_at) == (datetime.combine(today, time(7, 30)),
                                                    datetime.combine(today, time(9, 45)))
    assert record.team == (TeamMember("Trần Minh Tâm", "Trưởng Công an xã"), TeamMember("Lê Thị Hoa"))
    settle(page)
    again = _open_evaluation(page)  # the same people evaluate the next model
    assert again.team.members() == [TeamMember("Trần Minh Tâm", "Trưởng Công an xã"), TeamMember("Lê Thị Hoa")]
    again.reject()


def _refused(page, seeded, dialog: EvaluationDialog, field: str) -> str:
    before = table_counts(seeded.db.path)
    dialog.ok_button.click()
    page.ctx.tasks.wait()
    settle(page)
    assert dialog.isVisible() and table_counts(seeded.db.path) == before
    return dialog.errors.message(field)


def test_a_period_not_ended_is_refused_under_the_period(qtbot, page, seeded) -> None:
    dialog = _open_evaluation(page)
    _fill(dialog)
    _type_hours(dialog, "8:00", "10:00")
    select_data(dialog.period.choice, "custom")
    dialog.period.start.setText(format_date(dialog.today - timedelta(days=60)))
    dialog.period.end.setText(format_date(dialog.today + timedelta(days=1)))
    message = _refused(page, seeded, dialog, "period")
    assert message.startswith("Kỳ đánh giá chưa kết thúc vào ngày đánh giá") and "kỳ đã kết thúc" in message


@pytest.mark.parametrize("start, end, field, fragment", [
    ("10:00", "8:00", "ended_at", "Giờ kết thúc phải sau giờ bắt đầu"),
    ("", "8:00", "started_at", "Chưa nhập giờ"),
    ("8:00", "", "ended_at", "Chưa nhập giờ"),
    ("25:00", "8:00", "started_at", "không hợp lệ"),
])
def test_hours_out_of_order_or_missing_are_refused_under_their_box(qtbot, page, seeded, start, end, field,
                                                                   fragment) -> None:
    dialog = _open_evaluation(page)
    _fill(dialog)
    _type_hours(dialog, start, end)
    assert fragment in _refused(page, seeded, dialog, field)


def test_replicate_site_through_the_dialog(qtbot, page, seeded, scenario) -> None:
    page.detail.sites_table.selectRow(page.detail.sites.row_of(scenario.site_a))
    page.detail.replicate_button.click()
    dialog = page.dialog
    assert isinstance(dialog, SiteDialog) and dialog.replicate
    assert dialog.resources["cameras"].value() == 8 and not dialog.resources["cameras"].isEnabled()
    select_data(dialog.hamlet, seeded.hamlet_b)
    type_text(dialog.road, "Đường đê Đồng Sơn", input_method=True)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)
    qtbot.waitUntil(lambda: page.detail.sites.rowCount() == 3, timeout=3000)
    with seeded.db.session() as s:
        new = [r for r in model_sites.list_sites(s, scenario.model_id) if r.road_name == "Đường đê Đồng Sơn"]
    assert len(new) == 1 and (new[0].cameras, new[0].hamlet_id) == (8, seeded.hamlet_b)


def test_report_dialog_saves_the_workbook(qtbot, page, tmp_path, monkeypatch) -> None:
    target = tmp_path / "Báo cáo của xã.xlsx"
    asked = []

    def save_name(_parent, _title, suggested, _filter):
        asked.append(Path(suggested).name)
        return str(target.with_suffix("")), _filter  # no suffix typed: it is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(message_box, "information", lambda *args: None)
    page.report_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReportDialog)
    select_data(dialog.period.choice, "H1")
    dialog.period.year.setValue(2024)
    dialog.as_xlsx.setChecked(True)
    dialog._on_save()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert asked == ["Báo cáo sơ kết 6 tháng đầu năm 2024.xlsx"]
    assert target.read_bytes()[:2] == b"PK"  # a zip: the xlsx container


def test_report_dialog_saves_the_word_copy(qtbot, page, tmp_path, monkeypatch) -> None:
    from docx import Document

    target = tmp_path / "Báo cáo.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), a[-1])))
    monkeypatch.setattr(message_box, "information", lambda *args: None)
    page.report_button.click()
    dialog = page.dialog
    select_data(dialog.period.choice, "H1")
    dialog.period.year.setValue(2024)
    dialog.as_docx.setChecked(True)
    dialog._on_save()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert "I. SỐ LIỆU TỔNG HỢP" in [p.text for p in Document(str(target)).paragraphs]


def test_the_evaluation_form_opens_with_the_cursor_in_its_first_field(qtbot, page) -> None:
    page.evaluate_button.click()
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.period.choice  # not the scrolling form: typing goes somewhere
    dialog.reject()


def test_on_a_narrow_screen_the_evidence_stands_under_the_form(qtbot, ctx, scenario, monkeypatch) -> None:
    """1024×768 at 150 % leaves 683 px: side by side the form needs ~760, so the evidence
    goes under it, each part scrolling, and the form fits the screen's width."""
    from PySide6.QtCore import QRect

    from gocong_desktop.gui.prevention import evaluation_dialog

    monkeypatch.setattr(evaluation_dialog, "available_area", lambda _widget: QRect(0, 0, 683, 512))
    dialog = EvaluationDialog(ctx, model_id=scenario.model_id, model_name="Camera an ninh")
    qtbot.addWidget(dialog)
    dialog.layout().activate()
    assert dialog.minimumSizeHint().width() <= 683
    assert dialog.evidence.parentWidget() is not dialog  # in a scroll area of its own, under the form
