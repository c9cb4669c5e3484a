"""Trợ giúp › Hướng dẫn sử dụng (F1): the Vietnamese user guide.

``docs/huong-dan-su-dung.md`` is rendered by Qt's own Markdown reader, its
screenshots (``docs/images/``) found next to it, in a checkout and in the
installed bundle alike (``core.resources.docs_path``). The headings are listed
on the left to jump to; pictures shrink to the window's width.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (QDialogButtonBox, QListWidget, QListWidgetItem, QSplitter,
                               QTextBrowser, QVBoxLayout, QWidget)

from gocong_desktop.core.resources import docs_path
from gocong_desktop.gui.widgets.screen_fit import FittedDialog

GUIDE_FILE = "huong-dan-su-dung.md"
# F1 opens the guide at the section of the page shown: its heading, without its number
# (tests/gui/test_help_dialog.py checks that every page's heading is in the guide).
PAGE_SECTIONS = {
    "Tổng quan": "Màn hình chính", "Tổ tự quản": "Ấp và Tổ nhân dân tự quản", "Hộ gia đình": "Hộ gia đình",
    "Sinh hoạt tổ": "Sinh hoạt tổ và biên bản", "Cam kết": "Cam kết của hộ gia đình",
    "Mô hình": "Mô hình phòng, chống tội phạm và đánh giá", "Đồng bộ": "Gửi số liệu lên cơ quan cấp trên",
    "Báo cáo": "Báo cáo sơ kết, tổng kết và các bản in",
}
_NUMBER = re.compile(r"^\d+(\.\d+)*\.\s+")  # "4.2. " before a heading
TITLE = "Hướng dẫn sử dụng"
MISSING = ("# Không tìm thấy hướng dẫn\n\nThiếu tệp «{path}». Hãy cài đặt lại phần mềm, "
           "hoặc xem hướng dẫn trong thư mục `docs` của bộ cài.")
POSITION = Qt.ItemDataRole.UserRole


class GuideBrowser(QTextBrowser):
    """A QTextBrowser whose pictures are never wider than its viewport."""

    LIST_INDENT = 48  # a picture inside a numbered step is indented by the list

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        margin = int(self.document().documentMargin())
        fit_images(self.document(), self.viewport().width() - 2 * margin - self.LIST_INDENT)


def image_fragments(document: QTextDocument):
    """(position, length, image format) of every picture in the document."""
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isImageFormat():
                yield fragment.position(), fragment.length(), fragment.charFormat().toImageFormat()
            it += 1
        block = block.next()


def image_size(document: QTextDocument, name: str) -> QSize:
    """The picture's own size; empty when it cannot be loaded."""
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
    if isinstance(image, QByteArray):
        image = QImage.fromData(image)
    return image.size() if isinstance(image, (QImage, QPixmap)) else QSize()


def fit_images(document: QTextDocument, max_width: int) -> None:
    if max_width <= 0:
        return
    changed = False
    for position, length, fmt in list(image_fragments(document)):
        natural = image_size(document, fmt.name())
        if natural.isEmpty():
            continue
        width = min(natural.width(), max_width)
        height = natural.height() * width / natural.width()
        if abs(fmt.width() - width) < 1 and abs(fmt.height() - height) < 1:
            continue
        resized = QTextImageFormat(fmt)  # both sizes given: the layout never waits for the file
        resized.setWidth(width)
        resized.setHeight(height)
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(resized)
        changed = True
    if changed:  # otherwise the blocks between the pictures keep stale positions
        document.markContentsDirty(0, document.characterCount())


class HelpDialog(FittedDialog):
    """Not modal: the guide can stay open beside the main window."""

    def __init__(self, parent: QWidget | None = None, *, guide: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._build()
        self.contents.currentItemChanged.connect(lambda item, _old: self._on_heading_chosen(item))
        self.load(guide or docs_path(GUIDE_FILE))
        self._fit_screen()

    def _build(self) -> None:
        self.contents = QListWidget()
        self.browser = GuideBrowser()
        self.browser.setOpenExternalLinks(True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.contents)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(1, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(buttons)

    def _fit_screen(self) -> None:
        area = self.screen().availableGeometry()
        self.resize(min(1150, area.width() - 60), min(760, area.height() - 60))

    def load(self, path: Path) -> None:
        folder = path.parent
        self.browser.setSearchPaths([str(folder)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = MISSING.format(path=path)
        self.browser.setMarkdown(text)
        self._list_headings()
        widest = max((self.contents.fontMetrics().horizontalAdvance(h) for h in self.headings()), default=0)
        self.splitter.setSizes([widest + 40, 900])

    def _list_headings(self) -> None:
        self.contents.clear()
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level in (2, 3) and block.text().strip():
                item = QListWidgetItem(("    " if level == 3 else "") + block.text().strip())
                item.setData(POSITION, block.position())
                self.contents.addItem(item)
            block = block.next()

    def headings(self) -> list[str]:
        return [self.contents.item(i).text().strip() for i in range(self.contents.count())]

    def find_section(self, section: str) -> int | None:
        """The row of the heading called ``section`` (its number aside) in the contents."""
        return next((row for row, heading in enumerate(self.headings())
                     if _NUMBER.sub("", heading) == section), None)

    def go_to_section(self, section: str | None) -> None:
        """Scroll to that section; an unknown one leaves the guide where it is."""
        if section is None or (row := self.find_section(section)) is None:
            return
        if row == self.contents.currentRow():
            self._on_heading_chosen(self.contents.item(row))  # scrolled away since: back to it
        else:
            self.contents.setCurrentRow(row)

    def _on_heading_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(int(item.data(POSITION)))
        self.browser.setTextCursor(cursor)
        # cursorRect() lays the document out up to there (layout is lazy), in viewport coordinates.
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + self.browser.cursorRect(cursor).top() - 4)


def show_help(parent: QWidget, page_title: str | None = None) -> HelpDialog:
    """Open the guide (or bring the one already open to the front) at the section
    about the page called ``page_title``."""
    dialog = parent.findChild(HelpDialog)
    if dialog is None:
        dialog = HelpDialog(parent)
    dialog.show()
    dialog.go_to_section(PAGE_SECTIONS.get(page_title or ""))
    dialog.raise_()
    dialog.activateWindow()
    return dialog
