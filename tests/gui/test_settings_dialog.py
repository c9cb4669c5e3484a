"""Cài đặt: an administrator saves the lock minutes, the personal fields sent in
sync packages and whether violations are sent; a clerk is refused and nothing changes."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from gocong_desktop.core.db.access import Principal, Role  # noqa: E402
from gocong_desktop.core.services import accounts, pledge_violations, privacy, session_lock  # noqa: E402
from gocong_desktop.core.services.privacy import DEFAULT_FIELDS, PERSONAL_FIELDS  # noqa: E402
from gocong_desktop.core.services.office_settings import load_settings  # noqa: E402
from gocong_desktop.gui.settings_dialog import SettingsDialog  # noqa: E402
from gocong_desktop.gui import message_box



@pytest.fixture
def ctx(admin_ctx):
    return admin_ctx


def _open(ctx, qtbot) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _stored(ctx):
    return (ctx.read(session_lock.idle_lock_minutes), ctx.read(privacy.sync_personal_fields),
            ctx.read(pledge_violations.include_violations_in_sync))


def _change_everything(dialog: SettingsDialog) -> None:
    dialog.idle_minutes.setValue(25)
    dialog.fields["names"].setChecked(False)
    dialog.fields["citizen_id"].setChecked(True)
    dialog.include_violations.setChecked(True)


def test_shows_the_defaults(ctx, qtbot):
    dialog = _open(ctx, qtbot)
    assert dialog.idle_minutes.value() == session_lock.DEFAULT_MINUTES
    assert (dialog.idle_minutes.minimum(), dialog.idle_minutes.maximum()) == (1, 240)
    assert set(dialog.fields) == set(PERSONAL_FIELDS)
    assert {k for k, box in dialog.fields.items() if box.isChecked()} == DEFAULT_FIELDS
    assert [box.text() for box in dialog.fields.values()] == [v[0] for v in PERSONAL_FIELDS.values()]
    assert not dialog.include_violations.isChecked()


def test_saves_all_three_and_reopening_shows_them(ctx, qtbot):
    dialog = _open(ctx, qtbot)
    changed = []
    ctx.tasks.data_changed.connect(changed.append)
    _change_everything(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert [c.touches("app_setting") for c in changed] == [True]  # announced once, what was written
    chosen = set(DEFAULT_FIELDS) - {"names"} | {"citizen_id"}
    assert _stored(ctx) == (25, chosen, True)

    again = _open(ctx, qtbot)
    assert again.idle_minutes.value() == 25
    assert {k for k, box in again.fields.items() if box.isChecked()} == chosen
    assert again.include_violations.isChecked()
    assert again.chosen() == ctx.read(load_settings)


def test_a_clerk_is_refused_and_nothing_changes(ctx, qtbot, monkeypatch):
    with ctx.db.session() as s:
        accounts.add_account(s, username="canbo.ha", display_name="Trần Thị Hà", role=Role.CLERK,
                             password="matkhau-ha1", confirm="matkhau-ha1")
    ctx.db.user = Principal("canbo.ha", "Trần Thị Hà", Role.CLERK)
    before = _stored(ctx)
    warnings = []
    monkeypatch.setattr(message_box, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    dialog = _open(ctx, qtbot)
    _change_everything(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    ctx.tasks.wait()
    assert warnings == ["Chỉ quản trị viên mới được thay đổi tài khoản và cài đặt."]
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert _stored(ctx) == before == (session_lock.DEFAULT_MINUTES, set(DEFAULT_FIELDS), False)


def test_shows_exactly_which_columns_travel_and_which_stay_home(ctx, qtbot):
    dialog = _open(ctx, qtbot)
    travels, home = privacy.travel_lines(DEFAULT_FIELDS)
    assert all(line in dialog.travels.text() for line in travels)
    assert all(line in dialog.stays_home.text() for line in home)
    assert "Hộ gia đình: họ tên chủ hộ" in dialog.travels.text() and "số CCCD" in dialog.stays_home.text()
    dialog.fields["names"].setChecked(False)  # unticking moves the names home at once, before saving
    assert "họ tên chủ hộ" not in dialog.travels.text() and "họ tên chủ hộ" in dialog.stays_home.text()
    assert "Điểm danh: lý do vắng, họ tên người dự họp thay" in dialog.stays_home.text()
    for key in privacy.PERSONAL_FIELDS:
        dialog.fields[key].setChecked(True)
    assert "(không có)" in dialog.stays_home.text()
