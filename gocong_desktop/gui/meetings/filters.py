"""The filter bar of the meetings list: hamlet, group, period (a year, a quarter
or typed dates) and status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from gocong_desktop.core.db.models import MeetingStatus
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.services import groups, hamlets, meeting_drafts
from gocong_desktop.core.services.meeting_drafts import ROMAN, STATUS_TEXT
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.widgets.form_parts import date_from_text, fill_filter_combo
from gocong_desktop.gui.widgets.form_errors import ERROR_STYLE
from gocong_desktop.gui.widgets.flow import FlowLayout, labelled
from gocong_desktop.gui.widgets.fold_combo import fold_search

CUSTOM = "custom"
ALL_TIME = "Mọi thời gian"
CUSTOM_TEXT = "Khoảng ngày tự chọn"


@dataclass
class MeetingQuery:
    hamlet_id: str | None = None
    group_id: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None


def periods(years: list[int], today: date) -> list[tuple[str, tuple[date, date] | None]]:
    """"Năm 2024", then its quarters (those begun by ``today``), newest year first."""
    items: list[tuple[str, tuple[date, date] | None]] = [(ALL_TIME, None)]
    for year in years:
        items.append((f"Năm {year}", (date(year, 1, 1), date(year, 12, 31))))
        for quarter in range(1, 5):
            start = date(year, 3 * quarter - 2, 1)
            if start <= today:
                end = date(year, 3 * quarter + 1, 1) if quarter < 4 else date(year + 1, 1, 1)
                items.append((f"Quý {ROMAN[quarter]}/{year}", (start, date.fromordinal(end.toordinal() - 1))))
    return items


def _choices(session, hamlet_id: str | None) -> tuple:
    """The filters' lists: hamlets, the chosen hamlet's groups, the years with meetings."""
    return (hamlets.list_hamlets(session), groups.group_choices(session, hamlet_id=hamlet_id),
            meeting_drafts.meeting_years(session))


class MeetingFilters(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._build()
        self._wire()

    def _build(self) -> None:
        self.hamlet, self.group, self.period, self.status = (fold_search(QComboBox()) for _ in range(4))
        self.since = QLineEdit(placeholderText="từ ngày")
        self.until = QLineEdit(placeholderText="đến ngày")
        for edit in (self.since, self.until):
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.status.addItem("Tất cả", None)
        for status in MeetingStatus:
            self.status.addItem(STATUS_TEXT[status], status.value)
        self.error = QLabel(styleSheet=ERROR_STYLE)
        # Wraps onto a second line on a small screen (gui/widgets/flow.py).
        layout = FlowLayout(self)
        period = QWidget()
        dates = QHBoxLayout(period)
        dates.setContentsMargins(0, 0, 0, 0)
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for widget in (QLabel("Thời gian:"), self.period, self.since, QLabel("–"), self.until):
            dates.addWidget(widget)
        for widget in (labelled("Ấp:", self.hamlet), labelled("Tổ:", self.group), period,
                       labelled("Trạng thái:", self.status), self.error):
            layout.addWidget(widget)

    def _wire(self) -> None:
        self.hamlet.currentIndexChanged.connect(self._on_hamlet_changed)
        self.group.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.status.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.since.editingFinished.connect(self._on_dates_typed)
        self.until.editingFinished.connect(self._on_dates_typed)

    # ---- data -----------------------------------------------------------
    def reload(self) -> None:
        """Fill the choices again (read off the UI thread), keeping what is chosen."""
        self.ctx.query(_choices, self.hamlet.currentData(), on_done=self._on_choices, parent=self,
                       key=(self, "choices"))

    def _on_choices(self, choices: tuple) -> None:
        hamlet_rows, group_rows, years = choices
        fill_filter_combo(self.hamlet, "Tất cả các ấp", [(h.name, h.id) for h in hamlet_rows])
        fill_filter_combo(self.group, "Tất cả các tổ", [(g.name, g.id) for g in group_rows])
        chosen = self.period.currentText()
        self.period.blockSignals(True)
        self.period.clear()
        for text, span in periods(years, date.today()):
            self.period.addItem(text, span)
        self.period.addItem(CUSTOM_TEXT, CUSTOM)
        self.period.setCurrentIndex(max(self.period.findText(chosen), 0))
        self.period.blockSignals(False)

    def _fill_groups_then_apply(self) -> None:
        def on_groups(rows: list) -> None:
            fill_filter_combo(self.group, "Tất cả các tổ", [(g.name, g.id) for g in rows])
            self.changed.emit()
        self.ctx.query(groups.group_choices, hamlet_id=self.hamlet.currentData(), on_done=on_groups, parent=self,
                       key=(self, "groups"))

    def query(self) -> MeetingQuery:
        query = MeetingQuery(self.hamlet.currentData(), self.group.currentData(), self.status.currentData())
        try:
            query.since = date_from_text(self.since.text(), field="since")
            query.until = date_from_text(self.until.text(), field="until")
        except UserError:
            pass  # shown when typed; the list keeps the last good dates
        return query

    def show_status(self, status: str) -> None:
        """Every meeting with this status (the start page's drafts): the other filters cleared."""
        combos = (self.hamlet, self.group, self.period, self.status)
        for combo in combos:
            combo.blockSignals(True)
        for combo in (self.hamlet, self.group, self.period):
            combo.setCurrentIndex(0)  # all hamlets, all groups, all time
        self.status.setCurrentIndex(self.status.findData(status))
        self.since.clear()
        self.until.clear()
        self.error.clear()
        for combo in combos:
            combo.blockSignals(False)
        self._fill_groups_then_apply()  # the groups of every hamlet, then the list

    # ---- slots ----------------------------------------------------------
    def _on_hamlet_changed(self, _index: int) -> None:
        self._fill_groups_then_apply()

    def _on_period_changed(self, _index: int) -> None:
        span = self.period.currentData()
        if span == CUSTOM:
            self.since.setFocus()
            return
        self.since.setText(format_date(span[0]) if span else "")
        self.until.setText(format_date(span[1]) if span else "")
        self.error.clear()
        self.changed.emit()

    def _on_dates_typed(self) -> None:
        try:
            since = date_from_text(self.since.text(), field="since")
            until = date_from_text(self.until.text(), field="until")
        except UserError as exc:
            self.error.setText(exc.message.split(".")[0])
            self.error.setToolTip(exc.message)
            return
        self.error.clear()
        span = self.period.currentData()
        if span != CUSTOM and tuple(span or (None, None)) != (since, until):
            self.period.blockSignals(True)
            self.period.setCurrentIndex(self.period.findData(CUSTOM))
            self.period.blockSignals(False)
        self.changed.emit()

