"""All tables. Importing this module registers them on ``SQLModel.metadata``."""

from gocong_desktop.core.db.models.accounts import Account
from gocong_desktop.core.db.models.base import SyncedRecord, live, new_id, utcnow
from gocong_desktop.core.db.models.meetings import (
    AgendaItem,
    AgendaOpinion,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingAmendment,
    MeetingGuest,
    MeetingKind,
    MeetingStatus,
)
from gocong_desktop.core.db.models.pledges import Pledge, PledgeCampaign, PledgeStatus, PledgeTemplate, PledgeViolation
from gocong_desktop.core.db.models.prevention import (
    CriteriaSet,
    Evaluation,
    ModelSite,
    ModelSiteHousehold,
    ModelStatus,
    ModelType,
    PeriodKind,
    PreventionModel,
    PropagandaActivity,
    PropagandaKind,
    Recommendation,
)
from gocong_desktop.core.db.models.registers import Gender, Household, SelfManagedGroup
from gocong_desktop.core.db.models.sync import ImportJournal, SyncClock, SyncConflict, SyncKey, SyncPeer
from gocong_desktop.core.db.models.system import AppSetting, AuditEntry, Office, OfficeRole, SyncDirection, SyncPackage
from gocong_desktop.core.db.models.units import DEFAULT_UNIT_TYPE, AdminUnit, UnitLevel, UnitSuccession

__all__ = [name for name in dir() if not name.startswith("_")]
