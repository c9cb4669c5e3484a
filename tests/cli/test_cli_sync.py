"""``gocong-desktop export | import | keys | receipt``: a commune and its upper
office exchanging files on a "USB stick", with the exit codes of the issue
(0: every file imported or already imported; 1: one line per refused file)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.sync.conftest import make_upper_office
from tests.conftest import copy_database

FP = re.compile(r"([0-9A-F]{4} ){7}[0-9A-F]{4}")


@pytest.fixture
def gc(env, gc):
    """Run the CLI in this process, in the test's own folders: (exit code, stdout, stderr)."""
    return gc


@pytest.fixture(scope="module")
def _upper_template(tmp_path_factory) -> Path:
    return make_upper_office(tmp_path_factory.mktemp("upper") / "tinh.db")


@pytest.fixture
def offices(seeded, _upper_template: Path, tmp_path: Path):
    """(commune db path, upper db path, usb folder), the databases closed for the CLI."""
    seeded.db.close()
    upper = tmp_path / "upper" / "tinh.db"
    upper.parent.mkdir()
    copy_database(_upper_template, upper)
    usb = tmp_path / "USB"
    usb.mkdir()
    return seeded.db.path, upper, usb


def _fingerprint(gc, db: Path) -> str:
    code, out, _err = gc("keys", "show", "--db", db)
    assert code == 0
    return FP.search(out.splitlines()[1]).group(0)


def test_export_import_receipt_round(gc, offices, tmp_path: Path) -> None:
    commune, upper, usb = offices
    code, out, err = gc("keys", "export", "--db", upper, "--out", usb)
    card = Path(out.strip())
    assert code == 0 and card.suffix == ".gckey" and card.parent == usb
    assert gc("keys", "import", "--db", commune, card)[0] == 0
    code, out, err = gc("keys", "show", "--db", commune)
    assert "cơ quan cấp trên: Công an huyện Gò Công Tây" in out and "nhận gói mã hóa" in out
    code, out, err = gc("export", "--db", commune, "--out", usb)
    package = Path(out.strip())
    assert code == 0 and out.count("\n") == 1 and package.is_file() and package.parent == usb
    assert "Đã mã hóa" in err and "rút USB an toàn" in err
    code, out, err = gc("import", "--db", upper, package)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "chưa được xác nhận" in err and _fingerprint(gc, commune) in err
    fp = _fingerprint(gc, commune)
    code, out, err = gc("import", "--db", upper, usb, "--dry-run", "--trust-sender", fp)
    assert code == 0 and "Xem trước gói số 1 của xã Bình Tân" in out and "hộ gia đình: mới 7" in out
    receipts = tmp_path / "bien-nhan"
    receipts.mkdir()
    code, out, err = gc("import", "--db", upper, usb, "--trust-sender", fp, "--receipts", receipts)
    assert code == 0 and "Đã nhập gói số 1 của xã Bình Tân" in out and "Đã ghi biên nhận" in out
    code, out, err = gc("import", "--db", upper, package)
    assert code == 0 and "đã nhập trước đây" in out
    (receipt,) = receipts.iterdir()
    upper_fp = _fingerprint(gc, upper)
    code, out, err = gc("receipt", "import", "--db", commune, receipt)
    assert code == 0 and "đã xác nhận gói số 1" in out  # the key card already made the upper office known
    code, out, err = gc("receipt", "write", "--db", upper, "--out", tmp_path, "--commune", "binh tan")
    assert code == 0 and Path(out.strip()).suffix == ".gcreceipt"
    again = Path(out.strip())
    code, out, err = gc("receipt", "import", "--db", commune, again, "--trust-sender", upper_fp)
    assert code == 1 and out == "" and "--trust-sender" in err and "keys import" in err  # receipts: key card only
    code, out, err = gc("receipt", "import", "--db", commune, again)
    assert code == 0 and "đã được xác nhận trước đây" in out


def test_import_exit_codes_with_a_refused_file(gc, offices, tmp_path: Path) -> None:
    commune, upper, usb = offices
    code, out, _err = gc("export", "--db", commune, "--out", usb)
    good = Path(out.strip())
    bad = usb / "hong.gcsync"
    bad.write_bytes(good.read_bytes()[:500])
    fp = _fingerprint(gc, commune)
    code, out, err = gc("import", "--db", upper, usb, "--trust-sender", fp)
    assert code == 1 and "Đã nhập gói số 1" in out
    (line,) = err.strip().splitlines()
    assert line.startswith(f"Từ chối {bad}") and "cắt cụt" in line
    bad.unlink()
    assert gc("import", "--db", upper, usb)[0] == 0


def test_key_registration_sheet(gc, offices, tmp_path: Path) -> None:
    from pypdf import PdfReader

    commune, _upper, _usb = offices
    fp = _fingerprint(gc, commune)
    code, out, _err = gc("keys", "sheet", "--db", commune, "--out", tmp_path / "phiếu khóa.pdf")
    assert code == 0 and fp in out
    reader = PdfReader(tmp_path / "phiếu khóa.pdf")
    assert len(reader.pages) == 1
    page = " ".join(reader.pages[0].extract_text().split())
    assert fp in page and "PHIẾU ĐĂNG KÝ KHÓA" in page and "xã Bình Tân" in page


def test_usage_errors(gc) -> None:
    with pytest.raises(SystemExit) as exit_:
        gc("export", "--db", "x.db")  # --out missing
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        gc("keys")
    assert exit_.value.code == 2


def test_as_a_user_would_in_a_subprocess(env, offices) -> None:
    commune, upper, usb = offices

    def run(*args):
        return subprocess.run([sys.executable, "-m", "gocong_desktop", *map(str, args)], env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=120)
    exported = run("export", "--db", commune, "--out", usb)
    assert exported.returncode == 0, exported.stderr
    path = Path(exported.stdout.strip())
    assert path.name == "binhtan-28513-000001.gcsync" and path.is_file()
    refused = run("import", "--db", upper, path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_import_of_a_batch_with_a_damaged_file_imports_the_others(gc, offices, seeded, tmp_path: Path) -> None:
    """``import P2 broken P3``: P2 and P3 imported, the damaged file refused with a
    reason (not the unexpected-error message), a summary naming both; exit 1."""
    from gocong_desktop.core.db.engine import open_database
    from gocong_desktop.core.services import households
    from tests.core.sync.test_sync_batches import negative_seek

    commune, upper, usb = offices
    fp = _fingerprint(gc, commune)
    packages = []
    for members in (None, 8, 9):
        if members is not None:
            db = open_database(commune)
            with db.session() as s:
                data = households.household_input(s, seeded.households["Lê Thị Hoa"])
                data.members = members
                households.update_household(s, seeded.households["Lê Thị Hoa"], data)
            db.close()
        packages.append(Path(gc("export", "--db", commune, "--out", usb)[1].strip()))
    assert gc("import", "--db", upper, packages[0], "--trust-sender", fp)[0] == 0
    p2, p3 = packages[1:]
    broken = negative_seek(p3, tmp_path / "hỏng.gcsync", None)
    code, out, err = gc("import", "--db", upper, p2, broken, p3)
    assert code == 1 and "Đã nhập gói số 2" in out and "Đã nhập gói số 3" in out
    (line,) = err.strip().splitlines()
    assert line.startswith(f"Từ chối {broken}: ") and "bị hỏng" in line and "ngoài dự kiến" not in line
    # The summary is the last line (issue 16: no pre-import backup is named after it any more).
    assert out.strip().splitlines()[-1] == (f"Kết quả: đã nhập 2 tệp ({p2.name}, {p3.name}); "
                                            "từ chối 1 tệp (hỏng.gcsync).")


def test_sync_undo_import_by_file_then_refused_once_undone(gc, offices) -> None:
    from tests.conftest import file_digest

    commune, upper, usb = offices
    code, out, _err = gc("export", "--db", commune, "--out", usb)
    package = Path(out.strip())
    assert gc("import", "--db", upper, package, "--trust-sender", _fingerprint(gc, commune))[0] == 0
    code, out, err = gc("sync", "undo-import", "--db", upper, package)
    assert code == 0 and err == "" and out.startswith("Đã hoàn tác lần nhập gói số 1 của xã Bình Tân")
    before = file_digest(upper)
    code, out, err = gc("sync", "undo-import", "--db", upper, package)
    assert (code, out) == (1, "") and err.count("\n") == 1 and "đã được hoàn tác trước đây" in err
    code, out, err = gc("sync", "undo-import", "--db", upper, "không-có-gói-này")
    assert code == 1 and "Không tìm thấy gói đã nhập" in err and file_digest(upper) == before
    code, out, err = gc("sync", "undo-import", "--db", upper, usb / "không-có.gcsync")
    assert code == 1 and "Không tìm thấy tệp" in err and file_digest(upper) == before


def test_list_households_search_at_the_upper_office_finds_received_ones(gc, offices) -> None:
    """The search key never travels while the phone is withheld (the default): the
    upper office derives it on arrival, so its search finds the communes' households."""
    commune, upper, usb = offices
    code, out, _err = gc("export", "--db", commune, "--out", usb)
    assert gc("import", "--db", upper, usb, "--trust-sender", _fingerprint(gc, commune))[0] == 0
    code, out, err = gc("list", "households", "--db", upper, "--search", "le thi hoa")
    assert code == 0 and "Lê Thị Hoa" in out, out + err
