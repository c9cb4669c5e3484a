"""The app's own costs for stretching passwords (the suite runs at the lowest to be
fast, tests/conftest.py): an encrypted office made by the app in a process of its
own records Argon2id t=3, m=64 MiB, p=4 in its key slots and password hashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PRODUCTION_KDF

MAKE_OFFICE = """
import sys
from pathlib import Path
from gocong_desktop.core.setup.office import FirstAdmin, OfficeSetup, create_office_database
setup = OfficeSetup(role="commune", unit_type="xã", unit_name="Bình Tân", province="Tiền Giang",
                    admin=FirstAdmin(username="quantri", display_name="Nguyễn Văn An",
                                     password="mat-khau-1", confirm="mat-khau-1"))
create_office_database(Path(sys.argv[1]), setup)
from gocong_desktop.core.services import accounts
print(accounts._hasher.time_cost, accounts._hasher.memory_cost, accounts._hasher.parallelism)
"""


def test_an_office_made_by_the_app_stretches_passwords_at_the_real_cost(tmp_path: Path) -> None:
    path = tmp_path / "xa.db"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    made = subprocess.run([sys.executable, "-c", MAKE_OFFICE, str(path)], check=True, env=env, timeout=120,
                          capture_output=True, text=True)
    assert made.stdout.split() == ["3", "65536", "4"]  # password hashes of a plain file

    table = json.loads(Path(f"{path}.khoa").read_text(encoding="utf-8"))
    assert [slot["kdf"] for slot in table["slots"]] == [{"t": 3, "m": 65536, "p": 4}] * len(table["slots"])
    assert PRODUCTION_KDF == {"t": 3, "m": 65536, "p": 4}
