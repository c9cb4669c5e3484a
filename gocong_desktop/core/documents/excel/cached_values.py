"""Totals that show where nothing calculates: openpyxl writes a formula with an
empty value, so a phone's file preview or a program reading the values
(pandas, openpyxl's ``data_only``) sees blank totals. The two kinds of
formula ``layout`` writes (a column's ``=SUM`` and a row's ratio) are worked
out here and their values written into the saved file beside them; Excel and
LibreOffice still recalculate on opening (``fullCalcOnLoad``).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import BinaryIO, Callable

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_SUM = re.compile(r"=SUM\(([A-Z]+)(\d+):\1(\d+)\)")
_RATIO = re.compile(r'=IF\(([A-Z]+\d+)=0,"",([A-Z]+\d+)/([A-Z]+\d+)\)')
Number = int | float


def save_with_values(workbook: Workbook, stream: BinaryIO) -> None:
    """``workbook.save`` to ``stream``, each formula's value stored with it."""
    saved = io.BytesIO()
    workbook.save(saved)
    values = {sheet.path.lstrip("/"): formula_values(sheet) for sheet in workbook.worksheets}
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if values.get(info.filename):
                data = _fill(data.decode("utf-8"), values[info.filename]).encode("utf-8")
            target.writestr(info, data)


def formula_values(sheet: Worksheet) -> dict[str, Number]:
    """{cell: value} of the sheet's formulas that come out as numbers."""
    out: dict[str, Number | None] = {}

    def value(ref: str) -> Number | None:
        cell = sheet[ref]
        if cell.data_type != "f":
            return cell.value if type(cell.value) in (int, float) else None
        if ref not in out:
            out[ref] = _evaluate(cell.value, value)
        return out[ref]

    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                value(cell.coordinate)
    return {ref: v for ref, v in out.items() if v is not None}


def _evaluate(formula: str, value: Callable[[str], Number | None]) -> Number | None:
    if m := _SUM.fullmatch(formula):
        column, first, last = m.group(1), int(m.group(2)), int(m.group(3))
        return sum(value(f"{column}{row}") or 0 for row in range(first, last + 1))
    if m := _RATIO.fullmatch(formula):
        bottom, top = value(m.group(3)), value(m.group(2))
        return top / bottom if bottom and top is not None else None  # blank: left to the spreadsheet
    return None


def _fill(xml: str, values: dict[str, Number]) -> str:
    for ref, number in values.items():
        xml = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>|(<c r="{ref}"[^>]*><f>[^<]*</f>)<v></v>',
                     lambda m: f"{m.group(1) or m.group(2)}<v>{number!r}</v>", xml, count=1)
    return xml
