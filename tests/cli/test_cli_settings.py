"""``gocong-desktop settings list | get | set``: every office setting with its value
and a Vietnamese description (the personal fields sent in sync packages among
them); changes validated, for administrators only, and audited."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from pathlib import Path

from gocong_desktop.core.services.privacy import PERSONAL_FIELDS
from gocong_desktop.core.services.settings_catalog import SETTINGS
from tests.cli.conftest import PASSWORD
from tests.conftest import file_digest


def _setting_entries(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT actor, action, record_id, changes_json FROM audit_log "
                           "WHERE table_name = 'app_setting' ORDER BY rowid").fetchall()
    finally:
        con.close()


def test_list_shows_every_setting_its_value_and_what_travels(gc, protected):
    code, out, err = gc("settings", "list", "--db", protected)  # reading needs no administrator
    assert code == 0, err
    for spec in SETTINGS:
        assert spec.name in out
    assert {f"privacy.{k}" for k in PERSONAL_FIELDS} <= {s.name for s in SETTINGS}
    values = {name: value.strip() for name, _, value in (line.partition(" ") for line in out.splitlines())
              if name in {s.name for s in SETTINGS}}
    assert values["security.idle_lock_minutes"] == "10" and values["privacy.phone"] == "không gửi"
    assert "Khóa màn hình sau chừng ấy phút" in out and "Số điện thoại" in out
    home = out.split("Thông tin cá nhân giữ lại tại đơn vị:")[1]
    travels = out.split("Thông tin cá nhân gửi trong gói đồng bộ:")[1].split("Thông tin cá nhân giữ lại")[0]
    assert "Hộ gia đình: họ tên chủ hộ" in travels and "số CCCD" in home and "số điện thoại" in home


def test_get_prints_the_value(gc, protected):
    assert gc("settings", "get", "privacy.phone", "--db", protected)[1] == "không gửi\n"
    assert gc("settings", "get", "privacy.names", "--db", protected)[1] == "gửi\n"
    assert gc("settings", "get", "security.idle_lock_minutes", "--db", protected)[1] == "10\n"
    code, out, err = gc("settings", "get", "privacy.anh", "--db", protected)
    assert code == 1 and "Không có cài đặt «privacy.anh»" in err and err.count("\n") == 1


def test_an_administrator_sets_a_field_and_it_is_audited(gc, typed, protected):
    typed[0].append(PASSWORD)
    code, out, err = gc("settings", "set", "privacy.phone", "gửi", "--db", protected, "--user", "quantri")
    assert code == 0, err
    assert out == "Đã đổi «privacy.phone» thành «gửi».\n"
    assert gc("settings", "get", "privacy.phone", "--db", protected)[1] == "gửi\n"
    actor, action, record, changes = _setting_entries(protected)[-1]
    assert (actor, record) == ("quantri", "privacy.sync_personal_fields") and "phone" in changes
    typed[0].append(PASSWORD)
    assert gc("settings", "set", "security.idle_lock_minutes", "25", "--db", protected, "--user", "quantri")[0] == 0
    assert gc("settings", "get", "security.idle_lock_minutes", "--db", protected)[1] == "25\n"


def test_a_clerk_or_nobody_is_refused_and_nothing_changes(gc, typed, protected):
    before = file_digest(protected)
    typed[0].append(PASSWORD)
    code, out, err = gc("settings", "set", "privacy.citizen_id", "có", "--db", protected, "--user", "canbo")
    assert code == 1 and out == "" and err == "Lỗi: Chỉ quản trị viên mới được thay đổi cài đặt.\n"
    code, out, err = gc("settings", "set", "privacy.citizen_id", "có", "--db", protected)
    assert code == 1 and "--user" in err and err.count("\n") == 1
    assert file_digest(protected) == before


def test_bad_values_are_refused_with_what_to_write(gc, typed, protected):
    before = file_digest(protected)
    for name, value, said in (("security.idle_lock_minutes", "999", "từ 1 đến 240"),
                              ("security.idle_lock_minutes", "mười", "số phút"),
                              ("privacy.phone", "có lẽ", "«có» hoặc «không»"),
                              ("sync.include_violations", "", "«có» hoặc «không»"),
                              ("backup.folder", "sao-luu", "đường dẫn đầy đủ"),
                              ("khong.co", "1", "Không có cài đặt")):
        typed[0].append(PASSWORD)
        code, out, err = gc("settings", "set", name, value, "--db", protected, "--user", "quantri")
        assert code == 1 and said in err and err.count("\n") == 1 and "Traceback" not in err, (name, err)
    assert file_digest(protected) == before


def test_backup_folders_with_vietnamese_paths(gc, typed, protected, tmp_path):
    second = tmp_path / "USB Nguyễn Văn A" / "sao lưu"
    typed[0].append(PASSWORD)
    assert gc("settings", "set", "backup.second_folder", second, "--db", protected, "--user", "quantri")[0] == 0
    assert gc("settings", "get", "backup.second_folder", "--db", protected)[1] == f"{second.resolve()}\n"
    typed[0].append(PASSWORD)
    assert gc("settings", "set", "backup.second_folder", "", "--db", protected, "--user", "quantri")[0] == 0
    assert gc("settings", "get", "backup.second_folder", "--db", protected)[1] == "\n"
