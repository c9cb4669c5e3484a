"""Which column holds which household field: guessed from the header's words
(marks and case ignored), changed by the user, remembered on this PC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.services.household_import.table import HEADER_SEARCH_ROWS, SourceRow, is_blank
from gocong_desktop.core.text import fold, one_line

IGNORED = ""  # a column read for nothing (STT, signature…)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    words: tuple[str, ...]  # folded phrases a header of this field contains
    required: bool = False


# In guessing order: the first field whose words a header contains takes it
# ("Số điện thoại" is a phone, before "Số" could mean anything else).
FIELDS = (
    Field("citizen_id", "Số CCCD", ("cccd", "cmnd", "can cuoc", "dinh danh", "chung minh")),
    Field("phone", "Điện thoại", ("dien thoai", "sdt", "so dt", "dtdd", "di dong")),
    Field("members", "Số nhân khẩu", ("nhan khau", "so khau", "so nguoi", "thanh vien")),
    Field("birth_year", "Năm sinh", ("nam sinh", "ngay sinh", "sinh nam")),
    Field("gender", "Giới tính", ("gioi tinh", "nam/nu", "nam nu")),
    Field("address", "Địa chỉ", ("dia chi", "so nha", "noi o", "cho o")),
    Field("notes", "Ghi chú", ("ghi chu",)),
    Field("head_name", "Họ và tên chủ hộ", ("chu ho", "ho va ten", "ho ten", "ten chu"), required=True),
    Field("hamlet", "Ấp", ("ap", "khu pho", "thon", "khom", "xom"), required=True),
    Field("group", "Tổ", ("to ndtq", "to tu quan", "to")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
LABELS = {f.key: f.label for f in FIELDS} | {IGNORED: "(bỏ qua)"}


def _contains(header: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", header) is not None


def guess_field(header: str) -> str:
    folded = fold(header)
    for f in FIELDS:
        if any(_contains(folded, phrase) for phrase in f.words):
            return f.key
    return IGNORED


def guess_mapping(headers: Sequence[str], remembered: dict[str, str] | None = None) -> list[str]:
    """One field key (or ``IGNORED``) per column: the choice remembered for that header
    first, then a guess for the others; each field at most once (the first column wins)."""
    remembered = remembered or {}
    chosen = [remembered.get(fold(h)) for h in headers]
    chosen = [k if k in FIELD_BY_KEY or k == IGNORED else None for k in chosen]
    taken = {k for k in chosen if k}
    mapping = []
    for header, key in zip(headers, chosen):
        if key is None:
            key = guess_field(header)
            key = IGNORED if key in taken else key
            taken.add(key)
        mapping.append(key)
    return mapping


def find_header(rows: Sequence[SourceRow]) -> int:
    """Index of the header row: the first of the top rows naming two fields or more
    (title lines come above it), else the first row."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [str(v) for v in row.values if isinstance(v, str) and not is_blank(v)]
        if len({guess_field(t) for t in texts} - {IGNORED}) >= 2:
            return index
    return 0


def header_texts(row: SourceRow) -> list[str]:
    """The header row's cells as text, on one line with no hidden characters (messages quote
    them); an unnamed column is named by its position."""
    return [one_line(" ".join(str(v).split()), 200) if not is_blank(v) else f"Cột {i + 1}"
            for i, v in enumerate(row.values)]


def check_mapping(mapping: Sequence[str], headers: Sequence[str]) -> None:
    """Every required field has a column and no field has two."""
    missing = [FIELD_BY_KEY[k].label for k in ("head_name", "hamlet") if k not in mapping]
    if missing:
        found = ", ".join(f"«{h}»" for h in headers[:12]) or "không có"
        raise ValidationError(f"Không tìm thấy cột {' và '.join(f'«{m}»' for m in missing)} trong dòng tiêu đề "
                              f"(các cột: {found}). Hãy đặt tên cột như «Họ và tên chủ hộ», «Ấp», hoặc chọn cột "
                              "cho từng thông tin.", field="mapping")
    doubled = {k for k in mapping if k != IGNORED and mapping.count(k) > 1}
    if doubled:
        raise ValidationError(f"Cột «{LABELS[sorted(doubled)[0]]}» được chọn hai lần: mỗi thông tin chỉ lấy từ "
                              "một cột.", field="mapping")


def field_named(text: str) -> str:
    """A field key from its key or its label, marks ignored ("ấp", "nam sinh", "bỏ qua")."""
    folded = fold(text)
    for key, label in LABELS.items():
        if folded in (key, fold(label).strip("()")):
            return key
    if (guessed := guess_field(text)) != IGNORED:  # "chủ hộ", "sđt": as a header would say it
        return guessed
    choices = ", ".join(f"«{label}»" for label in LABELS.values())
    raise ValidationError(f"Không có thông tin «{text}» để chọn cho cột. Chọn một trong: {choices}.",
                          field="mapping")


def parse_mapping_text(text: str) -> dict[str, str]:
    """``"Cột=trường,…"`` (the CLI's ``--map``) as folded header -> field key."""
    chosen: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text or ""))):
        header, sep, name = part.rpartition("=")
        if not sep or not header.strip():
            raise ValidationError(f"«{part}» không đúng dạng «Tên cột=thông tin», ví dụ «Họ tên=chủ hộ».",
                                  field="mapping")
        chosen[fold(header)] = field_named(name)
    return chosen


def apply_choices(headers: Sequence[str], mapping: list[str], chosen: dict[str, str]) -> list[str]:
    """``mapping`` with the columns named in ``chosen`` (folded header -> key) set;
    a field chosen for one column leaves any other column it was guessed for."""
    folded = [fold(h) for h in headers]
    unknown = [h for h in chosen if h not in folded]
    if unknown:
        raise ValidationError(f"Tệp không có cột «{unknown[0]}» (các cột: "
                              f"{', '.join(f'«{h}»' for h in headers[:12])}).", field="mapping")
    result = list(mapping)
    for index, header in enumerate(folded):
        if header in chosen:
            key = chosen[header]
            result = [IGNORED if k == key and key != IGNORED else k for k in result]
            result[index] = key
    return result


def remembered_choices(headers: Sequence[str], mapping: Sequence[str]) -> dict[str, str]:
    """What to remember: folded header -> field, for the columns of this file."""
    return {fold(h): key for h, key in zip(headers, mapping) if not h.startswith("Cột ")}
