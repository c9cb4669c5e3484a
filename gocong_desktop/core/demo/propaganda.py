"""Propaganda activities: radio, mobile loudspeakers, residents' meetings, leaflets.

Sized on DOMAIN.md §5 (2,560 radio and 2,000 loudspeaker broadcasts in five
years for 13 communes): a few broadcasts a month, a residents' meeting per
hamlet per quarter, a leaflet run every few months.
"""

from __future__ import annotations

from datetime import date

from gocong_desktop.core.db.models import PropagandaActivity, PropagandaKind
from gocong_desktop.core.demo.rows import local_stamp
from gocong_desktop.core.demo.state import Demo

TOPICS = [
    "Tuyên truyền phòng, chống ma túy trong thanh thiếu niên",
    "Cảnh báo thủ đoạn lừa đảo qua điện thoại, mạng xã hội",
    "Bảo đảm an toàn giao thông dịp Tết Nguyên đán",
    "Phòng cháy, chữa cháy mùa khô",
    "Vận động giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ",
    "Hướng dẫn thông báo lưu trú qua ứng dụng VNeID",
    "Phòng, chống trộm cắp tài sản mùa thu hoạch",
    "Phòng, chống đuối nước cho trẻ em dịp hè",
]


def build_propaganda(demo: Demo) -> None:
    first = demo.years[0]
    for month_index in range((demo.today.year - first) * 12 + demo.today.month):
        year, month = first + month_index // 12, month_index % 12 + 1
        _month(demo, year, month)
        if month % 3 == 0:  # a residents' meeting per hamlet per quarter
            for hamlet in demo.hamlets:
                day = date(year, month - 2 + demo.rng.randrange(3), demo.rng.randint(1, 28))
                _add(demo, PropagandaKind.RESIDENTS_MEETING, day, 1, hamlet_id=hamlet.id,
                     note=f"Họp dân ấp {hamlet.name}")


def _month(demo: Demo, year: int, month: int) -> None:
    rng = demo.rng
    radio, loudspeaker = rng.randint(2, 4), rng.randint(1, 3)
    days = [date(year, month, d) for d in rng.sample(range(1, 29), radio + loudspeaker + 1)]
    for day in days[:radio]:
        _add(demo, PropagandaKind.RADIO, day, rng.randint(1, 2))
    for day in days[radio:-1]:
        _add(demo, PropagandaKind.LOUDSPEAKER, day, 1, hamlet_id=rng.choice(demo.hamlets).id)
    if rng.random() < 0.4:  # a leaflet run, sometimes for one model
        model_id = rng.choice(demo.models)[0] if demo.models and rng.random() < 0.5 else None
        _add(demo, PropagandaKind.LEAFLETS, days[-1], rng.randint(2, 8) * 100, model_id=model_id)


def _add(demo: Demo, kind: PropagandaKind, day: date, count: int, *,
         hamlet_id: str | None = None, model_id: str | None = None, note: str | None = None) -> None:
    """One activity, if its day is already past."""
    topic = demo.rng.choice(TOPICS)
    if day >= demo.today:
        return
    demo.rows.add(PropagandaActivity, local_stamp(day, 17, 0), kind=kind.value,
                  activity_date=day, count=count, hamlet_id=hamlet_id, model_id=model_id,
                  note=f"{note}: {topic[0].lower()}{topic[1:]}" if note else topic)
