"""``gocong-desktop households import``: a list taken in as the window takes it,
exit 0 with a report, 1 with one Vietnamese line and the file unchanged."""

from __future__ import annotations

from sqlmodel import select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import Household
from tests.cli.conftest import PASSWORD
from tests.core.household_lists import write_csv, write_xlsx
from tests.core.sync.conftest import dump

NEW = [1, "Lê Văn Tám", 1975, "Nam", "Lợi An", "Tổ 1", "12 đường Trung tâm", "0912345678", 4]
BA_AGAIN = [2, "Nguyễn Văn Ba", 1960, None, "Lợi An", 1, None, "0987654321", 5]
BAD = [3, "Hộ Lỗi", 1975, None, "Không Có", None, None, None, 1]


def names(path) -> list[str]:
    db = open_database(path)
    try:
        with db.session() as s:
            return sorted(s.exec(select(Household.head_name)).all())
    finally:
        db.close()


def test_import_as_a_clerk_then_again_changes_nothing(run, protected, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW, BA_AGAIN])
    args = ("households", "import", path, "--db", protected, "--user", "canbo", "--password-stdin")
    result = run(*args, input=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "trang «Danh sách»), dòng tiêu đề 2, 2 dòng dữ liệu" in result.stdout
    assert "«Họ và tên chủ hộ» → Họ và tên chủ hộ" in result.stdout
    assert "Dòng 4 (Nguyễn Văn Ba): cập nhật — Sửa số nhân khẩu, điện thoại." in result.stdout
    assert "Đã nhập từ «ds.xlsx»: thêm 1 hộ, cập nhật 1 hộ, không đổi 0 hộ, bỏ qua 0 dòng lỗi." in result.stdout
    assert names(protected).count("Nguyễn Văn Ba") == 1 and "Lê Văn Tám" in names(protected)
    again = run(*args, input=PASSWORD + "\n")
    assert "thêm 0 hộ, cập nhật 0 hộ, không đổi 2 hộ" in again.stdout


def test_a_clerk_sets_no_notes(run, protected, tmp_path) -> None:
    headers = ["Chủ hộ", "Năm sinh", "Ấp", "Ghi chú"]
    path = write_xlsx(tmp_path / "ds.xlsx", [["Nguyễn Văn Ba", 1960, "Lợi An", "ghi chú về người"]], headers,
                      titles=())
    base = ("households", "import", path, "--db", protected, "--password-stdin")
    clerk = run(*base, "--user", "canbo", input=PASSWORD + "\n")
    assert "không đổi 1 hộ" in clerk.stdout  # notes are the administrator's, as in the form
    admin = run(*base, "--user", "quantri", input=PASSWORD + "\n")
    assert "Dòng 2 (Nguyễn Văn Ba): cập nhật — Sửa ghi chú." in admin.stdout


def test_dry_run_and_refused_rows_change_nothing(run, protected, tmp_path) -> None:
    path = write_csv(tmp_path / "ds.csv", [NEW, BAD])
    before = dump(protected)
    base = ("households", "import", path, "--db", protected, "--user", "canbo", "--password-stdin")
    result = run(*base, "--dry-run", "--skip-errors", input=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "Xem thử, chưa ghi gì: sẽ thêm 1 hộ" in result.stdout and "bỏ qua 1 dòng lỗi" in result.stdout
    assert "Dòng 3 (Hộ Lỗi): bỏ qua vì lỗi — Không có ấp «Không Có»" in result.stdout
    refused = run(*base, input=PASSWORD + "\n")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("Lỗi: Chưa nhập gì: 1 dòng có lỗi (dòng 3: Không có ấp «Không Có»")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert dump(protected) == before
    skipped = run(*base, "--skip-errors", input=PASSWORD + "\n")
    assert skipped.returncode == 0 and "thêm 1 hộ" in skipped.stdout and "Hộ Lỗi" not in names(protected)


def test_map_option_and_remembered_columns(run, protected, tmp_path) -> None:
    headers = ["Người đứng tên", "Sinh", "Thôn"]
    path = write_xlsx(tmp_path / "ds.xlsx", [["Lê Văn Tám", 1975, "Lợi An"]], headers, titles=())
    base = ("households", "import", path, "--db", protected, "--user", "canbo", "--password-stdin")
    unmapped = run(*base, "--dry-run", input=PASSWORD + "\n")
    assert unmapped.returncode == 1 and "Không tìm thấy cột «Họ và tên chủ hộ»" in unmapped.stderr
    mapped = run(*base, "--map", "Người đứng tên=chủ hộ,Sinh=năm sinh", input=PASSWORD + "\n")
    assert mapped.returncode == 0, mapped.stderr
    second = write_xlsx(tmp_path / "ds2.xlsx", [["Lê Văn Chín", 1977, "Lợi An"]], headers, titles=())
    again = run("households", "import", second, "--db", protected, "--user", "canbo", "--password-stdin",
                input=PASSWORD + "\n")
    assert again.returncode == 0 and "«Người đứng tên» → Họ và tên chủ hộ" in again.stdout  # remembered
    wrong = run(*base, "--map", "Sinh", input=PASSWORD + "\n")
    assert wrong.returncode == 1 and "không đúng dạng «Tên cột=thông tin»" in wrong.stderr


def test_a_viewer_and_a_bad_file_are_refused(run, protected, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [NEW])
    before = dump(protected)
    viewer = run("households", "import", path, "--db", protected, "--user", "nguoixem", "--password-stdin",
                 input=PASSWORD + "\n")
    assert viewer.returncode == 1 and "chỉ được xem và in" in viewer.stderr
    (tmp_path / "rac.xlsx").write_bytes(b"not a workbook")
    bad = run("households", "import", tmp_path / "rac.xlsx", "--db", protected)
    assert bad.returncode == 1 and "không phải tệp Excel (.xlsx) đọc được" in bad.stderr
    assert dump(protected) == before
    usage = run("households", "import", "--db", protected)
    assert usage.returncode == 2


def test_a_hidden_direction_character_is_not_repeated(run, protected, tmp_path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [[1, "Trần \u202eVăn Mười", 1970, None, "Lợi An", None, None, None, 4]])
    base = ("households", "import", path, "--db", protected, "--user", "canbo", "--password-stdin")
    preview = run(*base, "--dry-run", "--skip-errors", input=PASSWORD + "\n")
    assert "Dòng 3 (Trần ?Văn Mười): bỏ qua vì lỗi — Họ tên chủ hộ có ký tự đảo chiều chữ ẩn (U+202E)." in preview.stdout
    refused = run(*base, input=PASSWORD + "\n")
    assert refused.returncode == 1 and "\u202e" not in refused.stdout + refused.stderr
