"""What importing one package would do, before anything is written: per kind
of record, how many are new, updated, unchanged, deleted or in conflict, and
the warnings (packages still missing, a broken chain). "Nhập" applies it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gocong_desktop.core.sync import ImportResult
from gocong_desktop.core.sync.kinds import LABELS
from gocong_desktop.core.text import format_int
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

FIELDS = (
    ("new", "Mới"),
    ("updated", "Cập nhật"),
    ("unchanged", "Không đổi"),
    ("deleted", "Xóa"),
    ("conflicts", "Xung đột"),
)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _item(text: str, *, right: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    if right:
        item.setTextAlignment(_RIGHT)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


class SyncPreviewDialog(FittedDialog):
    def __init__(self, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_preview = result
        self.setWindowTitle("Xem trước gói đồng bộ")
        scope = "toàn bộ dữ liệu" if result.full else "các thay đổi"
        heading = QLabel(  # the name and the file's name escaped: the package's words are not markup
            f"<b>{escape(result.sender_name or '')}</b> – gói số {result.sequence} ({scope})<br>"
            f"Tệp: {escape(result.path.name)}"
        )
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        self.table = self._build_table(result)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel("Chưa có gì được ghi. Nếu nhập, các bản ghi sẽ thay đổi như sau:"))
        layout.addWidget(self.table)
        notes = list(result.warnings)
        if result.conflicts:
            notes.append(
                f"{format_int(result.conflicts)} bản ghi cùng phiên bản nhưng khác nội dung: giữ lại "
                "cả hai bản để người xem xét ở thẻ «Xung đột», không bản nào bị bỏ."
            )
        self.notes = QLabel("\n".join(f"Lưu ý: {n}" for n in notes))
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #9a4d00;")
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(self)  # in the dialog before setDefault (form_parts.make_default)
        self.import_button = buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.addButton("Không nhập gói này", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _build_table(self, result: ImportResult) -> QTableWidget:
        kinds = [(k, c) for k, c in result.changes.items() if c.changes or c.unchanged]
        table = QTableWidget(len(kinds) + 1, len(FIELDS) + 1)
        table.setHorizontalHeaderLabels(["Loại bản ghi", *[label for _f, label in FIELDS]])
        table.setTabKeyNavigation(False)  # Tab moves on; arrows move inside
        table.verticalHeader().setVisible(False)
        totals = dict.fromkeys((f for f, _l in FIELDS), 0)
        for row, (kind, counts) in enumerate(kinds):
            table.setItem(row, 0, _item(LABELS.get(kind, kind)))
            for col, (name, _label) in enumerate(FIELDS, start=1):
                value = getattr(counts, name)
                totals[name] += value
                table.setItem(row, col, _item(format_int(value) if value else "", right=True))
        table.setItem(len(kinds), 0, _item("Tổng cộng", bold=True))
        for col, (name, _label) in enumerate(FIELDS, start=1):
            table.setItem(len(kinds), col, _item(format_int(totals[name]), right=True, bold=True))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(FIELDS) + 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def totals(self) -> dict[str, int]:
        """The last row, as numbers (for tests)."""
        last = self.table.rowCount() - 1
        return {
            name: int(self.table.item(last, col).text().replace(".", "") or 0)
            for col, (name, _label) in enumerate(FIELDS, start=1)
        }
