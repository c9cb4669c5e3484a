"""Báo cáo: the reports the program makes, gathered on one page.

A commune office: the review report of a period (its written sections composed
here; PDF, Word or Excel), the pledge
documents of a year (forms for every household, a group's register, the
households not signed) and a group's blank meeting minutes. An upper office:
the aggregate report across its communes (PDF or Excel). Each kind is one box
with what it contains and its buttons; the documents are the same as those of
the Mô hình, Cam kết, Sinh hoạt tổ and Đồng bộ pages (same builders)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from gocong_desktop.core.db.changes import table_set
from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.errors import UserError
from gocong_desktop.core.documents.minutes import write_blank_minutes
from gocong_desktop.core.services import groups, pledges
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.services.review_period import ReviewPeriod
from gocong_desktop.core.documents.reports import write_aggregate_report, write_review_report
from gocong_desktop.core.upper.dashboard import commune_dashboard
from gocong_desktop.core.text import format_date
from gocong_desktop.gui.context import AppContext
from gocong_desktop.gui.errors import show_error
from gocong_desktop.gui.documents.pdf_preview import blank_file_name, for_record, open_pdf
from gocong_desktop.gui.documents.pdf_preview import save_pdf as save_preview_pdf
from gocong_desktop.gui.widgets.period_picker import PeriodPicker
from gocong_desktop.gui.documents.pledge_printing import print_forms, print_not_signed, print_register
from gocong_desktop.gui.documents.report_files import ask_path, run_save, safe_name
from gocong_desktop.gui.documents.signer_picker import SignerPicker
from gocong_desktop.gui.reports.narrative_editor import NarrativeEditor
from gocong_desktop.gui.widgets.page_base import Page
from gocong_desktop.gui.widgets.flow import FlowLayout
from gocong_desktop.gui.widgets.fold_combo import fold_search


def _describe(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #444;")
    return label


def _row(*widgets: QWidget) -> FlowLayout:
    """Widgets left to right, wrapping on a small screen; a combo as wide as its
    longest choice (its choices arrive after it is first shown)."""
    row = FlowLayout()
    for widget in widgets:
        if isinstance(widget, QComboBox):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(widget)
    return row


def _years_and_groups(session) -> tuple:
    """The campaign years and the groups the page's choices list."""
    return pledges.campaign_years(session), groups.list_groups(session)


class ReportsPage(Page):
    # years and groups / the communes whose figures arrived; the signers of the settings
    COMMUNE_TABLES = table_set("pledge_campaign", "self_managed_group", "admin_unit", "app_setting")
    UPPER_TABLES = table_set("sync_peer", "sync_package", "app_setting")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.office = ctx.read(get_office)
        self.is_upper = self.office.role == OfficeRole.UPPER
        self.TABLES = self.UPPER_TABLES if self.is_upper else self.COMMUNE_TABLES
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        content = QWidget()
        boxes = QVBoxLayout(content)
        heading = QLabel("<h2>Báo cáo</h2>")
        boxes.addWidget(heading)
        boxes.addLayout(self._build_signer())
        if self.is_upper:
            boxes.addWidget(self._build_aggregate())
        else:
            boxes.addWidget(self._build_review())
            boxes.addWidget(self._build_pledges())
            boxes.addWidget(self._build_blank_minutes())
        boxes.addWidget(self.status_label)
        boxes.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _build_signer(self) -> QHBoxLayout:
        """Who signs the reports and lists printed here, for these prints only."""
        self.signer = SignerPicker(self.ctx)
        self.signer.name.setMaximumWidth(320)
        label = QLabel("Người ký:")  # no letter free: N «Năm», G the Help menu, I «Xem/In», K «Kỳ báo cáo»
        label.setBuddy(self.signer.form)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.signer)
        row.addWidget(_describe("cho các văn bản in ở trang này; người ký mặc định đặt ở Cài đặt › Người ký"), 1)
        return row

    # ---- commune: review report ------------------------------------------
    def _build_review(self) -> QGroupBox:
        self.review_docx_button = QPushButton("Lưu &Word…")
        self.review_docx_button.clicked.connect(lambda: self._save_review(".docx"))
        box, self.review_period, self.review_pdf_button, self.review_xlsx_button = _period_report_box(
            "Báo cáo sơ kết, tổng kết",
            "Kết quả phong trào trong kỳ (6 tháng, 9 tháng, cả năm hoặc khoảng ngày tự chọn), theo từng ấp: "
            "số tổ, số hộ, buổi sinh hoạt và tỷ lệ tham dự, tỷ lệ ký cam kết; cùng các mô hình phòng, chống "
            "tội phạm và hoạt động tuyên truyền. «Soạn báo cáo…» để viết các phần đặc điểm tình hình, kết "
            "quả, ưu điểm, tồn tại, nguyên nhân, phương hướng và kiến nghị của kỳ. PDF để in (thể thức "
            "Nghị định 30), Word để chỉnh sửa tiếp, Excel để tổng hợp số liệu.",
            self._save_review, self.review_docx_button)
        self.compose_button = QPushButton("&Soạn báo cáo…")
        self.compose_button.clicked.connect(self._on_compose)
        box.layout().insertLayout(2, _row(self.compose_button))
        return box

    def _on_compose(self) -> None:
        try:
            period = self.review_period.period()
        except UserError as exc:
            show_error(self, exc)
            return
        self.narrative_editor = NarrativeEditor(self.ctx, period, self)
        self.narrative_editor.accepted.connect(
            lambda: self.status_label.setText(f"Đã lưu nội dung báo cáo {period.review_word} {period.label}."))
        self.narrative_editor.open()

    def _save_review(self, suffix: str) -> None:
        self._save_period_report(self.review_period, suffix, lambda p: f"Báo cáo {p.review_word} {p.label}",
                                 write_review_report)

    def _save_period_report(self, picker: PeriodPicker, suffix: str, name: Callable[[ReviewPeriod], str],
                            write: Callable) -> None:
        try:
            period = picker.period()
        except UserError as exc:
            show_error(self, exc)
            return
        path, signer = ask_path(self, self.ctx, safe_name(name(period), suffix), suffix), self.signer.choice()
        if path is not None:
            run_save(self, self.ctx, path, lambda session, p: write(session, period, p, signer=signer),
                     on_saved=self._on_saved)

    # ---- commune: pledges ------------------------------------------------
    def _build_pledges(self) -> QGroupBox:
        box = QGroupBox("Cam kết của các hộ gia đình")
        self.pledge_year = fold_search(QComboBox())
        self.pledge_year_note = QLabel()
        self.pledge_year_note.setStyleSheet("color: #555;")
        self.register_group = fold_search(QComboBox())
        self.forms_button = QPushButton("Bản cam kết của tất cả các hộ…")
        self.register_button = QPushButton("Sổ theo dõi cam kết của tổ…")
        self.not_signed_button = QPushButton("Danh sách hộ chưa ký…")
        self.forms_button.clicked.connect(self._on_forms)
        self.register_button.clicked.connect(self._on_register)
        self.not_signed_button.clicked.connect(self._on_not_signed)
        self.pledge_year.currentIndexChanged.connect(lambda _i: self._update_pledge_buttons())
        self.register_group.currentIndexChanged.connect(lambda _i: self._update_pledge_buttons())
        year_label, group_label = QLabel("&Năm:"), QLabel("Tổ:")
        year_label.setBuddy(self.pledge_year)
        group_label.setBuddy(self.register_group)
        layout = QVBoxLayout(box)
        layout.addWidget(_describe(
            "Theo đợt cam kết của năm (PDF): bản cam kết điền sẵn của tất cả các hộ trong xã, sổ theo dõi "
            "ký cam kết của một tổ và danh sách các hộ chưa ký cam kết. Ghi nhận việc ký ở trang «Cam kết»."))
        layout.addLayout(_row(year_label, self.pledge_year, self.pledge_year_note))
        layout.addLayout(_row(self.forms_button, self.not_signed_button))
        layout.addLayout(_row(group_label, self.register_group, self.register_button))
        return box

    def year(self) -> int | None:
        return self.pledge_year.currentData()

    def _fill_years(self, years: list[int]) -> None:
        chosen = self.year()
        self.pledge_year.blockSignals(True)
        self.pledge_year.clear()
        for year in years:
            self.pledge_year.addItem(str(year), year)
        if years:
            wanted = chosen if chosen in years else (date.today().year if date.today().year in years else years[0])
            self.pledge_year.setCurrentIndex(years.index(wanted))
        self.pledge_year.blockSignals(False)
        self.pledge_year_note.setText("" if years else "Chưa mở đợt cam kết nào (mở ở trang «Cam kết»).")

    def _update_pledge_buttons(self) -> None:
        has_year = self.year() is not None
        self.pledge_year.setEnabled(has_year)
        for button in (self.forms_button, self.not_signed_button):
            button.setEnabled(has_year)
        self.register_button.setEnabled(has_year and self.register_group.currentData() is not None)
        if has_year:
            self.ctx.query(pledges.get_campaign, self.year(), on_done=self._show_campaign, parent=self,
                           key=(self, "campaign"))

    def _show_campaign(self, campaign: pledges.CampaignInfo | None) -> None:
        if campaign is not None:
            closed = f", đã đóng ngày {format_date(campaign.closed_on)}" if campaign.closed_on else ""
            self.pledge_year_note.setText(f"Mở ngày {format_date(campaign.opened_on)}{closed}")

    def _commune_label(self) -> str:
        return f"Toàn {self.office.display_name}"

    def _on_forms(self) -> None:
        if (year := self.year()) is not None:
            print_forms(self, self.ctx, year, self._commune_label(), self._on_saved)

    def _on_not_signed(self) -> None:
        if (year := self.year()) is not None:
            print_not_signed(self, self.ctx, year, self._commune_label(), self._on_saved,
                             signer=self.signer.choice())

    def _on_register(self) -> None:
        year, group = self.year(), self.register_group.currentData()
        if year is not None and group is not None:
            print_register(self, self.ctx, year, group[1], group[0], self._on_saved)

    # ---- commune: blank minutes ------------------------------------------
    def _build_blank_minutes(self) -> QGroupBox:
        box = QGroupBox("Mẫu biên bản sinh hoạt tổ (để trống)")
        self.blank_group = fold_search(QComboBox())
        self.blank_view_button = QPushButton("Xem/&In mẫu trống…")
        self.blank_save_button = QPushButton("Lưu P&DF mẫu trống…")
        self.blank_view_button.clicked.connect(self._on_blank_view)
        self.blank_save_button.clicked.connect(self._on_blank_save)
        self.blank_group.currentIndexChanged.connect(lambda _i: self._update_blank_buttons())
        group_label = QLabel("Tổ:")
        group_label.setBuddy(self.blank_group)
        layout = QVBoxLayout(box)
        layout.addWidget(_describe(
            "Biên bản sinh hoạt Tổ nhân dân tự quản in sẵn tên tổ, ấp và danh sách các hộ, để trống phần "
            "nội dung cho thư ký ghi tay trong buổi họp."))
        layout.addLayout(_row(group_label, self.blank_group, self.blank_view_button, self.blank_save_button))
        return box

    def _update_blank_buttons(self) -> None:
        for button in (self.blank_view_button, self.blank_save_button):
            button.setEnabled(self.blank_group.currentData() is not None)

    def _on_blank_view(self) -> None:
        if (group := self.blank_group.currentData()) is not None:
            open_pdf(self.ctx, self, for_record(write_blank_minutes, group[0]), blank_file_name(group[1]))

    def _on_blank_save(self) -> None:
        if (group := self.blank_group.currentData()) is not None:
            save_preview_pdf(self.ctx, self, for_record(write_blank_minutes, group[0]), blank_file_name(group[1]),
                             on_saved=self._on_saved)

    def _fill_groups(self, rows: list) -> None:
        for combo in (self.register_group, self.blank_group):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for row in rows:
                combo.addItem(f"{row.name} – {row.hamlet_name}", (row.id, row.name))
            if not rows:
                combo.addItem("(chưa có tổ nào)", None)
            index = combo.findData(chosen) if chosen is not None else -1
            combo.setCurrentIndex(max(index, 0))
            combo.setEnabled(bool(rows))
            combo.blockSignals(False)

    # ---- upper: aggregate report -----------------------------------------
    def _build_aggregate(self) -> QGroupBox:
        self.communes_label = QLabel()
        self.communes_label.setStyleSheet("color: #555;")
        box, self.aggregate_period, self.aggregate_pdf_button, self.aggregate_xlsx_button = _period_report_box(
            "Báo cáo tổng hợp các xã",
            "Kết quả phong trào của từng xã trong kỳ và cộng chung, lấy từ các gói đồng bộ đã nhập ở trang "
            "«Đồng bộ»: số tổ, số hộ, buổi sinh hoạt, tỷ lệ ký cam kết, mô hình theo xếp loại. PDF để in, "
            "Excel để tổng hợp tiếp. Bảng «So sánh các xã» ở trang «Đồng bộ» cho biết số liệu mới nhất "
            "của từng xã.",
            self._save_aggregate, self.communes_label)
        return box

    def _save_aggregate(self, suffix: str) -> None:
        self._save_period_report(self.aggregate_period, suffix, lambda p: f"Báo cáo tổng hợp các xã {p.label}",
                                 write_aggregate_report)

    def _count_communes(self, rows: list) -> None:
        received = sum(1 for r in rows if r.last_sequence is not None)
        self.communes_label.setText(f"Đã nhận số liệu của {received} xã." if received
                                    else "Chưa nhập gói đồng bộ của xã nào.")

    # ---- page -------------------------------------------------------------
    def refresh(self) -> None:
        self.signer.reload()
        if self.is_upper:
            self.ctx.query(commune_dashboard, on_done=self._count_communes, parent=self, key=(self, "communes"))
        else:
            self.ctx.query(_years_and_groups, on_done=self._show_choices, parent=self, key=(self, "choices"))

    def _show_choices(self, loaded: tuple) -> None:
        years, rows = loaded
        self._fill_years(years)
        self._fill_groups(rows)
        self._update_pledge_buttons()
        self._update_blank_buttons()

    def _on_saved(self, path: Path) -> None:
        self.status_label.setText(f"Đã lưu tệp: {path}")


def _period_report_box(title: str, description: str, save: Callable[[str], None],
                       *extra: QWidget) -> tuple[QGroupBox, PeriodPicker, QPushButton, QPushButton]:
    """A report for a period: its description, the period, «Lưu PDF…» and «Lưu Excel…»."""
    box = QGroupBox(title)
    period = PeriodPicker()
    pdf_button, xlsx_button = QPushButton("Lưu &PDF…"), QPushButton("Lưu &Excel…")
    pdf_button.clicked.connect(lambda: save(".pdf"))
    xlsx_button.clicked.connect(lambda: save(".xlsx"))
    period_label = QLabel("&Kỳ báo cáo:")
    period_label.setBuddy(period.choice)
    layout = QVBoxLayout(box)
    layout.addWidget(_describe(description))
    period_row = QHBoxLayout()
    period_row.addWidget(period_label)
    period_row.addWidget(period, 1)
    layout.addLayout(period_row)
    layout.addLayout(_row(pdf_button, xlsx_button, *extra))
    return box, period, pdf_button, xlsx_button
