"""Set-up wizard pages that write a file: the new unit's database, or the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget, QWizardPage)

from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.demo import OFFICE as DEMO_OFFICE
from gocong_desktop.core.demo import DemoSummary
from gocong_desktop.core.errors import UserError
from gocong_desktop.gui.errors import show_error
from gocong_desktop.core.setup.office import CreatedOffice, OfficeSetup, create_demo_database, create_office_database, storage_warning
from gocong_desktop.gui.setup.unit import PREVIEW_MAX
from gocong_desktop.gui.widgets.setup_widgets import WARNING_STYLE, BusyBar, FieldNotes, Worker, note_label

# .gcserver: a server settings file naming the upper office's PostgreSQL database (core/db/server_file.py).
DB_FILTER = "Cơ sở dữ liệu (*.db *.gcserver);;Mọi tệp (*)"
_DEMO_COUNTS = (("self_managed_group", "Tổ NDTQ"), ("household", "hộ gia đình"),
                ("meeting", "cuộc họp"), ("pledge", "bản cam kết"))


class StoragePage(QWizardPage):
    """Where the database goes; Finish creates it (off the UI thread)."""

    def __init__(self, path: Path, make_setup: Callable[[], OfficeSetup],
                 on_created: Callable[[CreatedOffice], None], on_busy: Callable[[bool], None]) -> None:
        super().__init__()
        self.setTitle("Nơi lưu dữ liệu")
        self.setSubTitle("Một tệp chứa toàn bộ số liệu của đơn vị. Nên để trên ổ đĩa của máy "
                         "và sao lưu định kỳ.")
        self._make_setup, self._on_created_cb, self._on_busy = make_setup, on_created, on_busy
        self._busy = self._created = False
        self._build()
        self._wire()
        self.path.setText(str(path))

    def _path_row(self) -> QWidget:
        self.path = QLineEdit()
        self.browse = QPushButton("Chọn…")
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.path, 1)
        row_layout.addWidget(self.browse)
        return row

    def _build(self) -> None:
        self.notes = FieldNotes()
        form = QFormLayout()
        self.notes.add_row(form, "Tệp dữ liệu:", self._path_row(), "path")
        self.notes.widgets["path"] = self.path  # focus the edit, not its row
        self.warning = note_label(style=WARNING_STYLE)
        self.exists_note = note_label("Đã có tệp này. Nếu đó là dữ liệu của đơn vị, hãy quay "
                                      "lại trang đầu và chọn «Mở tệp dữ liệu có sẵn…».",
                                      style=WARNING_STYLE)
        self.summary = note_label(style="")
        box = QGroupBox("Sẽ tạo")
        QVBoxLayout(box).addWidget(self.summary)
        self.busy = BusyBar()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in (self.warning, self.exists_note, box):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.busy)

    def _wire(self) -> None:
        self.path.textChanged.connect(self._on_path_changed)
        self.browse.clicked.connect(self._on_browse)

    def nextId(self) -> int:
        return -1

    def initializePage(self) -> None:
        self.summary.setText("\n".join(summary_lines(self._make_setup())))

    def _on_path_changed(self, text: str) -> None:
        text = text.strip()
        warning = storage_warning(text) if text else None
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        # No file look-up on a risky place at each keystroke: an unreachable
        # share can block for seconds. Finish checks it anyway.
        exists = bool(text) and not warning and Path(text).expanduser().is_file()
        self.exists_note.setVisible(exists)
        self.notes.set("path", None)

    def _on_browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Chọn nơi lưu dữ liệu", self.path.text(),
                                                DB_FILTER)
        if chosen:
            self.path.setText(str(Path(chosen)))

    # ---- finishing --------------------------------------------------------
    def isComplete(self) -> bool:
        return not self._busy

    def validatePage(self) -> bool:
        """Finish: start creating; the wizard closes once the file is made."""
        if self._created:
            return True
        text = self.path.text().strip()
        if not text:
            self.notes.show_all({"path": "Chưa chọn nơi lưu dữ liệu."})
            return False
        path, setup = Path(text).expanduser(), self._make_setup()
        self._set_busy(True)
        # Held here too: the worker must outlive this call.
        self._worker = Worker(lambda: create_office_database(path, setup), self)
        self._worker.start_with(self._on_created, self._on_failed)
        return False

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (self.path, self.browse):
            widget.setEnabled(not busy)
        self._on_busy(busy)
        self.completeChanged.emit()

    def _on_created(self, created: CreatedOffice) -> None:
        self._set_busy(False)
        self._created = True
        self._on_created_cb(created)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, UserError) and exc.field == "path":
            self.notes.show_all({"path": exc.message})
        else:
            show_error(self, exc, title="Không tạo được dữ liệu")


def summary_lines(setup: OfficeSetup) -> list[str]:
    """What Finish will create, in the user's words."""
    code = f" (mã {setup.unit_code})" if setup.unit_code else ""
    lines = [f"Đơn vị: {setup.unit_type} {setup.unit_name}{code}",
             f"Tỉnh, thành phố: {setup.province}"]
    if setup.district:
        lines.append(f"Huyện: {setup.district}")
    if setup.upper_office:
        lines.append(f"Cơ quan cấp trên: {setup.upper_office}")
    if setup.role == OfficeRole.COMMUNE:
        names = ", ".join(setup.hamlets[:PREVIEW_MAX])
        more = ", …" if len(setup.hamlets) > PREVIEW_MAX else ""
        lines.append(f"{len(setup.hamlets)} {setup.hamlet_type}" + (f": {names}{more}" if names else ""))
    if setup.admin:
        lines.append(f"Tài khoản quản trị: {setup.admin.username} ({setup.admin.display_name})")
    return lines


class DemoPage(QWizardPage):
    """Creates the demo file as soon as it is shown; the wizard stays
    responsive, but cannot be left while the file is being written."""

    def __init__(self, path: Path, households: int, on_ready: Callable[[Path | None], None],
                 on_busy: Callable[[bool], None]) -> None:
        super().__init__()
        self.setTitle("Dữ liệu mẫu")
        self.setSubTitle("Một xã giả định để xem thử các chức năng; lưu riêng, không lẫn với "
                         "dữ liệu thật.")
        self._path, self._households = path, households
        self._on_ready, self._on_busy = on_ready, on_busy
        self._ready = self._running = False
        self.status = note_label(style="")
        self.busy = BusyBar()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(note_label(f"Tệp dữ liệu mẫu: {path}"))
        layout.addStretch(1)

    def initializePage(self) -> None:
        if self._ready:
            self._on_ready(self._path)
            return
        count = f"{self._households:,}".replace(",", ".")
        self.status.setText(f"Đang tạo dữ liệu mẫu ({count} hộ gia đình)… việc này mất vài giây.")
        self._set_running(True)
        path, households = self._path, self._households
        self._worker = Worker(lambda: create_demo_database(path, households=households), self)
        self._worker.start_with(self._on_done, self._on_failed)

    def nextId(self) -> int:
        return -1

    def cleanupPage(self) -> None:  # Back: the demo is no longer the choice
        self._on_ready(None)

    def isComplete(self) -> bool:
        return self._ready and not self._running

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.busy.setVisible(running)
        self._on_busy(running)
        self.completeChanged.emit()

    def _on_done(self, summary: DemoSummary | None) -> None:
        self._ready = True
        self._set_running(False)
        self.status.setText(demo_text(summary) + "\n\nBấm «Hoàn tất» để mở.")
        self._on_ready(self._path)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_running(False)
        self.status.setText("Không tạo được dữ liệu mẫu.")
        show_error(self, exc, title="Không tạo được dữ liệu mẫu")


def demo_text(summary: DemoSummary | None) -> str:
    if summary is None:
        return "Đã có dữ liệu mẫu tạo từ lần trước; sẽ mở lại tệp đó."
    counts = ", ".join(f"{summary.counts.get(table, 0):,} {label}".replace(",", ".")
                       for table, label in _DEMO_COUNTS)
    unit = f"{DEMO_OFFICE['unit_type']} {DEMO_OFFICE['unit_name']}"
    return f"Đã tạo xong dữ liệu mẫu của {unit}: {counts}."
