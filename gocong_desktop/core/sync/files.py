"""Putting a finished file on a USB stick or in a folder without ever overwriting:
copied beside its final name as ``.part``, synced to disk, then renamed to a
name that did not exist (``…-000012.gcsync``, or ``…-000012-2.gcsync``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from gocong_desktop.core.errors import UserError, os_reason

CHUNK = 1024 * 1024


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates(folder: Path, name: str):
    stem, dot, ext = name.partition(".")
    yield folder / name
    for n in range(2, 1000):
        yield folder / f"{stem}-{n}{dot}{ext}"


def _copy_synced(src: Path, part: Path) -> None:
    with open(src, "rb") as fin, open(part, "xb") as fout:
        shutil.copyfileobj(fin, fout, CHUNK)
        fout.flush()
        os.fsync(fout.fileno())


def _rename_new(part: Path, target: Path) -> bool:
    """Rename without replacing: False when ``target`` appeared meanwhile."""
    try:
        os.link(part, target)  # fails if target exists, atomically
    except FileExistsError:
        return False
    except OSError:  # no hard links (FAT32/exFAT sticks): check, then rename
        if target.exists():
            return False
        os.rename(part, target)  # on Windows this too refuses an existing target
        return True
    part.unlink()
    return True


def place_file(src: Path, folder: str | Path, name: str) -> Path:
    """Copy ``src`` into ``folder`` under ``name`` (or a new variant of it)."""
    folder = Path(folder).expanduser()
    if folder.is_file():
        raise UserError(f"«{folder}» là một tệp, không phải thư mục: hãy cho thư mục để ghi vào "
                        "(ví dụ ổ USB), chương trình tự đặt tên tệp.")
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục «{folder}». Hãy cắm USB hoặc chọn thư mục khác.")
    try:
        for target in _candidates(folder, name):
            if target.exists():
                continue
            part = target.with_name(target.name + ".part")
            part.unlink(missing_ok=True)  # a stale part of ours from an interrupted copy
            try:
                _copy_synced(src, part)
                if _rename_new(part, target):
                    fsync_dir(folder)
                    return target
            finally:
                part.unlink(missing_ok=True)
    except OSError as exc:
        raise UserError(f"Không ghi được tệp vào «{folder}»: {os_reason(exc)}. Hãy kiểm tra "
                        "USB (còn chỗ trống, không bị khóa ghi) rồi thử lại.") from exc
    raise UserError(f"Thư mục «{folder}» đã có quá nhiều tệp tên «{name}».")


def temp_file(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix="gocong-", suffix=suffix)
    os.close(fd)
    return Path(name)


def write_new_file(folder: str | Path, name: str, data: bytes) -> Path:
    """Small files (receipts, key cards): the same never-overwrite placement."""
    tmp = temp_file(".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        return place_file(tmp, folder, name)
    finally:
        tmp.unlink(missing_ok=True)


def read_small_file(path: str | Path, *, limit: int, what: str) -> bytes:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise UserError(f"Không đọc được {what} «{path}»: {os_reason(exc)}.") from exc
    if len(data) > limit:
        raise UserError(f"Tệp «{path.name}» quá lớn, không phải {what}.")
    return data
