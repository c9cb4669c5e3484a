"""What importing a table would do, row by row: add a household, update the one
it matches (same name, birth year and hamlet, marks and case ignored), leave it
as it is, or refuse the row and say why. Each row is held to the household
form's own validation (``households.validate``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, Sequence

from sqlmodel import Session, select

from gocong_desktop.core.db.access import is_admin
from gocong_desktop.core.db.models import AdminUnit, Household, SelfManagedGroup, live
from gocong_desktop.core.errors import UserError, ValidationError
from gocong_desktop.core.services import groups, hamlets
from gocong_desktop.core.services.household_import import cells
from gocong_desktop.core.services.household_import.columns import IGNORED, check_mapping
from gocong_desktop.core.services.household_import.table import SourceRow, SourceTable
from gocong_desktop.core.services.households import HouseholdInput, household_input, validate
from gocong_desktop.core.text import fold, format_int, one_line

ADD, UPDATE, SAME, REFUSED = "add", "update", "same", "refused"
ACTION_LABELS = {ADD: "Thêm", UPDATE: "Cập nhật", SAME: "Không đổi", REFUSED: "Bỏ qua vì lỗi"}
_UNIT_WORDS = ("ap ", "khu pho ", "thon ", "khom ", "xom ")
_FIELD_LABELS = {"head_name": "họ tên", "birth_year": "năm sinh", "gender": "giới tính", "address": "địa chỉ",
                 "members": "số nhân khẩu", "phone": "điện thoại", "citizen_id": "số CCCD", "notes": "ghi chú",
                 "group_id": "tổ", "hamlet_id": "ấp"}


@dataclass(frozen=True)
class RowOutcome:
    line: int  # the row as Excel numbers it
    head_name: str
    hamlet: str
    action: str  # ADD, UPDATE, SAME or REFUSED
    message: str  # why refused, or what an update changes
    household_id: str | None = None  # the household updated
    data: HouseholdInput | None = field(default=None, repr=False)
    checked: dict | None = field(default=None, repr=False)  # ``validate``'s values for a row to add

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    description: str
    headers: list[str]
    mapping: list[str]
    rows: list[RowOutcome]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.action == REFUSED]

    def summary(self) -> str:
        """"Thêm 12 hộ, cập nhật 3 hộ, không đổi 1 hộ, bỏ qua 2 dòng lỗi"."""
        return (f"thêm {format_int(self.count(ADD))} hộ, cập nhật {format_int(self.count(UPDATE))} hộ, "
                f"không đổi {format_int(self.count(SAME))} hộ, bỏ qua {format_int(self.count(REFUSED))} dòng lỗi")


class Register:
    """The office's hamlets, groups and households, looked up by what a list says."""

    def __init__(self, session: Session) -> None:
        # Held here so the form's checks (``get_live``) find them in the session's identity
        # map, which keeps only objects referenced elsewhere: no query per row.
        self.units = session.exec(select(AdminUnit).where(live(AdminUnit))).all()
        self.group_records = session.exec(select(SelfManagedGroup).where(live(SelfManagedGroup))).all()
        self.matched: list[Household] = []  # the households to update, held the same way
        self.admin = is_admin(session)
        self.hamlets: dict[str, tuple[str, str]] = {}
        for h in hamlets.list_hamlets(session):
            self.hamlets.setdefault(fold(h.name), (h.id, h.name))
            self.hamlets.setdefault(_bare(fold(h.name)), (h.id, h.name))
        active = [g for g in groups.list_groups(session) if g.active]
        self.groups_by_number = {g.number: g.id for g in active if g.number is not None}
        self.groups_by_name = {fold(g.name): g.id for g in active}
        # (folded name, hamlet) -> [(birth year, id)] of the households on the register.
        self.households: dict[tuple[str, str], list[tuple[int | None, str]]] = {}
        rows = session.exec(select(Household.id, Household.head_name, Household.birth_year, Household.hamlet_id)
                            .where(live(Household), Household.moved_out_date.is_(None))).all()
        for household_id, name, year, hamlet_id in rows:
            self.households.setdefault((fold(name), hamlet_id), []).append((year, household_id))

    def matches(self, name: str, year: int | None, hamlet_id: str) -> list[str]:
        """The households a row is: same name, hamlet and birth year; where one side has no
        year, the only household of that name in the hamlet (a list without years, or a
        register without them, still updates rather than duplicates)."""
        found = self.households.get((fold(name), hamlet_id), [])
        same = [i for y, i in found if y == year]
        if same or len(found) != 1:
            return same if same or year is not None else [i for _y, i in found]
        only_year, only_id = found[0]
        return [only_id] if year is None or only_year is None else []

    def hamlet(self, value: Any) -> tuple[str, str]:
        name = cells.text(value) or ""
        found = self.hamlets.get(fold(name)) or self.hamlets.get(_bare(fold(name)))
        if found is None:
            raise ValidationError(f"Không có ấp «{name[:60]}» trong danh sách ấp của xã (xem trang Ấp, tổ).",
                                  field="hamlet_id")
        return found

    def group(self, value: Any) -> str | None:
        if (name := cells.text(value)) is None:
            return None
        number = cells.group_number(value)
        found = self.groups_by_number.get(number) if number is not None else self.groups_by_name.get(fold(name))
        if found is None:
            raise ValidationError(f"Không có tổ «{name[:60]}» đang hoạt động.", field="group_id")
        return found


def _bare(folded: str) -> str:
    """"ap loi an" -> "loi an": a list may or may not write the unit's kind."""
    for word in _UNIT_WORDS:
        if folded.startswith(word):
            return folded[len(word):]
    return folded


# Told how far a long job is: (what it is doing, rows done, rows in all).
Progress = Callable[[str, int, int], None]
CHECKING, WRITING = "Đang kiểm tra", "Đang ghi"
PROGRESS_EVERY = 250  # rows between two reports


def plan_import(session: Session, table: SourceTable, mapping: Sequence[str], *,
                register: Register | None = None, progress: Progress | None = None) -> ImportPlan:
    """What importing ``table`` with ``mapping`` (one field key per column) would do;
    ``register``: the office's, read in this session (the import keeps it to write)."""
    check_mapping(mapping, table.headers)
    register, seen = register or Register(session), {}
    outcomes = []
    for done, row in enumerate(table.rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(CHECKING, done, len(table.rows))
        outcomes.append(_outcome(session, register, seen, row, mapping))
    return ImportPlan(table.path.name, table.description, list(table.headers), list(mapping), outcomes)


def _outcome(session: Session, register: Register, seen: dict, row: SourceRow,
             mapping: Sequence[str]) -> RowOutcome:
    picked = {key: row.values[i] for i, key in enumerate(mapping) if key != IGNORED and i < len(row.values)}
    name, hamlet = cells.text(picked.get("head_name")) or "", cells.text(picked.get("hamlet")) or ""
    problems = [why for i, why in sorted(row.problems.items()) if i < len(mapping) and mapping[i] != IGNORED]
    if problems:
        text = "; ".join(problems)
        return _refused(row.line, name, hamlet, text[:1].upper() + text[1:] + ".")
    try:
        return _checked(session, register, seen, row.line, picked)
    except UserError as exc:
        return _refused(row.line, name, hamlet, exc.message)


def _refused(line: int, name: str, hamlet: str, message: str) -> RowOutcome:
    """A refused row's cells are as the file has them, perhaps with the very characters
    it is refused for (a direction override would reorder the message): shown on one line."""
    return RowOutcome(line, one_line(name), one_line(hamlet), REFUSED, one_line(message))


def _checked(session: Session, register: Register, seen: dict, line: int, picked: dict) -> RowOutcome:
    hamlet_id, hamlet_name = register.hamlet(picked.get("hamlet"))
    given = _given(register, picked)
    data = HouseholdInput(hamlet_id=hamlet_id, **{"members": 1, **given})
    values = validate(session, data)  # the form's rules, before matching on the normalised name
    key = (fold(values["head_name"]), values["birth_year"], hamlet_id)
    if key in seen:
        raise ValidationError(f"Trùng họ tên, năm sinh và ấp với dòng {seen[key]} của tệp.")
    seen[key] = line
    matches = register.matches(values["head_name"], values["birth_year"], hamlet_id)
    if len(matches) > 1:
        raise ValidationError(f"Có {len(matches)} hộ cùng họ tên{'' if data.birth_year is None else ', năm sinh'} "
                              "và ấp trong sổ: không biết cập nhật hộ nào. Hãy ghi năm sinh, hoặc sửa tay trên "
                              "trang Hộ gia đình.")
    name = values["head_name"]
    if not matches:
        return RowOutcome(line, name, hamlet_name, ADD, "", data=data, checked=values)
    return _update(session, register, matches[0], given, line, name, hamlet_name)


def _given(register: Register, picked: dict) -> dict[str, Any]:
    """The fields this row fills (a blank cell fills nothing), typed as the form's."""
    convert = {"head_name": cells.text, "birth_year": cells.birth_year, "gender": cells.gender,
               "address": cells.text, "phone": cells.phone, "citizen_id": cells.citizen_id, "notes": cells.text,
               "members": lambda v: cells.whole_number(v, "Số nhân khẩu", "members"), "group": register.group}
    if not register.admin:
        del convert["notes"]  # notes on people: administrators only, as in the form
    given = {}
    for key, value in picked.items():
        if key in convert and (typed := convert[key](value)) is not None:
            given["group_id" if key == "group" else key] = typed
    given.setdefault("head_name", "")
    return given


def _update(session: Session, register: Register, household_id: str, given: dict, line: int, name: str,
            hamlet: str) -> RowOutcome:
    register.matched.append(session.get(Household, household_id))
    stored = household_input(session, household_id)
    data = replace(stored, **{k: v for k, v in given.items() if k != "head_name"})
    after = validate(session, data)
    try:
        before = validate(session, stored)
    except UserError:  # stored before today's rules: whatever the row gives is a change
        before = {}
    changed = [_FIELD_LABELS[f.name] for f in fields(HouseholdInput)
               if f.name in after and before.get(f.name) != after.get(f.name)]
    if not changed:
        return RowOutcome(line, name, hamlet, SAME, "", household_id)
    return RowOutcome(line, name, hamlet, UPDATE, "Sửa " + ", ".join(changed) + ".", household_id, data)
