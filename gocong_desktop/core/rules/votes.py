"""Votes on an agenda item never exceed the households present: for, against
and other opinions together are at most the households marked present.

The one statement of the rule and of its message: the meeting editor (while
typing), the services (saving, finalising), ``check`` and sync imports all
use it, so each refuses with the same words.
"""

from __future__ import annotations

from typing import Sequence

VOTE_COLUMNS = ("votes_for", "votes_against", "votes_other")
VOTES_HINT = "Hãy sửa số biểu quyết hoặc điểm danh cho khớp."
TITLE_SHOWN = 60  # characters of an item's title named in a message (titles run to 300)


def votes_total(votes: Sequence[int | None]) -> int:
    """For + against + other; a box left empty (no vote taken) counts 0."""
    return sum(v for v in votes if v is not None)


def votes_problem(votes: Sequence[int | None], present: int) -> str | None:
    """What is wrong with an item's (for, against, other) given the households present, or None."""
    total = votes_total(votes)
    if total <= present:
        return None
    agree, against, other = (v or 0 for v in votes)
    return (f"tổng số biểu quyết {total} (tán thành {agree}, không tán thành {against}, ý kiến khác {other}) "
            f"vượt quá số hộ có mặt ({present})")


def item_votes_message(number: int, title: str | None, votes: Sequence[int | None], present: int) -> str | None:
    """"Nội dung 2 «…»: tổng số biểu quyết … vượt quá số hộ có mặt (28)" (no final stop) for agenda
    item ``number`` (from 1), or None when its votes are possible."""
    why = votes_problem(votes, present)
    if why is None:
        return None
    title = " ".join((title or "").split())
    name = f" «{title if len(title) <= TITLE_SHOWN else title[:TITLE_SHOWN - 1] + '…'}»" if title else ""
    return f"Nội dung {number}{name}: {why}"
