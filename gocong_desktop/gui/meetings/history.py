"""Tab "Các lần đính chính": every amendment of final minutes with its date,
reason and author, and the replaced version readable as text."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from PySide6.QtWidgets import (QAbstractItemView, QDialogButtonBox, QHBoxLayout, QLabel,
                               QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.models import AttendanceStatus
from gocong_desktop.core.documents.minutes import write_superseded_minutes
from gocong_desktop.core.services import meeting_drafts
from gocong_desktop.core.services.common import field_text
from gocong_desktop.core.services.meeting_drafts import ATTENDANCE_TEXT, KIND_TEXT, AmendmentRow, minutes_number_text
from gocong_desktop.core.text import format_date, person_sort_key
from gocong_desktop.gui.widgets.columns import fit_columns
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.documents.pdf_preview import for_record, open_pdf
from gocong_desktop.gui.widgets.mnemonics import assign_mnemonics
from gocong_desktop.gui.widgets.screen_fit import FittedDialog
from gocong_desktop.gui.widgets.rows_table import read_only_grid
from gocong_desktop.gui.widgets.text_prompt import TextPrompt, ask_text_until_accepted

COL_DATE, COL_REASON, COL_BY = range(3)
NO_HISTORY = "Biên bản chưa được đính chính lần nào."


def amend_with_reason(ctx: AppContext, parent: QWidget, meeting_id: str,
                      on_done: Callable[[str], None] | None = None) -> TextPrompt:
    """Ask the reason (required) and reopen the final minutes for amendment; a reason
    the service refuses (missing, too long) is asked again, the box still holding it."""
    return ask_text_until_accepted(ctx, parent, "Đính chính biên bản", "Lý do đính chính (bắt buộc):",
                                   meeting_drafts.amend, meeting_id, text_arg="reason", on_done=on_done,
                                   check=lambda text: field_text("meeting_amendment", "reason", text))


# --------------------------------------------------------------------------- text


def snapshot_text(entry: AmendmentRow) -> str:
    """The version an amendment replaced, as text for people."""
    s, names = entry.previous_snapshot, entry.names
    return "\n".join([f"Bản trước lần đính chính ngày {format_date(entry.amended_on)}",
                      f"Lý do đính chính: {entry.reason}", ""] + _header_lines(s)
                     + _attendance_lines(s, names) + _agenda_lines(s, names)
                     + ["", "KẾT LUẬN", s.get("closing_conclusion") or "(chưa có)"])


def _when(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%H:%M ngày %d/%m/%Y") if value else "(chưa nhập)"


def _person(name: str | None, role: str | None) -> str:
    return " – ".join(p for p in (name, role) if p) or "(chưa nhập)"


def _header_lines(s: dict) -> list[str]:
    guests = [f"  - {' – '.join(p for p in g if p)}" for g in s["guests"]] or ["  (không có)"]
    return [f"Số biên bản: {minutes_number_text(s.get('minutes_number')) or '(chưa có)'}",
            f"Tiêu đề: {s.get('title') or ''}", f"Loại: {KIND_TEXT.get(s.get('kind'), s.get('kind'))}",
            f"Thời gian: từ {_when(s['starts_at'])} đến {_when(s.get('ends_at'))}",
            f"Địa điểm: {s.get('place') or ''}",
            f"Chủ trì: {_person(s.get('chair_name'), s.get('chair_role'))}",
            f"Thư ký: {_person(s.get('secretary_name'), s.get('secretary_role'))}", "Khách mời:", *guests]


def _attendance_lines(s: dict, names: dict[str, str]) -> list[str]:
    rows = s["attendance"]
    count = {k: sum(1 for r in rows if r[1] == k) for k in AttendanceStatus}
    lines = ["", f"ĐIỂM DANH: {count[AttendanceStatus.PRESENT]}/{len(rows)} hộ có mặt "
                 f"(vắng có lý do: {count[AttendanceStatus.ABSENT_EXCUSED]}; "
                 f"không lý do: {count[AttendanceStatus.ABSENT_UNEXCUSED]})"]
    for household_id, status, reason, representative in sorted(
            rows, key=lambda r: person_sort_key(names.get(r[0], ""))):
        extra = reason or representative
        lines.append(f"  - {names.get(household_id, household_id)}: {ATTENDANCE_TEXT.get(status, status)}"
                     + (f" ({extra})" if extra else ""))
    return lines


def _agenda_lines(s: dict, names: dict[str, str]) -> list[str]:
    lines = ["", "NỘI DUNG"]
    for number, item in enumerate(s["agenda"], start=1):
        lines.append(f"{number}. {item['title']}")
        if item.get("content"):
            lines.append(f"   Trình bày: {item['content']}")
        for household_id, speaker, text in item["opinions"]:
            who = f"hộ {names[household_id]}" if household_id in names else (speaker or "?")
            lines.append(f"   Ý kiến của {who}: {text}")
        if any(v is not None for v in item["votes"]):
            lines.append("   Biểu quyết: tán thành {}, không tán thành {}, ý kiến khác {}".format(
                *(0 if v is None else v for v in item["votes"])))
        if item.get("conclusion"):
            lines.append(f"   Kết luận: {item['conclusion']}")
    return lines


# --------------------------------------------------------------------------- widgets


class SnapshotDialog(FittedDialog):
    def __init__(self, entry: AmendmentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Bản trước lần đính chính ngày {format_date(entry.amended_on)}")
        self.text = QPlainTextEdit(snapshot_text(entry), readOnly=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 560)
        assign_mnemonics(self)  # Alt+letters, once every button exists


class HistoryTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.entries: list[AmendmentRow] = []
        self.dialog: SnapshotDialog | None = None
        self.summary = QLabel(NO_HISTORY, wordWrap=True)
        self.table = read_only_grid(QTableWidget(0, 3), ["Ngày đính chính", "Lý do", "Người đính chính"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table, COL_REASON, {COL_DATE: "00/00/0000 00:00"})
        self.view_button = QPushButton("Xem nội dung bản trước…")
        # The earlier version as it was printed, with its own code and marked as superseded.
        self.print_button = QPushButton("In bản trước (đã bị thay thế)…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.view_button.clicked.connect(self._on_view)
        self.print_button.clicked.connect(self._on_print)
        self.table.doubleClicked.connect(lambda _i: self._on_view())

    def load(self, entries: list[AmendmentRow]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in ((COL_DATE, format_date(entry.amended_on)), (COL_REASON, entry.reason),
                                 (COL_BY, entry.amended_by or "")):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if entries:
            self.table.selectRow(len(entries) - 1)
            self.summary.setText(f"Biên bản đã được đính chính {len(entries)} lần. Mỗi bản trước khi "
                                 "đính chính được giữ nguyên; chọn một dòng để xem.")
        else:
            self.summary.setText(NO_HISTORY)
        self.view_button.setEnabled(bool(entries))
        self.print_button.setEnabled(any(e.previous_hash for e in entries))

    def _on_print(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            entry = self.entries[rows[0].row()]
            day = datetime.fromisoformat(entry.previous_snapshot["starts_at"])
            open_pdf(self.ctx, self, for_record(write_superseded_minutes, entry.id),
                     f"bien-ban-{day:%Y-%m-%d}-ban-truoc-dinh-chinh-{entry.amended_on:%Y-%m-%d}.pdf",
                     title=f"Bản trước lần đính chính ngày {format_date(entry.amended_on)}")

    def _on_view(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.dialog = SnapshotDialog(self.entries[rows[0].row()], self)
            self.dialog.open()
