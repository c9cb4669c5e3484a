"""A server settings file (``….gcserver``): where the upper office's PostgreSQL
database is, so that officers open it without typing a URL.

The administrator writes one and hands it out; officers open it like a data file
(``--db may-chu.gcserver``, File › Open in the window). It names the server, the
database and the PostgreSQL login, never a password: that comes from PGPASSWORD,
~/.pgpass, or is asked for. A small INI text::

    [gocong-server]
    host = 10.0.0.5
    port = 5432
    database = gocong_tinh
    user = canbo_tinh
    sslmode = require

The file may be crafted (it travels by mail or USB stick): its size is bounded
before it is read, and every field is checked; anything else is refused.
"""

from __future__ import annotations

import configparser
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gocong_desktop.core.errors import NotFoundError, ValidationError, os_reason
from gocong_desktop.core.text import one_line

if TYPE_CHECKING:
    from sqlalchemy import URL

SUFFIX = ".gcserver"
SECTION = "gocong-server"
MAX_BYTES = 4096  # a handful of short lines
DEFAULT_PORT = 5432
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
FIELDS = ("host", "port", "database", "user", "sslmode")
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$")  # a PostgreSQL name, unquoted-friendly
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_SOCKET_DIR = re.compile(r"^/[A-Za-z0-9_./-]{0,99}$")  # a unix socket's folder (libpq: a host starting with /)
_SCOPE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")  # an IPv6 zone ("fe80::1%eth0"): Python takes any text there


@dataclass(frozen=True)
class ServerSettings:
    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str | None = None

    def url(self) -> "URL":
        """The server's URL, no password (``location.parse_location`` makes it a ServerAddress)."""
        from sqlalchemy import URL

        query = {"sslmode": self.sslmode} if self.sslmode else {}
        if self.host.startswith("/"):  # a unix socket: libpq takes its folder as the host
            return URL.create("postgresql", username=self.user, database=self.database,
                              query={"host": self.host, "port": str(self.port), **query})
        return URL.create("postgresql", username=self.user, host=self.host, port=self.port,
                          database=self.database, query=query)

    def text(self) -> str:
        lines = ["# Máy chủ dữ liệu của cơ quan cấp trên (gocong_desktop). Không ghi mật khẩu vào tệp này.",
                 f"[{SECTION}]", f"host = {self.host}", f"port = {self.port}", f"database = {self.database}",
                 f"user = {self.user}"]
        if self.sslmode:
            lines.append(f"sslmode = {self.sslmode}")
        return "\n".join(lines) + "\n"


def is_server_file(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIX)


def read_server_file(path: Path) -> ServerSettings:
    """The settings in ``path``; a file too big, unreadable or with a bad field: a one-line refusal."""
    return parse_server_settings(_bounded_text(path), path)


def write_server_file(path: Path, settings: ServerSettings) -> Path:
    check_settings(settings, path)
    path.write_text(settings.text(), encoding="utf-8")
    return path


def _bounded_text(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise NotFoundError(f"Không tìm thấy tệp máy chủ «{path}». Hãy kiểm tra đường dẫn.") from None
    except OSError as exc:
        raise ValidationError(f"Không đọc được tệp máy chủ «{path}»: {os_reason(exc)}.") from exc
    if len(data) > MAX_BYTES:
        raise ValidationError(f"Tệp máy chủ «{path}» quá lớn (tối đa {MAX_BYTES} byte): không phải tệp do "
                              "quản trị viên gửi. Hãy xin lại tệp đúng.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"Tệp máy chủ «{path}» không phải văn bản UTF-8. Hãy xin lại tệp đúng.") from None


def parse_server_settings(text: str, path: Path | str = "") -> ServerSettings:
    values = _fields(text, path)
    settings = ServerSettings(host=values.get("host", ""), database=values.get("database", ""),
                              user=values.get("user", ""), port=_port(values.get("port"), path),
                              sslmode=values.get("sslmode") or None)
    check_settings(settings, path)
    return settings


def _fields(text: str, path: Path | str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True, empty_lines_in_values=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        raise _bad(path, f"không đúng mẫu (một mục [{SECTION}], mỗi dòng «tên = giá trị»)") from None
    if parser.sections() != [SECTION]:
        raise _bad(path, f"cần đúng một mục [{SECTION}]")
    values = dict(parser[SECTION])
    if "password" in values or "passfile" in values:
        raise _bad(path, "có mật khẩu: tệp máy chủ không bao giờ ghi mật khẩu. Hãy xóa dòng đó; mật khẩu "
                         "lấy từ biến PGPASSWORD, tệp ~/.pgpass hoặc được hỏi khi mở")
    if unknown := sorted(set(values) - set(FIELDS)):
        raise _bad(path, f"có mục lạ «{one_line(unknown[0], 40)}» (chỉ được: {', '.join(FIELDS)})")
    return {k: v.strip() for k, v in values.items()}


def _port(text: str | None, path: Path | str) -> int:
    if not text:
        return DEFAULT_PORT
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise _bad(path, f"cổng «{one_line(text, 20)}» không hợp lệ (một số từ 1 đến 65535)")
    return int(text)


def check_settings(settings: ServerSettings, path: Path | str = "") -> None:
    if not _valid_host(settings.host):
        raise _bad(path, f"máy chủ «{one_line(settings.host, 60)}» không hợp lệ (tên máy, địa chỉ IP, hoặc thư mục "
                         "socket bắt đầu bằng «/»)")
    for field, value in (("database", settings.database), ("user", settings.user)):
        if not _NAME.match(value):
            raise _bad(path, f"«{field}» = «{one_line(value, 40)}» không hợp lệ (chữ không dấu, chữ số, «_ . -», "
                             "tối đa 63 ký tự)")
    if not 1 <= settings.port <= 65535:
        raise _bad(path, f"cổng {settings.port} không hợp lệ")
    if settings.sslmode is not None and settings.sslmode not in SSL_MODES:
        raise _bad(path, f"sslmode «{one_line(settings.sslmode, 20)}» không hợp lệ (một trong: {', '.join(SSL_MODES)})")


def _valid_host(host: str) -> bool:
    if _SOCKET_DIR.match(host) and ".." not in host.split("/"):
        return True
    try:
        ipaddress.ip_address(host)
        return "%" not in host or bool(_SCOPE.match(host.split("%", 1)[1]))
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    return 0 < len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


def _bad(path: Path | str, what: str) -> ValidationError:
    where = f"Tệp máy chủ «{path}»" if str(path) else "Tệp máy chủ"
    return ValidationError(f"{where} {what}. Hãy xin lại tệp đúng từ quản trị viên.")
