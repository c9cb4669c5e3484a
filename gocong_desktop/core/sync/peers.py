"""The offices this one exchanges files with: communes that send packages (at
the upper office) and the upper office a commune sends to.

An office is known by its unit id, role and signing key; names are display
text. Who may register or change a key:

- a key card, on either side, is imported by an administrator only. A card
  that would change a registered key (a new key, or at a commune another upper
  office) is shown with the old and new fingerprints and taken only when
  confirmed (``replace``);
- at the upper office, a commune's first package registers its key when a
  writer compared its fingerprint with the registration sheet (``trust``);
- nothing else registers or changes a key: not a receipt, not a package.

Every registration and change is written to the audit log ("key_register",
"key_trust", "key_replace") with the unit id, the name and both fingerprints.
A known sender whose key changed is refused until its new card is imported.
Once a sender's packages came encrypted to this office it holds our key, so a
later unencrypted package from it is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from sqlmodel import Session, select

from gocong_desktop.core.db.access import require_admin
from gocong_desktop.core.db.models import AdminUnit, AuditEntry, OfficeRole, SyncPeer, utcnow
from gocong_desktop.core.errors import ConflictError, NotFoundError
from gocong_desktop.core.services.office import get_office
from gocong_desktop.core.text import fold, sort_key
from gocong_desktop.core.sync.crypto import fingerprint, same_fingerprint
from gocong_desktop.core.sync.errors import PackageRefused, SenderKeyChanged, UnknownSender
from gocong_desktop.core.sync.keys import KeyCard, bad_identity_field, read_key_card
from gocong_desktop.core.sync.ledger import imports
from gocong_desktop.core.sync.manifest import Sender

KEY_REGISTER, KEY_TRUST, KEY_REPLACE = "key_register", "key_trust", "key_replace"
_CARD_FIELDS = ("unit_code", "unit_name", "unit_type", "signing_key", "fingerprint", "encryption_key")


@dataclass(frozen=True)
class PeerInfo:
    id: str
    unit_id: str
    role: str
    unit_code: str | None
    unit_name: str
    unit_type: str
    fingerprint: str
    can_encrypt: bool  # we hold its encryption key
    confirmed_at: datetime | None

    @property
    def display_name(self) -> str:
        return f"{self.unit_type} {self.unit_name}"


def _info(peer: SyncPeer) -> PeerInfo:
    return PeerInfo(id=peer.id, unit_id=peer.unit_id, role=peer.role, unit_code=peer.unit_code,
                    unit_name=peer.unit_name, unit_type=peer.unit_type, fingerprint=peer.fingerprint,
                    can_encrypt=bool(peer.encryption_key), confirmed_at=peer.confirmed_at)


def list_peers(session: Session, *, role: str | None = None) -> list[PeerInfo]:
    stmt = select(SyncPeer) if role is None else select(SyncPeer).where(SyncPeer.role == role)
    return sorted((_info(p) for p in session.exec(stmt).all()), key=lambda p: sort_key(p.unit_name))


def find_communes(session: Session, text: str | None) -> list[PeerInfo]:
    """The communes that sent packages here, named by unit id, code or name (marks
    and case ignored); all of them without ``text``. Raises when none matches."""
    peers = [p for p in list_peers(session, role=OfficeRole.COMMUNE) if _named(p, text)]
    if not peers:
        raise NotFoundError(f"Không tìm thấy xã «{text}» trong các đơn vị đã gửi gói." if text else
                            "Chưa có xã nào gửi gói đến đây.")
    return peers


def _named(peer: PeerInfo, text: str | None) -> bool:
    if not text:
        return True
    return text in (peer.unit_id, peer.unit_code) or fold(text) in (fold(peer.unit_name), fold(peer.display_name))


def find_peer(session: Session, unit_id: str) -> SyncPeer | None:
    return session.exec(select(SyncPeer).where(SyncPeer.unit_id == unit_id)).first()


def upper_office(session: Session) -> SyncPeer | None:
    """The upper office a commune sends to (its key card or receipt imported)."""
    return session.exec(select(SyncPeer).where(SyncPeer.role == OfficeRole.UPPER)).first()


def describe(unit: Sender | SyncPeer) -> str:
    """"xã Bình Tân, mã 28318": a package's sender as it claims, or a registered peer."""
    code = f", mã {unit.unit_code}" if unit.unit_code else ""
    return f"{unit.unit_type} {unit.unit_name}{code}"


def has_sent_encrypted(session: Session, unit_id: str) -> bool:
    """True once a package of this sender came encrypted to this office (its import report says so)."""
    return any(json.loads(r.report_json or "{}").get("encrypted") for r in imports(session, unit_id=unit_id))


def check_sender(session: Session, sender: Sender, trust: Iterable[str] = (), *,
                 encrypted: bool) -> SyncPeer | None:
    """The registered peer, or None for a new sender whose fingerprint the user
    confirmed (``trust``); refuses everything else, and an unencrypted package
    (``encrypted`` False) from a sender that sent us encrypted ones. Reads only."""
    office = get_office(session)
    if sender.unit_id == office.unit_id:
        raise PackageRefused("Gói này do chính đơn vị này tạo; không nhập.", code="own_package")
    if (bad := bad_identity_field(sender.__dict__)) is not None:
        raise PackageRefused(f"Gói ghi thông tin đơn vị gửi sai dạng (trường «{bad}»); không nhập.",
                             code="bad_sender")
    if fingerprint(sender.signing_key) != sender.fingerprint:
        raise PackageRefused("Dấu vân tay khóa trong gói không khớp khóa; không nhập.", code="bad_signature")
    peer = find_peer(session, sender.unit_id)
    if peer is not None:
        _check_known(session, peer, sender, encrypted)
        return peer
    other = session.exec(select(SyncPeer).where(SyncPeer.fingerprint == sender.fingerprint)).first()
    if other is not None:
        raise SenderKeyChanged(f"Khóa trong gói đã được đăng ký cho {other.unit_type} {other.unit_name}, "
                               f"không phải {describe(sender)}. Không nhập.", code="key_reused")
    if (taken := _unit_id_taken(session, office, sender.unit_id)) is not None:
        raise PackageRefused(f"Gói ghi mã đơn vị gửi {sender.unit_id}, mà ở đây là mã của {taken}, không phải của "
                             "một xã; không nhập. Cơ sở dữ liệu chưa bị thay đổi.", code="bad_sender")
    trusted = [t for t in trust if t]
    if any(same_fingerprint(t, sender.fingerprint) for t in trusted):
        return None
    hint = " (dấu vân tay đã nhập không khớp)" if trusted else ""
    # Nothing is registered yet: the name is only what the file says; the fingerprint decides.
    raise UnknownSender(
        f"Đơn vị gửi chưa được xác nhận: gói tự ghi là của {describe(sender)} (tên do tệp tự khai, chưa kiểm "
        f"chứng), dấu vân tay {sender.fingerprint}{hint}. Hãy so dấu vân tay với phiếu đăng ký khóa của đơn vị; "
        f"nếu đúng, xác nhận một lần (--trust-sender \"{sender.fingerprint}\").",
        fingerprint=sender.fingerprint, sender_name=describe(sender))


def _check_known(session: Session, peer: SyncPeer, sender: Sender, encrypted: bool) -> None:
    if peer.signing_key != sender.signing_key:
        raise SenderKeyChanged(
            f"Gói ghi là của {describe(peer)} nhưng được ký bằng khóa khác với khóa đã đăng ký (đã đăng ký: "
            f"{peer.fingerprint}; trong gói: {sender.fingerprint}). Không nhập. Nếu đơn vị đã cài lại máy và "
            "tạo khóa mới, quản trị viên hãy so tệp khóa mới của đơn vị với phiếu đăng ký khóa mới rồi nhập "
            "(«keys import --replace» hoặc trang Đồng bộ).")
    # The key names the unit; a file naming it otherwise was not written by the app
    # (every screen and the ledger would show the file's name): refused.
    if (sender.unit_type, sender.unit_name, sender.unit_code) != (peer.unit_type, peer.unit_name, peer.unit_code):
        raise PackageRefused(
            f"Gói được ký bằng khóa đã đăng ký của {describe(peer)}, nhưng tệp mô tả lại ghi đơn vị gửi là "
            f"{describe(sender)}. Không nhập: gói đã bị sửa hoặc không do gocong_desktop tạo; cơ sở dữ liệu chưa "
            f"bị thay đổi. Hãy đề nghị {peer.unit_type} {peer.unit_name} xuất lại gói; nếu đơn vị đã đổi tên, "
            "quản trị viên hãy nhập tệp khóa mới của đơn vị (trang Đồng bộ hoặc «keys import») rồi nhập lại gói.",
            code="sender_mismatch")
    if not encrypted and has_sent_encrypted(session, peer.unit_id):
        raise PackageRefused(
            f"Gói của {peer.unit_type} {peer.unit_name} không được mã hóa, trong khi đơn vị này đã gửi gói mã hóa "
            "cho cơ quan này. Không nhập: gói có thể bị làm giả, hoặc xã đã mất khóa của cơ quan cấp trên (ví dụ "
            "khôi phục bản sao lưu cũ). Quản trị viên của xã hãy nhập lại tệp khóa của cơ quan cấp trên, rồi "
            "xuất gói mới gửi lên.", code="unencrypted")


def new_peer(sender: Sender | KeyCard, *, role: str, actor: str, encryption_key: str | None = None) -> SyncPeer:
    now = utcnow()
    return SyncPeer(unit_id=sender.unit_id, role=role, unit_code=sender.unit_code,
                    unit_name=sender.unit_name, unit_type=sender.unit_type, signing_key=sender.signing_key,
                    fingerprint=sender.fingerprint, encryption_key=encryption_key, confirmed_at=now,
                    confirmed_by=actor, created_at=now)


def key_audit(action: str, before: PeerInfo | None, after: PeerInfo, actor: str) -> AuditEntry:
    """The audit entry of a key registered (``before`` None) or changed."""
    changes = {"unit_id": [before and before.unit_id, after.unit_id],
               "unit_name": [before and before.display_name, after.display_name],
               "fingerprint": [before and before.fingerprint, after.fingerprint]}
    return AuditEntry(actor=actor, action=action, table_name="sync_peer", record_id=after.unit_id,
                      changes_json=json.dumps(changes, ensure_ascii=False))


def trusted_sender_audit(peer: SyncPeer, actor: str) -> AuditEntry:
    """A commune registered by its first package, its fingerprint confirmed by ``actor``."""
    return key_audit(KEY_TRUST, None, _info(peer), actor)


@dataclass(frozen=True)
class KeyRegistration:
    """What a key card does: register ``peer``, or (``is_change``) put it in
    place of ``previous`` — another key, or at a commune another upper office."""

    peer: PeerInfo
    previous: PeerInfo | None
    is_change: bool

    @property
    def action(self) -> str:
        return KEY_REPLACE if self.is_change else KEY_REGISTER

    def lines(self) -> list[str]:
        if not self.is_change:
            return [f"Đã đăng ký khóa của {self.peer.display_name}: {self.peer.fingerprint}"]
        return [f"Đã thay khóa đã đăng ký của {self.previous.display_name} bằng khóa của {self.peer.display_name}.",
                f"  Khóa cũ: {self.previous.fingerprint}", f"  Khóa mới: {self.peer.fingerprint}"]


class KeyChangeUnconfirmed(ConflictError):
    """A key card that would change a registered key, imported without ``replace``."""

    def __init__(self, change: KeyRegistration) -> None:
        old, new = change.previous, change.peer
        super().__init__(f"Đã đăng ký {old.display_name} với khóa {old.fingerprint}; tệp này là của "
                         f"{new.display_name} với khóa {new.fingerprint}. Chỉ thay khi đã so khóa mới với phiếu "
                         "đăng ký khóa mới của đơn vị (quản trị viên: «keys import --replace»).")
        self.change = change


def _checked_card(session: Session, path: str | Path) -> KeyCard:
    require_admin(session, "đăng ký hoặc thay khóa của đơn vị khác")  # whom packages are trusted from
    card, office = read_key_card(path), get_office(session)
    wanted = OfficeRole.UPPER if office.role == OfficeRole.COMMUNE else OfficeRole.COMMUNE
    if card.unit_id == office.unit_id:
        raise ConflictError("Đây là tệp khóa của chính đơn vị này.")
    if card.role != wanted:
        who = "cơ quan cấp trên" if wanted == OfficeRole.UPPER else "một xã"
        raise ConflictError(f"Tệp khóa của {card.display_name} không phải của {who}; không nhập.")
    other = session.exec(select(SyncPeer).where(SyncPeer.signing_key == card.signing_key,
                                                SyncPeer.unit_id != card.unit_id)).first()
    if other is not None:
        raise ConflictError(f"Khóa trong tệp ({card.fingerprint}) đã được đăng ký cho {other.unit_type} "
                            f"{other.unit_name}, không phải {card.display_name}; không nhập.")
    if (taken := _unit_id_taken(session, office, card.unit_id)) is not None:
        raise ConflictError(f"Tệp khóa ghi mã đơn vị {card.unit_id}, mà ở đây là mã của {taken}, không phải của "
                            "một xã; không nhập. Tệp khóa bị làm giả hoặc nhầm: hãy xin lại tệp khóa của xã (kèm "
                            "phiếu đăng ký khóa có chữ ký, đóng dấu).")
    return card


def _unit_id_taken(session: Session, office, unit_id: str) -> str | None:
    """At the upper office, what a commune's claimed unit id already names here, when it is
    not that commune's own row: a province, a district (ids anyone can compute from their
    names), another commune's hamlet. Registered, such an id would block every genuine
    package that carries the row (``units_guard``)."""
    if office.role != OfficeRole.UPPER:
        return None  # at a commune, the upper office's id may well be its province's reference row
    unit = session.get(AdminUnit, unit_id)
    if unit is None or (unit.level == "commune" and unit.owner_unit_id == unit_id):
        return None
    return f"{unit.unit_type} {unit.name}"


def _registered_for(session: Session, card: KeyCard) -> SyncPeer | None:
    """The registration a card would touch: its unit's, or at a commune the upper office's."""
    found = find_peer(session, card.unit_id)
    return found if found is not None or card.role != OfficeRole.UPPER else upper_office(session)


def _plan(session: Session, path: str | Path) -> tuple[KeyCard, SyncPeer | None, KeyRegistration]:
    card = _checked_card(session, path)
    existing = _registered_for(session, card)
    change = existing is not None and (existing.unit_id, existing.signing_key) != (card.unit_id, card.signing_key)
    peer = new_peer(card, role=card.role, actor="", encryption_key=card.encryption_key)
    return card, existing, KeyRegistration(peer=_info(peer), previous=existing and _info(existing), is_change=change)


def preview_key_card(session: Session, path: str | Path) -> KeyRegistration:
    """What importing the key card would do, for a confirmation with both
    fingerprints (reads only; administrators only)."""
    return _plan(session, path)[2]


def import_key_card(session: Session, path: str | Path, *, replace: bool = False,
                    actor: str | None = None) -> KeyRegistration:
    """Register the office of a key card: at the upper office a commune (its
    packages are then accepted), at a commune its upper office (packages are
    then encrypted to it, receipts checked against it). Administrators only; a
    change of a registered key needs ``replace`` (``KeyChangeUnconfirmed``
    otherwise). Audited."""
    card, existing, plan = _plan(session, path)
    if plan.is_change and not replace:
        raise KeyChangeUnconfirmed(plan)
    actor = actor or session.info.get("actor", "?")
    if existing is not None and existing.unit_id != card.unit_id:  # another upper office
        session.delete(existing)
        session.flush()
        existing = None
    peer = existing or new_peer(card, role=card.role, actor=actor)
    for name in _CARD_FIELDS:  # a re-imported card may bring a new display name, signed by the same key
        setattr(peer, name, getattr(card, name))
    peer.confirmed_at, peer.confirmed_by = utcnow(), actor
    session.add(peer)
    session.flush()
    done = KeyRegistration(peer=_info(peer), previous=plan.previous, is_change=plan.is_change)
    session.add(key_audit(done.action, plan.previous, done.peer, actor))
    return done
