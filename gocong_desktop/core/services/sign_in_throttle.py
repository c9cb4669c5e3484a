"""Wrong passwords in a row, per database and user name: a pause after too many.

Kept in a small file in the user data folder, not in memory, so that starting
the app again or running the command line once per guess does not reset it;
not in the database, which someone not signed in may not write.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from gocong_desktop.core.errors import PermissionDeniedError
from gocong_desktop.core.paths import data_dir
from gocong_desktop.core.settings.machine_file import read_document, write_document

MAX_FAILURES, PAUSE_SECONDS = 5, 30  # after 5 wrong passwords in a row, wait 30 s
FILE_NAME = "dang-nhap-sai.json"


class SignInThrottle:
    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path or data_dir() / FILE_NAME

    def check(self, key: str) -> None:
        """Refused while ``key`` is paused; says for how long."""
        with self._lock:
            _, until = self._read().get(key, (0, 0.0))
        if (wait := until - time.time()) > 0:
            raise PermissionDeniedError(f"Nhập sai quá {MAX_FAILURES} lần. Hãy chờ {int(wait) + 1} giây "
                                        "rồi thử lại.")

    def failed(self, key: str) -> None:
        with self._lock:
            failures = self._read()
            count = failures.get(key, (0, 0.0))[0] + 1
            until = time.time() + PAUSE_SECONDS if count >= MAX_FAILURES else 0.0
            failures[key] = (0 if until else count, until)
            self._write(failures)

    def succeeded(self, key: str) -> None:
        with self._lock:
            failures = self._read()
            if failures.pop(key, None) is not None:
                self._write(failures)

    def _read(self) -> dict[str, tuple[int, float]]:
        try:
            data = read_document(self.path) or {}
            return {k: (int(v[0]), float(v[1])) for k, v in data.items()}
        except (ValueError, TypeError, KeyError, IndexError):
            return {}  # missing or unreadable: nobody is paused (never a lock-out by a bad file)

    def _write(self, failures: dict[str, tuple[int, float]]) -> None:
        now = time.time()  # forget pauses long over and counts of keys gone quiet
        kept = {k: v for k, v in failures.items() if v[0] or v[1] > now}
        try:
            write_document(self.path, kept)
        except OSError:
            pass  # a read-only profile: the pause is lost, signing in still works
