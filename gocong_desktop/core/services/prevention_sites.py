"""Sites (điểm) of a crime-prevention model: where it runs, what it covers, and
replicating it (nhân rộng) to a new hamlet or road in one action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, select

from gocong_desktop.core.db.access import require_writer
from gocong_desktop.core.db.models import AdminUnit, Household, ModelSite, ModelSiteHousehold, live
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.text import fold, sort_key
from gocong_desktop.core.services.common import field_date, field_number, field_text, get_live
from gocong_desktop.core.services.prevention import add_site

RESOURCES = (("cameras", "camera"), ("lights", "đèn"), ("gates", "cổng rào"), ("posts", "chốt"))


@dataclass(frozen=True)
class SiteRow:
    id: str
    model_id: str
    hamlet_id: str | None
    hamlet_name: str | None
    road_name: str | None
    households_count: int | None  # as declared, when households are not chosen
    chosen: int  # households chosen one by one
    cameras: int
    lights: int
    gates: int
    posts: int
    start_date: date | None
    note: str | None

    @property
    def households(self) -> int:
        return self.chosen or self.households_count or 0

    @property
    def place(self) -> str:
        return place_text(self.road_name, self.hamlet_name)

    @property
    def resources_text(self) -> str:
        return ", ".join(f"{getattr(self, f)} {label}" for f, label in RESOURCES if getattr(self, f))


def place_text(road_name: str | None, hamlet_name: str | None) -> str:
    """"Đường tỉnh 877 – ấp Lợi An", without repeating a hamlet the road already names."""
    hamlet = f"ấp {hamlet_name}" if hamlet_name and fold(hamlet_name) not in fold(road_name) else ""
    return " – ".join(p for p in (road_name, hamlet) if p)


def list_sites(session: Session, model_id: str) -> list[SiteRow]:
    chosen = (select(ModelSiteHousehold.site_id, func.count().label("n"))
              .group_by(ModelSiteHousehold.site_id).subquery())
    stmt = (select(ModelSite, AdminUnit.name, func.coalesce(chosen.c.n, 0))
            .outerjoin(AdminUnit, AdminUnit.id == ModelSite.hamlet_id)
            .outerjoin(chosen, chosen.c.site_id == ModelSite.id)
            .where(ModelSite.model_id == model_id, live(ModelSite)))
    rows = [SiteRow(id=s.id, model_id=s.model_id, hamlet_id=s.hamlet_id, hamlet_name=hamlet,
                    road_name=s.road_name, households_count=s.households_count, chosen=n,
                    cameras=s.cameras, lights=s.lights, gates=s.gates, posts=s.posts,
                    start_date=s.start_date, note=s.note)
            for s, hamlet, n in session.exec(stmt).all()]
    return sorted(rows, key=lambda r: (r.start_date or date.min, sort_key(r.place)))


def site_households(session: Session, site_id: str) -> list[str]:
    return list(session.exec(select(ModelSiteHousehold.household_id)
                             .where(ModelSiteHousehold.site_id == site_id)).all())


def set_site_households(session: Session, site_id: str, household_ids: list[str]) -> None:
    require_writer(session)  # the bulk delete below is a statement, not a flush
    """Replace the households chosen for a site (an empty list: back to a plain count)."""
    site = get_live(session, ModelSite, site_id, "điểm mô hình")
    ids = list(dict.fromkeys(household_ids))
    found = session.exec(select(func.count()).select_from(Household).where(
        Household.id.in_(ids), live(Household))).one()
    if found != len(ids):
        raise ValidationError("Có hộ đã chọn không còn trong sổ.", field="households")
    session.exec(delete(ModelSiteHousehold).where(ModelSiteHousehold.site_id == site.id))
    for household_id in ids:
        session.add(ModelSiteHousehold(site_id=site.id, household_id=household_id))
    if ids:  # the declared count follows the choice
        site.households_count = len(ids)
    session.flush()


def _check_place(session: Session, model_id: str, hamlet_id: str | None, road_name: str | None,
                 exclude_id: str | None = None) -> None:
    if hamlet_id:
        get_live(session, AdminUnit, hamlet_id, "ấp")
    if not hamlet_id and not (road_name or "").strip():
        raise ValidationError("Điểm mô hình cần có ấp hoặc tên tuyến đường.", field="hamlet_id")
    stmt = select(ModelSite).where(ModelSite.model_id == model_id, live(ModelSite),
                                   ModelSite.hamlet_id == hamlet_id if hamlet_id else
                                   ModelSite.hamlet_id.is_(None))
    for other in session.exec(stmt).all():
        if other.id != exclude_id and fold(other.road_name) == fold(road_name):
            raise ConflictError("Mô hình đã có điểm tại địa bàn này.", field="road_name")


def save_site(session: Session, model_id: str, *, site_id: str | None = None,
              hamlet_id: str | None = None, road_name: str | None = None,
              households_count: int | None = None, household_ids: list[str] | None = None,
              cameras: int = 0, lights: int = 0, gates: int = 0, posts: int = 0,
              start_date: date | None = None, note: str | None = None) -> str:
    """Add or edit a site; ``household_ids`` (when given) replaces the chosen households."""
    _check_place(session, model_id, hamlet_id, road_name, exclude_id=site_id)
    counts = dict(cameras=cameras, lights=lights, gates=gates, posts=posts)
    for field, value in (*counts.items(), ("households_count", households_count)):
        field_number("model_site", field, value)
    field_date("model_site", "start_date", start_date)
    if site_id is None:
        site_id = add_site(session, model_id, hamlet_id=hamlet_id, road_name=road_name,
                           households_count=households_count, start_date=start_date, note=note, **counts)
    else:
        site = get_live(session, ModelSite, site_id, "điểm mô hình")
        site.hamlet_id, site.households_count, site.start_date = hamlet_id, households_count, start_date
        site.road_name = field_text("model_site", "road_name", road_name)
        site.note = field_text("model_site", "note", note)
        for field, value in counts.items():
            setattr(site, field, value)
    if household_ids is not None:
        set_site_households(session, site_id, household_ids)
    return site_id


def replicate_site(session: Session, site_id: str, *, hamlet_id: str | None = None,
                   road_name: str | None = None, households_count: int | None = None,
                   start_date: date | None = None) -> str:
    """Nhân rộng: a new site of the same model with the same resources (cameras,
    lights, gates, posts) at another hamlet or road."""
    source = get_live(session, ModelSite, site_id, "điểm mô hình")
    return save_site(session, source.model_id, hamlet_id=hamlet_id, road_name=road_name,
                     households_count=households_count, cameras=source.cameras, lights=source.lights,
                     gates=source.gates, posts=source.posts, start_date=start_date or date.today(),
                     note=f"Nhân rộng từ điểm {_place_of(session, source)}.")


def _place_of(session: Session, site: ModelSite) -> str:
    hamlet = session.get(AdminUnit, site.hamlet_id) if site.hamlet_id else None
    return place_text(site.road_name, hamlet.name if hamlet else None)


def delete_site(session: Session, site_id: str) -> None:
    get_live(session, ModelSite, site_id, "điểm mô hình").deleted = True
