"""Household lists as communes keep them, written for real by openpyxl and csv
(shared by the core, CLI and window tests of the import)."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Callable, Sequence

from openpyxl import Workbook

HEADERS = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Ấp", "Tổ", "Địa chỉ", "Điện thoại",
           "Số nhân khẩu"]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS, *,
               titles: Sequence[str] = ("DANH SÁCH HỘ GIA ĐÌNH",), merged: Sequence[str] = (),
               formulas: dict[str, str] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for title in titles:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for cell, formula in (formulas or {}).items():
        sheet[cell] = formula
    for span in merged:
        sheet.merge_cells(span)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS, *,
              delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    data = text.getvalue()
    path.write_bytes(as_cp1258(data) if encoding == "cp1258" else data.encode(encoding))
    return path


def as_cp1258(text: str) -> bytes:
    """Text as older Vietnamese Excel saved it: letters with their vowel mark
    precomposed where Windows-1258 has them, the tone as a combining mark after."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # the vowel's own mark (â, ơ) precomposed, the tone after it
            letter = unicodedata.normalize("NFC", base + mark)
            if len(letter) == 1 and letter.encode("cp1258", "ignore"):
                base, marks = letter, [m for m in marks if m != mark]
                break
        out.append((base + "".join(marks)).encode("cp1258"))
    return b"".join(out)


def write_zip_bomb(path: Path, inflated_mb: int = 48) -> Path:
    """A workbook-shaped zip whose sheet inflates to ``inflated_mb`` of blanks (a
    few hundred kilobytes on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                member.write(chunk)
    return path


def edit_sheet(source: Path, path: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the workbook ``source`` with its first sheet's XML changed by ``edit``
    (crafted or damaged content Excel itself would not write)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for part in original.infolist():
            data = original.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            copy.writestr(part.filename, data)
    return path
