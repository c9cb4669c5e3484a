"""A small, fully known commune for the review tests (core, PDF/Excel, GUI, CLI).

On top of ``seeded`` (ấp Lợi An: Tổ 1 = Ba, Hoa, Tâm; Tổ 2 = An, Ánh; ấp Đồng Sơn:
Tổ 3 = Đồng, Bích), over the first half of 2024:

- meetings: Tổ 1 on 10/02 (Tâm absent) and 20/05 (final); Tổ 2 on 30/06 at 20:00 (Ánh
  absent) and, outside the period, 31/12/2023 and 01/07; Tổ 3 on 01/03 (all present);
- pledges 2024: Ba, Hoa, An, Đồng signed; Bích refused; Tâm moved; Ánh unsigned,
  and Ánh moves out on 01/09/2024 (after the period: still counted in it);
- "Camera an ninh ấp Lợi An": a site in Lợi An given as 40 households (8 cameras),
  and a site in Đồng Sơn with one chosen household (Đồng); evaluated for 2024-H1;
- "Ánh sáng Đồng Sơn": its only site starts 01/08/2024 (no site in the period);
- "Tổ tự quản Hội Nông dân": retired on 31/12/2023 after its 2023 evaluation that day;
- propaganda: radio 4 (Lợi An), loudspeaker 2 (Đồng Sơn), 300 leaflets for the
  camera model, radio 6 commune-wide; radio 3 in Lợi An on 02/07 (outside).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from gocong_desktop.core.db.models import AttendanceStatus, ModelStatus, PledgeStatus, PropagandaKind
from gocong_desktop.core.services import households, meetings, prevention_catalogue as model_catalogue, prevention_sites as model_sites, pledges, prevention, propaganda
from gocong_desktop.core.services.review_period import parse_period
from tests.meeting_edits import edit_meeting, with_attendance

H1 = parse_period("2024-H1")


@dataclass
class Scenario:
    model_id: str  # the camera model
    late_model_id: str
    retired_model_id: str
    site_a: str
    site_b: str
    evaluation_id: str  # the camera model's 2024-H1 evaluation
    old_evaluation_id: str  # the retired model's 2023 evaluation


def _meeting(s, group_id: str, when: datetime, absent: dict[str, str] | None = None,
             final: bool = False) -> str:
    meeting_id = meetings.create_meeting(s, attendance="present", group_id=group_id, starts_at=when)
    for household_id, status in (absent or {}).items():
        with_attendance(s, meeting_id, household_id, status, reason="Bận việc")
    if final:
        edit_meeting(s, meeting_id, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        meetings.finalise_meeting(s, meeting_id)
    return meeting_id


def _meetings(s, seeded) -> None:
    h = seeded.households
    _meeting(s, seeded.group_a1, datetime(2024, 2, 10, 19, 30),
             {h["Trần Minh Tâm"]: AttendanceStatus.ABSENT_UNEXCUSED})
    _meeting(s, seeded.group_a1, datetime(2024, 5, 20, 19, 30), final=True)
    _meeting(s, seeded.group_a2, datetime(2024, 6, 30, 20, 0), {h["Võ Thị Ánh"]: AttendanceStatus.ABSENT_EXCUSED})
    _meeting(s, seeded.group_a2, datetime(2023, 12, 31, 23, 0))
    _meeting(s, seeded.group_a2, datetime(2024, 7, 1, 0, 0))
    _meeting(s, seeded.group_b3, datetime(2024, 3, 1, 19, 0))


def _pledges(s, seeded) -> None:
    h = seeded.households
    pledges.open_campaign(s, 2024, opened_on=date(2024, 1, 2))
    by_household = {p.household_id: p.id for p in pledges.list_pledges(s, 2024)}
    for name in ("Nguyễn Văn Ba", "Lê Thị Hoa", "Phạm Văn An", "Đỗ Văn Đồng"):
        pledges.record_signature(s, by_household[h[name]], status=PledgeStatus.SIGNED,
                                 signed_date=date(2024, 2, 1))
    pledges.record_signature(s, by_household[h["Nguyễn Thị Bích"]], status=PledgeStatus.REFUSED,
                             reason="Không đồng ý")
    pledges.record_signature(s, by_household[h["Trần Minh Tâm"]], status=PledgeStatus.MOVED,
                             reason="Đi làm ăn xa")
    households.mark_moved_out(s, h["Võ Thị Ánh"], date(2024, 9, 1))


def _models(s, seeded) -> tuple[str, ...]:
    prevention.ensure_default_catalogue(s)
    types = {t.name: t.id for t in model_catalogue.list_model_types(s)}
    camera = prevention.create_model(s, type_id=types["Camera an ninh"], name="Camera an ninh ấp Lợi An",
                                     lead_organisation="Công an xã", start_date=date(2023, 5, 1))
    site_a = model_sites.save_site(s, camera, hamlet_id=seeded.hamlet_a, road_name="Đường liên ấp Lợi An",
                                   households_count=40, cameras=8, start_date=date(2023, 5, 1))
    site_b = model_sites.save_site(s, camera, hamlet_id=seeded.hamlet_b, start_date=date(2024, 1, 15),
                                   household_ids=[seeded.households["Đỗ Văn Đồng"]])
    late = prevention.create_model(s, type_id=types["Ánh sáng phòng chống tội phạm"],
                                   name="Ánh sáng Đồng Sơn", lead_organisation="Đoàn Thanh niên")
    model_sites.save_site(s, late, hamlet_id=seeded.hamlet_b, road_name="Đường đê", lights=10,
                          start_date=date(2024, 8, 1))
    retired = prevention.create_model(s, type_id=types["Người dân tự quản về ANTT khu dân cư"],
                                      name="Tổ tự quản Hội Nông dân", lead_organisation="Hội Nông dân",
                                      start_date=date(2020, 1, 1))
    return camera, site_a, site_b, late, retired


def evaluate(s, model_id: str, period, score: float, recommendation: str, **kwargs) -> str:
    criteria = model_catalogue.latest_criteria_set(s)
    return prevention.evaluate_model(
        s, model_id, criteria_set_id=criteria.id, period_kind=period.kind, period_start=period.start,
        period_end=period.end, evaluated_on=kwargs.pop("evaluated_on", period.end),
        scores={c.code: score for c in criteria.criteria}, recommendation=recommendation, **kwargs)


def _propaganda(s, seeded, camera: str) -> None:
    add = propaganda.record_activity
    add(s, kind=PropagandaKind.RADIO, activity_date=date(2024, 3, 5), count=4, hamlet_id=seeded.hamlet_a)
    add(s, kind=PropagandaKind.LOUDSPEAKER, activity_date=date(2024, 4, 1), count=2, hamlet_id=seeded.hamlet_b)
    add(s, kind=PropagandaKind.LEAFLETS, activity_date=date(2024, 5, 5), count=300, model_id=camera)
    add(s, kind=PropagandaKind.RADIO, activity_date=date(2024, 2, 2), count=6)
    add(s, kind=PropagandaKind.RADIO, activity_date=date(2024, 7, 2), count=3, hamlet_id=seeded.hamlet_a)


def build_scenario(seeded) -> Scenario:
    with seeded.db.session(actor="tester") as s:
        _meetings(s, seeded)
        _pledges(s, seeded)
        camera, site_a, site_b, late, retired = _models(s, seeded)
        _propaganda(s, seeded, camera)
        # Evaluated on the year's last day: a period is evaluated once it has ended (issue 18).
        old = evaluate(s, retired, parse_period("2023"), 3, "xoa_bo", evaluated_on=date(2023, 12, 31))
        prevention.set_model_status(s, retired, ModelStatus.RETIRED, when=date(2023, 12, 31),
                                    reason="Chỉ mang tính hình thức")
        evaluation = evaluate(s, camera, H1, 8, "nhan_rong", evaluated_on=date(2024, 7, 5),
                              evaluator="Đ/c Trần Minh Tâm – Trưởng Công an xã")
    return Scenario(camera, late, retired, site_a, site_b, evaluation, old)
