"""Compile the Vietnamese catalogue of Qt's own strings (resources/i18n/qtbase_vi.ts,
the source of truth in git) to the .qm the app loads, with the lrelease in the PySide6 wheel.

Run by the Makefile (install step) and by the PyInstaller spec before it collects resources/:
    python installer/translations.py [OUTPUT_DIR]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "resources" / "i18n"


def lrelease() -> Path:
    import PySide6

    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    return Path(PySide6.__file__).resolve().parent / name


def compile_catalogues(output_dir: Path = CATALOGUES) -> list[Path]:
    """Every ``.ts`` in resources/i18n as a ``.qm`` in ``output_dir``; raises when lrelease fails."""
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sorted(CATALOGUES.glob("*.ts")):
        qm = output_dir / ts.with_suffix(".qm").name
        subprocess.run([str(lrelease()), "-silent", str(ts), "-qm", str(qm)], check=True)
        written.append(qm)
    return written


if __name__ == "__main__":
    compile_catalogues(Path(sys.argv[1]) if len(sys.argv) > 1 else CATALOGUES)
