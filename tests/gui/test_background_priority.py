"""A background thread nobody waits for (the start-up check) yields the CPU to the
window: on two cores it used to make a page opened meanwhile wait for one (issue 16)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from gocong_desktop.gui.background_priority import LINUX_NICE, lower_this_threads_priority


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_the_calling_thread_only_is_lowered() -> None:
    seen: dict[str, int] = {}

    def work() -> None:
        tid = threading.get_native_id()
        seen["before"] = os.getpriority(os.PRIO_PROCESS, tid)
        lower_this_threads_priority()
        seen["after"] = os.getpriority(os.PRIO_PROCESS, tid)

    main_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["after"] == max(seen["before"], LINUX_NICE)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main_before  # the window's thread


def test_a_system_that_refuses_leaves_the_thread_as_it_was(monkeypatch) -> None:
    def refuse(*_args) -> None:
        raise PermissionError("not allowed")
    monkeypatch.setattr(os, "setpriority", refuse)
    lower_this_threads_priority()  # no exception
