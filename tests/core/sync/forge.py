"""Making bad packages on purpose: re-signed ones, and zips written byte by byte."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gocong_desktop.core.db.engine import Database
from gocong_desktop.core.sync.keys import load_office_keys


def signing_key(db: Database) -> Ed25519PrivateKey:
    with db.session() as s:
        return load_office_keys(s).signing


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, entries: dict[str, bytes] | list[tuple[str, bytes]]) -> Path:
    items = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return path


def forge(src: Path, dst: Path, key: Ed25519PrivateKey, *,
          manifest: Callable[[dict], None] | None = None,
          payload: dict[str, Callable[[bytes], bytes]] | None = None) -> Path:
    """A copy of ``src`` with payloads and manifest edited, hashes, sizes and
    counts brought in line, signed with ``key`` — so that only the edit is wrong."""
    parts = members(src)
    doc = json.loads(parts["manifest.json"])
    for name, edit in (payload or {}).items():
        parts[name] = edit(parts[name])
        entry = next(f for f in doc["files"] if f["name"] == name)
        entry.update(size=len(parts[name]), plain_size=len(parts[name]),
                     sha256=hashlib.sha256(parts[name]).hexdigest(),
                     records=parts[name].count(b"\n"))
        doc["counts"][entry["kind"]] = entry["records"]
    if manifest:
        manifest(doc)
    raw = json.dumps(doc, ensure_ascii=False).encode()
    parts["manifest.json"], parts["manifest.sig"] = raw, key.sign(raw)
    return write_zip(dst, parts)


def edit_lines(edit: Callable[[list[dict]], None]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        rows = [json.loads(line) for line in data.decode().splitlines()]
        edit(rows)
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    return apply


_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


def raw_zip(path: Path, entries: list[dict]) -> Path:
    """A zip written by hand. Each entry: name, data (as stored), and optionally
    method (0 or 8), size (declared uncompressed size), crc, offset (where the
    central directory says the local header is: to make entries overlap), needed
    (the "version needed to extract") and cd_extra (an extra field in the central
    directory, e.g. a zip64 one)."""
    body, central = bytearray(), bytearray()
    for e in entries:
        name = e["name"].encode()
        method, data = e.get("method", 0), e["data"]
        plain = e.get("plain", data)
        size, crc = e.get("size", len(plain)), e.get("crc", zlib.crc32(plain))
        offset = len(body)
        if not e.get("no_local"):
            body += _LOCAL.pack(b"PK\x03\x04", 20, 0x800, method, 0, 0x21, crc, len(data), size, len(name), 0)
            body += name + data
        extra = e.get("cd_extra", b"")
        central += _CENTRAL.pack(b"PK\x01\x02", 20, e.get("needed", 20), 0x800, method, 0, 0x21, crc, len(data),
                                 size, len(name), len(extra), 0, 0, 0, 0, e.get("offset", offset)) + name + extra
    n = len(entries)
    path.write_bytes(bytes(body) + bytes(central) + _END.pack(b"PK\x05\x06", 0, 0, n, n, len(central), len(body), 0))
    return path


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()
