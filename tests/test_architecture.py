"""The import contracts (pyproject.toml, run by ``make test``) catch what they promise:
a copy of the package with throwaway modules that each break one contract fails
``lint-imports``, naming every broken contract; the same copy without them passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# module path -> source; each line breaks the contract named after it.
THROWAWAY = {
    "core/services/_reaches_up.py": "import gocong_desktop.core.sync.export\n",          # layers
    "core/storage/_asks_qt.py": "import PySide6.QtCore\n",                               # core free of Qt
    "gui/meetings/_queries.py": "from sqlmodel import select\n",                          # no SQLModel in gui
    "gui/households/_calls_page.py": "import gocong_desktop.gui.meetings.page\n",         # pages independent
    "core/sync/_cycle_a.py": "import gocong_desktop.core.sync._cycle_b\n",                # no cycles
    "core/sync/_cycle_b.py": "import gocong_desktop.core.sync._cycle_a\n",
    "cli/_opens_a_dialog.py": "import gocong_desktop.gui.security.sign_in\n",            # cli apart from gui
    "gui/widgets/_knows_a_page.py": "import gocong_desktop.gui.prevention.page\n",        # gui layers
    "cli/_lays_out_a_pdf.py": "import gocong_desktop.core.documents.pdf.minutes\n",       # document entries
}
BROKEN = [
    "layers: cli and gui above documents, sync and services, above the database file",
    "core stays free of Qt",
    "the GUI reaches the database through services: no SQLAlchemy or SQLModel in gui",
    "gui: the shell above the page areas, above the shared widgets",
    "pages are independent: they listen to changes, they do not call each other",
    "one entry per document: gui and cli call core.documents, never a PDF or Excel writer",
    "no import cycles, at any depth",
]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(tree), COLUMNS="300")  # one line per contract
    return subprocess.run([str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=300)


def test_each_contract_fails_when_a_module_breaks_it(tmp_path):
    tree = tmp_path / "copy"
    shutil.copytree(ROOT / "gocong_desktop", tree / "gocong_desktop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    assert _lint(tree).returncode == 0  # the copy is as clean as the package

    for relative, source in THROWAWAY.items():
        (tree / "gocong_desktop" / relative).write_text(source)
    result = _lint(tree)

    report = result.stdout
    assert result.returncode != 0
    broken = report[report.index("Broken contracts"):]
    for name in BROKEN:
        assert f"{name} BROKEN" in report, name
    assert "gocong_desktop.core.services._reaches_up -> gocong_desktop.core.sync.export" in broken
    assert "gocong_desktop.cli._opens_a_dialog -> gocong_desktop.gui.security.sign_in" in broken
    assert "gocong_desktop.gui.households._calls_page -> gocong_desktop.gui.meetings.page" in broken
    assert "gocong_desktop.gui.widgets._knows_a_page -> gocong_desktop.gui.prevention.page" in broken
