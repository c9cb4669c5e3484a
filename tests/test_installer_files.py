"""The packaging files point at files that exist, and the installer script keeps
its promises (Vietnamese, Windows 10/11, .gcsync, an uninstall that leaves the
users' data alone). The build itself is tested by installer/smoke_test.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path, PureWindowsPath

import pytest
from PIL import Image

from gocong_desktop import __version__
from gocong_desktop.core import resources
from gocong_desktop.core.db import migrate

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
SPEC = (INSTALLER / "gocong_desktop.spec").read_text(encoding="utf-8")
NSI_BYTES = (INSTALLER / "gocong_desktop.nsi").read_bytes()
NSI = NSI_BYTES.decode("utf-8-sig")

sys.path.insert(0, str(INSTALLER))
import version_info  # noqa: E402


def nsi_section(name: str) -> str:
    match = re.search(rf'^Section "{re.escape(name)}".*?^SectionEnd', NSI, re.MULTILINE | re.DOTALL)
    assert match, f"no section {name!r}"
    return match.group(0)


def commands(text: str) -> list[str]:
    """Script lines without comments."""
    return [line.split(";", 1)[0].strip() for line in text.splitlines() if line.split(";", 1)[0].strip()]


# ---- the PyInstaller spec ---------------------------------------------------------
def test_spec_paths_exist():
    chains = re.findall(r'ROOT((?:\s*/\s*"[^"]+")+)', SPEC)
    assert len(chains) >= 5
    for chain in chains:
        path = ROOT.joinpath(*re.findall(r'"([^"]+)"', chain))
        assert path.exists(), f"the spec names {path.relative_to(ROOT)}, which does not exist"
    for name in ("entry_point.py", "version_info.py", "gocong_desktop.nsi"):
        assert (INSTALLER / name).is_file()


def test_spec_bundles_what_is_read_from_disk():
    # resource_path() and docs_path() look in sys._MEIPASS/resources and /docs ...
    assert '(str(ROOT / "resources"), "resources")' in SPEC
    assert '"docs"' in SPEC and '"docs/images"' in SPEC
    # ... and alembic loads the migration scripts beside the frozen package, where
    # migrate.MIGRATIONS_DIR points (it is derived from migrate.py's own location).
    where = migrate.MIGRATIONS_DIR.relative_to(ROOT / "gocong_desktop").as_posix()
    assert f'"gocong_desktop/{where}"' in SPEC and f'"gocong_desktop/{where}/versions"' in SPEC
    assert 'glob("*.py")' in SPEC
    # reportlab's barcode widgets import modules from strings (a frozen minutes PDF failed without this).
    assert 'collect_submodules("reportlab.graphics.barcode")' in SPEC
    # The QR decoder of scanned minutes (verify): its compiled module, and none of its Python is excluded.
    excluded = set(re.findall(r'"([^"]+)"', SPEC.split("excludes = ")[1].split("a = Analysis")[0]))
    assert '"zxingcpp.zxingcpp"' in SPEC and not {"zxingcpp", "PIL", "pypdfium2"} & excluded
    # python-docx reads its default template and header parts from docx/templates, through
    # "docx/parts/../templates": the parts folder must be on disk too (the frozen minutes.docx failed).
    assert 'collect_data_files("docx")' in SPEC and 'module_collection_mode={"docx": "pyz+py"}' in SPEC


def test_python_docx_templates_are_data_files_of_the_package():
    """What collect_data_files("docx") gathers: the files python-docx opens at run time."""
    import docx

    templates = Path(docx.__file__).parent / "templates"
    assert (templates / "default.docx").is_file() and (templates / "default-header.xml").is_file()


def test_spec_is_one_folder_windowed_with_icon_and_version():
    assert "COLLECT(" in SPEC and "exclude_binaries=True" in SPEC  # one folder, not one file
    assert "executable(APP_NAME, console=False)" in SPEC
    assert "icon=[str(ICON)]" in SPEC and "write_version_file(" in SPEC
    assert "upx=False" in SPEC
    for unused in ("QtQml", "QtNetwork", "QtSql", "QtWebEngineCore"):
        assert f'"{unused}"' in SPEC
    assert '"tkinter"' in SPEC


# ---- resources found in a checkout and in a bundle ---------------------------------
def test_resources_and_docs_resolve_in_a_checkout():
    assert resources.resource_path("icons", "gocong.png").is_file()
    assert resources.docs_path("huong-dan-su-dung.md").is_file()


def test_resources_and_docs_resolve_in_a_frozen_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("fonts", "a.ttf") == tmp_path / "resources" / "fonts" / "a.ttf"
    assert resources.docs_path("huong-dan-su-dung.md") == tmp_path / "docs" / "huong-dan-su-dung.md"


def test_icon_files():
    ico = Image.open(ROOT / "resources" / "icons" / "gocong.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    png = Image.open(ROOT / "resources" / "icons" / "gocong.png")
    assert png.size == (256, 256) and png.mode == "RGBA"
    for name in ("gocong.ico", "gocong.png"):
        assert (ROOT / "resources" / "icons" / name).stat().st_size < 60_000


def test_the_svg_icons_and_their_licence_are_bundled_with_qt_svg_engine():
    """resources/ is bundled whole (icons/lucide with its LICENSE); the pictures are drawn by
    Qt's SVG icon-engine plugin, which the QtGui hook collects with the Qt6Svg library it
    needs: the spec must not filter plugins out (the QtSvg Python bindings stay excluded)."""
    lucide = ROOT / "resources" / "icons" / "lucide"
    assert (lucide / "LICENSE").is_file() and len(list(lucide.glob("*.svg"))) >= 20
    assert sum(p.stat().st_size for p in lucide.glob("*.svg")) < 100_000
    assert "a.binaries = " not in SPEC and "iconengines" in SPEC  # said where plugins are decided


# ---- the Windows version resource ---------------------------------------------------
@pytest.mark.parametrize("text, numbers", [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)),
                                           ("2.0.1rc2", (2, 0, 1, 0)), ("1.4.2+local", (1, 4, 2, 0))])
def test_version_tuple(text, numbers):
    assert version_info.version_tuple(text) == numbers


def test_version_resource_comes_from_the_package():
    assert version_info.package_version() == __version__
    text = version_info.version_info_text(__version__)
    numbers = version_info.version_tuple(__version__)
    assert f"filevers={numbers!r}" in text and f"StringStruct('ProductVersion', '{__version__}')" in text


# ---- the NSIS script ------------------------------------------------------------------
def test_nsi_is_unicode_vietnamese_and_for_windows_10_and_11():
    assert NSI_BYTES.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: makensis reads the Vietnamese texts as UTF-8
    assert "Unicode true" in NSI
    assert '!insertmacro MUI_LANGUAGE "Vietnamese"' in NSI
    assert "${IfNot} ${AtLeastWin10}" in NSI and "${IfNot} ${RunningX64}" in NSI
    assert "Bấm «Tiếp» để tiếp tục" in NSI  # texts with full diacritics survive


def test_nsi_referenced_files_exist():
    icon = re.search(r'!define ICON_FILE "([^"]+)"', NSI).group(1)
    assert (INSTALLER / PureWindowsPath(icon).as_posix()).resolve().is_file()
    files = re.findall(r'^\s*File\s+(.*)$', NSI, re.MULTILINE)
    assert files == ['/r "${BUNDLE_DIR}\\*"']  # everything comes from the bundle folder
    assert '!define APP_EXE "gocong-desktop.exe"' in NSI and '!define CLI_EXE "gocong-desktop-cli.exe"' in NSI
    assert "APP_NAME = \"gocong-desktop\"" in SPEC  # the spec builds the executables the script installs


def test_nsi_shortcuts_and_gcsync_association():
    install = nsi_section("${APP_NAME}")
    assert 'CreateShortcut "$SMPROGRAMS\\${APP_NAME}\\${APP_NAME}.lnk"' in install
    assert 'CreateShortcut "$DESKTOP\\${APP_NAME}.lnk"' in install
    assert '!define SYNC_EXT ".gcsync"' in NSI
    assert 'WriteRegStr HKLM "Software\\Classes\\${SYNC_EXT}" "" "${SYNC_PROGID}"' in install
    assert "shell\\open\\command\" \"\" '\"$INSTDIR\\${APP_EXE}\" \"%1\"'" in install


def test_uninstall_never_touches_the_users_data():
    uninstall = commands(nsi_section("Uninstall"))
    for line in uninstall:
        assert not re.search(r"APPDATA|LOCALAPPDATA|\$PROFILE|\$DOCUMENTS|gocong\.db|HKCU", line, re.I), line
    recursive = [line for line in uninstall if line.startswith("RMDir /r")]
    assert recursive == ['RMDir /r "$INSTDIR\\_internal"']  # only the bundle's own folder
    assert 'RMDir "$INSTDIR"' in uninstall  # the install folder only when empty
    deletes = [line for line in uninstall if line.startswith("Delete ")]
    assert all("$INSTDIR" in d or "$SMPROGRAMS" in d or "$DESKTOP" in d for d in deletes), deletes
    assert "GIỮ NGUYÊN" in NSI  # and the uninstaller says so


def test_nsi_and_spec_agree_with_the_docs_on_the_data_folder():
    # The guide tells clerks where the data is; uninstall keeps exactly that folder.
    guide = resources.docs_path("huong-dan-su-dung.md").read_text(encoding="utf-8")
    assert "%LOCALAPPDATA%\\gocong_desktop" in guide
    assert "%LOCALAPPDATA%\\${APP_NAME}" in NSI and '!define APP_NAME "gocong_desktop"' in NSI


def test_spec_collects_every_package_that_loads_its_modules_by_name():
    """A module loading others on first use (``__import__``/``import_module`` of a
    computed name) hides them from PyInstaller: the frozen `demo` failed so once, and
    the frozen window could not build its pages."""
    lazy = {path.parent for path in (ROOT / "gocong_desktop").rglob("*.py")
            if re.search(r"__import__\(|import_module\(", path.read_text(encoding="utf-8"))}
    assert len(lazy) >= 3, "the lazy loaders moved: update this test"
    for package in lazy:
        dotted = ".".join(package.relative_to(ROOT).parts)
        assert f'collect_submodules("{dotted}")' in SPEC, dotted
