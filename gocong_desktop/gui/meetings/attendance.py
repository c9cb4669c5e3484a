"""Tab "Điểm danh": one row per household of the group, its status chosen in
three radio-like columns, the reason and the representative typed in cells."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt,
                            Signal)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyle,
                               QStyledItemDelegate, QStyleOptionButton, QStyleOptionViewItem, QTableView,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.db.models import AttendanceStatus
from gocong_desktop.core.services.meeting_drafts import AttendanceDraft, MeetingDraft
from gocong_desktop.gui.widgets.columns import fit_columns
from gocong_desktop.gui.widgets.list_model import ListTableModel
from gocong_desktop.gui.widgets.mnemonics import SKIP, retext

(COL_NUMBER, COL_HOUSEHOLD, COL_ADDRESS, COL_PRESENT, COL_EXCUSED, COL_UNEXCUSED, COL_REASON,
 COL_REPRESENTATIVE) = range(8)
HEADERS = ["STT", "Chủ hộ", "Địa chỉ", "Có mặt", "Vắng có\nlý do", "Vắng không\nlý do", "Lý do vắng",
           "Người đại diện dự họp"]
STATUS_OF_COLUMN = {COL_PRESENT: AttendanceStatus.PRESENT, COL_EXCUSED: AttendanceStatus.ABSENT_EXCUSED,
                    COL_UNEXCUSED: AttendanceStatus.ABSENT_UNEXCUSED}
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
ALL_PRESENT_KEY = "Ctrl+Shift+A"
UNMARKED_BACKGROUND = QColor("#fff6dc")


def count_text(rows: list[AttendanceDraft]) -> str:
    """"21/25 hộ có mặt (vắng có lý do: 3; không lý do: 1; chưa điểm danh: 2)"."""
    count = {s: sum(1 for r in rows if r.status == s) for s in AttendanceStatus}
    unmarked = count[AttendanceStatus.UNMARKED]
    return (f"{count[AttendanceStatus.PRESENT]}/{len(rows)} hộ có mặt "
            f"(vắng có lý do: {count[AttendanceStatus.ABSENT_EXCUSED]}; "
            f"không lý do: {count[AttendanceStatus.ABSENT_UNEXCUSED]}"
            + (f"; chưa điểm danh: {unmarked})" if unmarked else ")"))


class AttendanceModel(ListTableModel[AttendanceDraft]):
    HEADERS = HEADERS
    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.read_only = False

    def set_rows(self, rows: list[AttendanceDraft]) -> None:
        self.beginResetModel()
        self._rows = [replace(r) for r in rows]
        self.endResetModel()

    def append_rows(self, rows: list[AttendanceDraft]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(replace(r) for r in rows)
            self.endInsertRows()
            self.edited.emit()

    def rows(self) -> list[AttendanceDraft]:
        return [replace(r) for r in self._rows]

    def set_status(self, row: int, status: str) -> None:
        if self._rows[row].status != status:
            self._rows[row].status = status
            self.dataChanged.emit(self.index(row, COL_PRESENT), self.index(row, COL_REPRESENTATIVE))
            self.edited.emit()

    def set_all_present(self) -> None:
        for row in range(len(self._rows)):
            self.set_status(row, AttendanceStatus.PRESENT)

    # ---- Qt model -------------------------------------------------------
    def _editable_text(self, row: AttendanceDraft, column: int) -> bool:
        if column == COL_REASON:
            return row.status == AttendanceStatus.ABSENT_EXCUSED
        return column == COL_REPRESENTATIVE and row.status == AttendanceStatus.PRESENT

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only or not index.isValid():
            return flags
        if index.column() in STATUS_OF_COLUMN:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        if self._editable_text(self._rows[index.row()], index.column()):
            return flags | Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if column in STATUS_OF_COLUMN:
            if role == Qt.ItemDataRole.CheckStateRole:
                checked = row.status == STATUS_OF_COLUMN[column]
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = {COL_NUMBER: str(index.row() + 1), COL_HOUSEHOLD: row.household_name,
                      COL_ADDRESS: row.address, COL_REASON: row.reason, COL_REPRESENTATIVE: row.representative}
            return values.get(column) or ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_NUMBER:
            return _CENTER
        if role == Qt.ItemDataRole.BackgroundRole and row.status == AttendanceStatus.UNMARKED:
            return UNMARKED_BACKGROUND  # still to mark: stands out in a long list
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (Qt.ItemFlag.ItemIsEditable
                                                           | Qt.ItemFlag.ItemIsUserCheckable):
            return False
        column = index.column()
        if column in STATUS_OF_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            if Qt.CheckState(value) == Qt.CheckState.Checked:  # unticking alone chooses nothing
                self.set_status(index.row(), STATUS_OF_COLUMN[column])
            return True
        if role != Qt.ItemDataRole.EditRole or column not in (COL_REASON, COL_REPRESENTATIVE):
            return False
        key = "reason" if column == COL_REASON else "representative"
        setattr(self._rows[index.row()], key, str(value) or None)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


class RadioDelegate(QStyledItemDelegate):
    """Draws a status cell as a centred radio button; a click anywhere in the cell
    (or Space) chooses it."""

    def paint(self, painter, option, index) -> None:
        style = option.widget.style() if option.widget else QApplication.style()
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, option.widget)
        size = style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth)
        rect = option.rect
        radio = QStyleOptionButton()
        radio.rect = QRect(rect.x() + (rect.width() - size) // 2, rect.y() + (rect.height() - size) // 2,
                           size, size)
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        radio.state = QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        if index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            radio.state |= QStyle.StateFlag.State_Enabled
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, radio, painter, option.widget)

    def editorEvent(self, event, model, option, index) -> bool:  # noqa: N802 (Qt name)
        if not index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return False
        chosen = (event.type() == QEvent.Type.MouseButtonRelease
                  or (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Space,
                                                                                Qt.Key.Key_Select)))
        if chosen:
            return model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        return event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)


class AttendanceTab(QWidget):
    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._missing: list[AttendanceDraft] = []
        self._build()
        self._wire()

    def _build(self) -> None:
        self.count_label = QLabel()
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.all_present_button = QPushButton("Có &mặt tất cả")
        self.all_present_button.setToolTip(f"Đánh dấu mọi hộ có mặt ({ALL_PRESENT_KEY}); sau đó chọn vắng "
                                           "cho hộ vắng")
        self.add_missing_button = QPushButton()
        self.add_missing_button.setProperty(SKIP, True)  # its text changes with the count
        self.model = AttendanceModel(self)
        self.table = self._build_table()
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.add_missing_button)
        top.addWidget(self.all_present_button)
        hint = QLabel("Bấm vào ô (hoặc dùng phím mũi tên và phím cách) để chọn có mặt hoặc vắng; nhấp đúp "
                      "hoặc gõ vào ô «Lý do vắng», «Người đại diện» để nhập. "
                      f"{ALL_PRESENT_KEY}: mọi hộ có mặt.", wordWrap=True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setItemDelegateForColumn(COL_PRESENT, RadioDelegate(table))
        table.setItemDelegateForColumn(COL_EXCUSED, RadioDelegate(table))
        table.setItemDelegateForColumn(COL_UNEXCUSED, RadioDelegate(table))
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab leaves the grid; arrows move inside it
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        widths = {COL_NUMBER: "STT", COL_HOUSEHOLD: "Nguyễn Thị Ngọc Bích", COL_ADDRESS: "10 đường liên ấp",
                  COL_PRESENT: "Có mặt", COL_EXCUSED: "Vắng không", COL_UNEXCUSED: "Vắng không",
                  COL_REASON: "Đi làm ăn xa ở Bình Dương"}
        fit_columns(table, COL_ADDRESS, widths)  # the address gives way first (gui/widgets/columns.py)
        table.horizontalHeader().setSectionResizeMode(COL_NUMBER, QHeaderView.ResizeMode.Fixed)
        table.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed
                              | QTableView.EditTrigger.AnyKeyPressed)
        return table

    def _wire(self) -> None:
        self.model.edited.connect(self._on_edited)
        self.all_present_button.clicked.connect(self.model.set_all_present)
        QShortcut(QKeySequence(ALL_PRESENT_KEY), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                  activated=self.all_present_button.click)  # off when read-only
        self.add_missing_button.clicked.connect(self._on_add_missing)

    # ---- data -----------------------------------------------------------
    def load(self, d: MeetingDraft) -> None:
        self.model.set_rows(d.attendance)
        self._missing = list(d.missing_households)
        self._update()

    def collect(self, d: MeetingDraft) -> None:
        d.attendance = self.model.rows()
        listed = {a.household_id for a in d.attendance}
        d.missing_households = [m for m in self._missing if m.household_id not in listed]

    def set_read_only(self, read_only: bool) -> None:
        self.model.beginResetModel()
        self.model.read_only = read_only
        self.model.endResetModel()
        self.all_present_button.setEnabled(not read_only)
        self._update()

    def _update(self) -> None:
        self.count_label.setText(count_text(self.model.rows()))
        retext(self.add_missing_button, f"Thêm hộ mới vào tổ ({len(self._missing)})")
        self.add_missing_button.setToolTip(", ".join(m.household_name for m in self._missing))
        self.add_missing_button.setVisible(bool(self._missing) and not self.model.read_only)

    # ---- slots ----------------------------------------------------------
    def _on_edited(self) -> None:
        self._update()
        self.edited.emit()

    def _on_add_missing(self) -> None:
        missing, self._missing = self._missing, []
        self.model.append_rows(missing)
        self._update()
