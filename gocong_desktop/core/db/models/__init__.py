"""All tables, each named here and loaded on first use (PEP 562).

Building a table class (SQLModel + SQLAlchemy mapping) costs about 5 ms each:
a CLI command that reads two tables should not build thirty. ``from
gocong_desktop.core.db.models import Household`` loads only ``registers``.
Code that needs every table in ``SQLModel.metadata`` (writing: foreign keys are
resolved at flush; sync kinds; privacy columns; migrations) calls ``load_all()``.
"""

from __future__ import annotations

import sys
from typing import Any

# Where each name lives (the table modules import only base, personal and choices).
_MODULES = {
    "accounts": ("Account",),
    "base": ("SyncedRecord", "live", "new_id", "utcnow"),
    "choices": ("AttendanceStatus", "Gender", "MeetingKind", "MeetingStatus", "ModelStatus", "OfficeRole",
                "PeriodKind", "PledgeStatus", "PropagandaKind", "Recommendation", "SyncDirection", "UnitLevel"),
    "meetings": ("AgendaItem", "AgendaOpinion", "Attendance", "Meeting", "MeetingAmendment", "MeetingGuest"),
    "pledges": ("Pledge", "PledgeCampaign", "PledgeTemplate", "PledgeViolation"),
    "prevention": ("CriteriaSet", "Evaluation", "ModelSite", "ModelSiteHousehold", "ModelType", "PreventionModel",
                   "PropagandaActivity"),
    "registers": ("Household", "SelfManagedGroup"),
    "reports": ("NARRATIVE_SECTIONS", "ReviewNarrative"),
    "sync": ("ImportJournal", "SyncClock", "SyncConflict", "SyncKey", "SyncPeer", "UnitFigures"),
    "system": ("AppSetting", "AuditEntry", "Office", "SyncPackage"),
    "units": ("DEFAULT_UNIT_TYPE", "AdminUnit", "UnitSuccession"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
# Every table's name, for checks that must not build the classes (a screen's TABLES:
# the window shows its first page without loading thirty tables).
TABLE_NAMES = frozenset({
    "account", "admin_unit", "agenda_item", "agenda_opinion", "app_setting", "attendance", "audit_log",
    "criteria_set", "evaluation", "household", "import_journal", "meeting", "meeting_amendment",
    "meeting_guest", "model_site", "model_site_household", "model_type", "office", "pledge", "pledge_campaign",
    "pledge_template", "pledge_violation", "prevention_model", "propaganda_activity", "review_narrative",
    "self_managed_group",
    "sync_clock", "sync_conflict", "sync_key", "sync_package", "sync_peer", "unit_figures", "unit_succession",
})

__all__ = sorted([*_WHERE, "TABLE_NAMES", "load_all"])


def _module(name: str) -> Any:
    full = f"{__name__}.{name}"
    __import__(full)  # not importlib.import_module: ``python -X importtime`` lists this one
    return sys.modules[full]


def load_all() -> None:
    """Register every table on ``SQLModel.metadata`` (cheap once done)."""
    for module in _MODULES:
        _module(module)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_module(_WHERE[name]), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return __all__
