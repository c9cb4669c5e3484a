"""The PostgreSQL tests never skip where the suite is meant to be complete: ``make
test`` installs the server's package, and CI (.ci/run sets CI) must have it."""

from __future__ import annotations

import os

import pytest

from tests.pg_server import pg_bin_dir


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises the server is installed")
def test_ci_has_the_postgresql_server():
    assert pg_bin_dir() is not None, "make test should have installed the «postgresql» package"
