"""The office's settings page as one unit: read together, saved together."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from gocong_desktop.core.services import pledge_violations, privacy, session_lock, signers
from gocong_desktop.core.db.models import OfficeRole
from gocong_desktop.core.services.document_header import police_head_title, police_name
from gocong_desktop.core.services.office import get_office


@dataclass(frozen=True)
class OfficeSettings:
    idle_minutes: int
    personal_fields: frozenset[str]
    include_violations: bool
    signers: signers.SignerSettings | None = None  # None: left as they are


def load_settings(session: Session) -> OfficeSettings:
    return OfficeSettings(idle_minutes=session_lock.idle_lock_minutes(session),
                          personal_fields=frozenset(privacy.sync_personal_fields(session)),
                          include_violations=pledge_violations.include_violations_in_sync(session),
                          signers=signers.signer_settings(session))


def head_title(session: Session) -> str:
    """The head's title the reports print when none is set: "Trưởng Công an xã" at a
    commune, "Trưởng Công an huyện Gò Công Tây" at an upper office (its aggregate report)."""
    office = get_office(session)
    return f"Trưởng {police_name(office)}" if office.role == OfficeRole.UPPER else police_head_title(office)


def save_settings(session: Session, settings: OfficeSettings) -> None:
    """All in one session: saved together or not at all (administrators only: the
    role guard refuses anyone else's change to a setting). The signers are checked
    first, so that a bad name refuses the whole form before anything is written."""
    checked = signers.check_signer_settings(settings.signers) if settings.signers is not None else None
    session_lock.set_idle_lock_minutes(session, settings.idle_minutes)
    privacy.set_sync_personal_fields(session, settings.personal_fields)
    pledge_violations.set_include_violations_in_sync(session, settings.include_violations)
    if checked is not None:
        signers.save_signer_settings(session, checked)
    session.flush()
