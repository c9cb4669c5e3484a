"""What one action on the Cam kết page writes, and what it must not lose: one click
is one write (the page's write buttons, and the violations dialog's, are off while
their save runs and on again after it, saved or refused); «Đặt lại chưa ký» asks
first; the witness typed, and the household chosen in the list, are kept when the
page reloads; a refused «Từ chối…» or «Chuyển đi…» reason comes back in its box, to
be shortened rather than retyped."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox  # noqa: E402
from sqlmodel import select  # noqa: E402

from gocong_desktop.core.db.models import Pledge, PledgeStatus  # noqa: E402
from gocong_desktop.core.services import groups, pledge_violations, pledges  # noqa: E402
from gocong_desktop.core.text import format_date  # noqa: E402
from gocong_desktop.gui import message_box  # noqa: E402
from gocong_desktop.gui.households import pledge_violations_dialog as violations_dialog  # noqa: E402
from gocong_desktop.gui.households.pledge_violations_dialog import PledgeViolationsDialog  # noqa: E402
from gocong_desktop.gui.pledges import page as pledges_page  # noqa: E402
from gocong_desktop.gui.widgets.rows_table import selected_row  # noqa: E402
from tests.gui import pledges_page_fixtures as _shared  # noqa: E402
from tests.gui.pledges_page_fixtures import YEAR, open_text_boxes, shown_page, statuses, tick  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle, when_shown  # noqa: E402

ctx, opened = _shared.ctx, _shared.opened  # the shared fixtures, by the names the tests ask for

WITNESS = "Đ/c Trần Văn Khách – Công an xã"
LONG_REASON = "Hộ đi làm ăn xa ở Bình Dương, chỉ về dịp Tết; người ở nhà là cụ già không tự quyết được. " * 7
SHORT_REASON = "Hộ đi làm ăn xa ở Bình Dương, chỉ về dịp Tết."


@pytest.fixture
def warned(monkeypatch) -> list[str]:
    """The texts of the warning boxes shown (answered at once)."""
    shown: list[str] = []
    monkeypatch.setattr(message_box, "warning", lambda _parent, _title, text, *a: shown.append(text))
    return shown


def _versions(seeded) -> dict[str, int]:
    """Each household's pledge version: +1 for every write that touched it."""
    names = {household_id: name for name, household_id in seeded.households.items()}
    with seeded.db.session() as s:
        return {names[h]: v for h, v in s.exec(select(Pledge.household_id, Pledge.version)
                                                 .where(Pledge.year == YEAR)).all()}


def _group_a1(qtbot, ctx, seeded):
    page = shown_page(qtbot, ctx)
    page.tree.select(group_id=seeded.group_a1)
    settle(page)
    return page


# ---- one click, one write ---------------------------------------------------


def test_a_double_click_on_da_ky_records_the_batch_once(qtbot, ctx, opened):
    """(A second «Đã ký» with the same date and witness changed no row, but it was a second
    write; a second reason, a second violation, a second deletion were not harmless.)"""
    page = _group_a1(qtbot, ctx, opened)
    before = _versions(opened)
    tick(qtbot, page, "Lê Thị Hoa")
    page.signed_button.click()
    assert not page.signed_button.isEnabled()  # off while the save runs
    page.signed_button.click()  # the second click of a double click
    settle(page)
    assert _versions(opened)["Lê Thị Hoa"] == before["Lê Thị Hoa"] + 1
    assert page.signed_button.isEnabled() and page.refused_button.isEnabled()


def test_the_outcome_buttons_are_on_again_after_a_refused_save(qtbot, ctx, opened, warned):
    page = _group_a1(qtbot, ctx, opened)
    tick(qtbot, page, "Lê Thị Hoa")
    page.sign_date.setText(format_date(date.today() + timedelta(days=2)))  # a date to come: refused
    page.signed_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=3000)
    settle(page)
    assert statuses(opened)["Lê Thị Hoa"][0] == PledgeStatus.UNSIGNED
    assert page.signed_button.isEnabled() and page.unsigned_button.isEnabled()
    page.sign_date.setText("08/03/2025")  # corrected, saved with the same buttons
    page.signed_button.click()
    settle(page)
    assert statuses(opened)["Lê Thị Hoa"][:2] == (PledgeStatus.SIGNED, date(2025, 3, 8))


def test_adding_new_households_to_the_campaign_is_off_while_it_runs(qtbot, ctx, opened):
    page = shown_page(qtbot, ctx)
    assert page.open_button.text().replace("&", "") == "Bổ sung hộ mới vào đợt"
    page.open_button.click()
    assert not page.open_button.isEnabled()
    settle(page)
    assert page.open_button.isEnabled() and page.status_label.text() == "Đã bổ sung 0 hộ vào đợt cam kết."


def _violations_dialog(qtbot, ctx, seeded) -> PledgeViolationsDialog:
    dialog = PledgeViolationsDialog(ctx, seeded.households["Lê Thị Hoa"], "Lê Thị Hoa")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _violation_notes(seeded) -> list[str]:
    with seeded.db.session() as s:
        return [v.note for v in pledge_violations.list_violations(s, seeded.households["Lê Thị Hoa"])]


def test_a_double_click_on_ghi_vi_pham_records_one_violation(qtbot, ctx, opened):
    dialog = _violations_dialog(qtbot, ctx, opened)
    type_text(dialog.note, "Đốt rác gây khói", input_method=True)
    dialog.add_button.click()
    assert not dialog.add_button.isEnabled()
    dialog.add_button.click()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # or Enter pressed again in the note
    settle(ctx)
    assert _violation_notes(opened) == ["Đốt rác gây khói"]
    assert dialog.table.rowCount() == 1 and dialog.add_button.isEnabled()


def test_enter_in_the_note_records_the_violation_and_never_asks_to_delete_one(qtbot, ctx, opened, monkeypatch):
    """Enter pressed «Xóa vi phạm đã chọn» (the dialog's first button, so its default):
    a note typed and Enter asked to delete the violation chosen in the list."""
    with opened.db.session() as s:
        pledge_violations.record_violation(s, opened.households["Lê Thị Hoa"], violation_date=date(2025, 4, 2),
                                           note="Lần một")
    asked = []
    monkeypatch.setattr(violations_dialog, "confirm", lambda _parent, title, *a: asked.append(title) or False)
    dialog = _violations_dialog(qtbot, ctx, opened)
    dialog.table.selectRow(0)
    type_text(dialog.note, "Đốt rác gây khói", input_method=True)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # twice, out of habit: one violation
    settle(ctx)
    assert asked == [] and sorted(_violation_notes(opened)) == ["Lần một", "Đốt rác gây khói"]


def test_a_refused_violation_leaves_ghi_vi_pham_on(qtbot, ctx, opened):
    dialog = _violations_dialog(qtbot, ctx, opened)
    dialog.when.setText(format_date(date.today() + timedelta(days=3)))  # not yet happened: refused
    type_text(dialog.note, "Đốt rác gây khói", input_method=True)
    dialog.add_button.click()
    settle(ctx)
    assert _violation_notes(opened) == [] and dialog.errors.message("violation_date")
    assert dialog.add_button.isEnabled()
    dialog.when.setText("02/04/2025")
    dialog.add_button.click()
    settle(ctx)
    assert _violation_notes(opened) == ["Đốt rác gây khói"]


def test_a_double_click_on_delete_deletes_once_without_an_error(qtbot, ctx, opened, monkeypatch, warned):
    with opened.db.session() as s:
        for note in ("Lần một", "Lần hai"):
            pledge_violations.record_violation(s, opened.households["Lê Thị Hoa"], violation_date=date(2025, 4, 2),
                                               note=note)
    monkeypatch.setattr(violations_dialog, "confirm", lambda *a: True)
    dialog = _violations_dialog(qtbot, ctx, opened)
    dialog.table.selectRow(0)
    dialog.delete_button.click()
    assert not dialog.delete_button.isEnabled()
    dialog.delete_button.click()
    settle(ctx)
    assert len(_violation_notes(opened)) == 1 and warned == []
    assert dialog.delete_button.isEnabled()


# ---- «Đặt lại chưa ký» asks first -------------------------------------------


@pytest.fixture
def signed_a1(opened):
    with opened.db.session() as s:
        ids = [r.id for r in pledges.list_pledges(s, YEAR, group_id=opened.group_a1)]
        pledges.record_signatures(s, ids, status=PledgeStatus.SIGNED, signed_date=date(YEAR, 3, 8),
                                  witness_name="Nguyễn Văn Ba")
    return opened


def _tick_all(qtbot, page) -> None:
    for row in range(page.model.rowCount()):
        tick(qtbot, page, page.model.row_at(row).household_name)


def test_reset_to_unsigned_asks_first_naming_how_many(qtbot, ctx, signed_a1, monkeypatch):
    asked, answers = [], iter([False, True])
    monkeypatch.setattr(pledges_page, "confirm", lambda _parent, title, text, ok_text:
                        asked.append((title, text, ok_text)) or next(answers), raising=False)
    page = _group_a1(qtbot, ctx, signed_a1)
    _tick_all(qtbot, page)
    before = statuses(signed_a1)
    page.unsigned_button.click()  # «No»: nothing erased, the ticks kept
    settle(page)
    assert asked == [("Đặt lại chưa ký", "Đặt lại 3 hộ về «Chưa ký»? Ngày ký và người xác nhận của các hộ này "
                      "sẽ bị xóa.", "Đặt lại")]
    assert statuses(signed_a1) == before and len(page.model.ticked_ids()) == 3
    page.unsigned_button.click()  # «Yes»
    settle(page)
    assert {statuses(signed_a1)[name] for name in ("Nguyễn Văn Ba", "Lê Thị Hoa", "Trần Minh Tâm")} == {
        (PledgeStatus.UNSIGNED, None, None, None)}


def test_the_reset_question_names_a_reason_it_would_erase(qtbot, ctx, opened, monkeypatch):
    with opened.db.session() as s:
        [hoa] = [r.id for r in pledges.list_pledges(s, YEAR, group_id=opened.group_a1)
                 if r.household_name == "Lê Thị Hoa"]
        pledges.record_signatures(s, [hoa], status=PledgeStatus.REFUSED, reason="Không đồng ý nội dung")
    asked = []
    monkeypatch.setattr(pledges_page, "confirm", lambda _parent, _title, text, _ok: asked.append(text) or False,
                        raising=False)
    page = _group_a1(qtbot, ctx, opened)
    tick(qtbot, page, "Lê Thị Hoa")
    tick(qtbot, page, "Trần Minh Tâm")
    page.unsigned_button.click()
    assert asked == ["Đặt lại 2 hộ về «Chưa ký»? Ngày ký, người xác nhận và lý do đã ghi của các hộ này sẽ bị xóa."]
    assert statuses(opened)["Lê Thị Hoa"][::3] == (PledgeStatus.REFUSED, "Không đồng ý nội dung")


def test_the_reset_question_says_no_unless_answered_otherwise(qtbot, ctx, signed_a1):
    """The real box: «Hủy» is its default, so Enter pressed out of habit erases nothing."""
    seen = []

    def answer(box: QMessageBox) -> None:
        seen.append((box.text(), [b.text() for b in box.buttons()], box.defaultButton().text()))
        qtbot.keyClick(box, Qt.Key.Key_Return)
    page = _group_a1(qtbot, ctx, signed_a1)
    tick(qtbot, page, "Lê Thị Hoa")
    when_shown(QMessageBox, answer)
    before = statuses(signed_a1)
    page.unsigned_button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    settle(page)
    text, buttons, default = seen[0]
    assert text.startswith("Đặt lại 1 hộ về «Chưa ký»?") and sorted(buttons) == ["Hủy", "Đặt lại"]
    assert default == "Hủy" and statuses(signed_a1) == before


# ---- the witness typed is kept ----------------------------------------------


def test_the_typed_witness_is_kept_for_the_next_batch(qtbot, ctx, opened):
    page = _group_a1(qtbot, ctx, opened)
    assert page.witness.text() == "Nguyễn Văn Ba"  # the leader, by default
    page.witness.selectAll()
    type_text(page.witness, WITNESS, input_method=True)
    page.sign_date.setText("08/03/2025")
    tick(qtbot, page, "Lê Thị Hoa")
    page.signed_button.click()  # the first batch: the page reloads
    settle(page)
    assert page.witness.text() == WITNESS and page.sign_date.text() == "08/03/2025"
    tick(qtbot, page, "Trần Minh Tâm")
    page.signed_button.click()  # the second batch, the same evening, the same witness
    settle(page)
    rows = statuses(opened)
    assert rows["Lê Thị Hoa"][2] == rows["Trần Minh Tâm"][2] == WITNESS


def test_the_default_witness_follows_the_group_and_its_leader(qtbot, ctx, opened):
    page = _group_a1(qtbot, ctx, opened)
    page.witness.setText(WITNESS)
    page.tree.select(group_id=opened.group_a2)  # another group: its own default (no leader: empty)
    settle(page)
    assert page.witness.text() == ""
    page.tree.select(group_id=opened.group_a1)
    settle(page)
    assert page.witness.text() == "Nguyễn Văn Ba"
    # The group gets a new leader (another page's write): the default shown follows it.
    ctx.write(groups.save_group, group_id=opened.group_a1, hamlet_id=opened.hamlet_a, number=1,
              leader_household_id=opened.households["Lê Thị Hoa"])
    settle(page)
    assert page.witness.text() == "Lê Thị Hoa"
    page.witness.setText(WITNESS)  # typed: kept through the next change of leader
    ctx.write(groups.save_group, group_id=opened.group_a1, hamlet_id=opened.hamlet_a, number=1,
              leader_household_id=opened.households["Nguyễn Văn Ba"])
    settle(page)
    assert page.witness.text() == WITNESS


def test_the_household_chosen_in_the_list_stays_chosen_after_a_save(qtbot, ctx, opened):
    """(«In bản cam kết» › «Hộ đang chọn trong danh sách» prints it.)"""
    page = _group_a1(qtbot, ctx, opened)
    tick(qtbot, page, "Lê Thị Hoa")  # the row ticked with Space is the one chosen
    assert selected_row(page.table).household_name == "Lê Thị Hoa"
    page.signed_button.click()  # the page reloads
    settle(page)
    assert statuses(opened)["Lê Thị Hoa"][0] == PledgeStatus.SIGNED
    assert selected_row(page.table) is not None and selected_row(page.table).household_name == "Lê Thị Hoa"


# ---- a refused reason comes back ----------------------------------------------


@pytest.mark.parametrize(("button", "status"), [("refused_button", PledgeStatus.REFUSED),
                                                ("moved_button", PledgeStatus.MOVED)])
def test_a_refused_reason_comes_back_in_its_box(qtbot, ctx, opened, warned, button, status):
    page = _group_a1(qtbot, ctx, opened)
    tick(qtbot, page, "Lê Thị Hoa")
    before, versions = statuses(opened), _versions(opened)
    when_shown(QInputDialog, lambda box: (box.setTextValue(LONG_REASON), box.accept()))  # pasted
    getattr(page, button).click()
    qtbot.waitUntil(lambda: bool(warned), timeout=3000)
    settle(page)
    assert len(LONG_REASON) > 500 and "500" in warned[0]
    assert statuses(opened) == before
    boxes = open_text_boxes()
    assert [box.textValue() for box in boxes] == [LONG_REASON]  # still there, to be shortened
    boxes[0].setTextValue(SHORT_REASON)
    boxes[0].accept()
    boxes[0].accept()  # Enter pressed twice: one write
    settle(page)
    assert statuses(opened)["Lê Thị Hoa"][::3] == (status, SHORT_REASON)
    assert _versions(opened)["Lê Thị Hoa"] == versions["Lê Thị Hoa"] + 1
    assert open_text_boxes() == [] and page.model.ticked_ids() == []


def test_a_reason_the_service_refuses_also_keeps_the_box(qtbot, ctx, opened, warned):
    """An empty reason passes the column's rule (a signed pledge has none) but not the
    service (a refusal needs one): the answer comes back from the worker, the box waits."""
    page = _group_a1(qtbot, ctx, opened)
    tick(qtbot, page, "Lê Thị Hoa")
    page.refused_button.click()
    box = page.dialog
    box.accept()
    buttons = box.findChild(QDialogButtonBox)
    assert not buttons.isEnabled()  # while the write runs
    box.reject()  # Esc meanwhile: the outcome is not known yet, the box stays
    qtbot.waitUntil(lambda: bool(warned), timeout=3000)
    settle(page)
    assert warned == ["Hãy ghi lý do."] and box.isVisible() and buttons.isEnabled()
    box.setTextValue(SHORT_REASON)
    box.accept()
    settle(page)
    assert statuses(opened)["Lê Thị Hoa"][::3] == (PledgeStatus.REFUSED, SHORT_REASON)


def test_a_cancelled_reason_writes_nothing(qtbot, ctx, opened):
    page = _group_a1(qtbot, ctx, opened)
    tick(qtbot, page, "Lê Thị Hoa")
    before = statuses(opened)
    when_shown(QInputDialog, lambda box: (box.setTextValue(SHORT_REASON), box.reject()))
    page.refused_button.click()
    qtbot.waitUntil(lambda: not open_text_boxes(), timeout=3000)
    settle(page)
    assert statuses(opened) == before and len(page.model.ticked_ids()) == 1
