"""Cam kết: the year's pledge campaign.

Left, coverage per hamlet and group; right, the checklist of the chosen group
(or hamlet, or commune), where the clerk ticks households and records them as
one batch — signed on one date, confirmed by the group leader — or marks them
refused or moved away, each with a reason. PDFs: pre-filled forms, a group's
register sheet and the list of households not yet signed."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QGroupBox, QLabel, QLineEdit, QMenu, QPushButton, QSpinBox,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from gocong_desktop.core.db.models import PledgeStatus
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.services import pledges
from gocong_desktop.core.services.common import field_text
from gocong_desktop.core.services.pledge_coverage import coverage_report
from gocong_desktop.core.services.start_page import UNSIGNED_PLEDGES
from gocong_desktop.core.text import format_date, format_percent
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import DATE_PLACEHOLDER, confirm, date_from_text, set_enabled, writes_only
from gocong_desktop.gui.pledges.campaign_dialog import OpenCampaignDialog
from gocong_desktop.gui.pledges.template_dialog import PledgeTemplateDialog
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.pledges.checklist import COL_GROUP, COL_NAME, COL_REASON, PledgeChecklistModel
from gocong_desktop.gui.pledges.coverage_tree import CoverageTree, Scope
from gocong_desktop.gui.documents.pledge_printing import print_forms, print_not_signed, print_register
from gocong_desktop.gui.widgets.rows_table import configure_list_view, select_row, selected_row
from gocong_desktop.gui.widgets.flow import flow_row, labelled
from gocong_desktop.gui.widgets.mnemonics import retext
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.text_prompt import ask_text_until_accepted
from gocong_desktop.gui.documents.list_export import ListExport, scope_words

SEARCH_DEBOUNCE_MS = 200
SPLITTER_KEY = "pledges/splitter"
REASON_PROMPT = {PledgeStatus.REFUSED: ("Từ chối ký", "Lý do hộ từ chối ký cam kết:"),
                 PledgeStatus.MOVED: ("Hộ chuyển đi", "Ghi chú (chuyển đi đâu, từ ngày nào):")}


def _campaign_and_coverage(session, year: int) -> tuple:
    return pledges.get_campaign(session, year), coverage_report(session, year)


class PledgesPage(Page):
    # The campaign (with its template), the coverage tree and the households' pledges.
    TABLES = table_set("pledge", "pledge_campaign", "pledge_template", "household", "self_managed_group",
                       "admin_unit")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog = None  # the open dialog, if any (tests reach it here)
        self.campaign: pledges.CampaignInfo | None = None
        self._writing = False  # a write from this page's buttons is on its way: they are off
        self._scope_key: tuple | None = None  # the area the witness field was filled for
        self._witness_default = ""  # what the page filled it with (the group's leader)
        self._keep: str | None = None  # the household chosen in the list, chosen again after a reload
        self._build()
        self._wire()
        self._first_split = self.ctx.settings.value(SPLITTER_KEY) is None
        self.remember_layout(SPLITTER_KEY, self.splitter)

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.year = QSpinBox(minimum=2000, maximum=2100, value=date.today().year)
        self.campaign_label = QLabel(wordWrap=True)
        self.open_button, self.template_button = QPushButton("Mở đợt cam kết…"), QPushButton("Mẫu cam kết…")
        # The page's buttons, printing included, in one row across the page (it wraps on
        # a small screen: gui/widgets/flow.py), so the checklist keeps its height.
        top = flow_row(labelled("Năm:", self.year), self.open_button, self.template_button,
                       *self._build_print_buttons())
        self.tree = CoverageTree()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self._build_checklist())
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(self.campaign_label)
        layout.addWidget(self.splitter, 1)

    def _build_checklist(self) -> QWidget:
        self.scope_label = QLabel(wordWrap=True)
        self.search = QLineEdit(placeholderText="Tìm hộ (không cần dấu)…")
        self.search.setClearButtonEnabled(True)
        self.only_unsigned = QCheckBox("Chỉ hiện hộ chưa ký")
        self.tick_unsigned_button, self.untick_button = QPushButton("Đánh dấu hộ chưa ký"), QPushButton("Bỏ đánh dấu")
        self.model = PledgeChecklistModel(self.ctx, self)
        self.table = self._build_table()
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.export = ListExport(self.ctx, self, self.table, "Danh sách ký cam kết", self._export_scope)
        filters = flow_row(self.search, self.only_unsigned, self.tick_unsigned_button, self.untick_button,
                           *self.export.buttons())
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scope_label)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._build_batch())
        layout.addWidget(self.status_label)
        # Ticking and printing are for everyone; «Mẫu cam kết…» opens its form read-only.
        writes_only(self.ctx, self.open_button, self.signed_button, self.refused_button, self.moved_button,
                    self.unsigned_button)
        return panel

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        # The reason (free text) gives way first; the names stay whole.
        configure_list_view(table, {COL_NAME: "Nguyễn Thị Ngọc Bích", COL_REASON: "Đi làm ăn xa"}, stretch=COL_REASON)
        return table

    def _build_batch(self) -> QGroupBox:
        """Inputs for the ticked households, then the outcome buttons."""
        self.ticked_label = QLabel()
        self.sign_date = QLineEdit(format_date(date.today()), placeholderText=DATE_PLACEHOLDER)
        self.sign_date.setFixedWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.witness = QLineEdit(placeholderText="để trống: tổ trưởng của từng tổ")
        self.signed_button, self.refused_button = QPushButton("Đã ký"), QPushButton("Từ chối…")
        self.moved_button, self.unsigned_button = QPushButton("Chuyển đi…"), QPushButton("Đặt lại chưa ký")
        self.witness.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        box = QGroupBox("Ghi nhận cho các hộ đã đánh dấu")
        layout = QVBoxLayout(box)
        layout.addWidget(flow_row(labelled("Ngày ký:", self.sign_date), labelled("Người xác nhận:", self.witness),
                                  self.signed_button, self.refused_button, self.moved_button, self.unsigned_button,
                                  right=self.ticked_label))
        return box

    def _build_print_buttons(self) -> tuple[QPushButton, ...]:
        self.forms_button = QPushButton("In bản cam kết")
        menu = QMenu(self.forms_button)
        self.forms_household_action = menu.addAction("Hộ đang chọn trong danh sách")
        self.forms_scope_action = menu.addAction("Tất cả các hộ của khu vực đang chọn")
        self.forms_button.setMenu(menu)
        self.register_button = QPushButton("In sổ theo dõi của tổ")
        self.not_signed_button = QPushButton("In danh sách hộ chưa ký")
        self.status_label = QLabel(wordWrap=True)  # under the checklist: what was just done
        return self.forms_button, self.register_button, self.not_signed_button

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._first_split:  # once laid out: two fifths for the tree, whatever the screen
            self._first_split = False
            QTimer.singleShot(0, self, lambda: self.splitter.setSizes(
                [self.splitter.width() * 2 // 5, self.splitter.width() * 3 // 5]))

    def _export_scope(self) -> str:
        unsigned = ["chỉ hộ chưa ký"] if self.only_unsigned.isChecked() else []
        where = re.sub(r"<[^>]+>", "", self.scope_label.text()).strip()  # the label shows the area in bold
        return scope_words(search=self.search.text(), notes=[f"Năm {self.year.value()}", *([where] if where else []),
                                                             *unsigned])

    # ---- behaviour ------------------------------------------------------
    def _wire(self) -> None:
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._reload_checklist)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.only_unsigned.toggled.connect(lambda _on: self._reload_checklist())
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.tree.scope_changed.connect(self._on_scope_changed)
        self.model.ticked_changed.connect(self._on_ticked_changed)
        self.model.loaded.connect(lambda: select_row(self.table, self._keep, COL_NAME) if self._keep else None)
        self.tick_unsigned_button.clicked.connect(self.model.tick_unsigned)
        self.untick_button.clicked.connect(lambda: self.model.set_ticked(set()))
        self.open_button.clicked.connect(self._on_open_campaign)
        self.template_button.clicked.connect(self._on_edit_template)
        self.signed_button.clicked.connect(self._on_signed)
        for button, status in ((self.refused_button, PledgeStatus.REFUSED), (self.moved_button, PledgeStatus.MOVED),
                               (self.unsigned_button, PledgeStatus.UNSIGNED)):
            button.clicked.connect(partial(self._on_other_status, status))
        self.forms_household_action.triggered.connect(self._on_print_household)
        self.forms_scope_action.triggered.connect(self._on_print_scope)
        self.register_button.clicked.connect(self._on_print_register)
        self.not_signed_button.clicked.connect(self._on_print_not_signed)

    def refresh(self) -> None:
        self.ctx.query(_campaign_and_coverage, self.year.value(), on_done=self._on_loaded, parent=self,
                       key=(self, "campaign"))

    def _on_loaded(self, loaded: tuple) -> None:
        self.campaign, report = loaded  # an older year's read, overtaken by this one, was dropped
        self._show_campaign()
        self.tree.set_report(report)  # reloads the checklist too

    def _show_campaign(self) -> None:
        c = self.campaign
        if c is None:
            self.campaign_label.setText(f"Chưa mở đợt cam kết năm {self.year.value()}.")
        else:
            closed = f", đã đóng ngày {format_date(c.closed_on)}" if c.closed_on else ""
            self.campaign_label.setText(f"Mở ngày {format_date(c.opened_on)}{closed} – {c.template.label}")
        retext(self.open_button, "Bổ sung hộ mới vào đợt" if c else "Mở đợt cam kết…")
        self._update_write_buttons()
        for widget in (self.forms_button, self.register_button, self.not_signed_button):
            set_enabled(widget, c is not None)

    def _update_write_buttons(self) -> None:
        """Off without a campaign, and while a write they started runs (one click, one write)."""
        c, free = self.campaign, not self._writing
        set_enabled(self.open_button, free and (c is None or c.closed_on is None))
        for widget in (self.signed_button, self.refused_button, self.moved_button, self.unsigned_button):
            set_enabled(widget, free and c is not None)

    def scope(self) -> Scope | None:
        return self.tree.current_scope()

    def _on_scope_changed(self, scope: Scope | None) -> None:
        """Another area chosen, or the same one again after a reload of the page's data:
        the witness typed is kept then (a second batch is confirmed by the same person)."""
        key = (scope.level, scope.hamlet_id, scope.group_id) if scope else None
        if key != self._scope_key:
            self._scope_key, self._witness_default = key, ""
            self.witness.setText("")
        if scope and scope.group_id:
            self.ctx.query(pledges.group_leader, scope.group_id, parent=self, key=(self, "leader"),
                           on_done=lambda leader: self._on_leader(leader[0] or ""))
        self.register_button.setEnabled(self.campaign is not None and bool(scope and scope.group_id))
        self._reload_checklist()

    def _on_leader(self, name: str) -> None:
        """The group's leader, the default witness: shown unless something else was typed."""
        if self.witness.text() in ("", self._witness_default):
            self.witness.setText(name)
        self._witness_default = name

    def _reload_checklist(self) -> None:
        scope = self.scope()
        if scope is None:  # an empty list; a read still running must not fill it
            self.model.load(lambda s, offset, limit, last: [], lambda s: 0)
            return
        filters = {"group_id": scope.group_id, "hamlet_id": scope.hamlet_id, "search": self.search.text(),
                   "status": PledgeStatus.UNSIGNED if self.only_unsigned.isChecked() else None,
                   "resident_only": True,
                   # a hamlet's households without a group
                   "ungrouped": scope.level == "group" and scope.group_id is None}
        year = self.year.value()
        chosen = selected_row(self.table)  # (the rows shown stay until the new ones come)
        self._keep = chosen.id if chosen else None
        self.model.load(lambda s, offset, limit, last: pledges.list_pledges(
            s, year, offset=offset, limit=limit, after=last.id if last else None, **filters),
            lambda s: pledges.count_pledges(s, year, **filters))
        self.table.setColumnHidden(COL_GROUP, scope.level == "group")  # the same group on every row
        figures = self.tree.current_row()
        text = (f"{figures.signed}/{figures.total} hộ đã ký ({format_percent(figures.percent)})"
                if figures is not None and figures.total else "chưa có hộ nào trong đợt cam kết")
        self.scope_label.setText(f"<b>{scope.name}</b> – {text}")

    def _on_ticked_changed(self, count: int) -> None:
        self.ticked_label.setText(f"Đã đánh dấu {count} hộ." if count else "Chưa đánh dấu hộ nào.")

    # ---- campaign and template ------------------------------------------
    def _on_open_campaign(self) -> None:
        if self.campaign is None:
            self._open(OpenCampaignDialog(self.ctx, self.year.value(), parent=self))
        else:
            self._write(pledges.open_campaign, self.year.value(),
                        on_done=lambda n: self.status_label.setText(f"Đã bổ sung {n} hộ vào đợt cam kết."))

    def _on_edit_template(self) -> None:
        self._open(PledgeTemplateDialog(self.ctx, self.year.value(), parent=self))

    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop

    # ---- recording ------------------------------------------------------
    def _ticked_or_warn(self) -> list[str]:
        ids = self.model.ticked_ids()
        if not ids:
            self.status_label.setText("Hãy đánh dấu các hộ trước (ô vuông đầu dòng).")
        return ids

    def _on_signed(self) -> None:
        ids = self._ticked_or_warn()
        if not ids:
            return
        try:
            when = date_from_text(self.sign_date.text(), field="signed_date", required=True)
        except UserError as exc:
            show_error(self, exc)
            return
        self._record(ids, PledgeStatus.SIGNED, signed_date=when, witness_name=self.witness.text() or None)

    def _on_other_status(self, status: str) -> None:
        ids = self._ticked_or_warn()
        if not ids:
            return
        label = pledges.STATUS_LABELS[status]
        if status in REASON_PROMPT:  # the box stays, the reason in it, until it is saved or cancelled
            title, prompt = REASON_PROMPT[status]
            self.dialog = ask_text_until_accepted(
                self.ctx, self, title, f"{prompt}\n({len(ids)} hộ đã đánh dấu)", pledges.record_signatures, ids,
                status=status, text_arg="reason", check=lambda text: field_text("pledge", "reason", text),
                on_done=lambda n: self._on_recorded(n, label))
        elif status != PledgeStatus.UNSIGNED or self._confirm_reset(ids):
            self._record(ids, status)

    def _confirm_reset(self, ids: list[str]) -> bool:
        """«Đặt lại chưa ký» erases what was recorded; nothing keeps it: asked first, «Hủy» the default."""
        ticked = set(ids)
        with_reason = any(r.reason for r in self.model.rows() if r.id in ticked)
        erased = "Ngày ký, người xác nhận và lý do đã ghi" if with_reason else "Ngày ký và người xác nhận"
        return confirm(self, "Đặt lại chưa ký", f"Đặt lại {len(ids)} hộ về «Chưa ký»? {erased} của các hộ "
                       "này sẽ bị xóa.", "Đặt lại")

    def _record(self, ids: list[str], status: str, **kwargs) -> None:
        label = pledges.STATUS_LABELS[status]
        self._write(pledges.record_signatures, ids, status=status, on_done=lambda n: self._on_recorded(n, label),
                    **kwargs)

    def _write(self, fn, *args, on_done, **kwargs) -> None:
        """A write from the page's buttons: they are off until it is done, saved or refused."""
        def done(result) -> None:
            self._set_writing(False)
            on_done(result)

        self._set_writing(True)
        self.ctx.write(fn, *args, parent=self, on_done=done, on_error=self._on_write_failed, **kwargs)

    def _on_write_failed(self, exc: BaseException) -> None:
        self._set_writing(False)
        show_error(self, exc)

    def _set_writing(self, writing: bool) -> None:
        self._writing = writing
        self._update_write_buttons()

    def _on_recorded(self, count: int, label: str) -> None:
        self.model.set_ticked(set())
        self.status_label.setText(f"Đã ghi nhận {count} hộ «{label}».")

    # ---- printing -------------------------------------------------------
    def _on_saved(self, path) -> None:
        self.status_label.setText(f"Đã lưu {path}")

    def _scope_ids(self) -> dict:
        scope = self.scope()
        return {"group_id": scope.group_id, "hamlet_id": scope.hamlet_id} if scope else {}

    def _scope_name(self) -> str:
        return self.scope().name if self.scope() else ""

    def _on_print_household(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status_label.setText("Hãy chọn một hộ trong danh sách.")
            return
        row = self.model.row_at(rows[0].row())
        print_forms(self, self.ctx, self.year.value(), row.household_name, self._on_saved,
                    household_id=row.household_id)

    def _on_print_scope(self) -> None:
        print_forms(self, self.ctx, self.year.value(), self._scope_name(), self._on_saved, **self._scope_ids())

    def _on_print_register(self) -> None:
        if (scope := self.scope()) is not None and scope.group_id:
            print_register(self, self.ctx, self.year.value(), scope.name, scope.group_id, self._on_saved)

    def _on_print_not_signed(self) -> None:
        print_not_signed(self, self.ctx, self.year.value(), self._scope_name(), self._on_saved,
                         **self._scope_ids())

    # ---- search ---------------------------------------------------------
    def show_link(self, what: str) -> None:
        """The start page's "households not yet pledged": this year's unsigned, commune-wide."""
        if what == UNSIGNED_PLEDGES:
            self.search.clear()
            self.tree.select()  # the commune
            self.only_unsigned.setChecked(True)
            self.year.setValue(date.today().year)  # a year changed reads again, the checklist after
            self._reload_checklist()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True
