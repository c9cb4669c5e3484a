"""Expected errors, each carrying a message for people (in Vietnamese).

The GUI shows ``str(error)`` in one dialog; the CLI prints it on one line and
exits with status 1. Anything that is not a ``UserError`` is a bug.
"""

from __future__ import annotations


class UserError(Exception):
    """An error the user can understand and act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ValidationError(UserError):
    """Input that breaks a rule; ``field`` names the offending field when known."""


class NotFoundError(UserError):
    """A record the user asked for does not exist (or was deleted)."""


class ConflictError(UserError):
    """The action clashes with existing data (duplicate, locked record, ...)."""


class DatabaseError(UserError):
    """The database file cannot be used (newer version, not ours, damaged...)."""


class PermissionDeniedError(UserError):
    """The signed-in account's role does not allow the action."""
