"""The Windows version resource (Explorer › Properties › Details) of the
executables, made from the one version source, ``gocong_desktop.__version__``.

The spec calls ``write_version_file()``; the file is written into PyInstaller's
work folder, never committed, so the version is typed in one place only.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANY = "gocong_desktop"
DESCRIPTION = "Sổ theo dõi phong trào Toàn dân bảo vệ an ninh Tổ quốc cấp xã"


def package_version() -> str:
    """``__version__`` read from the source without importing the package."""
    text = (ROOT / "gocong_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise SystemExit("gocong_desktop/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """"1.2.3" -> (1, 2, 3, 0); "0.2.0rc1" -> (0, 2, 0, 0): Windows wants four numbers."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_info_text(version: str, *, exe_name: str = "gocong-desktop.exe") -> str:
    """The text form PyInstaller's ``EXE(version=...)`` reads."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": "gocong_desktop",
        "LegalCopyright": COMPANY,
        "OriginalFilename": exe_name,
        "ProductName": "gocong_desktop",
        "ProductVersion": version,
    }
    entries = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0x042A = Vietnamese, 1200 = Unicode (UTF-16) code page.
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '042A04B0',
        [{entries}])
    ]),
    VarFileInfo([VarStruct('Translation', [0x042A, 1200])])
  ]
)
"""


def write_version_file(folder: Path, *, exe_name: str = "gocong-desktop.exe") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version_info_{Path(exe_name).stem}.txt"
    path.write_text(version_info_text(package_version(), exe_name=exe_name), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(version_info_text(package_version()))
