"""Records as JSON Lines, and checking every record of a package before import.

A versioned record is one line ``{"id", "version", "updated_at", "deleted",
"content": {...other columns}}``; immutable and snapshot rows are flat objects.
On import the rows become tuples in the kind's column order, ready for
``executemany``. Checks run column by column (a package has ~10^5 rows); the
first failure is then looked up row by row so that the message names the record.
"""

from __future__ import annotations

import json
import math
from operator import itemgetter
from typing import Any, Iterable, Sequence

from gocong_desktop.core.text import format_int
from gocong_desktop.core.sync.errors import InvalidRecord
from gocong_desktop.core.sync.kinds import ENVELOPE, UUID_RE, VERSIONED, Kind, is_date, is_datetime



def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


try:  # json's C encoder made once: json.dumps builds a new one per call (3x slower per row)
    from json.encoder import c_encode_basestring, c_make_encoder

    _encoder = c_make_encoder(None, _not_json, c_encode_basestring, None, ":", ",", False, False, False)

    def _dumps(obj: Any) -> str:
        return "".join(_encoder(obj, 0))
except (ImportError, TypeError):  # pragma: no cover - a Python without the _json accelerator
    _dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
                              allow_nan=False).encode
_MISSING = object()


def encode_rows(kind: Kind, rows: Iterable[Sequence[Any]]) -> bytes:
    """JSON Lines for rows read in ``kind.columns`` order (storage values)."""
    names = kind.columns
    bools = [names[i] for i in kind.bool_positions]
    if kind.mode != VERSIONED:
        dicts = (dict(zip(names, row)) for row in rows)
    else:
        pos = [names.index(c) for c in ENVELOPE]
        content_names = kind.content_columns
        pick = itemgetter(*(names.index(c) for c in content_names))
        content_bools = [c for c in bools if c != "deleted"]
        bools = []

        def envelope(row: Sequence[Any]) -> dict:
            content = dict(zip(content_names, pick(row)))
            for c in content_bools:
                if content[c] is not None:
                    content[c] = bool(content[c])
            return {"id": row[pos[0]], "version": row[pos[1]], "updated_at": row[pos[2]],
                    "deleted": bool(row[pos[3]]), "content": content}
        dicts = map(envelope, rows)
    out = []
    for obj in dicts:
        for c in bools:
            if obj[c] is not None:
                obj[c] = bool(obj[c])
        out.append(_dumps(obj))
    return ("\n".join(out) + "\n").encode() if out else b""


MAX_VERSION = 2 ** 31 - 1  # a record edited once a second would take 68 years to get there


def invalid_record(kind: Kind, member: str, line: int, record_id: Any, why: str) -> InvalidRecord:
    """The refusal naming one record of a payload file: kind, id, line, and why."""
    return _Where(kind, member).fail(line, record_id, why)


class _Where:
    """Names a record in messages: kind, line, id."""

    def __init__(self, kind: Kind, member: str) -> None:
        self.kind, self.member = kind, member

    def fail(self, line: int, record_id: Any, why: str) -> InvalidRecord:
        # Only a well-formed id is repeated: a message never echoes 1 MB or an escape sequence.
        rid = f" mã {record_id}" if isinstance(record_id, str) and UUID_RE.fullmatch(record_id) else ""
        return InvalidRecord(
            f"Gói bị từ chối (không nhập bản ghi nào): bản ghi {self.kind.label}{rid} "
            f"(dòng {line} của «{self.member}») không hợp lệ: {why}.")


class _RepeatedKey(ValueError):
    pass


def _one_of_each(pairs: list[tuple[str, Any]]) -> dict:
    """A JSON object whose keys are all different: json would keep the last of
    two silently (refused, as in the manifest). Measured: parsing a 3,000-household
    package (38,000 records) takes 4 ms more, a 257,000-record one 0.3 s more (1.5 s)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _RepeatedKey
    return found


def _parse_lines(data: bytes, where: _Where) -> list[Any]:
    """One JSON value per line, every line ended by "\n"."""
    if not data:
        return []
    if not data.endswith(b"\n"):
        raise where.fail(data.count(b"\n") + 1, None, "dòng cuối bị cắt")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise where.fail(data[:exc.start].count(b"\n") + 1, None, "không phải UTF-8") from None
    lines = text.split("\n")[:-1]
    try:  # one C call for the whole file; line by line only to find a bad line
        values = json.loads("[" + ",".join(lines) + "]", object_pairs_hook=_one_of_each)
        if len(values) == len(lines):
            return values
    except (ValueError, RecursionError):  # RecursionError: a line of [[[[... nested too deep
        pass
    for n, line in enumerate(lines, 1):
        try:
            json.loads(line, object_pairs_hook=_one_of_each)
        except _RepeatedKey:
            raise where.fail(n, None, "có trường lặp lại trong cùng một bản ghi") from None
        except (ValueError, RecursionError):
            raise where.fail(n, None, "không phải JSON hợp lệ (mỗi dòng một bản ghi)") from None
    raise where.fail(1, None, "không phải JSON hợp lệ")  # pragma: no cover - caught above


def _objects(kind: Kind, objs: list[Any], where: _Where) -> tuple[list[dict], list[dict]]:
    """(envelopes, contents): the dicts holding envelope and content columns."""
    if kind.mode != VERSIONED:
        for n, obj in enumerate(objs, 1):
            if type(obj) is not dict:
                raise where.fail(n, None, "không phải một đối tượng JSON")
        return objs, objs
    keys = {"id", "version", "updated_at", "deleted", "content"}
    for n, obj in enumerate(objs, 1):
        if type(obj) is not dict or obj.keys() != keys or type(obj["content"]) is not dict:
            rid = obj.get("id") if type(obj) is dict else None
            raise where.fail(n, rid, "sai cấu trúc (cần id, version, updated_at, deleted, content)")
    return objs, [o["content"] for o in objs]


def _column(kind: Kind, name: str, holders: list[dict], ids: list[Any], where: _Where,
            default: tuple[bool, Any]) -> list[Any]:
    try:
        return [h[name] for h in holders]
    except KeyError:
        has_default, value = default
        values = [h.get(name, _MISSING) for h in holders]
        if not has_default:
            n = values.index(_MISSING)
            raise where.fail(n + 1, ids[n], f"thiếu trường «{name}»") from None
        return [value if v is _MISSING else v for v in values]


def _column_ok(spec: Any, values: list[Any]) -> bool:
    """Whole-column check at C speed where possible (types via ``set(map(type))``)."""
    present = set(map(type, values))
    if None in values and not spec.nullable or not present - {type(None)} <= spec.types:
        return False
    if spec.check in (is_date, is_datetime):  # dates repeat a lot: each distinct value once
        return all(map(spec.check, set(values) - {None}))
    if spec.types == {int}:
        ints = [v for v in values if v is not None]
        return not ints or (min(ints) >= -(2 ** 63) and max(ints) < 2 ** 63)
    if float in spec.types:
        return all(math.isfinite(v) for v in values if type(v) is float)
    if spec.max_len:
        return max((len(v) for v in values if v is not None), default=0) <= spec.max_len
    return True


def _check_column(spec: Any, values: list[Any], ids: list[Any], where: _Where) -> None:
    if _column_ok(spec, values):
        return
    n = next(i for i, v in enumerate(values)
             if (v is None and not spec.nullable) or (v is not None and not spec.check(v)))
    why = f"thiếu giá trị «{spec.name}»" if values[n] is None else \
        f"trường «{spec.name}» có giá trị không hợp lệ ({str(values[n])[:40]!r})"
    raise where.fail(n + 1, ids[n], why)


def decode_records(kind: Kind, data: bytes, *, member: str, sender_unit_id: str) -> list[tuple]:
    """Rows (tuples in ``kind.columns`` order) of one payload file, every record
    checked; ``InvalidRecord`` naming the first bad record otherwise."""
    where = _Where(kind, member)
    objs = _parse_lines(data, where)
    envelopes, contents = _objects(kind, objs, where)
    ids = [o.get("id") for o in envelopes]
    allowed = set(kind.content_columns if kind.mode == VERSIONED else kind.columns)
    for n, holder in enumerate(contents):
        if not holder.keys() <= allowed:
            extra = sorted(holder.keys() - allowed)[0]
            raise where.fail(n + 1, ids[n], f"có trường «{extra}» mà phiên bản này chưa biết — "
                             "hãy cập nhật gocong_desktop")
    columns = []
    for spec in kind.specs:
        holders = envelopes if kind.mode == VERSIONED and spec.name in ENVELOPE else contents
        values = _column(kind, spec.name, holders, ids, where, (spec.has_default, spec.default))
        _check_column(spec, values, ids, where)
        columns.append(values)
    rows = list(zip(*columns)) if columns and objs else []
    _check_identity(kind, rows, sender_unit_id, where)
    _check_references(kind, rows, where)
    return rows


def _check_identity(kind: Kind, rows: list[tuple], sender_unit_id: str, where: _Where) -> None:
    if "id" in kind.columns:
        i = kind.index("id")
        seen: set[str] = set()
        for n, row in enumerate(rows, 1):
            if not UUID_RE.fullmatch(row[i]):
                raise where.fail(n, row[i], "mã bản ghi không phải UUID")
            if row[i] in seen:
                raise where.fail(n, row[i], "trùng mã với một bản ghi khác trong gói")
            seen.add(row[i])
    elif len(set(rows)) != len(rows):
        raise where.fail(1, None, "có dòng trùng nhau")
    if kind.mode == VERSIONED:
        v, o = kind.index("version"), kind.index("owner_unit_id")
        for n, row in enumerate(rows, 1):
            if not 1 <= row[v] <= MAX_VERSION:
                raise where.fail(n, row[0], f"phiên bản phải từ 1 đến {format_int(MAX_VERSION)}")
            owner = row[o]
            if owner != sender_unit_id and not (owner is None and kind.name == "admin_unit"):
                raise where.fail(n, row[kind.index("id")], "bản ghi không thuộc đơn vị gửi gói")


def _check_references(kind: Kind, rows: list[tuple], where: _Where) -> None:
    """A reference is a record id (a UUID), as the ids it points to are."""
    for column in sorted({fk.parent.name for fk in kind.table.foreign_keys}):
        i = kind.index(column)
        if all(v is None or UUID_RE.fullmatch(v) for v in map(itemgetter(i), rows)):
            continue
        n = next(n for n, row in enumerate(rows) if row[i] is not None and not UUID_RE.fullmatch(row[i]))
        record_id = rows[n][kind.index("id")] if "id" in kind.columns else None
        raise where.fail(n + 1, record_id, f"trường «{column}» không phải mã bản ghi (UUID)")
