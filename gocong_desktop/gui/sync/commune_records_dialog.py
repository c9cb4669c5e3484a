"""A commune's imported records at the upper office, read-only: groups, households
and meetings owned by the commune (``owner_unit_id``). Citizen IDs are masked."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from gocong_desktop.core.text import format_date, format_int
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


class CommuneRecordsDialog(FittedDialog):
    """Opened from a row of the comparison dashboard; nothing here can be edited."""

    def __init__(self, name: str, records: tuple[list, list, list], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Hồ sơ của {name} (chỉ xem)")
        self.tabs = QTabWidget()
        self.models = []
        for title, columns, rows in zip(("Tổ", "Hộ gia đình", "Sinh hoạt tổ"),
                                        (GROUP_COLUMNS, HOUSEHOLD_COLUMNS, MEETING_COLUMNS), records):
            model = RowsTableModel(columns, parent=self)
            model.set_rows(rows)
            self.models.append(model)
            self.tabs.addTab(make_table(model), f"{title} ({format_int(len(rows))})")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Dữ liệu {name} gửi lên qua các gói đồng bộ; chỉ xã mới sửa được."))
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(900, 560)
