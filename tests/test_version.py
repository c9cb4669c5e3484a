"""One version: gocong_desktop.__version__, shown by --version and the About
dialog, read by pyproject, and with an entry in CHANGELOG.md."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from gocong_desktop import __version__
from gocong_desktop.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_version_option_prints_the_package_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:  # argparse's version action exits 0 after printing
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"gocong-desktop {__version__}"


def test_version_option_of_the_installed_command():
    done = subprocess.run([sys.executable, "-m", "gocong_desktop", "--version"], capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"gocong-desktop {__version__}"


def test_version_looks_like_a_release_number():
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?(a|b|rc)\d+)?", __version__)


def test_pyproject_reads_the_version_from_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "gocong_desktop.__version__"}


def test_changelog_has_an_entry_for_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\]", changelog, re.MULTILINE), \
        f"CHANGELOG.md has no '## [{__version__}]' section"
