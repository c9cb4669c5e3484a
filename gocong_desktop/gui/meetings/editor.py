"""The meeting editor: a window of its own (the list stays usable behind it),
four tabs of the minutes plus their amendment history, saved as you type.

A final record opens read-only; "Đính chính…" asks a reason, keeps the
version it replaces (visible in the last tab) and reopens it for editing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from gocong_desktop.core.errors import ConflictError, UserError
from gocong_desktop.core.services import meeting_drafts, meetings
from gocong_desktop.core.services.meeting_drafts import MeetingDraft, minutes_number_text, present_count
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import confirm
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.meetings.agenda import AgendaTab
from gocong_desktop.gui.meetings.attendance import AttendanceTab
from gocong_desktop.gui.meetings.autosave import Autosaver
from gocong_desktop.gui.meetings.fields import multiline
from gocong_desktop.gui.meetings.general import GeneralTab
from gocong_desktop.gui.meetings.history import HistoryTab, amend_with_reason
from gocong_desktop.gui.widgets.text_prompt import TextPrompt
from gocong_desktop.gui.widgets.keys import focus_first, tab_switching
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics

TAB_GENERAL, TAB_ATTENDANCE, TAB_AGENDA, TAB_CONCLUSION, TAB_HISTORY = range(5)
PROBLEM_STYLE, OK_STYLE = "color: #b00020;", "color: #2e6b30;"
FINAL_BANNER_STYLE = "background: #e8f0e8; padding: 6px; border-radius: 3px;"
DRAFT_BANNER_STYLE = "background: #fff6dc; padding: 6px; border-radius: 3px;"
HISTORY_TAB = "Các lần đính c&hính"
CONCLUSION_HINT = "Kết luận chung của cuộc họp: những việc thống nhất thực hiện, ai làm, khi nào…"


class MeetingEditor(QWidget):
    closed = Signal(str)  # meeting id
    view_requested = Signal(str)  # "Xem biên bản": the page shows the PDF

    def __init__(self, ctx: AppContext, meeting_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.meeting_id = ctx, meeting_id
        self.draft: MeetingDraft | None = None
        self.read_only = False
        self._loading = False
        self.prompt: TextPrompt | None = None  # the amendment's reason being asked
        self.autosaver = Autosaver(ctx, meeting_id, self._collect, self)
        self._build()
        self._wire()
        self.reload()
        self._fit_screen()
        assign_mnemonics(self)

    # ---- layout ---------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel(wordWrap=True)
        self.general, self.attendance, self.agenda = GeneralTab(), AttendanceTab(), AgendaTab()
        self.conclusion = multiline(6, CONCLUSION_HINT, grow=True)
        self.history = HistoryTab(self.ctx)
        self.tabs = QTabWidget()
        conclusion_page = QWidget()
        conclusion_layout = QVBoxLayout(conclusion_page)
        conclusion_layout.addWidget(QLabel("Kết luận cuộc họp (phần III của biên bản):"))
        conclusion_layout.addWidget(self.conclusion, 1)
        for page, title in ((self.general, "Thông tin &chung"), (self.attendance, "Điểm &danh"),
                            (self.agenda, "&Nội dung && biểu quyết"), (conclusion_page, "&Kết luận"),
                            (self.history, HISTORY_TAB)):
            self.tabs.addTab(page, title)
        self.status = QLabel()
        self.view_button = QPushButton("&Xem biên bản…")
        self.finalise_button = QPushButton("Hoàn &tất biên bản…")
        self.amend_button = QPushButton("Đính chính…")
        self.close_button = QPushButton("Đón&g")
        self.close_button.setToolTip("Đóng cửa sổ (Esc); những gì đã gõ được lưu trước")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.view_button, self.finalise_button, self.amend_button, self.close_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _wire(self) -> None:
        for tab in (self.general, self.attendance, self.agenda):
            tab.edited.connect(self._on_edited)
        self.conclusion.textChanged.connect(self._on_edited)
        self.attendance.edited.connect(
            lambda: self.agenda.set_present(present_count(self.attendance.model.rows())))
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.failed.connect(self._on_save_failed)
        self.autosaver.status_changed.connect(self._on_status)
        self.view_button.clicked.connect(lambda: self.view_requested.emit(self.meeting_id))
        self.finalise_button.clicked.connect(self.finalise)
        self.amend_button.clicked.connect(self.amend)
        self.close_button.clicked.connect(self.close)
        tab_switching(self.tabs, self)
        self.tabs.currentChanged.connect(self._on_tab_changed)

    def _fit_screen(self) -> None:
        """1366×768 screens are common in commune offices: never larger than the screen."""
        area = self.screen().availableGeometry()
        self.resize(min(1280, area.width() - 40), min(720, area.height() - 40))

    # ---- data -----------------------------------------------------------
    def reload(self) -> None:
        """Show the stored record (on opening, after finalising or amending)."""
        self.autosaver.cancel()
        self.draft = self.ctx.read(meeting_drafts.load_draft, self.meeting_id)
        self._loading = True
        try:
            for tab in (self.general, self.attendance, self.agenda):
                tab.load(self.draft)
            self.conclusion.setPlainText(self.draft.closing_conclusion or "")
        finally:
            self._loading = False
        entries = self.ctx.read(meeting_drafts.meeting_history, self.meeting_id)
        self.history.load(entries)
        self.tabs.setTabText(TAB_HISTORY, f"{HISTORY_TAB} ({len(entries)})" if entries else HISTORY_TAB)
        self._set_read_only(self.draft.is_final)
        self._update_banner()
        self.general.errors.clear()
        self._check_same_day()

    def _collect(self) -> tuple[MeetingDraft, dict[int, Any]]:
        owners: dict[int, Any] = {}
        draft = replace(self.draft, guests=[], attendance=[], agenda=[])
        self.general.collect(draft, owners)
        self.attendance.collect(draft)
        self.agenda.collect(draft, owners)
        draft.closing_conclusion = self.conclusion.toPlainText()
        return draft, owners

    def _set_read_only(self, read_only: bool) -> None:
        writer = self.ctx.can_write()  # a viewer reads and prints only
        self.read_only = read_only = read_only or not writer
        for tab in (self.general, self.attendance, self.agenda):
            tab.set_read_only(read_only)
        self.conclusion.setReadOnly(read_only)
        self.finalise_button.setVisible(not read_only)
        self.amend_button.setVisible(read_only and writer)

    def _check_same_day(self) -> None:
        d = self.draft
        self.general.show_same_day([] if d.is_final else self.ctx.read(
            meetings.same_day_meetings, d.group_id, d.starts_at.date(), other_than=d.id))

    def _update_banner(self) -> None:
        d = self.draft
        when = f"{d.starts_at:%H:%M} ngày {format_date(d.starts_at.date())}"
        self.setWindowTitle(f"Biên bản sinh hoạt {d.group_name} – {when}")
        number = f"Số {minutes_number_text(d.minutes_number)}" if d.minutes_number else ""
        if d.is_final:
            text = (f"<b>Biên bản {number}</b> – {d.group_name}, ấp {d.hamlet_name}, {when}. "
                    "Đã hoàn tất và khóa; muốn sửa, bấm «Đính chính…» và ghi lý do.")
        elif d.minutes_number:
            text = (f"<b>Đang đính chính biên bản {number}</b> – {d.group_name}, {when}. Sửa xong, bấm "
                    "«Hoàn tất biên bản» để khóa lại (giữ nguyên số).")
        elif self.read_only:  # a viewer: nothing typed here is kept
            text = (f"<b>Bản nháp</b> – {d.group_name}, ấp {d.hamlet_name}, {when}. Tài khoản của bạn "
                    "chỉ xem và in được, không sửa được biên bản.")
        else:
            text = (f"<b>Bản nháp</b> – {d.group_name}, ấp {d.hamlet_name}, {when}. Mọi thay đổi được "
                    "tự động lưu.")
        self.banner.setText(text)
        self.banner.setStyleSheet(FINAL_BANNER_STYLE if d.is_final else DRAFT_BANNER_STYLE)

    # ---- actions --------------------------------------------------------
    def save_now(self) -> bool:
        """Store what is typed now and wait (closing, finalising)."""
        return self.read_only or self.autosaver.flush()

    def finalise(self) -> None:
        if self.read_only or not self._ready_to_finalise():
            return
        if not confirm(self, "Hoàn tất biên bản", "Hoàn tất và khóa biên bản này?\nBiên bản sẽ được đánh "
                       "số; sau đó chỉ sửa được bằng đính chính có ghi lý do.", "Hoàn tất"):
            return
        if not self.save_now():
            error = self.autosaver.last_error
            if isinstance(error, UserError):
                self.go_to_field(error.field)
            show_error(self, error or UserError("Chưa lưu được các thay đổi."))
            return
        self._set_read_only(True)  # nothing typed meanwhile would be kept
        self.ctx.write(meeting_drafts.finalise_draft, self.meeting_id, on_done=self._on_finalised,
                       on_error=self._on_action_failed, parent=self)

    def _ready_to_finalise(self) -> bool:
        """Households left unmarked, votes above the households present: refused before
        asking to finalise, with the service's words."""
        draft, _owners = self._collect()
        try:
            meeting_drafts.check_marked(draft.attendance)
            meeting_drafts.check_votes(draft.agenda, present_count(draft.attendance))
        except UserError as exc:
            self.go_to_field(exc.field)
            show_error(self, exc)
            return False
        return True

    def amend(self) -> None:
        if not self.read_only:
            return
        self.prompt = amend_with_reason(self.ctx, self, self.meeting_id, on_done=lambda _id: self._on_amended())

    def go_to_field(self, field: str | None) -> None:
        """Show the tab (and agenda item) a message is about."""
        name = (field or "").split("[")[0].split(".")[0]
        if name == "agenda":
            self.tabs.setCurrentIndex(TAB_AGENDA)
            if "[" in (field or ""):
                self.agenda.list.setCurrentRow(int(field.split("[")[1].split("]")[0]))
        elif name == "attendance":
            self.tabs.setCurrentIndex(TAB_ATTENDANCE)
        elif name == "closing_conclusion":
            self.tabs.setCurrentIndex(TAB_CONCLUSION)
        elif name:
            self.tabs.setCurrentIndex(TAB_GENERAL)

    # ---- slots ----------------------------------------------------------
    def _on_tab_changed(self, index: int) -> None:
        """A tab chosen by Alt+letter: the cursor goes into it (not when Tab is on the tab row)."""
        page, focused = self.tabs.widget(index), QApplication.focusWidget()
        if focused is not self.tabs.tabBar() and not (focused and page.isAncestorOf(focused)):
            focus_first(page)

    def _on_edited(self, *_args: Any) -> None:
        if not self._loading and not self.read_only:
            self.autosaver.schedule()

    def _on_status(self, text: str, problem: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(PROBLEM_STYLE if problem else OK_STYLE)

    def _on_saved(self, sent: MeetingDraft, result: MeetingDraft, owners: dict[int, Any]) -> None:
        """Rows added by this save now have ids: give them to their widgets."""
        pairs = list(zip(sent.guests, result.guests)) + list(zip(sent.agenda, result.agenda))
        for before, after in zip(sent.agenda, result.agenda):
            pairs += list(zip(before.opinions, after.opinions))
        for before, after in pairs:
            widget = owners.get(id(before))
            if widget is not None and widget.record_id is None:
                widget.record_id = after.id
        moved = result.starts_at.date() != self.draft.starts_at.date()
        self.draft = replace(self.draft, **{k: getattr(result, k) for k in meeting_drafts.HEADER_FIELDS})
        self.general.errors.clear()
        if moved:
            self._check_same_day()

    def _on_save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):  # finalised elsewhere meanwhile
            show_error(self, exc)
            self.reload()
        elif isinstance(exc, UserError):
            self.general.errors.clear()
            self.general.errors.show(exc)
        else:
            show_error(self, exc)

    def _on_finalised(self, number: int) -> None:
        self.reload()
        self._on_status(f"Đã hoàn tất: biên bản Số {minutes_number_text(number)}", False)

    def _on_amended(self) -> None:
        self.reload()
        self.tabs.setCurrentIndex(TAB_GENERAL)
        self._on_status("Đã mở lại để đính chính; bản trước được lưu ở tab «Các lần đính chính».", False)

    def _on_action_failed(self, exc: BaseException) -> None:
        self._set_read_only(self.draft.is_final)
        if isinstance(exc, UserError):
            self.go_to_field(exc.field)
            self.general.errors.show(exc)
        show_error(self, exc)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self.property("shown_once"):  # the cursor starts in the first field, ready to type
            self.setProperty("shown_once", True)
            focus_first(self.tabs.currentWidget())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Esc closes, as in a dialog (a cell being edited takes its own Esc first)."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if not self.save_now():
            error = self.autosaver.last_error
            message = error.message if isinstance(error, UserError) else "Đã xảy ra lỗi khi lưu."
            if not confirm(self, "Chưa lưu được", f"Chưa lưu được các thay đổi mới nhất:\n{message}\n\n"
                           "Đóng cửa sổ và bỏ những thay đổi chưa lưu?", "Đóng, bỏ thay đổi"):
                event.ignore()
                return
            self.autosaver.cancel()
        self.closed.emit(self.meeting_id)
        super().closeEvent(event)
