"""The left column of every document's national header: which body stands above
the issuing body, for the office's unit type and the document's date.

The 2025 reorganisation (DOMAIN.md §1) ended district police on 01/03/2025 and
the district level of government on 01/07/2025: a commune document dated after
that names the province above the commune ("UBND TỈNH …", "CÔNG AN TỈNH …"),
one dated before it the district, when the office's unit tree has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gocong_desktop.core.services.office import OfficeInfo
from gocong_desktop.core.text import nfc

DISTRICT_POLICE_END = date(2025, 3, 1)
DISTRICT_GOVERNMENT_END = date(2025, 7, 1)


@dataclass(frozen=True)
class DocumentHeader:
    parent_body: str  # "UBND XÃ BÌNH TÂN"
    issuing_body: str  # "TỔ NDTQ SỐ 1 – ẤP LỢI AN"
    place: str  # "Bình Tân", for the place-date line


def upper_text(value: str | None) -> str:
    """Header lines are capitals, NFC (Vietnamese capitals need it too)."""
    return nfc((value or "").upper()) or ""


def _above(office: OfficeInfo, on: date, district_end: date, body: str) -> str:
    if office.district_name and on < district_end:
        return f"{body} huyện {office.district_name}"
    if office.province_name:
        return f"{body} tỉnh {office.province_name}"
    return ""


def government_parent(office: OfficeInfo, on: date) -> str:
    """The People's Committee above the commune's: "UBND HUYỆN …" until 30/06/2025,
    then "UBND TỈNH …"; empty when the unit tree names neither."""
    return upper_text(_above(office, on, DISTRICT_GOVERNMENT_END, "UBND"))


def police_parent_name(office: OfficeInfo, on: date) -> str:
    """The police above the office's, as a sentence names it: "Công an huyện …" until
    28/02/2025, then "Công an tỉnh …"; the upper office of the settings when the
    unit tree names neither."""
    return _above(office, on, DISTRICT_POLICE_END, "Công an") or nfc(office.upper_office_name) or ""


def police_parent(office: OfficeInfo, on: date) -> str:
    """``police_parent_name`` in the capitals of a header."""
    return upper_text(police_parent_name(office, on))


def police_name(office: OfficeInfo) -> str:
    """"Công an xã Bình Tân"; an upper office's unit type may already say "Công an"."""
    name = office.display_name
    return name if name.lower().startswith("công an") else f"Công an {name}"


def police_header(office: OfficeInfo, on: date) -> DocumentHeader:
    """Reports, evaluation records and sync sheets: issued by the office's police."""
    return DocumentHeader(police_parent(office, on), upper_text(police_name(office)), office.unit_name)


def police_head_title(office: OfficeInfo) -> str:
    """Who signs for the office's police: "Trưởng Công an xã" (Nghị định 30: the
    signer's own title, not "TM." of a unit that is not a collective body)."""
    unit_type = office.unit_type
    return f"Trưởng {unit_type}" if unit_type.lower().startswith("công an") else f"Trưởng Công an {unit_type}"
