"""The catalogue behind model evaluations: model types and versioned criteria sets.

A criteria set is never edited in place: saving makes a new version, so every
evaluation keeps pointing at the criteria, weights and bands it was scored with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import CriteriaSet, ModelType, live
from gocong_desktop.core.errors import ConflictError, NotFoundError, ValidationError
from gocong_desktop.core.text import fold, slug_ascii, sort_key
from gocong_desktop.core.rules import BAND, CRITERION, Number, field_rule
from gocong_desktop.core.services.common import clean_text, field_text, get_live
from gocong_desktop.core.services.prevention import rate


@dataclass(frozen=True)
class ModelTypeRow:
    id: str
    name: str
    description: str | None
    active: bool


@dataclass(frozen=True)
class Criterion:
    code: str  # stable across versions: evaluations store scores under it
    name: str
    weight: float
    max_score: float


@dataclass(frozen=True)
class Band:
    label: str
    min_score: float  # percent


@dataclass(frozen=True)
class CriteriaSetInfo:
    id: str
    code: str
    version: int
    name: str
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...]  # best first

    def rate(self, scores: dict[str, float]) -> tuple[float, str]:
        return rate([c.__dict__ for c in self.criteria], [b.__dict__ for b in self.bands], scores)


# --------------------------------------------------------------------------- model types


def list_model_types(session: Session, *, include_inactive: bool = False) -> list[ModelTypeRow]:
    stmt = select(ModelType).where(live(ModelType))
    if not include_inactive:
        stmt = stmt.where(ModelType.active.is_(True))
    rows = [ModelTypeRow(t.id, t.name, t.description, t.active) for t in session.exec(stmt).all()]
    return sorted(rows, key=lambda r: sort_key(r.name))


def add_model_type(session: Session, name: str, *, description: str | None = None) -> str:
    name = field_text("model_type", "name", name)
    existing = session.exec(select(ModelType.name).where(ModelType.name_fold == fold(name),
                                                         live(ModelType))).first()
    if existing:
        raise ConflictError(f"Đã có loại mô hình «{existing}».", field="name")
    model_type = ModelType(name=name, name_fold=fold(name),
                           description=field_text("model_type", "description", description))
    session.add(model_type)
    session.flush()
    return model_type.id


# --------------------------------------------------------------------------- criteria sets


def _info(row: CriteriaSet) -> CriteriaSetInfo:
    criteria = tuple(Criterion(c["code"], c["name"], c["weight"], c["max_score"])
                     for c in json.loads(row.criteria_json))
    bands = tuple(Band(b["label"], b["min_score"]) for b in json.loads(row.bands_json))
    return CriteriaSetInfo(row.id, row.code, row.set_version, row.name, criteria, bands)


def criteria_set_info(session: Session, set_id: str) -> CriteriaSetInfo:
    return _info(get_live(session, CriteriaSet, set_id, "bộ tiêu chí"))


def latest_criteria_set(session: Session, code: str | None = None) -> CriteriaSetInfo:
    """The newest version of ``code`` (default: of the set saved last)."""
    stmt = select(CriteriaSet).where(live(CriteriaSet))
    if code:
        stmt = stmt.where(CriteriaSet.code == code)
    row = session.exec(stmt.order_by(CriteriaSet.created_at.desc(),
                                     CriteriaSet.set_version.desc())).first()
    if row is None:
        raise NotFoundError("Chưa có bộ tiêu chí đánh giá mô hình.")
    return _info(row)


def _number(value: Any, rule: Number, *, field: str, label: str) -> float:
    """A number within ``rule``'s range (``core/rules``: ``CRITERION``, ``BAND``)."""
    low, high = rule.low, rule.upper
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValidationError(f"{label} phải là số từ {low:g} đến {high:g}.", field=field)
    return value


def _clean_criteria(criteria: list[dict]) -> list[dict]:
    out, codes = [], set()
    for index, c in enumerate(criteria, 1):
        name = clean_text(c.get("name"), CRITERION["name"], field="criteria", label=f"tên tiêu chí thứ {index}")
        code = c.get("code") or slug_ascii(name)[:40] or f"tieu-chi-{index}"
        while code in codes:  # a new criterion whose name slugs like another's
            code += "-2"
        codes.add(code)
        out.append({"code": code, "name": name,
                    "weight": _number(c.get("weight"), CRITERION["weight"], field="criteria",
                                      label=f"Trọng số của «{name}»"),
                    "max_score": _number(c.get("max_score"), CRITERION["max_score"], field="criteria",
                                         label=f"Điểm tối đa của «{name}»")})
    if not out:
        raise ValidationError("Bộ tiêu chí phải có ít nhất một tiêu chí.", field="criteria")
    return out


def _clean_bands(bands: list[dict]) -> list[dict]:
    out = [{"label": clean_text(b.get("label"), BAND["label"], field="bands"),
            "min_score": _number(b.get("min_score"), BAND["min_score"], field="bands",
                                 label="Điểm tối thiểu của mức")} for b in bands]
    out.sort(key=lambda b: -b["min_score"])
    if len({fold(b["label"]) for b in out}) < len(out) or len({b["min_score"] for b in out}) < len(out):
        raise ValidationError("Các mức xếp loại phải khác tên và khác điểm tối thiểu.", field="bands")
    if len(out) < 2 or out[-1]["min_score"] != 0:
        raise ValidationError("Cần ít nhất hai mức xếp loại, mức thấp nhất bắt đầu từ 0 điểm "
                              "để điểm nào cũng có xếp loại.", field="bands")
    return out


def _stored_json(column: str, value: list[dict], *, field: str) -> str:
    """``value`` as the column stores it, held to the column's rule (size, number of items)."""
    text, rule = json.dumps(value, ensure_ascii=False), field_rule("criteria_set", column)
    if (why := rule.problem(text)) is not None:
        raise ValidationError(f"{rule.label[:1].upper()}{rule.label[1:]} {why}.", field=field)
    return text


def save_criteria_set(session: Session, *, code: str, name: str, criteria: list[dict],
                      bands: list[dict]) -> str:
    """A new version of set ``code``; earlier versions stay with their evaluations."""
    name = field_text("criteria_set", "name", name)
    clean_criteria, clean_bands = _clean_criteria(criteria), _clean_bands(bands)
    code = field_text("criteria_set", "code", code, required=False) or slug_ascii(name) or "bo-tieu-chi"
    last = session.exec(select(func.max(CriteriaSet.set_version)).where(CriteriaSet.code == code)).one()
    row = CriteriaSet(code=code, set_version=(last or 0) + 1, name=name,
                      criteria_json=_stored_json("criteria_json", clean_criteria, field="criteria"),
                      bands_json=_stored_json("bands_json", clean_bands, field="bands"))
    session.add(row)
    session.flush()
    return row.id
