"""What an import file holds once read: a header row and data rows of plain
values, each cell's problem (a formula, part of a merged range, too long) noted
beside it. Every reader bounds what it reads with the limits here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.text import format_int

MAX_FILE_BYTES = 16 * 1024 * 1024  # a register of 20,000 households is a few megabytes
MAX_ROWS = 20_000  # a commune's households, with room to spare
MAX_COLUMNS = 40
MAX_CELL_CHARS = 1_000  # the longest stored field (a note) is shorter
HEADER_SEARCH_ROWS = 20  # title lines above the header row ("DANH SÁCH HỘ…")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read: nothing was imported."""


@dataclass
class SourceRow:
    line: int  # the row number a person sees in Excel (1-based), or the CSV line
    values: list[Any]
    problems: dict[int, str] = field(default_factory=dict)  # column index -> why its value is unusable


@dataclass
class SourceTable:
    path: Path
    headers: list[str]
    header_line: int
    rows: list[SourceRow]
    description: str  # "trang «Danh sách»" or "mã UTF-8, phân cách «;»"


def checked_size(path: Path) -> int:
    """The file's size, refused when missing or over ``MAX_FILE_BYTES``."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(f"Không mở được tệp «{path.name}»: tệp không tồn tại hoặc không đọc được.") from None
    if size > MAX_FILE_BYTES:
        raise ImportFileError(f"Tệp «{path.name}» quá lớn ({format_int(size // 1024 // 1024)} MB; tối đa "
                              f"{MAX_FILE_BYTES // 1024 // 1024} MB). Hãy chia danh sách thành nhiều tệp.")
    if size == 0:
        raise empty_file(path)
    return size


def read_bounded(path: Path) -> bytes:
    """The file's bytes, read once and never more than ``MAX_FILE_BYTES`` (it may
    grow between the size check and the read)."""
    checked_size(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise ImportFileError(f"Không đọc được tệp «{path.name}»: tệp đang mở trong chương trình khác hoặc "
                              "không có quyền đọc.") from None
    if len(raw) > MAX_FILE_BYTES:
        checked_size(path)  # says it is too big
        raise ImportFileError(f"Tệp «{path.name}» vừa thay đổi khi đang đọc. Hãy đóng tệp rồi nhập lại.")
    return raw


def empty_file(path: Path) -> ImportFileError:
    return ImportFileError(f"Tệp «{path.name}» không có dữ liệu: cần một dòng tiêu đề (ví dụ «Họ và tên chủ hộ», "
                           "«Năm sinh», «Ấp») và các dòng hộ gia đình bên dưới.")


def too_many_rows(path: Path) -> ImportFileError:
    return ImportFileError(f"Tệp «{path.name}» có hơn {format_int(MAX_ROWS)} dòng: quá nhiều cho một lần nhập. "
                           "Hãy chia danh sách thành nhiều tệp (ví dụ mỗi ấp một tệp). Chưa nhập gì.")


def too_many_columns(path: Path) -> ImportFileError:
    return ImportFileError(f"Tệp «{path.name}» có hơn {MAX_COLUMNS} cột có dữ liệu: đây không giống danh sách "
                           "hộ gia đình. Hãy xóa các cột thừa rồi nhập lại.")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def long_cell_problem(value: Any) -> str | None:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return f"ô dài {format_int(len(value))} ký tự (tối đa {format_int(MAX_CELL_CHARS)})"
    return None
