"""The office lock's record of who holds it, and the mark of an unclean shutdown
that a command must leave for the window's full start-up check."""

from __future__ import annotations

import json

from gocong_desktop.core.storage.lock import acquire_lock, in_use_message, lock_path, read_owner


def test_a_command_leaves_a_stale_lock_file_for_the_windows_full_check(db) -> None:
    path = db.path
    db.close()
    lock_path(path).write_text('{"pid": 999999, "host": "máy cũ"}')  # left behind by a crash
    command = acquire_lock(path, holder="import")
    assert command.unclean and read_owner(command.path)["holder"] == "import"
    command.release()
    assert lock_path(path).exists()  # not checked by the command: the window still must
    window = acquire_lock(path)
    assert window.unclean and read_owner(window.path)["holder"] == "app"
    window.release()
    assert not lock_path(path).exists()


def test_the_message_names_the_holder_as_safe_text(tmp_path) -> None:
    owner = json.loads('{"holder": "import\\u001b[31m\\u202e", "user": "cán bộ", "host": "MAY-1"}')
    message = in_use_message(tmp_path / "tinh.db", owner)
    assert "đang được lệnh «gocong-desktop import[31m» ghi (máy MAY-1, người dùng cán bộ)" in message
    assert "\x1b" not in message and "\u202e" not in message
    assert "cửa sổ gocong_desktop khác" in in_use_message(tmp_path / "tinh.db", {"pid": 1})  # older lock files
