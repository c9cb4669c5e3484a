"""Sinh hoạt tổ: the meetings of the commune's groups, newest first, each opened
in its own editor window; finalising, amending and the printed minutes."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from gocong_desktop.core.db.models import MeetingStatus
from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.documents.minutes import write_blank_minutes, write_minutes
from gocong_desktop.core.services import meeting_drafts, meetings
from gocong_desktop.core.services.meetings import MeetingRow
from gocong_desktop.core.services.start_page import DRAFT_MINUTES
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.text import format_int
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import confirm, set_enabled, writes_only
from gocong_desktop.gui.meetings.new_dialog import NewMeetingDialog
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.meetings.editor import MeetingEditor
from gocong_desktop.gui.meetings.filters import MeetingFilters
from gocong_desktop.gui.meetings.history import amend_with_reason
from gocong_desktop.gui.meetings.table import COL_GROUP, COL_HAMLET, COL_KIND, COL_NUMBER, COL_PRESENT, COL_STATUS, COL_WHEN, MeetingTableModel
from gocong_desktop.gui.documents.pdf_preview import (blank_file_name, for_record, minutes_file_name, open_pdf,
                                                     save_pdf_or_word)
from gocong_desktop.gui.widgets.flow import flow_row
from gocong_desktop.gui.widgets.rows_table import configure_list_view, select_row, selected_row
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.text_prompt import TextPrompt
from gocong_desktop.gui.documents.list_export import ListExport, scope_words

HEADER_KEY = "meetings/header"
WIDTH_SAMPLES = {COL_WHEN: "00/00/0000 00:00", COL_GROUP: "Tổ NDTQ số 1000", COL_HAMLET: "Thạnh Hòa Đông",
                 COL_KIND: "Đột xuất", COL_STATUS: "Đang đính chính", COL_NUMBER: "00/BB-TNDTQ",
                 COL_PRESENT: "Có mặt"}


class MeetingsPage(Page):
    # The meetings with attendance counts, group and hamlet names; the filters' lists.
    TABLES = table_set("meeting", "attendance", "self_managed_group", "admin_unit")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.editors: dict[str, MeetingEditor] = {}
        self.dialog: NewMeetingDialog | None = None
        self.prompt: TextPrompt | None = None  # the amendment's reason being asked
        self._keep: MeetingRow | None = None  # the row selected when the list was read again
        self._saved_id: str | None = None  # a meeting just created: selected once the list shows it
        self._build()
        self._wire()
        self.remember_layout(HEADER_KEY, self.table.horizontalHeader())

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.filters = MeetingFilters(self.ctx)
        self.model = MeetingTableModel(self.ctx, self)
        self.table = self._build_table()
        self.add_button = QPushButton("Thêm buổi họp…")
        self.open_button = QPushButton("Mở")
        self.finalise_button = QPushButton("Hoàn tất…")
        self.amend_button = QPushButton("Đính chính…")
        self.delete_button = QPushButton("Xóa bản nháp")
        self.view_button = QPushButton("Xem/In biên bản…")
        self.save_pdf_button = QPushButton("Lưu PDF/Word…")
        self.blank_button = QPushButton("In mẫu trống…")
        # «Mở» opens the editor, read-only for a viewer; viewing and printing are for everyone.
        writes_only(self.ctx, self.add_button, self.finalise_button, self.amend_button, self.delete_button)
        self.count_label = QLabel()
        f = self.filters
        self.export = ListExport(self.ctx, self, self.table, "Danh sách buổi sinh hoạt",
                                 lambda: scope_words(("Ấp", f.hamlet), ("Tổ", f.group), ("Thời gian", f.period),
                                                     ("Trạng thái", f.status)))
        actions = flow_row(self.add_button, self.open_button, self.finalise_button, self.amend_button,
                           self.delete_button, self.view_button, self.save_pdf_button, self.blank_button,
                           *self.export.buttons(), right=self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(actions)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        configure_list_view(table, WIDTH_SAMPLES, stretch=COL_GROUP)
        return table

    # ---- behaviour ------------------------------------------------------
    def _wire(self) -> None:
        self.filters.changed.connect(self._reload)
        self.model.loaded.connect(self._on_loaded)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter opens, as double-click does
            QShortcut(QKeySequence(key), self.table, activated=self.edit_selected,
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button.clicked.connect(self.new_record)
        self.open_button.clicked.connect(self.edit_selected)
        self.finalise_button.clicked.connect(self.finalise_selected)
        self.amend_button.clicked.connect(self.amend_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.view_button.clicked.connect(self._on_view)
        self.save_pdf_button.clicked.connect(self._on_save_pdf)
        self.blank_button.clicked.connect(self._on_blank)

    def refresh(self) -> None:
        self.filters.reload()
        self._reload()

    def _reload(self) -> None:
        q = self.filters.query()
        filters = {"group_id": q.group_id, "hamlet_id": q.hamlet_id, "status": q.status, "since": q.since,
                   "until": q.until}
        self._keep = self.selected()
        self.model.load(lambda s, offset, limit, _last: meetings.list_meetings(s, offset=offset, limit=limit,
                                                                               **filters),
                        lambda s: meetings.count_meetings(s, **filters))

    def _on_loaded(self) -> None:
        saved, self._saved_id = self._saved_id, None
        if saved:
            self.model.find(saved, lambda _row: self.select(saved))
        else:
            self.select(self._keep.id if self._keep else None)
        self.count_label.setText(f"{format_int(self.model.total)} buổi họp")
        self._update_buttons()

    def show_link(self, what: str) -> None:
        """The start page's "minutes not finalised": every draft meeting."""
        if what == DRAFT_MINUTES:
            self.filters.show_status(MeetingStatus.DRAFT)

    def selected(self) -> MeetingRow | None:
        return selected_row(self.table)

    def select(self, meeting_id: str | None) -> None:
        select_row(self.table, meeting_id, COL_WHEN)

    def _update_buttons(self) -> None:
        row = self.selected()
        draft = row is not None and row.status == MeetingStatus.DRAFT
        for button in (self.open_button, self.view_button, self.save_pdf_button):
            button.setEnabled(row is not None)
        set_enabled(self.finalise_button, draft)
        set_enabled(self.amend_button, row is not None and row.status == MeetingStatus.FINAL)
        set_enabled(self.delete_button, draft and row.minutes_number is None)
        self.blank_button.setEnabled(bool(self._blank_group()))

    def _blank_group(self) -> tuple[str, str] | None:
        """The group of the blank form: the group filter, else the selected meeting's."""
        if self.filters.group.currentData():
            return self.filters.group.currentData(), self.filters.group.currentText()
        row = self.selected()
        return (row.group_id, row.group_name) if row else None

    # ---- records --------------------------------------------------------
    def new_record(self) -> None:
        self.dialog = NewMeetingDialog(self.ctx, group_id=self.filters.group.currentData(),
                                       hamlet_id=self.filters.hamlet.currentData(), parent=self)
        self.dialog.accepted.connect(self._on_created)
        self.dialog.open()

    def _on_created(self) -> None:
        self._saved_id = self.dialog.result_value  # the list is being read again: select it then
        self.open_editor(self.dialog.result_value)

    def edit_selected(self) -> None:
        if (row := self.selected()) is not None:
            self.open_editor(row.id)

    def open_editor(self, meeting_id: str) -> MeetingEditor | None:
        editor = self.editors.get(meeting_id)
        if editor is None:
            try:
                editor = MeetingEditor(self.ctx, meeting_id, self)
            except UserError as exc:  # deleted meanwhile
                show_error(self, exc)
                return None
            editor.closed.connect(self._on_editor_closed)
            editor.view_requested.connect(self._on_editor_view)
            self.editors[meeting_id] = editor
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def finalise_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != MeetingStatus.DRAFT:
            return
        if row.id in self.editors:  # it saves what is typed first
            self.editors[row.id].finalise()
        elif confirm(self, "Hoàn tất biên bản", f"Hoàn tất và khóa biên bản {row.group_name} ngày "
                     f"{row.starts_at:%d/%m/%Y}?\nSau đó chỉ sửa được bằng đính chính có ghi lý do.",
                     "Hoàn tất"):
            self.ctx.write(meeting_drafts.finalise_draft, row.id, parent=self)

    def amend_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != MeetingStatus.FINAL:
            return
        if row.id in self.editors:
            self.open_editor(row.id)
            self.editors[row.id].amend()
        else:
            self.prompt = amend_with_reason(self.ctx, self, row.id, on_done=lambda _id: self.open_editor(row.id))

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != MeetingStatus.DRAFT or row.minutes_number is not None:
            return
        if not confirm(self, "Xóa bản nháp", f"Xóa bản nháp biên bản {row.group_name} ngày "
                       f"{row.starts_at:%d/%m/%Y}?", "Xóa"):
            return
        if (editor := self.editors.get(row.id)) is not None:
            editor.autosaver.cancel()
            editor.close()
        self.ctx.write(meeting_drafts.delete_draft, row.id, parent=self)

    # ---- printed minutes ------------------------------------------------
    def _on_view(self) -> None:
        if (row := self.selected()) is not None:
            self._show_minutes(row.id, row.group_name, row.starts_at, self)

    def _on_editor_view(self, meeting_id: str) -> None:
        if (editor := self.editors.get(meeting_id)) is not None:
            self._show_minutes(meeting_id, editor.draft.group_name, editor.draft.starts_at, editor)

    def _show_minutes(self, meeting_id: str, group_name: str, day, parent: QWidget) -> None:
        editor = self.editors.get(meeting_id)
        if editor is not None and not editor.save_now():  # the PDF shows what is typed
            return
        open_pdf(self.ctx, parent, for_record(write_minutes, meeting_id), minutes_file_name(group_name, day))

    def _on_save_pdf(self) -> None:
        if (row := self.selected()) is not None:
            if (editor := self.editors.get(row.id)) is not None and not editor.save_now():
                return
            save_pdf_or_word(self.ctx, self, for_record(write_minutes, row.id),
                             minutes_file_name(row.group_name, row.starts_at))

    def _on_blank(self) -> None:
        if (group := self._blank_group()) is not None:
            open_pdf(self.ctx, self, for_record(write_blank_minutes, group[0]), blank_file_name(group[1]))

    # ---- state ----------------------------------------------------------
    def _on_editor_closed(self, meeting_id: str) -> None:
        editor = self.editors.pop(meeting_id, None)
        if editor is not None:
            editor.deleteLater()

    def save_state(self) -> None:
        """The window is closing: every open editor stores what is typed first."""
        for editor in list(self.editors.values()):
            editor.close()
        super().save_state()
