"""The recovery sheet: one A4 page with an administrator's recovery code, what
it opens, how to keep it, and what is lost without it. Printed at set-up and
each time a new code is made; the program keeps no readable copy of the code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from gocong_desktop.core.text import date_words, nfc, time_words
from gocong_desktop.core.documents.pdf.decree30 import FRAME_WIDTH, Decree30Template, national_header, styles, text
from gocong_desktop.core.documents.pdf.flowables import RuledLines
from gocong_desktop.core.documents.pdf.fonts import SANS_BOLD, SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from gocong_desktop.core.documents.output import save_pdf_atomically

TITLE = "Phiếu mã khôi phục dữ liệu"
GROUP_LEN = 4
CODE_SIZE = 20  # points: large, yet the whole code on one line
CELL = 19  # points per character: the widest letter (W) fits, every cell the same
DASH_CELL = 16
RECEIVED = "Ngày nhận phiếu: ……/……/20……"

USE = ("Dữ liệu của đơn vị được mã hóa trên máy: chỉ mở được bằng mật khẩu của một tài khoản, hoặc bằng "
       "mã khôi phục này. Khi không còn ai nhớ mật khẩu quản trị (quên, nghỉ việc, chuyển công tác), "
       "chọn “Quên mật khẩu quản trị…” ở màn hình đăng nhập (hoặc lệnh “gocong-desktop account recover”), "
       "nhập tên tài khoản {username} và mã này để mở dữ liệu và đặt mật khẩu mới. Dùng xong, chương "
       "trình cấp mã mới: in phiếu mới và hủy phiếu này.")
KEEP = (
    "Cho phiếu vào phong bì, dán kín, người giữ ký tên ngang mép dán; cất trong két sắt hoặc ngăn tủ "
    "có khóa của đơn vị.",
    "Không để phiếu cạnh máy tính, không để chung với USB sao lưu: ai có cả hai thứ là đọc được toàn bộ "
    "dữ liệu.",
    "Không chụp ảnh phiếu; không gửi mã qua điện thoại, Zalo hay thư điện tử. In xong thì xóa tệp PDF "
    "của phiếu trên máy.",
    "Mỗi lần tạo mã mới, mã trên phiếu cũ không mở được dữ liệu đang dùng nữa: hủy phiếu cũ (xé nhỏ), "
    "cất phiếu mới thay vào.",
    "Mất phiếu, hoặc nghi có người đã xem mã: quản trị viên tạo mã mới ngay (Hệ thống › Tài khoản "
    "người dùng › Tạo mã khôi phục mới) và in phiếu mới.",
)
WARNING = ("Nếu quên hết mật khẩu và mất phiếu này, dữ liệu của đơn vị và mọi bản sao lưu của nó sẽ "
           "không ai mở được nữa, kể cả người làm ra phần mềm. Không có mật khẩu chung, không có cách "
           "mở nào khác. Chương trình không lưu mã này ở dạng đọc được nên không in lại được phiếu này.")


def grouped_code(code: str) -> str:
    """"ABCD-EFGH-…" however the code was typed (spaces, dashes, small letters)."""
    plain = re.sub(r"[\s-]", "", code).upper()
    if not plain:
        raise ValueError("a recovery sheet needs a code")
    return "-".join(plain[i:i + GROUP_LEN] for i in range(0, len(plain), GROUP_LEN))


def recovery_sheet_pdf(path: str | Path, *, office_name: str, code: str, username: str, made_at: datetime,
                       data_file: str | Path | None = None) -> Path:
    """Write the sheet to ``path`` atomically (temporary file, then replace)."""
    story = sheet_story(office_name=office_name, code=code, username=username, made_at=made_at,
                        data_file=data_file)

    def build(stream: BinaryIO) -> None:
        Decree30Template(stream, title=f"{TITLE} – {nfc(office_name)}").build(story)
    return save_pdf_atomically(path, build)


def sheet_story(*, office_name: str, code: str, username: str, made_at: datetime,
                data_file: str | Path | None = None) -> list[Flowable]:
    """One page at the sizes of the office's other papers (never scaled)."""
    local = made_at.astimezone() if made_at.tzinfo else made_at
    content: list[Flowable] = [
        national_header("", nfc(office_name) or "", [], ""), *_title(),
        *_facts(office_name, username, local, data_file), Spacer(1, 4 * mm),
        CodeLine(grouped_code(code)), Spacer(1, 1 * mm), Paragraph(text(_alphabet_note(code)), _notes().note),
        Paragraph("1. Mã này dùng để làm gì", _notes().heading),
        Paragraph(text(USE.format(username=f"“{nfc(username)}”")), _notes().text),
        Paragraph("2. Cất giữ phiếu này", _notes().heading),
        *(Paragraph(text(line), _notes().bullet, bulletText="–") for line in KEEP),
        Paragraph("3. Khi mất cả mật khẩu lẫn phiếu này", _notes().heading), _warning(),
        Paragraph(text(RECEIVED), _notes().text), _signatures()]
    return content


def _title() -> list[Flowable]:
    return [Spacer(1, 5 * mm), RuledLines(TITLE.upper(), SERIF_BOLD, 15, leading=19, rule=0.3, gap=8),
            Spacer(1, 4 * mm)]


def _facts(office_name: str, username: str, made_at: datetime, data_file: str | Path | None) -> list[Flowable]:
    lines = [("Đơn vị", nfc(office_name)), ("Tài khoản quản trị", nfc(username)),
             ("Lập lúc", f"{time_words(made_at.time())}, {date_words(made_at.date())}")]
    if data_file is not None:
        lines.append(("Tệp dữ liệu", str(data_file)))
    return [Paragraph(f"{label}: <b>{text(value)}</b>", _notes().fact) for label, value in lines]


def _alphabet_note(code: str) -> str:
    plain = re.sub(r"[\s-]", "", code)
    groups = -(-len(plain) // GROUP_LEN)
    return (f"Gồm {len(plain)} ký tự, chia {groups} nhóm; chỉ có chữ in hoa và chữ số từ 2 đến 9 "
            "(không có số 0, chữ O, số 1, chữ I).")


@dataclass(frozen=True)
class _Notes:
    fact: ParagraphStyle
    heading: ParagraphStyle
    text: ParagraphStyle
    bullet: ParagraphStyle
    note: ParagraphStyle


@lru_cache(maxsize=1)
def _notes() -> _Notes:
    """12 pt, a little tighter than a letter (a notice kept in a safe, not an administrative
    document): the sheet stays on one page for any usual office name, never scaled."""
    register_fonts()
    text_style = ParagraphStyle("sheet_text", fontName=SERIF, fontSize=12, leading=14.5, alignment=TA_JUSTIFY,
                                spaceAfter=3)
    return _Notes(fact=ParagraphStyle("sheet_fact", parent=text_style, fontSize=13, leading=17, spaceAfter=0),
                  heading=ParagraphStyle("sheet_heading", parent=text_style, fontName=SERIF_BOLD, spaceBefore=4,
                                         keepWithNext=1),
                  text=text_style,
                  bullet=ParagraphStyle("sheet_bullet", parent=text_style, leftIndent=5 * mm, bulletIndent=1 * mm,
                                         bulletFontName=SERIF, bulletFontSize=12),
                  note=ParagraphStyle("sheet_note", parent=text_style, fontName=SERIF_ITALIC, fontSize=11,
                                      leading=13, alignment=TA_CENTER))


def _warning() -> Table:
    box = Table([[Paragraph(f"<b>{text(WARNING)}</b>", _notes().text)]], colWidths=[FRAME_WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, "black"), ("TOPPADDING", (0, 0), (-1, -1), 6),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
    box.spaceAfter = 4 * mm
    return box


def _signatures() -> Table:
    """Who made the sheet and who keeps it, side by side, with room to sign."""
    s = styles()
    cells = [[Paragraph(text(who.upper()), s.centre_bold), Paragraph("<i>(Ký, ghi rõ họ tên)</i>", s.centre),
              Spacer(1, 18 * mm)] for who in ("Người lập phiếu", "Người giữ phiếu")]
    table = Table([cells], colWidths=[FRAME_WIDTH / 2] * 2)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    table.spaceBefore = 3 * mm
    return table


class CodeLine(Flowable):
    """The code centred in a frame, every character in a cell of the same width
    (a monospaced look from a bundled font) and each group boxed. The characters
    are one run of text, so the PDF's text reads back as the code itself."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.cells = [DASH_CELL if ch == "-" else CELL for ch in code]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, CODE_SIZE * 2.2
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        left = (self.width - sum(self.cells)) / 2
        baseline = self.height / 2 - CODE_SIZE * 0.35
        self._draw_boxes(left)
        widths = [stringWidth(ch, SANS_BOLD, CODE_SIZE) for ch in self.code]
        starts, x = [], left
        for cell, width in zip(self.cells, widths):
            starts.append(x + (cell - width) / 2)
            x += cell
        c.setFont(SANS_BOLD, CODE_SIZE)  # before beginText, which starts in the canvas's font
        line = c.beginText(starts[0], baseline)
        for i, ch in enumerate(self.code):
            # The spacing after each glyph lands the next one in the middle of its cell.
            following = starts[i + 1] if i + 1 < len(starts) else starts[i] + widths[i]
            line.setCharSpace(following - starts[i] - widths[i])
            line.textOut(ch)
        c.drawText(line)

    def _draw_boxes(self, left: float) -> None:
        c, x, pad = self.canv, left, 2
        c.setLineWidth(1)
        for group in self.code.split("-"):
            width = len(group) * CELL
            c.roundRect(x - pad, pad, width + 2 * pad, self.height - 2 * pad, 4)
            x += width + DASH_CELL
