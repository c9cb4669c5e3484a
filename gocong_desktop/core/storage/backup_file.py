"""The backup file of an encrypted database: its slot table and the encrypted copy, in one file.

One file, so that a backup copied to a USB stick by hand, or to the second
backup folder, always travels with the slots that open it (the passwords and
recovery codes valid when it was made). Layout::

    MAGIC (16 bytes) | table length (4 bytes, big-endian) | slot table (JSON) | database (SQLCipher)

The database part is encrypted with a key of the backup's own, sealed to every
slot of its day and with the live file's key (``SlotTable.for_backup``); it is
never decrypted into a file: reading a backup extracts the still-encrypted copy
to a temporary file and opens it with that key.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from gocong_desktop.core.errors import DatabaseError
from gocong_desktop.core.sqlite.key_slots import MAX_BYTES, SlotTable, parse_table, sync_folder, write_table

MAGIC = b"GOCONG-SAO-LUU\x00\x01"
EXTENSION = ".gcbak"
_LENGTH = struct.Struct(">I")
_CHUNK = 1 << 20


class BackupFileError(DatabaseError):
    """Not a backup file of ours, or a damaged one."""


def is_backup_file(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def pack(database: Path, table: SlotTable, target: Path) -> None:
    """Write ``target`` from an encrypted database copy and its slot table (fsynced)."""
    header = table.to_bytes()
    with open(target, "wb") as out, open(database, "rb") as src:
        out.write(MAGIC + _LENGTH.pack(len(header)) + header)
        shutil.copyfileobj(src, out, _CHUNK)
        out.flush()
        os.fsync(out.fileno())


def _header(fh, shown: str) -> SlotTable:
    bad = BackupFileError(f"Tệp «{shown}» không phải bản sao lưu của gocong_desktop hoặc đã bị hỏng.")
    if fh.read(len(MAGIC)) != MAGIC:
        raise bad
    raw = fh.read(_LENGTH.size)
    if len(raw) != _LENGTH.size:
        raise bad
    (length,) = _LENGTH.unpack(raw)
    if not 0 < length <= MAX_BYTES:
        raise bad
    data = fh.read(length)
    if len(data) != length:
        raise bad
    return parse_table(data, shown=shown)


def read_slots(path: str | Path) -> SlotTable:
    """The slot table a backup carries (bounded read; refused by name when damaged)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            return _header(fh, path.name)
    except OSError as exc:
        raise BackupFileError(f"Không đọc được bản sao lưu «{path}» ({exc.strerror or exc}).") from exc


def extract(path: str | Path, database: Path, *, with_slots: bool = True) -> SlotTable:
    """Copy the encrypted database out of the backup at ``path`` to ``database``
    (and its slot table beside it, ``with_slots``). Still encrypted: nothing plain is written."""
    path = Path(path)
    with open(path, "rb") as fh:
        table = _header(fh, path.name)
        with open(database, "wb") as out:
            shutil.copyfileobj(fh, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
    if with_slots:
        write_table(database, table.as_live())
    sync_folder(database.parent)
    return table


@contextmanager
def extracted(path: str | Path) -> Iterator[tuple[Path, SlotTable]]:
    """The backup's database in a temporary file (encrypted as in the backup), removed after."""
    with tempfile.TemporaryDirectory(prefix="gocong-sao-luu-") as folder:
        database = Path(folder) / "du-lieu.db"
        table = extract(path, database, with_slots=True)
        yield database, table
