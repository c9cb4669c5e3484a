"""Every page (commune and upper office) and every dialog reachable from them fits
the office screens the app supports, and shows its texts whole.

The scale factor is read when QApplication starts: each screen is checked in a
process of its own (tests/gui/screen_fit_probe.py), on an offscreen screen of the
given size (Qt's offscreen platform reads its screens from a JSON file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# (width, height, scale): a 1024×768 laptop at Windows' default 125%, a 1366×768 one at 150%.
SCREENS = [(1024, 768, 1.25), (1366, 768, 1.5)]


@pytest.fixture(scope="module")
def probe_folder(tmp_path_factory) -> Path:
    """The demo commune and upper office, made by the first run, reused by the next."""
    return tmp_path_factory.mktemp("man-hinh")


def run_probe(folder: Path, width: int, height: int, scale: float) -> tuple[list[dict], str]:
    screen = folder / f"screen-{width}x{height}.json"
    screen.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    env = {**os.environ, "QT_SCALE_FACTOR": str(scale), "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "tests.gui.screen_fit_probe", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and lines[-1:] == ["xong"], done.stdout + done.stderr
    return [json.loads(line) for line in lines[:-1]], done.stderr


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS,
                         ids=["1024x768@125", "1366x768@150"])
def test_every_page_and_dialog_fits_the_screen(probe_folder, width, height, scale):
    problems, _log = run_probe(probe_folder, width, height, scale)
    assert problems == [], "\n".join(f"{p['where']}: {p['what']}" for p in problems)
