"""Reads off the UI thread (gui/queries.py, ctx.query): results come back on the
UI thread, a stale search is dropped, an error is shown, a slow read shows a busy
cursor (never a modal box), a closed window gets nothing; pages load on a reader
thread and long lists are read a page at a time as the user scrolls."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QSettings, Qt, QThread  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from gocong_desktop.core.db.engine import open_database  # noqa: E402
from gocong_desktop.core.db.models import PledgeStatus  # noqa: E402
from gocong_desktop.core.errors import ValidationError  # noqa: E402
from gocong_desktop.core.services import hamlets, households, pledges  # noqa: E402
from gocong_desktop.gui.application import create_app  # noqa: E402
from gocong_desktop.gui.app import make_context  # noqa: E402
from gocong_desktop.gui.households.page import HouseholdsPage  # noqa: E402
from gocong_desktop.gui.pledges.page import PledgesPage  # noqa: E402
from gocong_desktop.gui import message_box
from tests.gui.waiting import settle  # noqa: E402

BLOCKED_MS = 10_000  # how long a test's blocked read may wait for its release (never reached)


@pytest.fixture
def ctx(seeded_ctx):
    return seeded_ctx


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(message_box, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


def _blocked_read(release: threading.Event, answer):
    """A read that waits for ``release`` before answering (the test decides the order)."""
    def read(session):
        release.wait(BLOCKED_MS / 1000)
        return answer(session)
    return read


def test_the_result_comes_back_on_the_ui_thread(qtbot, ctx):
    where: list = []
    ctx.query(lambda s: (QThread.currentThread(), hamlets.list_hamlets(s)),
              on_done=lambda r: where.extend([r[0], QThread.currentThread(), r[1]]))
    settle(ctx)
    read_on, delivered_on, rows = where
    assert read_on is not QApplication.instance().thread() and delivered_on is QApplication.instance().thread()
    assert sorted(r.name for r in rows) == ["Lợi An", "Đồng Sơn"]


def test_a_stale_search_result_is_dropped(qtbot, ctx):
    """The clerk types «a», then «an»: the search for «a» ends last and is not shown."""
    release, shown = threading.Event(), []
    ctx.query(_blocked_read(release, lambda s: "a"), on_done=shown.append, key="search")
    ctx.query(lambda s: "an", on_done=shown.append, key="search")
    qtbot.waitUntil(lambda: shown == ["an"], timeout=5000)
    release.set()
    settle(ctx)
    assert shown == ["an"]


def test_reads_with_other_keys_are_all_delivered(qtbot, ctx):
    shown: list[str] = []
    for key in ("hamlets", "groups", None, None):
        ctx.query(lambda s, key=key: key, on_done=shown.append, key=key)
    settle(ctx)
    assert sorted(shown, key=str) == sorted(["hamlets", "groups", None, None], key=str)


def test_an_error_in_a_read_is_shown(qtbot, ctx, warnings):
    def refuse(_session):
        raise ValidationError("Không đọc được danh sách.")

    page = QWidget()
    qtbot.addWidget(page)
    ctx.query(refuse, on_done=lambda _r: pytest.fail("no result after an error"), parent=page)
    settle(ctx)
    assert warnings == ["Không đọc được danh sách."]


def test_a_slow_read_shows_a_busy_cursor_never_a_modal_box(qtbot, ctx):
    release, shown, busy = threading.Event(), [], []
    page = QWidget()
    qtbot.addWidget(page)
    page.show()
    ctx.tasks.reads.busy_changed.connect(busy.append)
    ctx.query(_blocked_read(release, lambda s: "xong"), on_done=shown.append, parent=page)
    qtbot.waitUntil(lambda: page.cursor().shape() == Qt.CursorShape.BusyCursor, timeout=5000)
    assert busy == [True] and QApplication.activeModalWidget() is None
    release.set()
    settle(ctx)
    assert shown == ["xong"] and busy == [True, False]
    assert page.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_a_closed_context_gets_no_result(qtbot, ctx):
    release, shown = threading.Event(), []
    ctx.query(_blocked_read(release, lambda s: "late"), on_done=shown.append)
    release.set()
    ctx.tasks.reads.close()  # the window closes while the read runs
    ctx.query(lambda s: "after", on_done=shown.append)
    settle(ctx)
    assert shown == [] and not ctx.tasks.reads.is_busy()


def test_a_window_closing_in_the_background_does_not_wait_for_a_running_read(qtbot, ctx):
    """The app's window is gone at once (``close(wait=False)``); the process waits for
    the read before the database closes (``TaskRunner.wait``), and nothing is shown."""
    release, shown, started = threading.Event(), [], threading.Event()

    def slow(session):
        started.set()
        return _blocked_read(release, lambda s: "late")(session)
    ctx.query(slow, on_done=shown.append)
    assert started.wait(5)
    ctx.tasks.reads.close(wait=False)  # returns while the read is still blocked
    assert not release.is_set()
    release.set()
    assert ctx.tasks.wait(5000) and shown == []


def test_the_app_window_closes_while_a_read_runs(qtbot, ctx):
    """``finish_work(wait=False)`` (the app's window) neither waits for a page's read
    nor lets the backup on close wait for it."""
    from gocong_desktop.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    settle(ctx)
    release, started, ended = threading.Event(), threading.Event(), threading.Event()

    def slow(session):
        started.set()
        _blocked_read(release, lambda s: None)(session)
        ended.set()
    ctx.query(slow)
    assert started.wait(5)
    window.finish_work(wait=False)
    assert not ended.is_set()  # returned while the read was still blocked
    release.set()
    assert ctx.tasks.wait(10_000)


def test_a_read_ending_while_the_screen_is_locked_shows_after_unlock(qtbot, ctx, warnings):
    def refuse(_session):
        raise ValidationError("Lỗi khi đọc.")

    ctx.tasks.hold()
    ctx.query(refuse)
    settle(ctx)
    assert warnings == []  # nothing pops up over the lock screen
    ctx.tasks.release()
    assert warnings == ["Lỗi khi đọc."]


def test_a_page_deleted_while_reading_gets_nothing(qtbot, ctx):
    release, shown = threading.Event(), []
    page = QWidget()
    ctx.query(_blocked_read(release, lambda s: "late"), on_done=shown.append, parent=page)
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the page is gone
    release.set()
    settle(ctx)
    assert shown == []


def test_the_households_page_reads_off_the_ui_thread(qtbot, ctx, monkeypatch):
    threads: list = []
    real = households.list_households

    def recorded(session, **kwargs):
        threads.append(QThread.currentThread())
        return real(session, **kwargs)

    monkeypatch.setattr(households, "list_households", recorded)
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle(page)
    assert threads and QApplication.instance().thread() not in threads
    assert page.model.rowCount() == page.model.total == 7 and page.count_label.text() == "7 hộ"


# ---------------------------------------------------------------- a long list, paged


@pytest.fixture(scope="module")
def _commune_of_1200(tmp_path_factory):
    from gocong_desktop.core.demo import generate_demo

    path = tmp_path_factory.mktemp("xa-1200") / "xa.db"
    generate_demo(path, households=1200, encrypted=False)
    return path


@pytest.fixture
def big_ctx(_commune_of_1200, tmp_path):
    create_app()
    shutil.copy(_commune_of_1200, tmp_path / "xa.db")
    database = open_database(tmp_path / "xa.db")
    context = make_context(database, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    yield context
    context.tasks.wait()
    database.close()


def _scroll_to_end(qtbot, page) -> None:
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: not page.model.is_loading(), timeout=5000)
    settle(page)


def test_pledges_of_the_whole_commune_are_read_a_page_at_a_time(qtbot, big_ctx):
    page = PledgesPage(big_ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    settle(page)
    with big_ctx.db.session() as s:
        expected = [r.id for r in pledges.list_pledges(s, page.year.value(), resident_only=True)]
    assert len(expected) > 1000 and page.scope().level == "commune"
    model = page.model
    assert model.total == len(expected) and model.rowCount() == model.page_size  # the first page, and the count
    _scroll_to_end(qtbot, page)
    assert model.rowCount() == 2 * model.page_size  # one more page as the view reached the end
    while model.canFetchMore():
        _scroll_to_end(qtbot, page)
    assert [r.id for r in model.rows()] == expected and model.total == len(expected)


def test_ticking_every_unsigned_household_reads_the_rest_first(qtbot, big_ctx):
    page = PledgesPage(big_ctx)
    qtbot.addWidget(page)
    page.show()
    settle(page)
    assert page.model.rowCount() < page.model.total
    page.tick_unsigned_button.click()
    settle(page)
    with big_ctx.db.session() as s:
        unsigned = pledges.count_pledges(s, page.year.value(), status=PledgeStatus.UNSIGNED, resident_only=True)
    assert page.model.rowCount() == page.model.total and len(page.model.ticked_ids()) == unsigned > 0
