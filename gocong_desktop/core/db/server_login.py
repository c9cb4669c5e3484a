"""The PostgreSQL password when nothing supplied one: asked, then the database opened again.

libpq finds a password in the URL, PGPASSWORD or ~/.pgpass; a server settings file
never holds one (core/db/server_file.py). When the server wants one and none was
found, the caller's ``ask`` is called (the CLI's prompt, the window's dialog).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from gocong_desktop.core.db.location import NOT_IN_CLEAR, ServerAddress, parse_location
from gocong_desktop.core.errors import DatabaseError

if TYPE_CHECKING:
    from gocong_desktop.core.db.engine import Database

NO_PASSWORD = "no password supplied"  # libpq's words (fe_sendauth) when it found none to send

AskPassword = Callable[[ServerAddress], "str | None"]


def password_missing(exc: BaseException) -> bool:
    """The server asked for a password and libpq had none (not a wrong one)."""
    while exc is not None:
        if NO_PASSWORD in str(getattr(exc, "orig", "") or ""):
            return True
        exc = exc.__cause__
    return False


def with_password(address: ServerAddress, password: str) -> ServerAddress:
    return ServerAddress(address.url.set(password=password).update_query_dict(NOT_IN_CLEAR))


def password_for(address: ServerAddress, ask: AskPassword | None) -> ServerAddress:
    """``address`` as tools that connect on their own take it (check, pg_dump, moving a
    file there): unchanged when the server takes it as it is, with the password ``ask``
    gives when the server wanted one nobody supplied. Any other connection problem is
    left to those tools to tell, in their words."""
    from sqlalchemy.exc import OperationalError

    from gocong_desktop.core.db.server import make_server_engine

    engine = make_server_engine(address)
    try:
        with engine.connect():
            return address
    except OperationalError as exc:
        if ask is None or not password_missing(exc):
            return address
    finally:
        engine.dispose()
    password = ask(address)
    return with_password(address, password) if password else address


def open_location(location: str | Path | ServerAddress, ask: AskPassword | None = None) -> "Database":
    """``open_database`` of a file or a server; a server wanting a password nobody
    gave: ``ask`` for it (None from ``ask``: the refusal stands) and try once more."""
    from gocong_desktop.core.db.engine import open_database

    location = parse_location(location)
    try:
        return open_database(location)
    except DatabaseError as exc:
        if ask is None or not isinstance(location, ServerAddress) or not password_missing(exc):
            raise
        password = ask(location)
        if not password:
            raise
    return open_database(with_password(location, password))
