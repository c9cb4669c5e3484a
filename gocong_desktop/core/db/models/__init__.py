"""All tables. Importing this module registers them on ``SQLModel.metadata``."""

from .accounts import Account
from .base import SyncedRecord, new_id, utcnow
from .meetings import (
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
from .pledges import Pledge, PledgeCampaign, PledgeStatus, PledgeTemplate, PledgeViolation
from .prevention import (
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
from .registers import Gender, Household, SelfManagedGroup
from .sync import SyncClock, SyncConflict, SyncKey, SyncPeer
from .system import AppSetting, AuditEntry, Office, OfficeRole, SyncDirection, SyncPackage
from .units import DEFAULT_UNIT_TYPE, AdminUnit, UnitLevel, UnitSuccession

__all__ = [name for name in dir() if not name.startswith("_")]
