"""Opening a database in the app: lock, sign-in to an encrypted file, start-up
check, restore offer, storage warning.

The questions go through a small ``ui`` object (dialogs by default), so tests
drive the whole start-up without an event loop. An encrypted file is unlocked
before anything reads it (the start-up check included): the person signs in
there, and the database opens already signed in as them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from gocong_desktop.core.db.engine import Database, open_database
from gocong_desktop.core.storage.lock import (CLOSING, DatabaseInUseError, DatabaseLock, acquire_lock, held_lock,
                                               lock_path, read_owner)
from gocong_desktop.core.maintenance.startup import StartupCheck, check_at_start, damaged_message, recover_from_backup
from gocong_desktop.core.errors import DatabaseError, PermissionDeniedError
from gocong_desktop.core.setup.storage_place import storage_warning
from gocong_desktop.core.services.accounts import sign_in_unlocked
from gocong_desktop.core.services.office import find_office
from gocong_desktop.core.services.unlocking import needs_unlock


CLOSING_WAIT_S = 60.0  # a backup on close of a large commune takes seconds; a slow USB stick, more


class SignInCancelled(Exception):
    """The person closed the sign-in box of an encrypted file: nothing was opened."""


class StartupUi(Protocol):
    def unlock(self, path: Path) -> str | None: ...  # the user name that unlocked it; None: gave up
    def offer_restore(self, check: StartupCheck) -> bool: ...
    def info(self, title: str, text: str) -> None: ...
    def warn(self, title: str, text: str) -> None: ...


def open_guarded(path: str | Path, ui: StartupUi | None = None, *, check_now: bool = True) -> Database:
    """Open ``path`` for this app: refused while another app has it open; a damaged
    file is replaced by its newest good backup only if the user agrees (and kept).
    ``check_now=False``: the start-up check is left to the window, which runs it in
    the background once shown (``gui/storage/startup_check``); a file too damaged to
    open at all is still checked, and offered its backup, here. A file whose window
    is closing (its backup on close still running) is waited for a few seconds."""
    if ui is None:
        from gocong_desktop.gui.storage.backup_dialogs import DialogUi

        ui = DialogUi()
    path = Path(path).expanduser()
    held = held_lock(path) is not None  # by a window open on it, or the first sign-in box: its mark stays
    lock = _acquire(path)
    # Until the file is checked (here, or by the window's check): a crash, or a sign-in
    # given up, leaves the lock file for the next start to see the unclean exit again.
    lock.keep_file = lock.keep_file if held else lock.unclean
    try:
        username = _unlock(path, ui)
        if check_now:
            _check(path, unclean=lock.unclean, ui=ui)
            lock.keep_file = False
        if warning := storage_warning(path):
            ui.warn("Nơi lưu dữ liệu không an toàn", warning)
        db = _open_or_check(path, unclean=lock.unclean, ui=ui, checked=check_now)
    except BaseException:
        lock.release()
        raise
    db.call_on_close(lock.release)
    if username is not None:
        try:
            sign_in_unlocked(db, username)
        except PermissionDeniedError:
            pass  # a damaged file was replaced by a backup (its own slots): the sign-in box asks again
        except BaseException:
            db.close()
            raise
    return db


def _acquire(path: Path) -> DatabaseLock:
    """The office lock; a window that is closing (its backup on close) is waited for."""
    try:
        return acquire_lock(path)
    except DatabaseInUseError:
        if (read_owner(lock_path(path.absolute())) or {}).get("holder") != CLOSING:
            raise
    return acquire_lock(path, wait=CLOSING_WAIT_S)


def _open_or_check(path: Path, *, unclean: bool, ui: StartupUi, checked: bool) -> Database:
    try:
        return open_database(path)
    except DatabaseError:
        if checked:
            raise
    _check(path, unclean=unclean, ui=ui)  # damaged beyond opening: the offer cannot wait for a window
    return open_database(path)


def _unlock(path: Path, ui: StartupUi) -> str | None:
    """An encrypted file nobody has unlocked yet: ask who signs in (None: not needed)."""
    if not needs_unlock(path):
        return None
    username = ui.unlock(path)
    if username is None:
        raise SignInCancelled(path)
    return username


def _check(path: Path, *, unclean: bool, ui: StartupUi) -> None:
    check = check_at_start(path, unclean=unclean)
    if not check.damaged:
        return
    if check.backup is None:
        raise DatabaseError(damaged_message(check))
    if not ui.offer_restore(check):
        raise DatabaseError(f"Chưa mở «{path}» vì dữ liệu bị hỏng; tệp được giữ nguyên.")
    kept = recover_from_backup(check)
    b = check.backup
    ui.info("Đã khôi phục", f"Đã khôi phục dữ liệu từ bản sao lưu lúc {b.taken_at:%H:%M} ngày "
                            f"{b.taken_at:%d/%m/%Y}. Tệp bị hỏng được giữ tại «{kept}».")


def holds_office(db: Database) -> bool:
    """Whether ``db`` is set up (has its office); closed when it is not, or when reading fails."""
    try:
        with db.session() as session:
            office = find_office(session)
    except BaseException:
        db.close()
        raise
    if office is None:
        db.close()
    return office is not None
