"""The commune's start page (Tổng quan): what needs doing, each item counted with the
same filter the page it opens lists, and the figures its charts draw (the table per
hamlet is ``overview.overview``).

Each count here is the length of a list elsewhere: groups not met this quarter
(``groups.list_groups(not_met_in=)``), draft minutes (``meetings.count_meetings``),
unsigned pledges (``pledges.count_pledges``), models due for evaluation
(``prevention.list_models(due_on=)``). A click on the item shows that list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Sequence

from sqlalchemy import func
from sqlmodel import Session, select

from gocong_desktop.core.db.models import Evaluation, MeetingStatus, ModelStatus, PledgeStatus, PreventionModel, \
    SelfManagedGroup, live
from gocong_desktop.core.services import meetings, pledges
from gocong_desktop.core.services.area_figures import AreaCounts, meetings_by_month
from gocong_desktop.core.services.backup_folders import database_of
from gocong_desktop.core.services.figures import Scope, Window, attendance_query, group_active_now, group_met, \
    quarter_bounds
from gocong_desktop.core.services.hamlets import list_hamlets
from gocong_desktop.core.services.overview import AreaFigures
from gocong_desktop.core.services.prevention import evaluation_due_period, model_due
from gocong_desktop.core.services.review_period import ROMAN_QUARTERS
from gocong_desktop.core.settings.backup_places import backup_folders
from gocong_desktop.core.storage.backup import BackupInfo, last_backup
from gocong_desktop.core.text import format_date, format_int

GROUPS_NOT_MET, DRAFT_MINUTES, UNSIGNED_PLEDGES = "groups_not_met", "draft_minutes", "unsigned_pledges"
MODELS_DUE, PACKAGE, BACKUP = "models_due", "package", "backup"
PACKAGE_DUE_DAYS = 30  # the figures go up at least once a month
BACKUP_DUE_DAYS = 1  # a backup is made every day the program is used
CHART_MONTHS = 12


@dataclass(frozen=True)
class ToDo:
    kind: str  # one of the constants above: what the page opens on a click
    title: str  # "Tổ chưa họp trong quý IV/2026"
    count: int | None  # None: a state rather than a count (the last package, the last backup)
    detail: str  # what it means, what to do
    pending: bool  # something is to be done (False: up to date)


@dataclass(frozen=True)
class SentPackage:
    """The newest package this office sent up (``sync.ledger.last_sent``)."""

    sent_at: datetime
    receipt_back: bool


@dataclass(frozen=True)
class StartCharts:
    pledge_year: int
    pledge_coverage: tuple[tuple[str, float | None], ...]  # (hamlet, % of the year's pledges signed)
    attendance: tuple[tuple[str, float | None], ...]  # (hamlet, % of invited households present)
    meetings_by_month: tuple[tuple[date, int], ...]  # (first day of the month, meetings held)
    ratings: tuple[tuple[str, int], ...]  # (rating, active models whose latest evaluation gave it)


def quarter_label(day: date) -> str:
    return f"quý {ROMAN_QUARTERS[(day.month - 1) // 3]}/{day.year}"


def groups_not_met(session: Session, today: date) -> ToDo:
    n = session.exec(select(func.count()).select_from(SelfManagedGroup)
                     .where(group_active_now(), ~group_met(*quarter_bounds(today)))).one()
    return ToDo(GROUPS_NOT_MET, f"Tổ chưa họp trong {quarter_label(today)}", n,
                "Mọi tổ đã họp trong quý." if not n else "Nhắc các tổ trưởng tổ chức sinh hoạt.", n > 0)


def draft_minutes(session: Session) -> ToDo:
    n = meetings.count_meetings(session, status=MeetingStatus.DRAFT)
    return ToDo(DRAFT_MINUTES, "Biên bản chưa hoàn tất", n,
                "Mọi biên bản đã hoàn tất." if not n else "Kiểm tra rồi hoàn tất các biên bản nháp.", n > 0)


def unsigned_pledges(session: Session, today: date) -> ToDo:
    year = today.year
    if pledges.get_campaign(session, year) is None:
        return ToDo(UNSIGNED_PLEDGES, f"Hộ chưa ký cam kết năm {year}", None,
                    f"Chưa mở đợt cam kết năm {year}: mở đợt ở trang Cam kết.", True)
    n = pledges.count_pledges(session, year, status=PledgeStatus.UNSIGNED, resident_only=True)
    return ToDo(UNSIGNED_PLEDGES, f"Hộ chưa ký cam kết năm {year}", n,
                "Mọi hộ trong đợt đã có kết quả." if not n else "Vận động các hộ còn lại ký cam kết.", n > 0)


def models_due(session: Session, today: date) -> ToDo:
    period = evaluation_due_period(today)
    n = session.exec(select(func.count()).select_from(PreventionModel).where(model_due(period))).one()
    return ToDo(MODELS_DUE, "Mô hình đến hạn đánh giá", n,
                f"Chưa đánh giá kỳ {period.label}." if n else f"Đã đánh giá đủ kỳ {period.label}.", n > 0)


def days_text(days: int) -> str:
    return "hôm nay" if days <= 0 else "hôm qua" if days == 1 else f"{format_int(days)} ngày trước"


def package_to_do(sent: SentPackage | None, today: date) -> ToDo:
    title = "Gửi dữ liệu lên cấp trên"
    if sent is None:
        return ToDo(PACKAGE, title, None, "Chưa gửi gói dữ liệu nào.", True)
    days = (today - sent.sent_at.date()).days
    receipt = "đã có biên nhận" if sent.receipt_back else "chưa có biên nhận"
    return ToDo(PACKAGE, title, None, f"Gói gần nhất gửi {days_text(days)} ({format_date(sent.sent_at.date())}), "
                f"{receipt}.", days > PACKAGE_DUE_DAYS or not sent.receipt_back)


def backup_to_do(last: BackupInfo | None, folder: Path, today: date) -> ToDo:
    if last is None:
        return ToDo(BACKUP, "Sao lưu dữ liệu", None, f"Chưa có bản sao lưu nào trong «{folder}».", True)
    days = (today - last.taken_at.date()).days
    return ToDo(BACKUP, "Sao lưu dữ liệu", None,
                f"Bản gần nhất: {last.taken_at:%H:%M} {days_text(days)}, trong «{folder}».", days > BACKUP_DUE_DAYS)


def to_do(session: Session, *, today: date, sent: SentPackage | None) -> tuple[ToDo, ...]:
    """The items in the page's order. The page reads them beside its table (``overview``),
    and its charts after both (``chart_figures``: 12 months of attendance are the slowest
    count, ≈ 0.8 s at 50,000 households)."""
    path = database_of(session)
    return (groups_not_met(session, today), draft_minutes(session), unsigned_pledges(session, today),
            models_due(session, today), package_to_do(sent, today),
            backup_to_do(last_backup(path), backup_folders(path)[0], today))


def latest_ratings(session: Session) -> tuple[tuple[str, int], ...]:
    """(rating, active models whose latest evaluation gave it), best score first."""
    ranked = (select(Evaluation.model_id, Evaluation.rating, Evaluation.total_score,
                     func.row_number().over(partition_by=Evaluation.model_id, order_by=(
                         Evaluation.period_end.desc(), Evaluation.evaluated_on.desc())).label("rn"))
              .join(PreventionModel, PreventionModel.id == Evaluation.model_id)
              .where(live(Evaluation, PreventionModel), PreventionModel.status == ModelStatus.ACTIVE).subquery())
    rows = session.exec(select(ranked.c.rating, func.count(), func.max(ranked.c.total_score))
                        .where(ranked.c.rn == 1).group_by(ranked.c.rating)).all()
    return tuple((rating, n) for rating, n, _best in sorted(rows, key=lambda r: -(r[2] or 0)))


def attendance_by_hamlet(session: Session, since: date, until: date) -> tuple[tuple[str, float | None], ...]:
    """(hamlet, % of the households marked at the meetings of [since, until] that were
    present), every active hamlet."""
    counts = {key: (int(present or 0), int(n or 0)) for key, present, n in
              session.exec(attendance_query(Scope.HAMLET, Window.days(since, until))).all()}
    rates = {key: AreaCounts(attendance_present=p, attendance_total=n).attendance_rate for key, (p, n) in counts.items()}
    return tuple((h.name, rates.get(h.id)) for h in list_hamlets(session))


def chart_figures(session: Session, today: date, hamlets: Sequence[AreaFigures]) -> StartCharts:
    """Pledge coverage of the year (``hamlets``: the table's rows), attendance and meetings
    over the last 12 months, the models' latest ratings."""
    first = month_start(today, CHART_MONTHS - 1)
    return StartCharts(
        pledge_year=today.year,
        pledge_coverage=tuple((h.name, h.pledge_coverage if h.pledges_total else None) for h in hamlets),
        attendance=attendance_by_hamlet(session, first, today),
        meetings_by_month=tuple(meetings_by_month(session, first, today)),
        ratings=latest_ratings(session))


def month_start(day: date, months_back: int) -> date:
    """The first day of the month ``months_back`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)
