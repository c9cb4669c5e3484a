"""Crime-prevention models with their sites, and their six-monthly and yearly reviews.

Models, lead organisations and site sizes follow the real ones of Gò Công Tây
(DOMAIN.md §5): the "Người dân tự quản" road of ấp Lợi An is 1,300 m long with
63 households. One model was dropped as "chỉ mang tính hình thức".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time

from gocong_desktop.core.db.models import (CriteriaSet, Evaluation, ModelSite, ModelSiteHousehold, ModelStatus,
                         ModelType, PeriodKind, PreventionModel, Recommendation)
from gocong_desktop.core.resources import resource_path
from gocong_desktop.core.text import fold
from gocong_desktop.core.demo.people import NamePicker
from gocong_desktop.core.demo.rows import local_stamp
from gocong_desktop.core.demo.state import Demo


@dataclass(frozen=True)
class Site:
    hamlet: int  # index into the commune's hamlets (the first six always exist)
    road: str | None  # "{hamlet}" is replaced by the hamlet's name
    households: int | None = None
    linked: int = 0  # households chosen one by one (ModelSiteHousehold)
    cameras: int = 0
    lights: int = 0
    gates: int = 0
    posts: int = 0
    note: str | None = None


@dataclass(frozen=True)
class Spec:
    name: str
    type_name: str
    lead: str
    start: date
    quality: float  # 0..1: how well it really works
    sites: list[Site] = field(default_factory=list)
    retired: str | None = None  # reason it was dropped


SPECS = [
    Spec("Người dân tự quản về ANTT khu dân cư ấp {hamlet}", "Người dân tự quản về ANTT khu dân cư",
         "Công an xã", date(2019, 5, 15), 0.9,
         [Site(0, "Đường liên ấp {hamlet} dài 1.300 m", 63, linked=63,
               note="Có bảng quy ước cộng đồng niêm yết đầu tuyến.")]),
    Spec("Camera an ninh ấp {hamlet}", "Camera an ninh", "Công an xã", date(2021, 9, 2), 0.85,
         [Site(1, "Đường tỉnh 877 đoạn qua ấp {hamlet}", None, linked=30, cameras=12,
               note="Camera do các hộ đóng góp, kết nối về Công an xã.")]),
    Spec("Ánh sáng phòng chống tội phạm", "Ánh sáng phòng chống tội phạm", "Đoàn Thanh niên",
         date(2020, 3, 26), 0.75,
         [Site(2, "Đường liên ấp {hamlet}", 48, lights=40),
          Site(3, "Đường đal ấp {hamlet}", 35, lights=25)]),
    Spec("Gia đình 5 không 3 sạch", "Gia đình 5 không 3 sạch", "Hội LHPN", date(2018, 10, 20), 0.7,
         [Site(2, None, 120), Site(4, None, 95)]),
    Spec("Cổng rào phòng chống tội phạm ấp {hamlet}", "Cổng rào phòng chống tội phạm",
         "Ủy ban MTTQ xã", date(2022, 6, 1), 0.62, [Site(4, "Xóm trong ấp {hamlet}", 40, gates=15)]),
    Spec("Chốt dân phòng ngã ba {hamlet}", "Chốt dân phòng", "Công an xã", date(2020, 1, 15), 0.8,
         [Site(5, "Ngã ba {hamlet}", None, posts=1)]),
    Spec("Tuyến đường tự quản an toàn giao thông", "Tự quản an toàn giao thông",
         "Hội Cựu chiến binh", date(2021, 4, 10), 0.6,
         [Site(3, "Đường tỉnh 872 đoạn qua ấp {hamlet} dài 1,4 km", 71)]),
    Spec("Tổ tự quản ANTT Hội Nông dân ấp {hamlet}", "Người dân tự quản về ANTT khu dân cư",
         "Hội Nông dân", date(2019, 8, 1), 0.3, [Site(5, None, 30)],
         retired="Hoạt động chỉ mang tính hình thức, không duy trì sinh hoạt, người dân không "
                 "tham gia; hội đồng đánh giá đề nghị xóa bỏ."),
]

# Recommendation for each rating band, best band first (bands are data, so by position).
_BY_BAND = [Recommendation.MAINTAIN, Recommendation.MAINTAIN, Recommendation.STRENGTHEN,
            Recommendation.DROP]


def build_prevention(demo: Demo) -> None:
    types = json.loads(resource_path("templates", "model_types.json").read_text("utf-8"))
    criteria = json.loads(resource_path("templates", "criteria_default.json").read_text("utf-8"))
    stamp = demo.register_stamp
    type_ids = {t["name"]: demo.rows.add(ModelType, stamp, name=t["name"], name_fold=fold(t["name"]),
                                         description=t.get("description"), active=True)
                for t in types["model_types"]}
    criteria_id = demo.rows.add(
        CriteriaSet, stamp, code=criteria["code"], set_version=1, name=criteria["name"],
        criteria_json=json.dumps(criteria["criteria"], ensure_ascii=False),
        bands_json=json.dumps(criteria["bands"], ensure_ascii=False))
    chief = NamePicker(demo.rng).full_name(True)
    evaluator = f"Đ/c {chief} – Trưởng Công an xã"
    periods = _periods(demo)  # all models are reviewed at the same sessions
    for spec in SPECS:
        hamlet = demo.hamlets[spec.sites[0].hamlet]
        name = spec.name.format(hamlet=hamlet.name)
        model_id = demo.rows.new_id()
        retired_on = _evaluate(demo, model_id, spec, periods, criteria, criteria_id, evaluator, chief)
        demo.rows.add(
            PreventionModel, stamp, id=model_id, type_id=type_ids[spec.type_name], name=name,
            name_fold=fold(name), lead_organisation=spec.lead, scope=None, description=None,
            start_date=spec.start,
            status=(ModelStatus.RETIRED if retired_on else ModelStatus.ACTIVE).value,
            status_reason=spec.retired if retired_on else None, status_date=retired_on,
            updated_at=local_stamp(retired_on) if retired_on else stamp)
        demo.models.append((model_id, name))
        for site in spec.sites:
            _add_site(demo, model_id, site, spec.start)


def _add_site(demo: Demo, model_id: str, site: Site, start: date) -> None:
    hamlet = demo.hamlets[site.hamlet]
    living = [h for h in demo.homes if h.hamlet is hamlet and h.moved_out is None]
    linked = demo.rng.sample(living, min(site.linked, len(living)))
    count = len(linked) if site.linked else site.households
    site_id = demo.rows.add(
        ModelSite, demo.register_stamp, model_id=model_id, hamlet_id=hamlet.id,
        road_name=site.road.format(hamlet=hamlet.name) if site.road else None,
        households_count=min(count, len(living)) if count else None, cameras=site.cameras,
        lights=site.lights, gates=site.gates, posts=site.posts, start_date=start, note=site.note)
    for home in linked:
        demo.rows.add_plain(ModelSiteHousehold, site_id=site_id, household_id=home.id)


def _periods(demo: Demo) -> list[tuple[str, date, date, date]]:
    """(kind, start, end, evaluated on): sơ kết 6 tháng in July, tổng kết năm in January."""
    out = []
    for year in demo.years:
        out.append((PeriodKind.SIX_MONTHS.value, date(year, 1, 1), date(year, 6, 30),
                    date(year, 7, demo.rng.randint(5, 20))))
        out.append((PeriodKind.YEAR.value, date(year, 1, 1), date(year, 12, 31),
                    date(year + 1, 1, demo.rng.randint(5, 15))))
    return [p for p in out if p[3] < demo.today]


def _evaluate(demo: Demo, model_id: str, spec: Spec, periods: list[tuple[str, date, date, date]],
              criteria: dict, criteria_id: str, evaluator: str, chief: str) -> date | None:
    """Adds the model's reviews, each a morning's session of the police chief; a dropped
    model stops after the review that dropped it (returns that day)."""
    team = json.dumps([{"name": chief, "role": "Trưởng Công an xã"}], ensure_ascii=False)
    for index, (kind, start, end, on) in enumerate(periods):
        # A dropped model was first told to strengthen, then dropped when it did not.
        quality = spec.quality + (0.25 if spec.retired and index == 0 else 0)
        scores = {c["code"]: _score(demo, quality, c["max_score"]) for c in criteria["criteria"]}
        total = total_score(criteria["criteria"], scores)
        band = next(i for i, b in enumerate(criteria["bands"]) if b["min_score"] <= total)
        advice = _BY_BAND[min(band, len(_BY_BAND) - 1)]
        if band == 0 and total >= 85:
            advice = Recommendation.REPLICATE
        if advice is Recommendation.DROP and not spec.retired:
            advice = Recommendation.STRENGTHEN  # a weak review of a model that is kept
        demo.rows.add(
            Evaluation, local_stamp(on, 15, 0), model_id=model_id, criteria_set_id=criteria_id,
            period_kind=kind, period_start=start, period_end=end, evaluated_on=on,
            scores_json=json.dumps(scores), total_score=total,
            rating=criteria["bands"][band]["label"], recommendation=advice.value,
            evaluator=evaluator, notes=_evidence(demo, spec, advice), team_json=team,
            started_at=datetime.combine(on, time(8, 0)), ended_at=datetime.combine(on, time(10, 30)))
        if advice is Recommendation.DROP and spec.retired:
            return on
    return None


def _score(demo: Demo, quality: float, max_score: int) -> int:
    return max(0, min(max_score, round(quality * max_score + demo.rng.gauss(0, 1.0))))


def total_score(criteria: list[dict], scores: dict[str, int]) -> float:
    """Weighted percentage: sum(weight × score / max) / sum(weight) × 100."""
    weights = sum(c["weight"] for c in criteria)
    earned = sum(c["weight"] * scores[c["code"]] / c["max_score"] for c in criteria)
    return round(earned / weights * 100, 1)


def _evidence(demo: Demo, spec: Spec, advice: Recommendation) -> str:
    """Reviews must show evidence, not just a grade."""
    if advice is Recommendation.DROP:
        return "Trong kỳ không tổ chức sinh hoạt; không có hộ tham gia; mô hình chỉ mang tính hình thức."
    rng, q = demo.rng, spec.quality
    households = spec.sites[0].households or 40
    joined = min(households, round(households * (q + rng.uniform(-0.05, 0.05))))
    return (f"Trong kỳ tổ chức {round(6 * q) + rng.randint(0, 2)} buổi sinh hoạt; "
            f"{joined}/{households} hộ tham gia; phát hiện, báo tin {rng.randint(0, 4)} vụ việc; "
            f"xảy ra {rng.randint(0, round(4 * (1 - q)))} vụ trộm cắp trên địa bàn.")
