"""Editing a meeting in tests the way the meeting editor does, through the one
write API for minutes (``meeting_drafts``): load the draft, change it, save it.
Each helper saves at once and returns the saved draft; refusals are the editor's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from sqlmodel import Session

from gocong_desktop.core.db.models import AttendanceStatus
from gocong_desktop.core.services.meeting_drafts import (AgendaDraft, AttendanceDraft, GuestDraft, MeetingDraft,
                                                         OpinionDraft, load_draft, save_draft)


def edit_meeting(session: Session, meeting_id: str, **header: Any) -> MeetingDraft:
    """Header fields (``chair_name``, ``place``, ``closing_conclusion``…) changed; the rest kept."""
    return save_draft(session, meeting_id, replace(load_draft(session, meeting_id), **header))


def with_guest(session: Session, meeting_id: str, name: str, *, role: str | None = None,
               organisation: str | None = None) -> MeetingDraft:
    draft = load_draft(session, meeting_id)
    draft.guests.append(GuestDraft(name, role, organisation))
    return save_draft(session, meeting_id, draft)


def opinion(text: str, *, household_id: str | None = None, speaker: str | None = None) -> OpinionDraft:
    """What a household of the group (``household_id``) or anyone else (``speaker``) said."""
    return OpinionDraft(text, household_id=household_id, speaker_name=speaker)


def with_agenda_item(session: Session, meeting_id: str, title: str, *, content: str | None = None,
                     conclusion: str | None = None, votes: tuple[int, int, int] | None = None,
                     opinions: Iterable[OpinionDraft] = ()) -> MeetingDraft:
    """An agenda item added after the others; ``votes``: (for, against, other)."""
    draft = load_draft(session, meeting_id)
    votes_for, votes_against, votes_other = votes if votes is not None else (None, None, None)
    draft.agenda.append(AgendaDraft(title, content, conclusion, votes_for, votes_against, votes_other,
                                    list(opinions)))
    return save_draft(session, meeting_id, draft)


def with_attendance(session: Session, meeting_id: str, household_id: str, status: str = AttendanceStatus.PRESENT,
                    *, reason: str | None = None, representative: str | None = None) -> MeetingDraft:
    """One household's attendance (added when the meeting has no row for it yet)."""
    draft = load_draft(session, meeting_id)
    row = next((a for a in draft.attendance if a.household_id == household_id), None)
    if row is None:
        row = AttendanceDraft(household_id)
        draft.attendance.append(row)
    row.status, row.reason, row.representative = status, reason, representative
    return save_draft(session, meeting_id, draft)
