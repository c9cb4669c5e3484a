"""Trợ giúp › Nhật ký thay đổi: the audit log, filtered by who, kind, record and dates."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, QSettings  # noqa: E402

from gocong_desktop.core.services import households  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.security.audit_dialog import AuditLogDialog  # noqa: E402
from gocong_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.gui.typing import type_text  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402


@pytest.fixture
def ctx(seeded, tmp_path):
    create_app()
    hid = seeded.households["Lê Thị Hoa"]
    with seeded.db.session(actor="cán bộ Hà") as s:
        data = households.household_input(s, hid)
        data.phone = "0901234567"
        households.update_household(s, hid, data)
    return make_context(seeded.db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)), hid


def _cells(dialog: AuditLogDialog, column: int) -> list[str]:
    model = dialog.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_filters_by_actor_kind_record_and_dates(qtbot, ctx):
    context, hid = ctx
    dialog = AuditLogDialog(context)
    qtbot.addWidget(dialog)
    settle(context)
    total = dialog.model.rowCount()
    assert total >= 13  # 2 hamlets, 3 groups, 7 households, 1 update
    assert _cells(dialog, 2)[0] == "Sửa"  # newest first
    assert _cells(dialog, 5)[0] == "Điện thoại: (trống) → 0901234567"  # in words; search keys left out

    dialog.actor.setCurrentIndex(dialog.actor.findText("cán bộ Hà"))
    settle(context)
    assert _cells(dialog, 1) == ["cán bộ Hà"]
    dialog.actor.setCurrentIndex(0)
    settle(context)

    dialog.kind.setCurrentIndex(dialog.kind.findText("Hộ gia đình"))
    settle(context)
    assert set(_cells(dialog, 3)) == {"Hộ gia đình"} and dialog.model.rowCount() == 8
    shown = _cells(dialog, 4)[0]  # the newest: the phone number changed above
    assert shown == hid[-8:]  # ids made together share their first digits (db/ids.py)
    type_text(dialog.record, shown)
    settle(context)
    assert dialog.model.rowCount() == 2 and dialog.count.text() == "2 mục"
    dialog.record.clear()
    type_text(dialog.record, hid)  # the whole id, pasted from a message
    settle(context)
    assert dialog.model.rowCount() == 2
    dialog.record.clear()
    type_text(dialog.record, "%")  # typed, not a wildcard
    settle(context)
    assert dialog.model.rowCount() == 0

    dialog.until.setDate(QDate.currentDate().addDays(-2))
    settle(context)
    assert dialog.model.rowCount() == 0


def test_opened_from_the_help_menu(qtbot, ctx, monkeypatch):
    context, _ = ctx
    shown = []
    monkeypatch.setattr(AuditLogDialog, "exec", lambda self: (settle(context), shown.append(self.model.rowCount())))
    win = MainWindow(context)
    qtbot.addWidget(win)
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "Trợ &giúp")
    next(a for a in help_menu.actions() if a.text() == "&Nhật ký thay đổi…").trigger()
    assert shown and shown[0] > 0
    win.close()


def test_the_changes_take_the_room_left(qtbot, ctx):
    """The timestamp column used to stretch, leaving the changes a few letters."""
    context, _ = ctx
    dialog = AuditLogDialog(context)
    qtbot.addWidget(dialog)
    dialog.resize(900, 500)
    dialog.show()
    settle(context)
    header = dialog.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert widths[-1] == max(widths), widths
