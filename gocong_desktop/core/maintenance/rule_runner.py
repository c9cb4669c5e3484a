"""The app's rules (``check_rules.RULES``) run on one connection, a file's or a server's."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Callable, ContextManager


@dataclass(frozen=True)
class Problem:
    rule: str  # "integrity", "foreign_keys" or a rule's name
    message: str


def rule_problems(con: Any, errors: type[Exception] | tuple[type[Exception], ...],
                  guard: Callable[[], ContextManager[Any]] = nullcontext, *, full: bool = False) -> list[Problem]:
    """Every rule of ``check_rules.RULES`` on ``con`` (``full``: ``FULL_RULES`` too).
    A rule that fails with one of ``errors`` (a table missing or unreadable) is said
    so and the rest still run; ``guard`` wraps each rule (a server's savepoint, so
    one failure ends no other)."""
    from gocong_desktop.core.maintenance.check_rules import FULL_RULES, RULES

    problems = []
    for rule in RULES + (FULL_RULES if full else []):
        try:
            with guard():
                problems += [Problem(rule.__name__, m) for m in rule(con)]
        except errors as exc:
            problems.append(Problem(rule.__name__, f"Không kiểm tra được ({rule.__doc__}): {_first_line(exc)}."))
    return problems


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
