"""Where a database lives: a file, or (upper office) a database on a PostgreSQL server.

A ``scheme://…`` is always a URL, never a path: taken for a path it would quietly
become folders named "postgresql:" in the working folder. A URL that ``Path()``
already mangled ("postgresql://h/db" -> "postgresql:/h/db") is recognised too.
Passwords may be in the URL (or in PGPASSWORD / ~/.pgpass, which libpq reads);
every message shows the URL with its password masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gocong_desktop.core.errors import ValidationError

if TYPE_CHECKING:  # SQLAlchemy is imported when a URL is parsed: the CLI's parser reads --db with is_url
    from sqlalchemy import URL

DRIVER = "postgresql+psycopg"
SCHEMES = ("postgresql", DRIVER)
# Two letters at least: "C://x" is a Windows path, not a URL.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_MANGLED = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:[/\\](?![/\\])")


@dataclass(frozen=True)
class ServerAddress:
    """A database on a PostgreSQL server; ``str()`` never shows the password."""

    url: "URL"

    @property
    def database(self) -> str:
        return self.url.database or ""

    @property
    def host_text(self) -> str:
        """The server as people name it: "10.0.0.5:5433", a socket's folder, "máy này"."""
        url = self.url
        host = url.host or url.query.get("host") or "máy này"
        port = url.port or url.query.get("port")
        return f"{host}:{port}" if port else str(host)

    @property
    def place(self) -> str:
        """The database as people name it (dialogs, messages, the status bar): "the
        database on host" without the URL's noise (driver, masked password, socket options)."""
        account = f" (tài khoản máy chủ «{self.url.username}»)" if self.url.username else ""
        return f"máy chủ PostgreSQL {self.host_text}, cơ sở dữ liệu «{self.database}»{account}"

    def __str__(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"ServerAddress({self})"


# Every connection to a server (typed password, PGPASSWORD, ~/.pgpass alike) goes to the host a
# URL or a ``.gcserver`` file names — which a crafted file chooses: libpq may prove a password by
# SCRAM only, never send it in clear nor as an MD5 hash salted by the server (crackable offline).
NOT_IN_CLEAR = {"require_auth": "!password,!md5"}

def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def parse_location(value: str | Path | ServerAddress) -> Path | ServerAddress:
    """A file path, or the server a URL (or a ``.gcserver`` settings file) names (one we
    cannot use: ValidationError)."""
    if isinstance(value, ServerAddress):
        return value
    if isinstance(value, str) and is_url(value):
        return parse_server_url(value)
    if str(value).lower().endswith(".gcserver"):  # a server settings file (core/db/server_file.py)
        from gocong_desktop.core.db.server_file import read_server_file

        return ServerAddress(read_server_file(Path(value).expanduser()).url().set(drivername=DRIVER))
    if _MANGLED.match(str(value)):
        raise ValidationError(f"«{_masked_text(str(value))}» giống một địa chỉ máy chủ bị đọc thành đường dẫn "
                              "tệp. Hãy viết đủ địa chỉ, ví dụ «postgresql://tên@máy-chủ/tên-cơ-sở-dữ-liệu».")
    return Path(value)


def parse_server_url(text: str) -> ServerAddress:
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    text = text.strip()
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise ValidationError(f"Địa chỉ cơ sở dữ liệu «{_masked_text(text)}» không hợp lệ. "
                              "Hãy viết theo mẫu «postgresql://tên@máy-chủ:5432/tên-cơ-sở-dữ-liệu».") from exc
    if url.drivername not in SCHEMES:
        raise ValidationError(f"Không dùng được địa chỉ «{url.render_as_string(hide_password=True)}»: chỉ hỗ trợ "
                              "cơ sở dữ liệu trên máy chủ PostgreSQL («postgresql://…») hoặc một tệp.")
    if not url.database:
        raise ValidationError(f"Địa chỉ «{url.render_as_string(hide_password=True)}» thiếu tên cơ sở dữ liệu, "
                              "ví dụ «postgresql://tên@máy-chủ/gocong».")
    return ServerAddress(url.set(drivername=DRIVER))


def _masked_text(text: str) -> str:
    """A URL we could not parse, its "user:password@" part masked all the same."""
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", text)


def is_server_location(location: str | Path | ServerAddress | None) -> bool:
    """A server's database: a URL, a ServerAddress, or a ``.gcserver`` settings file."""
    from gocong_desktop.core.db.server_file import is_server_file

    if location is None:
        return False
    return isinstance(location, ServerAddress) or is_url(str(location)) or is_server_file(location)
