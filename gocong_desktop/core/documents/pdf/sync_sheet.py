"""The one-page key registration sheet (phiếu đăng ký khóa): the office's
fingerprint on paper, signed and stamped, for the other office to compare with
what its screen shows before trusting a package or a receipt."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from gocong_desktop.core.documents.pdf.decree30 import Decree30Template, Signer, national_header, office_signer, signature_blocks, styles, text, title_block
from gocong_desktop.core.documents.output import write_to
from gocong_desktop.core.text import format_date, place_date_line
from gocong_desktop.core.services.document_header import DocumentHeader
from gocong_desktop.core.services.signers import SignatureBlock
from gocong_desktop.core.sync.keys import KeyCard

ROLE = {"commune": "gửi gói đồng bộ lên cơ quan cấp trên", "upper": "nhận gói đồng bộ của các xã"}


def write_key_sheet_pdf(card: KeyCard, out: str | Path | BinaryIO, *, header: DocumentHeader, signer_title: str,
                        today: date | None = None, signer: SignatureBlock | None = None) -> None:
    """``header``: the office's own (police_header), ``signer_title``: who signs for it
    ("Trưởng Công an xã"), as on every other paper of the office; ``signer``: the
    settings' (or this print's) block, None for that title over a blank line."""
    write_to(out, lambda stream: Decree30Template(stream, title="Phiếu đăng ký khóa").build(
        sheet_story(card, header=header, signer=office_signer(signer, signer_title), today=today or date.today())))


def _fingerprint_box(fingerprint: str) -> Table:
    s = styles()
    big = Paragraph(f'<font size="20">{text(fingerprint)}</font>', s.centre_bold)
    table = Table([[big]], colWidths=[150 * mm], rowHeights=[18 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def sheet_story(card: KeyCard, *, header: DocumentHeader, signer: Signer, today: date) -> list[Flowable]:
    s = styles()
    lines = [
        f"Đơn vị: {card.display_name}" + (f" (mã đơn vị: {card.unit_code})" if card.unit_code else ""),
        f"Mã định danh trong phần mềm: {card.unit_id}",
        f"Vai trò: {ROLE.get(card.role, card.role)}.",
        f"Khóa tạo ngày: {format_date(date.fromisoformat(card.created_at[:10]))}.",
        "Dấu vân tay khóa ký (so khớp từng nhóm ký tự với màn hình của phần mềm):",
    ]
    story: list[Flowable] = [
        national_header(header.parent_body, header.issuing_body, [], place_date_line(header.place, today)),
        *title_block("Phiếu đăng ký khóa", "Đồng bộ dữ liệu phong trào Toàn dân bảo vệ an ninh Tổ quốc"),
        *[Paragraph(text(line), s.plain) for line in lines],
        Spacer(1, 4 * mm), _fingerprint_box(card.fingerprint), Spacer(1, 6 * mm),
        Paragraph(text("Đơn vị nhận chỉ xác nhận gói đồng bộ hoặc biên nhận khi dấu vân tay hiện trên màn hình "
                       "trùng khớp với phiếu này. Nếu đơn vị đổi khóa (cài lại máy), phải lập phiếu mới."), s.body),
        Spacer(1, 8 * mm),
        signature_blocks(None, signer),
    ]
    return story
