"""``make pg-demo`` (gocong_desktop/tools/pg_demo.py, issue 19): a local PostgreSQL
server with an upper office on it, the settings file and the command that opens
the window; run again it says the same; stopped, the data stays."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gocong_desktop.tools import pg_demo
from gocong_desktop.tools.pg_local import pg_bin_dir

pytestmark = pytest.mark.pg


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo_folder():
    """Under /tmp itself: as root the server's user must reach it (pytest's folders are root's only)."""
    if pg_bin_dir() is None:
        pytest.skip("PostgreSQL server binaries not installed (make pg-demo installs the «postgresql» package)")
    folder = Path(tempfile.mkdtemp(prefix="gcpgdemo-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder / "pg"
    pg_demo.main(["stop", "--folder", str(folder / "pg")])
    shutil.rmtree(folder, ignore_errors=True)


def test_a_folder_the_server_user_cannot_reach_is_refused_saying_so(tmp_path):
    if os.geteuid() != 0 or pg_bin_dir() is None:
        pytest.skip("only root runs the server as another user")
    with pytest.raises(SystemExit, match="không vào được thư mục"):
        pg_demo.main(["start", "--folder", str(tmp_path / "pg"), "--port", str(_free_port())])


def test_pg_demo_starts_a_server_with_an_upper_office_and_says_how_to_open_it(demo_folder, capfd, monkeypatch):
    port = str(_free_port())
    assert pg_demo.main(["start", "--folder", str(demo_folder), "--port", port]) == 0
    said = capfd.readouterr().out
    note = (demo_folder / "quan-tri.txt").read_text(encoding="utf-8")
    password = note.split("Mật khẩu: ")[1].strip()
    assert f"127.0.0.1:{port}" in said and "--db" in said and "gocong-demo.gcserver" in said and password in said
    for secret in (demo_folder / "pgpass", demo_folder / "quan-tri.txt"):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert "password" not in (demo_folder / "gocong-demo.gcserver").read_text(encoding="utf-8")
    listed = subprocess.run([sys.executable, "-m", "gocong_desktop", "account", "list", "--db",
                             str(demo_folder / "gocong-demo.gcserver"), "--user", "quantri", "--password-stdin"],
                            input=password + "\n", capture_output=True, text=True, encoding="utf-8", timeout=120,
                            env=dict(os.environ, PGPASSFILE=str(demo_folder / "pgpass")))
    assert listed.returncode == 0 and "Quản trị (mẫu)" in listed.stdout, listed.stderr
    assert pg_demo.main(["start", "--folder", str(demo_folder), "--port", port]) == 0  # again: the same office
    assert password in capfd.readouterr().out
    assert pg_demo.main(["stop", "--folder", str(demo_folder)]) == 0
    assert "Đã dừng" in capfd.readouterr().out and (demo_folder / "data" / "PG_VERSION").is_file()
