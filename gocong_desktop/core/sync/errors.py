"""Why a package, receipt or key file is refused: one ``UserError`` family with a
Vietnamese message and a short ``code`` the GUI and the tests can switch on.

A refusal always leaves the database exactly as it was."""

from __future__ import annotations

from gocong_desktop.core.db.ownership import ReadOnlyRecord  # noqa: F401  (raised by the ownership guard)
from gocong_desktop.core.errors import UserError


class SyncError(UserError):
    """Anything the sync engine refuses to do."""

    code = "sync"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


# Said of a package whose own declarations do not hold (sizes, senders): what to do next.
NOT_MADE_HERE = ("gói bị hỏng hoặc không do gocong_desktop tạo. Hãy đề nghị đơn vị gửi xuất lại gói rồi gửi lại; "
                 "cơ sở dữ liệu chưa bị thay đổi.")


class PackageRefused(SyncError):
    """A file that is not imported: damaged, unsafe, forged, too new..."""

    code = "refused"


class NewerFormat(PackageRefused):
    code = "newer_format"


class BadSignature(PackageRefused):
    code = "bad_signature"


class InvalidRecord(PackageRefused):
    code = "invalid_record"


class WrongRecipient(PackageRefused):
    code = "wrong_recipient"


class UnknownSender(PackageRefused):
    """The sender is not registered: a person must compare its fingerprint with
    the registration sheet once (``trust`` it), then its packages are accepted."""

    code = "unknown_sender"

    def __init__(self, message: str, *, fingerprint: str, sender_name: str,
                 code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.fingerprint = fingerprint
        self.sender_name = sender_name


class SenderKeyChanged(PackageRefused):
    code = "key_changed"


class UndoRefused(SyncError):
    """An import that cannot be undone (unknown, undone already, changed since)."""

    code = "undo_refused"
