"""Pledge coverage as a tree: the commune, its hamlets, their groups, each with
the households signed, not yet signed, refused and the percentage signed.
Choosing a row chooses what the checklist beside it shows."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStyledItemDelegate, QTreeWidget, QTreeWidgetItem, QWidget

from gocong_desktop.core.services.pledge_coverage import CoverageReport, CoverageRow
from gocong_desktop.core.text import format_int, format_percent
from gocong_desktop.gui.widgets.columns import fit_columns

COL_AREA, COL_SIGNED, COL_UNSIGNED, COL_REFUSED, COL_TOTAL, COL_PERCENT = range(6)
HEADERS = ["Khu vực", "Đã ký", "Chưa ký", "Từ chối", "Tổng số hộ", "Tỷ lệ"]
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SCOPE_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class _RightAligned(QStyledItemDelegate):
    """Figures to the right, set as a cell is painted (not stored on every item)."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt name)
        super().initStyleOption(option, index)
        option.displayAlignment = _RIGHT


@dataclass(frozen=True)
class Scope:
    """What a row stands for: the whole commune, a hamlet, or a group (group_id
    None with a hamlet: that hamlet's households not yet in a group)."""
    level: str
    name: str
    hamlet_id: str | None = None
    group_id: str | None = None


class CoverageTree(QTreeWidget):
    scope_changed = Signal(object)  # Scope or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(HEADERS))
        self.setHeaderLabels(HEADERS)
        self.setAlternatingRowColors(True)
        figures = _RightAligned(self)
        for column in range(1, len(HEADERS)):
            self.setItemDelegateForColumn(column, figures)
        # Figures as wide as "100.000" or their header; the area's name takes the rest but
        # never less than its longest name (measured once: gui/widgets/columns.py).
        fit_columns(self, COL_AREA, {column: "100.000" for column in range(1, len(HEADERS))})
        self.currentItemChanged.connect(lambda current, _prev: self.scope_changed.emit(self.current_scope()))

    def set_report(self, report: CoverageReport) -> None:
        """Rebuild, keeping the chosen row when it is still there."""
        chosen = self.current_scope()
        self.blockSignals(True)
        self.clear()
        # Built apart from the view, then added at once: one insertion, not one per row.
        top = self._item(None, report.commune, Scope("commune", f"Toàn {report.commune.name}"), bold=True)
        for hamlet in report.hamlets:
            h_item = self._item(top, hamlet, Scope("hamlet", f"{hamlet.name}", hamlet_id=hamlet.id))
            for group in report.groups_of(hamlet.id):
                self._item(h_item, group, Scope("group", group.name, hamlet_id=hamlet.id, group_id=group.id))
        self.addTopLevelItem(top)
        self.expandAll()
        self.setCurrentItem((self.item_of(chosen) if chosen else None) or top)
        self.blockSignals(False)
        self.scope_changed.emit(self.current_scope())  # once, whether or not the row changed

    def _item(self, parent, row: CoverageRow, scope: Scope, *, bold: bool = False) -> QTreeWidgetItem:
        values = [scope.name, format_int(row.signed), format_int(row.unsigned), format_int(row.refused),
                  format_int(row.total), format_percent(row.percent) if row.total else "–"]
        item = QTreeWidgetItem(values) if parent is None else QTreeWidgetItem(parent, values)
        item.setData(COL_AREA, SCOPE_ROLE, scope)
        item.setData(COL_AREA, ROW_ROLE, row)
        if bold:
            font = item.font(COL_AREA)
            font.setBold(True)
            for column in range(len(HEADERS)):
                item.setFont(column, font)
        return item

    @staticmethod
    def scope_of(item: QTreeWidgetItem | None) -> Scope | None:
        return item.data(COL_AREA, SCOPE_ROLE) if item is not None else None

    def current_scope(self) -> Scope | None:
        return self.scope_of(self.currentItem())

    def current_row(self) -> CoverageRow | None:
        """The figures of the chosen row."""
        item = self.currentItem()
        return item.data(COL_AREA, ROW_ROLE) if item is not None else None

    def item_of(self, scope: Scope) -> QTreeWidgetItem | None:
        for item in self._all_items():
            s = self.scope_of(item)
            if (s.level, s.group_id) == (scope.level, scope.group_id) and scope.hamlet_id in (None, s.hamlet_id):
                return item
        return None

    def select(self, *, hamlet_id: str | None = None, group_id: str | None = None) -> None:
        """Choose the commune (no arguments), a hamlet or a group."""
        level = "group" if group_id else "hamlet" if hamlet_id else "commune"
        item = self.item_of(Scope(level, "", hamlet_id=hamlet_id, group_id=group_id))
        if item is not None:
            self.setCurrentItem(item)

    def _all_items(self) -> list[QTreeWidgetItem]:
        out, pending = [], [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while pending:
            item = pending.pop(0)
            out.append(item)
            pending.extend(item.child(i) for i in range(item.childCount()))
        return out
