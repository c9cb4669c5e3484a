"""Every dialog that can be built on the seeded commune, checked for the clerk's
keyboard: no Alt+letter shown twice at once, and Enter stays on the dialog's own
default button however Tab has walked over the other buttons."""

from __future__ import annotations

import os
from collections import Counter
from typing import Callable

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton, QTabWidget  # noqa: E402

from gocong_desktop.core.services import groups, hamlets, households  # noqa: E402
from gocong_desktop.core.services.review_period import period_for  # noqa: E402
from gocong_desktop.gui.documents.report_files import ReportDialog  # noqa: E402
from gocong_desktop.gui.groups.dialog import GroupDialog  # noqa: E402
from gocong_desktop.gui.groups.hamlet_dialogs import AddHamletsDialog, RenameHamletDialog, RetireHamletDialog  # noqa: E402
from gocong_desktop.gui.groups.retire_dialog import RetireGroupDialog  # noqa: E402
from gocong_desktop.gui.households.dialog import HouseholdDialog  # noqa: E402
from gocong_desktop.gui.households.pledge_violations_dialog import PledgeViolationsDialog  # noqa: E402
from gocong_desktop.gui.storage.backup_dialogs import RestoreDialog  # noqa: E402
from gocong_desktop.gui.meetings.new_dialog import NewMeetingDialog  # noqa: E402
from gocong_desktop.gui.meetings.verify_dialog import VerifyMinutesDialog  # noqa: E402
from gocong_desktop.gui.pledges.campaign_dialog import OpenCampaignDialog  # noqa: E402
from gocong_desktop.gui.pledges.template_dialog import PledgeTemplateDialog  # noqa: E402
from gocong_desktop.gui.prevention.propaganda_panel import PropagandaDialog  # noqa: E402
from gocong_desktop.gui.prevention.scheme_dialog import SchemeDialog  # noqa: E402
from gocong_desktop.gui.reports.narrative_editor import NarrativeEditor  # noqa: E402
from gocong_desktop.gui.security.accounts_dialog import AccountsDialog, AddAccountDialog, ChangePasswordDialog  # noqa: E402
from gocong_desktop.gui.security.audit_dialog import AuditLogDialog  # noqa: E402
from gocong_desktop.gui.security.sign_in import RecoverDialog, SignInDialog  # noqa: E402
from gocong_desktop.gui.settings_dialog import SettingsDialog  # noqa: E402
from gocong_desktop.gui.widgets.mnemonics import mnemonic_of, with_mnemonic  # noqa: E402
from gocong_desktop.gui.widgets.form_parts import WriteDialog  # noqa: E402
from tests.gui.waiting import settle  # noqa: E402
from gocong_desktop.gui.security.recovery_code_dialog import RecoveryCodeDialog
from gocong_desktop.gui.sync.commune_records_dialog import CommuneRecordsDialog
from gocong_desktop.gui.help_dialog import HelpDialog


def _hamlet(ctx):
    return ctx.read(hamlets.list_hamlets)[0]


def _group(ctx):
    return ctx.read(groups.list_groups)[0]


def _household(ctx):
    return ctx.read(households.list_households)[0].id


DIALOGS: dict[str, Callable] = {
    "group_new": lambda ctx: GroupDialog(ctx),
    "group_edit": lambda ctx: GroupDialog(ctx, group_id=_group(ctx).id),
    "group_retire": lambda ctx: RetireGroupDialog(ctx, _group(ctx)),
    "hamlets_add": lambda ctx: AddHamletsDialog(ctx),
    "hamlet_rename": lambda ctx: RenameHamletDialog(ctx, _hamlet(ctx)),
    "hamlet_retire": lambda ctx: RetireHamletDialog(ctx, _hamlet(ctx)),
    "household_new": lambda ctx: HouseholdDialog(ctx),
    "household_edit": lambda ctx: HouseholdDialog(ctx, household_id=_household(ctx)),
    "meeting_new": lambda ctx: NewMeetingDialog(ctx),
    "minutes_verify": lambda ctx: VerifyMinutesDialog(ctx),
    "pledge_campaign": lambda ctx: OpenCampaignDialog(ctx, 2026),
    "pledge_template": lambda ctx: PledgeTemplateDialog(ctx, 2026),
    "propaganda": lambda ctx: PropagandaDialog(ctx),
    "scheme_new": lambda ctx: SchemeDialog(ctx),
    "review_narrative": lambda ctx: NarrativeEditor(ctx, period_for("Y", 2025)),
    "settings": lambda ctx: SettingsDialog(ctx),
    "audit_log": lambda ctx: AuditLogDialog(ctx),
    "accounts": lambda ctx: AccountsDialog(ctx),
    "account_new": lambda ctx: AddAccountDialog(ctx),
    "password_change": lambda ctx: ChangePasswordDialog(ctx, "quantri"),
    "report": lambda ctx: ReportDialog(ctx),
    "violations": lambda ctx: PledgeViolationsDialog(ctx, _household(ctx), "Nguyễn Văn Ba"),
    "restore_backup": lambda ctx: RestoreDialog([]),
    "sign_in": lambda ctx: SignInDialog(ctx.db, "xã Bình Tân"),
    "recover": lambda ctx: RecoverDialog(ctx.db, "quantri"),
    "recovery_code": lambda ctx: RecoveryCodeDialog("quantri", "ABCD-EFGH-IJKL-MNOP"),
    "commune_records": lambda ctx: CommuneRecordsDialog("xã Bình Tân", ([], [], [])),
    "help": lambda ctx: HelpDialog(),
}


@pytest.fixture
def ctx(seeded, admin_ctx):
    return admin_ctx


def _shown_mnemonics(dialog) -> list[str]:
    """The Alt+letters usable now: visible buttons and buddy labels, the tabs of visible tab widgets."""
    letters = []
    for widget in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel):
        if widget.isVisible() and (not isinstance(widget, QLabel) or widget.buddy() is not None):
            letters += [m] if (m := mnemonic_of(widget.text())) else []
    for tabs in dialog.findChildren(QTabWidget):
        if tabs.isVisible():
            letters += [m for i in range(tabs.count()) if (m := mnemonic_of(tabs.tabText(i)))]
    return letters


def _default_button(dialog) -> QPushButton | None:
    return next((b for b in dialog.findChildren(QPushButton) if b.isDefault() and b.isVisible()), None)


@pytest.mark.parametrize("name", DIALOGS)
def test_alt_letters_are_unique_and_enter_keeps_its_button(qtbot, ctx, seeded, name):
    dialog = DIALOGS[name](ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    settle(ctx)
    letters = _shown_mnemonics(dialog)
    assert [letter for letter, count in Counter(letters).items() if count > 1] == [], name
    if isinstance(dialog, WriteDialog):
        assert mnemonic_of(dialog.ok_button.text()) and len(letters) >= 3, name
    assert letters, f"{name}: no Alt+letter at all"
    default = _default_button(dialog)
    if default is None:
        return
    for _ in range(40):  # twice round a small form: every button gets the focus once
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    if isinstance(focus, QPushButton):  # a focused button is Enter's while it has the focus
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
    if not isinstance(focus, QPushButton):
        assert _default_button(dialog) is default, name


@pytest.mark.parametrize("text, taken, expected", [
    ("Lưu", set(), "&Lưu"),
    ("Thêm nội dung", {"t", "n"}, "Thêm nội &dung"),  # a word's first letter before any other
    ("Thêm nội dung", {"t", "n", "d"}, "T&hêm nội dung"),
    ("Ấp *", set(), "Ấ&p *"),  # Alt+Ấ cannot be typed
    ("Đóng", {"n", "g"}, "Đóng"),  # no free letter: none
])
def test_the_letter_chosen(text, taken, expected):
    assert with_mnemonic(text, set(taken)) == expected


def test_the_letter_shown():
    assert [mnemonic_of(t) for t in ("&Lưu", "Nội dung && biểu quyết", "&Nội dung && biểu quyết", "Đón&g")] == [
        "l", None, "n", "g"]
