"""Reading a zip someone handed us, with our own limits.

``zipfile`` parses the central directory; member data is read here: the local
header is checked against the directory, the compressed bytes are inflated with
a hard cap (a member that inflates beyond its declared size is refused as a zip
bomb), and the CRC is checked. Members must not overlap (the overlapping-entry
bomb, CVE-2024-0450, which Python 3.11.7's zipfile does not detect), names must
be plain relative paths, and no name may appear twice.

Opening checks the structure only (names, offsets, overlaps): sizes are judged
when a member is about to be read (``read``, or ``check_sizes`` for a set of
members), so a package's payloads are not even looked at before its signed
manifest says who sent it. A file damaged in a way ``zipfile`` does not expect
(a negative offset, an unknown zip version...) is refused as damaged.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from gocong_desktop.core.sync.errors import PackageRefused

_LOCAL = struct.Struct("<4s5H3L2H")  # local file header, 30 bytes
_LOCAL_SIG = b"PK\x03\x04"


# Sized for a commune of up to 50,000 households: its biggest member, attendance
# (~400 bytes a row, JSON Lines), holds 600,000 rows in 256 MB — quarterly
# meetings of every household for three years; other members are far smaller.
# JSON Lines deflate about 10:1 (measured on demo data); deflate itself reaches
# 1,032:1, so a ratio over 100 is a bomb, not data. Small members are exempt
# from the ratio (a few kilobytes of zeros harm no one).
@dataclass(frozen=True)
class Limits:
    max_members: int = 64
    max_member_size: int = 256 * 1024 * 1024  # after inflating
    max_total_size: int = 1024 * 1024 * 1024  # of the members read together
    max_ratio: int = 100  # inflated size / compressed size
    ratio_floor: int = 1024 * 1024  # members smaller than this are not held to the ratio


LIMITS = Limits()
# What reading a damaged or crafted file can raise besides our own refusals:
# zipfile's parser and the OS (a negative or huge offset, an unknown zip version,
# a truncated field, a file unplugged with its USB stick).
DAMAGE_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, zlib.error, OverflowError,
                 KeyError, IndexError)


def _damaged(path: Path, why: str) -> PackageRefused:
    return PackageRefused(f"Tệp «{path.name}» bị hỏng hoặc bị cắt cụt ({why}); có thể tệp chưa chép "
                          "xong. Hãy chép lại tệp từ nơi gửi.", code="damaged")


def _unsafe(path: Path, why: str, code: str = "unsafe") -> PackageRefused:
    return PackageRefused(f"Tệp «{path.name}» bị từ chối vì không an toàn: {why}.", code=code)


def human_size(n: int) -> str:
    """1.536 byte -> "1,5 KB" (Vietnamese decimal comma)."""
    if n < 1024:
        return f"{n} byte"
    value, unit = next((n / 1024 ** k, u) for k, u in ((3, "GB"), (2, "MB"), (1, "KB")) if n >= 1024 ** k)
    return f"{value:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"


def unsafe_name(name: str) -> bool:
    parts = name.split("/")
    return (not name or name.startswith("/") or "\\" in name or "\x00" in name
            or (len(name) > 1 and name[1] == ":") or any(p in ("", ".", "..") for p in parts))


class SafeZip:
    """An opened package zip whose structure has been checked."""

    def __init__(self, path: Path, limits: Limits = LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self._file = open(self.path, "rb")
        try:
            self._infos = self._directory()
            self._check_layout()
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def size_of(self, name: str) -> int:
        return self._infos[name].file_size

    def _directory(self) -> dict[str, zipfile.ZipInfo]:
        head = self._file.read(4)
        if head != _LOCAL_SIG:
            raise PackageRefused(f"Tệp «{self.path.name}» không phải gói đồng bộ (.gcsync): "
                                 "không phải tệp nén zip.", code="not_zip")
        self._file.seek(0)
        try:
            with zipfile.ZipFile(self._file) as zf:
                infos, start_dir = zf.infolist(), zf.start_dir
        except (*DAMAGE_ERRORS, RuntimeError) as exc:  # RuntimeError: zipfile's "zip file version 9.9"
            raise _damaged(self.path, "không đọc được mục lục zip") from exc
        self._start_dir = start_dir
        if len(infos) > self.limits.max_members:
            raise _unsafe(self.path, f"có {len(infos)} phần, quá nhiều")
        found: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        for info in infos:
            name = info.filename
            if unsafe_name(name) or info.orig_filename != name:
                raise _unsafe(self.path, f"tên phần «{name[:80]}» là đường dẫn tuyệt đối hoặc có «..»",
                              code="unsafe_name")
            if name in found or name.casefold() in folded:
                raise _unsafe(self.path, f"phần «{name[:80]}» xuất hiện hai lần", code="duplicate_member")
            found[name] = info
            folded.add(name.casefold())
        return found

    def _check_layout(self) -> None:
        """Structure only: what each member is and where it lies, never how big it inflates."""
        spans = []
        for name, info in self._infos.items():
            if info.flag_bits & 0x1:
                raise _unsafe(self.path, f"phần «{name}» được đặt mật khẩu zip")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _unsafe(self.path, f"phần «{name}» nén theo cách không hỗ trợ")
            if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
                raise _damaged(self.path, f"phần «{name}» khai báo hai kích thước khác nhau")
            if not 0 <= info.header_offset < self._start_dir:  # also what a seek could not reach
                raise _damaged(self.path, f"vị trí phần «{name}» nằm ngoài tệp")
            start, data_start = info.header_offset, self._data_offset(info)
            spans.append((start, data_start + info.compress_size, name))
        spans.sort()
        for (_s1, end1, n1), (s2, _e2, _n2) in zip(spans, spans[1:]):
            if s2 < end1:
                raise _unsafe(self.path, f"các phần chồng lên nhau từ «{n1}» (bom nén)", code="zip_bomb")
        if spans and spans[-1][1] > self._start_dir:
            raise _damaged(self.path, "dữ liệu tràn vào mục lục")

    def check_sizes(self, names: Iterable[str]) -> None:
        """Before inflating any of ``names``: each within its size and ratio, all
        together within the total."""
        total = 0
        for name in names:
            self._check_size(name, self.limits.max_member_size)
            total += self._infos[name].file_size
        if total > self.limits.max_total_size:
            raise _unsafe(self.path, f"tổng dung lượng giải nén quá lớn ({human_size(total)}, giới hạn "
                                     f"{human_size(self.limits.max_total_size)}; bom nén?)", code="zip_bomb")

    def _check_size(self, name: str, cap: int) -> None:
        info = self._infos[name]
        if info.file_size > cap:
            raise _unsafe(self.path, f"phần «{name}» quá lớn ({human_size(info.file_size)}, giới hạn "
                                     f"{human_size(cap)}; bom nén?)", code="zip_bomb")
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > self.limits.ratio_floor and ratio > self.limits.max_ratio:
            raise _unsafe(self.path, f"phần «{name}» có tỉ lệ nén bất thường ({ratio}:1, giới hạn "
                                     f"{self.limits.max_ratio}:1; bom nén)", code="zip_bomb")

    def _data_offset(self, info: zipfile.ZipInfo) -> int:
        self._file.seek(info.header_offset)
        raw = self._file.read(_LOCAL.size)
        if len(raw) != _LOCAL.size:
            raise _damaged(self.path, f"thiếu phần «{info.filename}»")
        sig, *_mid, name_len, extra_len = _LOCAL.unpack(raw)
        if sig != _LOCAL_SIG:
            raise _damaged(self.path, f"đầu phần «{info.filename}» sai")
        name = self._file.read(name_len)
        if name.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace") != info.filename:
            raise _unsafe(self.path, f"tên phần «{info.filename[:80]}» không khớp mục lục", code="unsafe_name")
        return info.header_offset + _LOCAL.size + name_len + extra_len

    def read(self, name: str, *, max_size: int | None = None) -> bytes:
        """The member's bytes, never more than its declared size; refused before
        inflating when over ``max_size`` (default: the member cap) or the ratio."""
        info = self._infos[name]
        self._check_size(name, self.limits.max_member_size if max_size is None else max_size)
        limit = info.file_size  # inflating stops one byte past it
        self._file.seek(self._data_offset(info))
        raw = self._file.read(info.compress_size)
        if len(raw) != info.compress_size:
            raise _damaged(self.path, f"phần «{name}» bị thiếu dữ liệu")
        if info.compress_type == zipfile.ZIP_STORED:
            data = raw
        else:
            inflater = zlib.decompressobj(-15)
            try:
                data = inflater.decompress(raw, limit + 1)
            except zlib.error as exc:
                raise _damaged(self.path, f"phần «{name}» giải nén lỗi") from exc
            if len(data) > limit or inflater.unconsumed_tail:
                raise _unsafe(self.path, f"phần «{name}» giải nén ra lớn hơn kích thước khai báo (bom nén)",
                              code="zip_bomb")
            if not inflater.eof or inflater.unused_data:  # a stream that does not end where it should
                raise _damaged(self.path, f"phần «{name}» có dữ liệu nén không trọn vẹn")
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise _damaged(self.path, f"phần «{name}» sai kích thước hoặc mã kiểm tra CRC")
        return data
