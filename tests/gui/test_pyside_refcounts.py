"""Guards the Qt binding itself: PySide6 6.12.0 on Python 3.11 drops one
reference to None per void call and to True per signal emit, so a long
session aborts the interpreter ("deallocating None"). The pin in
pyproject.toml avoids it; this test fails if a broken version comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

CALLS = 5000


class _Emitter(QObject):
    changed = Signal(bool)


def test_void_calls_and_emits_keep_singleton_references(qapp) -> None:
    widget = QWidget()
    emitter = _Emitter()
    emitter.changed.connect(lambda _value: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        widget.setObjectName("x")
        emitter.changed.emit(True)
    # Other code may take or drop a few references meanwhile, never thousands.
    assert sys.getrefcount(None) > none_before - CALLS // 2
    assert sys.getrefcount(True) > true_before - CALLS // 2
