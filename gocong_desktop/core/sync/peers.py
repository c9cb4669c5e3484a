"""The offices this one exchanges files with: communes that send packages (at
the upper office) and the upper office a commune sends to.

An unknown sender is accepted only after a person compared its fingerprint with
the registration sheet (``trust``) or imported its key card; a known sender
whose key changed is refused until its new key card is imported on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from sqlmodel import Session, select

from ..db.access import require_admin
from ..db.models import OfficeRole, SyncPeer, utcnow
from ..errors import ConflictError
from ..services.office import get_office
from ..text import sort_key
from .crypto import fingerprint, same_fingerprint
from .errors import PackageRefused, SenderKeyChanged, UnknownSender
from .keys import KeyCard, read_key_card
from .manifest import Sender


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


def find_peer(session: Session, unit_id: str) -> SyncPeer | None:
    return session.exec(select(SyncPeer).where(SyncPeer.unit_id == unit_id)).first()


def upper_office(session: Session) -> SyncPeer | None:
    """The upper office a commune sends to (its key card or receipt imported)."""
    return session.exec(select(SyncPeer).where(SyncPeer.role == OfficeRole.UPPER)).first()


def describe(sender: Sender) -> str:
    code = f", mã {sender.unit_code}" if sender.unit_code else ""
    return f"{sender.display_name}{code}"


def check_sender(session: Session, sender: Sender, trust: Iterable[str] = ()) -> SyncPeer | None:
    """The registered peer, or None for a new sender whose fingerprint the user
    confirmed (``trust``); refuses everything else. Reads only."""
    if sender.unit_id == get_office(session).unit_id:
        raise PackageRefused("Gói này do chính đơn vị này tạo; không nhập.", code="own_package")
    if fingerprint(sender.signing_key) != sender.fingerprint:
        raise PackageRefused("Dấu vân tay khóa trong gói không khớp khóa; không nhập.", code="bad_signature")
    peer = find_peer(session, sender.unit_id)
    if peer is not None:
        if peer.signing_key != sender.signing_key:
            raise SenderKeyChanged(
                f"Gói của {describe(sender)} được ký bằng khóa khác với khóa đã đăng ký (đã đăng ký: "
                f"{peer.fingerprint}; trong gói: {sender.fingerprint}). Không nhập. Nếu đơn vị đã cài lại "
                "máy và tạo khóa mới, hãy nhận tệp khóa mới của đơn vị rồi nhập bằng «keys import --replace».")
        return peer
    other = session.exec(select(SyncPeer).where(SyncPeer.fingerprint == sender.fingerprint)).first()
    if other is not None:
        raise SenderKeyChanged(f"Khóa trong gói đã được đăng ký cho {other.unit_type} {other.unit_name}, "
                               f"không phải {describe(sender)}. Không nhập.", code="key_reused")
    trusted = [t for t in trust if t]
    if any(same_fingerprint(t, sender.fingerprint) for t in trusted):
        return None
    hint = " (dấu vân tay đã nhập không khớp)" if trusted else ""
    raise UnknownSender(
        f"Đơn vị gửi chưa được xác nhận: {describe(sender)}, dấu vân tay {sender.fingerprint}{hint}. Hãy so "
        "với phiếu đăng ký khóa của đơn vị; nếu đúng, xác nhận một lần (--trust-sender "
        f"\"{sender.fingerprint}\").", fingerprint=sender.fingerprint, sender_name=sender.display_name)


def new_peer(sender: Sender | KeyCard, *, role: str, actor: str, encryption_key: str | None = None) -> SyncPeer:
    now = utcnow()
    return SyncPeer(unit_id=sender.unit_id, role=role, unit_code=sender.unit_code,
                    unit_name=sender.unit_name, unit_type=sender.unit_type, signing_key=sender.signing_key,
                    fingerprint=sender.fingerprint, encryption_key=encryption_key, confirmed_at=now,
                    confirmed_by=actor, created_at=now)


def import_key_card(session: Session, path: str | Path, *, replace: bool = False,
                    actor: str | None = None) -> PeerInfo:
    """Register the office of a key card: at the upper office a commune (its
    packages are then accepted), at a commune its upper office (packages are
    then encrypted to it). A different key for a registered office, or a
    different upper office, needs ``replace``."""
    require_admin(session, "đăng ký tệp khóa của đơn vị khác")  # who packages are trusted from
    card, actor = read_key_card(path), actor or session.info.get("actor", "?")
    office = get_office(session)
    wanted = OfficeRole.UPPER if office.role == OfficeRole.COMMUNE else OfficeRole.COMMUNE
    if card.unit_id == office.unit_id:
        raise ConflictError("Đây là tệp khóa của chính đơn vị này.")
    if card.role != wanted:
        who = "cơ quan cấp trên" if wanted == OfficeRole.UPPER else "một xã"
        raise ConflictError(f"Tệp khóa của {card.display_name} không phải của {who}; không nhập.")
    existing = find_peer(session, card.unit_id)
    if wanted == OfficeRole.UPPER and existing is None:
        existing = upper_office(session)
    if existing is not None and existing.signing_key != card.signing_key or \
            existing is not None and existing.unit_id != card.unit_id:
        if not replace:
            raise ConflictError(f"Đã đăng ký {existing.unit_type} {existing.unit_name} với khóa "
                                f"{existing.fingerprint}; tệp này có khóa {card.fingerprint}. Chỉ thay khi "
                                "chắc chắn đơn vị đã đổi khóa (dùng --replace).")
    if existing is not None:
        session.delete(existing)
        session.flush()
    peer = new_peer(card, role=card.role, actor=actor, encryption_key=card.encryption_key)
    if existing is not None and existing.unit_id == card.unit_id:
        peer.links_sequence = existing.links_sequence
    session.add(peer)
    session.flush()
    return _info(peer)
