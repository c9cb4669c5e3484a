"""A database on a PostgreSQL server (the upper office's store when one PC is outgrown).

What the SQLite path does around a file has no place here, each for a reason:
- no backup copy before migrating: the server's DDL is transactional, so a failed
  upgrade leaves the database as it was; backups use the server's tools (pg_dump);
- no application_id / user_version (file header fields): the ``alembic_version``
  table alone says the schema, and a database with other tables and no such
  table is not ours;
- no key slots / vault: the data is on a machine that is looked after, behind the
  server's own accounts; officers still sign in with their app accounts;
- no office lock file: the server serialises writers (advisory locks later).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from gocong_desktop.core.db import migrate
from gocong_desktop.core.db.location import NOT_IN_CLEAR, ServerAddress
from gocong_desktop.core.errors import DatabaseError, NotFoundError

CONNECT_TIMEOUT_S = 10
# libpq gives no SQLSTATE for a refused connection, only the server's (English, by
# default) text: these words tell the usual causes apart; anything else gets the
# general message, which names them all.
_BAD_LOGIN = ("password authentication failed", "no password supplied", "authentication failed",
              "no pg_hba.conf entry", "role \"")
_NO_DATABASE = "does not exist"
# refused by require_auth (location.NOT_IN_CLEAR): in clear, or as a hash salted by the server
_IN_CLEAR = ("server requested a cleartext password", "server requested a hashed password")


def make_server_engine(address: ServerAddress) -> Engine:
    return create_engine(address.url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S, **NOT_IN_CLEAR},
                         pool_pre_ping=True)


def connection_error(exc: BaseException, address: ServerAddress) -> DatabaseError | None:
    """A one-line message for a refused or failed connection; None for anything else.
    The driver's own text is not shown: it may quote the URL it was given."""
    if not isinstance(exc, OperationalError) or getattr(exc.orig, "sqlstate", None) is not None:
        return None  # not a connection problem (those come from libpq, with no SQLSTATE)
    said = str(exc.orig)
    user = address.url.username or "(người dùng của hệ điều hành)"
    if any(words in said for words in _IN_CLEAR):
        return DatabaseError(f"Máy chủ PostgreSQL {address.host_text} đòi gửi mật khẩu theo cách không an toàn "
                             "(không mã hóa, hoặc MD5; chương trình chỉ dùng SCRAM-SHA-256): đã từ chối, mật khẩu "
                             "chưa được gửi đi. Nếu đúng là máy chủ của đơn vị, quản trị viên máy chủ cần chuyển "
                             "sang SCRAM-SHA-256 (password_encryption = scram-sha-256 và «scram-sha-256» trong "
                             "pg_hba.conf, rồi đặt lại mật khẩu); nếu không, địa chỉ hoặc tệp máy chủ có thể bị "
                             "giả mạo.")
    if any(words in said for words in _BAD_LOGIN):
        return DatabaseError(f"Máy chủ PostgreSQL {address.host_text} từ chối đăng nhập của «{user}» vào cơ sở dữ "
                             f"liệu «{address.database}»: sai mật khẩu "
                             "hoặc tài khoản không được phép. Hãy kiểm tra mật khẩu (trong địa chỉ, biến "
                             "PGPASSWORD hoặc tệp ~/.pgpass); chưa thay đổi gì.")
    if f'database "{address.database}" {_NO_DATABASE}' in said:
        return NotFoundError(f"Máy chủ PostgreSQL {address.host_text} không có cơ sở dữ liệu «{address.database}». "
                             "Hãy nhờ người quản trị máy chủ tạo nó (createdb) rồi thử lại.")
    return DatabaseError(f"Không kết nối được {address.place}. Hãy kiểm tra địa chỉ, cổng, "
                         "máy chủ đang chạy và nhận kết nối từ máy này, tên đăng nhập và mật khẩu; chưa thay đổi gì.")


def checked_revision(conn: Connection, address: ServerAddress, *, create: bool) -> str | None:
    """The database's alembic revision (None: empty, to be set up), read before any
    write; a database that is not ours or is newer than this version is refused."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        if tables:
            raise DatabaseError(f"Cơ sở dữ liệu «{address.database}» trên máy chủ PostgreSQL {address.host_text} đã "
                                "có bảng khác, không phải của gocong_desktop; "
                                "chưa thay đổi gì. Hãy dùng một cơ sở dữ liệu trống.")
        if not create:
            raise NotFoundError(f"Cơ sở dữ liệu «{address.database}» trên máy chủ PostgreSQL {address.host_text} còn "
                                "trống, chưa được thiết lập. Hãy chạy "
                                "«gocong-desktop init --role upper --db …» trước.")
        return None
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is not None and revision not in migrate.known_revisions():
        raise DatabaseError(migrate.NEWER.format(path=address, found=revision, ours=migrate.schema_version()))
    return revision
