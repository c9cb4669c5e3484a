"""The normal forms of what a person types to sign in, kept apart from the account
services: unlocking an encrypted file needs them before the database layer loads."""

from __future__ import annotations

import re

from gocong_desktop.core.text import fold, nfc


def normal_username(username: str | None) -> str:
    """Lower case, no marks ("Quản Trị" → "quan tri" is refused for its space)."""
    return fold(nfc(username or "").strip())


def normal_code(code: str | None) -> str:
    """A recovery code as printed, whatever spaces, dashes or case it was typed with."""
    return re.sub(r"[\s-]", "", (code or "").upper())
