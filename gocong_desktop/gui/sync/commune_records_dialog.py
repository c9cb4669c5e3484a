"""A commune's imported records at the upper office, read-only: groups, households
and meetings owned by the commune (``owner_unit_id``). Citizen IDs are masked."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QTabWidget, QVBoxLayout, QWidget

from gocong_desktop.core.text import format_date, format_int, phrase_at_word_start
from gocong_desktop.gui.widgets.rows_table import Column, RowsTableModel, make_table
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

GROUP_COLUMNS = [Column("Tổ", lambda r: r.name, sample="Tổ NDTQ số 12"),
                 Column("Ấp", lambda r: r.hamlet, sample="Ấp Lợi An Đông"),
                 Column("Ngày thành lập", lambda r: format_date(r.founded) if r.founded else "",
                        sort=lambda r: r.founded or date.min),
                 Column("Trạng thái", lambda r: "Đang hoạt động" if r.active else "Ngừng hoạt động")]
HOUSEHOLD_COLUMNS = [Column("Chủ hộ", lambda r: r.head_name, sample="Nguyễn Thị Thanh Hương"),
                     Column("Ấp", lambda r: r.hamlet, sample="Ấp Lợi An Đông"),
                     Column("Tổ", lambda r: r.group, sample="Tổ NDTQ số 12"),
                     Column("Số người", lambda r: format_int(r.members), sort=lambda r: r.members, right=True),
                     Column("CCCD", lambda r: r.citizen_id, sample="•••••••••234"),
                     Column("Chuyển đi", lambda r: format_date(r.moved_out) if r.moved_out else "",
                            sort=lambda r: r.moved_out or date.min)]
MEETING_COLUMNS = [Column("Ngày", lambda r: format_date(r.starts_at.date()), sort=lambda r: r.starts_at),
                   Column("Tổ", lambda r: r.group, sample="Tổ NDTQ số 12"),
                   Column("Nội dung", lambda r: r.title, sample="Sinh hoạt Tổ NDTQ số 12 quý I năm 2024"),
                   Column("Biên bản", lambda r: "Đã hoàn tất" if r.final else "Bản nháp")]


TAB_TITLES = ("&Tổ", "&Hộ gia đình", "&Sinh hoạt tổ")  # Alt+letters that survive the counts


class CommuneRecordsDialog(FittedDialog):
    """Opened from a row of the comparison dashboard; nothing here can be edited.
    One search box filters the three lists as the pages' searches do (no marks needed)."""

    def __init__(self, name: str, records: tuple[list, list, list], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Hồ sơ của {name} (chỉ xem)")
        self.records = tuple(list(rows) for rows in records)
        self.search = QLineEdit(placeholderText="Tìm trong hồ sơ của xã: tên, ấp, tổ, nội dung (không cần dấu)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.tabs = QTabWidget()
        self.models = []
        for title, columns, rows in zip(TAB_TITLES, (GROUP_COLUMNS, HOUSEHOLD_COLUMNS, MEETING_COLUMNS),
                                        self.records):
            model = RowsTableModel(columns, parent=self)
            model.set_rows(rows)
            self.models.append(model)
            self.tabs.addTab(make_table(model), f"{title} ({format_int(len(rows))})")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Dữ liệu {name} gửi lên qua các gói đồng bộ; chỉ xã mới sửa được.",
                                textFormat=Qt.TextFormat.PlainText))
        layout.addWidget(self.search)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def _filter(self, query: str) -> None:
        """Each list keeps the rows with the phrase at the start of a word of any column;
        the tab says how many of how many."""
        for tab, (title, model, rows) in enumerate(zip(TAB_TITLES, self.models, self.records)):
            shown = [row for row in rows
                     if phrase_at_word_start(query, *(str(c.text(row) or "") for c in model.columns))]
            model.set_rows(shown)
            filtered = bool(query.strip()) and bool(rows)
            count = f"{format_int(len(shown))}/{format_int(len(rows))}" if filtered else format_int(len(rows))
            self.tabs.setTabText(tab, f"{title} ({count})")
