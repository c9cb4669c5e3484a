"""Garbage is collected on the UI thread only: a collection in a reader thread could
free widgets away from their thread, and Qt would crash later, anywhere."""

from __future__ import annotations

import gc
import threading

from gocong_desktop.gui.application import create_app


class Knot:
    """Cyclic garbage: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_collections_run_on_the_ui_thread_while_a_reader_thread_makes_garbage(qtbot) -> None:
    create_app()
    assert not gc.isenabled()
    ui, seen = threading.get_ident(), []

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            seen.append(threading.get_ident())

    def reader() -> None:
        for _ in range(200_000):
            Knot()

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=reader)
        worker.start()
        qtbot.waitUntil(lambda: not worker.is_alive(), timeout=30_000)
        qtbot.waitUntil(lambda: len(seen) > 0, timeout=5_000)  # the timer collected what was made
    finally:
        gc.callbacks.remove(note)
    assert set(seen) == {ui}


def test_the_timer_frees_cyclic_garbage(qtbot) -> None:
    create_app()
    import weakref

    knot = Knot()
    gone = weakref.ref(knot)
    del knot
    for _ in range(2_000):  # enough allocations to make a collection due
        Knot()
    qtbot.waitUntil(lambda: gone() is None, timeout=5_000)
