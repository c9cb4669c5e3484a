"""One way to find bundled resources, from a checkout and from a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def _app_root() -> Path:
    """The checkout's root, or the PyInstaller bundle (``sys._MEIPASS``) when frozen;
    ``resources/`` and ``docs/`` sit there in both."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def resources_root() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, or in the bundle."""
    return _app_root() / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("fonts", "LiberationSerif-Regular.ttf")``."""
    return resources_root().joinpath(*parts)


def docs_path(*parts: str) -> Path:
    """Path in ``docs/`` (the user guide and its images), e.g. ``docs_path("huong-dan-su-dung.md")``."""
    return _app_root().joinpath("docs", *parts)
