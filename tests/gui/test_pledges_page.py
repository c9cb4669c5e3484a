"""The Cam kết page through its real widgets: tick a batch of households signed
and see coverage change on the page and in the database; refusals need a
reason; opening a campaign and a new template version; printing to PDF; the
violations dialog on the household's own detail."""

from __future__ import annotations

import os
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from gocong_desktop.core.db.models import PledgeStatus  # noqa: E402
from gocong_desktop.core.services import pledge_violations, pledges  # noqa: E402
from gocong_desktop.gui.households.dialog import HouseholdDialog  # noqa: E402
from gocong_desktop.gui.pledges.coverage_tree import COL_PERCENT, COL_SIGNED  # noqa: E402
from tests.gui import pledges_page_fixtures as _shared  # noqa: E402
from tests.gui.pledges_page_fixtures import YEAR  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402

ctx, opened = _shared.ctx, _shared.opened  # the shared fixtures, by the names the tests ask for
_page, _tick, _statuses = _shared.shown_page, _shared.tick, _shared.statuses


def _figures(page, *, group_id=None, hamlet_id=None) -> tuple[str, str]:
    page.tree.select(group_id=group_id, hamlet_id=hamlet_id)
    item = page.tree.currentItem()
    return item.text(COL_SIGNED), item.text(COL_PERCENT)


def test_tick_a_batch_signed_and_see_coverage_change(qtbot, ctx, opened):
    page = _page(qtbot, ctx)
    assert _figures(page) == ("0", "0,0%")
    page.tree.select(group_id=opened.group_a1)
    settle(page)
    assert page.model.rowCount() == 3 and page.witness.text() == "Nguyễn Văn Ba"  # the leader
    _tick(qtbot, page, "Lê Thị Hoa")
    _tick(qtbot, page, "Trần Minh Tâm")
    assert page.ticked_label.text() == "Đã đánh dấu 2 hộ."
    page.sign_date.clear()
    type_text(page.sign_date, "01/02/2025")
    page.signed_button.click()
    qtbot.waitUntil(lambda: "2/3 hộ đã ký" in page.scope_label.text(), timeout=3000)
    assert _figures(page, group_id=opened.group_a1) == ("2", "66,7%")
    assert _figures(page, hamlet_id=opened.hamlet_a) == ("2", "40,0%")
    assert _figures(page) == ("2", "28,6%")
    rows = _statuses(opened)
    assert rows["Lê Thị Hoa"] == (PledgeStatus.SIGNED, date(YEAR, 2, 1), "Nguyễn Văn Ba", None)
    assert rows["Trần Minh Tâm"][0] == PledgeStatus.SIGNED and rows["Nguyễn Văn Ba"][0] == PledgeStatus.UNSIGNED
    assert page.model.ticked_ids() == []


def test_refusal_asks_a_reason_and_nothing_ticked_records_nothing(qtbot, ctx, opened):
    page = _page(qtbot, ctx)
    page.tree.select(group_id=opened.group_a2)
    settle(page)
    page.signed_button.click()
    assert "đánh dấu" in page.status_label.text()
    page.tick_unsigned_button.click()
    page.refused_button.click()
    assert "(2 hộ đã đánh dấu)" in page.dialog.labelText()
    type_text(page.dialog.findChild(QLineEdit), "Không đồng ý nội dung", input_method=True)
    page.dialog.accept()
    qtbot.waitUntil(lambda: "«từ chối»" in page.status_label.text(), timeout=3000)
    rows = _statuses(opened)
    assert rows["Võ Thị Ánh"][::3] == (PledgeStatus.REFUSED, "Không đồng ý nội dung")
    assert rows["Phạm Văn An"][0] == PledgeStatus.REFUSED and rows["Lê Thị Hoa"][0] == PledgeStatus.UNSIGNED


def test_open_campaign_then_new_template_version(qtbot, ctx, seeded):
    page = _page(qtbot, ctx)
    assert "Chưa mở đợt cam kết năm 2025" in page.campaign_label.text()
    assert not page.signed_button.isEnabled()
    page.open_button.click()
    page.dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.campaign is not None, timeout=3000)
    assert page.tree.topLevelItem(0).text(4) == "7"  # every household asked
    page.template_button.click()
    dialog = page.dialog
    dialog.items.clear()
    type_text(dialog.items, "1. Không sử dụng ma túy.\n2) Không đánh bạc.")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=3000)
    qtbot.waitUntil(lambda: "bản 2" in page.campaign_label.text(), timeout=3000)
    with seeded.db.session() as s:
        assert pledges.get_campaign(s, YEAR).template.items == ("Không sử dụng ma túy.", "Không đánh bạc.")


def test_print_forms_and_not_signed_list(qtbot, ctx, opened, monkeypatch, tmp_path):
    target = tmp_path / "Bản in" / "cam kết"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(target), "")))
    page = _page(qtbot, ctx)
    page.tree.select(group_id=opened.group_a1)
    settle(page)
    page.forms_scope_action.trigger()
    saved = target.with_name("cam kết.pdf")
    qtbot.waitUntil(lambda: "Đã lưu" in page.status_label.text(), timeout=5000)
    assert sum("Họ và tên chủ hộ" in p.extract_text() for p in PdfReader(saved).pages) == 3  # one form each
    page.tree.select(hamlet_id=opened.hamlet_b)
    settle(page)
    page.not_signed_button.click()
    qtbot.waitUntil(lambda: PdfReader(saved).pages and "CHƯA KÝ" in PdfReader(saved).pages[0].extract_text(),
                    timeout=5000)
    assert "Đỗ Văn Đồng" in PdfReader(saved).pages[0].extract_text()
    assert not page.register_button.isEnabled()  # a register sheet is per group


def test_violations_live_on_the_household_detail(qtbot, ctx, opened):
    household_id = opened.households["Lê Thị Hoa"]
    dialog = HouseholdDialog(ctx, household_id=household_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.violations_button.click()
    violations = dialog.violations_dialog
    violations.when.setText("02/04/2025")
    violations.when.editingFinished.emit()
    violations.item.setCurrentIndex(violations.item.findData(2))
    type_text(violations.note, "Tham gia đánh bạc")
    violations.add_button.click()
    qtbot.waitUntil(lambda: violations.table.rowCount() == 1, timeout=3000)
    assert violations.table.item(0, 1).text().startswith("2. Không tàng trữ")
    with opened.db.session() as s:
        assert [v.note for v in pledge_violations.list_violations(s, household_id)] == ["Tham gia đánh bạc"]
