"""Backing up a database on a PostgreSQL server with the server's own tool:
``pg_dump -Fc`` (one compressed file, restored by ``pg_restore``), then checked by
reading it back (``pg_restore --list``) before it takes its final name.

The tools come with the server: its own folder first (Debian keeps each version's
in /usr/lib/postgresql/<version>/bin, Windows in Program Files; a pg_dump older
than the server refuses to run), else the PATH. The password never appears on a
command line (other users of the PC may list them): it goes through PGPASSWORD.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from gocong_desktop.core.db.location import NOT_IN_CLEAR, ServerAddress
from gocong_desktop.core.errors import DatabaseError, NotFoundError, os_reason
from gocong_desktop.core.storage.backup import MANUAL

EXTENSION = ".pgdump"
PARTIAL = ".dang-ghi"  # a dump still being written and checked
TIMEOUT_S = 6 * 3600  # a province's database dumps in minutes; a stuck server is not waited for forever
_SERVER_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "C:/Program Files/PostgreSQL/*/bin")


def pg_tool(name: str) -> Path:
    """``pg_dump`` or ``pg_restore``: the newest server's, else the one on the PATH."""
    exe = f"{name}.exe" if os.name == "nt" else name
    for pattern in _SERVER_DIRS:
        for folder in sorted(map(Path, glob.glob(pattern)), key=_version, reverse=True):
            if (folder / exe).is_file():
                return folder / exe
    found = shutil.which(name)
    if found is None:
        raise NotFoundError(f"Không tìm thấy công cụ «{name}» của PostgreSQL trên máy này. Hãy cài gói công cụ "
                            "PostgreSQL (Debian/Ubuntu: postgresql-client; Windows: bộ cài PostgreSQL) cùng phiên "
                            "bản với máy chủ, rồi thử lại.")
    return Path(found)


def _version(folder: Path) -> tuple[int, ...]:
    """(16,) for /usr/lib/postgresql/16/bin: newest first, 16 before 9."""
    digits = "".join(c if c.isdigit() else " " for c in str(folder))
    return tuple(int(n) for n in digits.split()) or (0,)


def backup_name(address: ServerAddress, when: datetime | None = None) -> str:
    """Named as the file backups are: "<name>_<YYYYmmdd-HHMMSS>_thu-cong.pgdump"."""
    return f"{address.database}_{(when or datetime.now()):%Y%m%d-%H%M%S}_{MANUAL}{EXTENSION}"


def write_server_backup(address: ServerAddress, out: Path) -> Path:
    """Dump the database at ``address`` into ``out`` (a folder: a new file named by
    ``backup_name``), check the dump reads back, and return its path."""
    out = Path(out).expanduser()
    target = out / backup_name(address) if out.is_dir() else out
    if target.exists():
        raise DatabaseError(f"Tệp «{target}» đã có; hãy chọn tên khác hoặc một thư mục.")
    partial = target.with_name(target.name + PARTIAL)
    try:
        _run(address, [str(pg_tool("pg_dump")), "--format=custom", "--no-password", f"--file={partial}",
                       *connection_args(address)], "sao lưu")
        _run(address, [str(pg_tool("pg_restore")), "--list", str(partial)], "đọc lại bản sao lưu")
        partial.replace(target)
    except OSError as exc:
        raise DatabaseError(f"Không ghi được bản sao lưu «{target}»: {os_reason(exc)}.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


def connection_args(address: ServerAddress) -> list[str]:
    """Where to connect, without the password: --host, --port, --username, --dbname."""
    url, args = address.url, []
    host = url.host or url.query.get("host")
    port = url.port or url.query.get("port")
    for flag, value in (("--host", host), ("--port", port), ("--username", url.username)):
        if value:
            args.append(f"{flag}={value}")
    return [*args, f"--dbname={url.database}"]


# The URL's connection options pg_dump must honour too: TLS as the settings file asks,
# and an asked password never sent in clear (server_login.NOT_IN_CLEAR).
_ENV_OPTIONS = {"sslmode": "PGSSLMODE"}


def server_env(address: ServerAddress) -> dict[str, str]:
    """This process's environment, with the URL's password (if it has one) in PGPASSWORD."""
    env = dict(os.environ)
    if address.url.password:
        env["PGPASSWORD"] = str(address.url.password)
    env["PGREQUIREAUTH"] = NOT_IN_CLEAR["require_auth"]  # as every connection of the app's
    for option, variable in _ENV_OPTIONS.items():  # not on the command line: argv takes no conninfo options
        if value := address.url.query.get(option):
            env[variable] = str(value)
    return env


def _run(address: ServerAddress, argv: list[str], what: str) -> None:
    try:
        done = subprocess.run(argv, env=server_env(address), capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise DatabaseError(f"Máy chủ «{address}» không trả lời khi {what} (quá {TIMEOUT_S // 3600} giờ); "
                            "chưa có bản sao lưu nào được ghi.") from exc
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise DatabaseError(f"Không {what} được cơ sở dữ liệu «{address}» ({Path(argv[0]).name}: {said}); chưa có "
                            "bản sao lưu nào được ghi. Hãy kiểm tra máy chủ, tên đăng nhập và mật khẩu.")
