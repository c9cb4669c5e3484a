"""``make pg-demo`` / ``make pg-demo-stop``: a local PostgreSQL server to try the upper
office on (issue 19), in one command.

``start`` makes a server in ``.pg/`` (listening on 127.0.0.1 only, port 54329 unless
PG_DEMO_PORT says otherwise; its login's password in ``.pg/pgpass``, which libpq
reads through PGPASSFILE), creates the database ``gocong_demo``, sets the upper
office up on it with ``gocong-desktop init --role upper`` through a server settings
file ``.pg/gocong-demo.gcserver``, and prints the one command that opens the window.
Run again, it starts the server if stopped and prints the command again. ``stop``
stops the server; the data stays in ``.pg/`` (``rm -rf .pg`` removes it).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

from gocong_desktop.core.db.server_file import ServerSettings, write_server_file
from gocong_desktop.tools import pg_local

HOST = "127.0.0.1"
DEFAULT_PORT = 54329
LOGIN = "gocong"
DATABASE = "gocong_demo"
ADMIN = "quantri"
OFFICE = ("--unit-name", "Công an tỉnh Mẫu", "--unit-type", "cơ quan", "--province", "Tiền Giang")


class Demo:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder.absolute(), port
        self.data, self.sockets = self.folder / "data", self.folder / "run"
        self.pgpass, self.server_file = self.folder / "pgpass", self.folder / "gocong-demo.gcserver"
        self.admin_note = self.folder / "quan-tri.txt"

    def start(self) -> None:
        bin_dir = _bin_dir()
        self.folder.mkdir(exist_ok=True)
        if not pg_local.server_user_reaches(self.folder):
            raise SystemExit(f"Người dùng «{pg_local.SERVER_USER}» của máy chủ không vào được thư mục «{self.folder}» "
                             "(một thư mục cha chỉ người chủ vào được). Hãy chọn thư mục khác bằng --folder.")
        if not (self.data / "PG_VERSION").is_file():
            self._make_cluster(bin_dir)
        if not pg_local.is_running(bin_dir, self.data):
            pg_local.start(bin_dir, self.data, log_file=self.sockets / "server.log",
                           options=f"-c listen_addresses={HOST} -p {self.port} -k {self.sockets}")
        os.environ["PGPASSFILE"] = str(self.pgpass)
        self._create_database()
        write_server_file(self.server_file, ServerSettings(host=HOST, port=self.port, database=DATABASE,
                                                           user=LOGIN))
        if not self.admin_note.is_file():
            self._set_up_office()
        self._say_how_to_open()

    def stop(self) -> None:
        bin_dir = _bin_dir()
        if (self.data / "PG_VERSION").is_file() and pg_local.stop(bin_dir, self.data):
            print(f"Đã dừng máy chủ PostgreSQL mẫu. Dữ liệu vẫn ở «{self.folder}» (xóa hẳn: rm -rf {self.folder}).")
        else:
            print("Máy chủ PostgreSQL mẫu không chạy.")

    def _make_cluster(self, bin_dir: Path) -> None:
        """The server's folders (the server user's, as root) and its login's password:
        given to initdb in a file removed afterwards, kept for libpq in ``pgpass``."""
        password = secrets.token_urlsafe(18)
        for folder in (self.data, self.sockets):
            folder.mkdir(exist_ok=True)
            pg_local.give_to_server_user(folder)
        given = self.sockets / "pw"
        given.write_text(password + "\n", encoding="utf-8")
        pg_local.give_to_server_user(given)
        try:
            pg_local.init_cluster(bin_dir, self.data, superuser=LOGIN, password_file=given)
        finally:
            given.unlink(missing_ok=True)
        self.pgpass.touch(mode=0o600)
        self.pgpass.write_text(f"{HOST}:{self.port}:*:{LOGIN}:{password}\n", encoding="utf-8")

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(host=HOST, port=self.port, user=LOGIN, dbname="postgres", autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')

    def _set_up_office(self) -> None:
        """``gocong-desktop init --role upper`` on the settings file, as an administrator would."""
        password = secrets.token_urlsafe(9)
        done = subprocess.run([sys.executable, "-m", "gocong_desktop", "init", "--role", "upper", *OFFICE,
                               "--db", str(self.server_file), "--admin", ADMIN, "--admin-name", "Quản trị (mẫu)",
                               "--password-stdin"], input=password + "\n", text=True, encoding="utf-8")
        if done.returncode != 0:
            raise SystemExit(done.returncode)
        self.admin_note.touch(mode=0o600)
        self.admin_note.write_text(f"Tài khoản quản trị: {ADMIN}\nMật khẩu: {password}\n", encoding="utf-8")

    def _say_how_to_open(self) -> None:
        program = Path(sys.executable).parent / "gocong-desktop"
        command = _shown(program) if program.is_file() else f"{_shown(Path(sys.executable))} -m gocong_desktop"
        print(f"Máy chủ PostgreSQL mẫu đang chạy ({HOST}:{self.port}, cơ sở dữ liệu «{DATABASE}»).")
        print(self.admin_note.read_text(encoding="utf-8").strip())
        print("Mở cửa sổ của cơ quan cấp trên trên máy chủ này:")
        print(f"  PGPASSFILE={_shown(self.pgpass)} {command} --db {_shown(self.server_file)}")
        print("Dừng máy chủ: make pg-demo-stop")


def _bin_dir() -> Path:
    bin_dir = pg_local.pg_bin_dir()
    if bin_dir is None:
        raise SystemExit("Chưa cài máy chủ PostgreSQL (initdb, pg_ctl). Hãy chạy «make pg-demo» với quyền root "
                         "(tự cài gói postgresql) hoặc cài gói «postgresql» rồi chạy lại.")
    return bin_dir


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is inside it (shorter to type)."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pg_demo", description="Máy chủ PostgreSQL mẫu cho cơ quan cấp trên.")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--folder", type=Path, default=Path(".pg"), help="thư mục của máy chủ (mặc định: .pg)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PG_DEMO_PORT", DEFAULT_PORT)))
    args = parser.parse_args(argv)
    demo = Demo(args.folder, args.port)
    try:
        demo.start() if args.action == "start" else demo.stop()
    except RuntimeError as exc:  # initdb or pg_ctl failed: their own words, then where the log is
        print(f"Không khởi động được máy chủ PostgreSQL mẫu:\n{exc}\nNhật ký máy chủ: "
              f"{demo.sockets / 'server.log'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
