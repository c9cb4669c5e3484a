"""Reading a zip someone handed us, with our own limits.

``zipfile`` parses the central directory; member data is read here: the local
header is checked against the directory, the compressed bytes are inflated with
a hard cap (a member that inflates beyond its declared size is refused as a zip
bomb), and the CRC is checked. Members must not overlap (the overlapping-entry
bomb, CVE-2024-0450, which Python 3.11.7's zipfile does not detect), names must
be plain relative paths, and no name may appear twice.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import PackageRefused

_LOCAL = struct.Struct("<4s5H3L2H")  # local file header, 30 bytes
_LOCAL_SIG = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_members: int = 64
    max_member_size: int = 512 * 1024 * 1024  # after inflating
    max_total_size: int = 2 * 1024 * 1024 * 1024


LIMITS = Limits()


def _damaged(path: Path, why: str) -> PackageRefused:
    return PackageRefused(f"Tệp «{path.name}» bị hỏng hoặc bị cắt cụt ({why}); có thể tệp chưa chép "
                          "xong. Hãy chép lại tệp từ nơi gửi.", code="damaged")


def _unsafe(path: Path, why: str, code: str = "unsafe") -> PackageRefused:
    return PackageRefused(f"Tệp «{path.name}» bị từ chối vì không an toàn: {why}.", code=code)


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
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
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
        total = 0
        spans = []
        for name, info in self._infos.items():
            if info.flag_bits & 0x1:
                raise _unsafe(self.path, f"phần «{name}» được đặt mật khẩu zip")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _unsafe(self.path, f"phần «{name}» nén theo cách không hỗ trợ")
            if info.file_size > self.limits.max_member_size:
                raise _unsafe(self.path, f"phần «{name}» quá lớn ({info.file_size} byte; bom nén?)",
                              code="zip_bomb")
            total += info.file_size
            start, data_start = info.header_offset, self._data_offset(info)
            spans.append((start, data_start + info.compress_size, name))
        if total > self.limits.max_total_size:
            raise _unsafe(self.path, "tổng dung lượng giải nén quá lớn (bom nén?)", code="zip_bomb")
        spans.sort()
        for (_s1, end1, n1), (s2, _e2, _n2) in zip(spans, spans[1:]):
            if s2 < end1:
                raise _unsafe(self.path, f"các phần chồng lên nhau từ «{n1}» (bom nén)", code="zip_bomb")
        if spans and spans[-1][1] > self._start_dir:
            raise _damaged(self.path, "dữ liệu tràn vào mục lục")

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
        """The member's bytes, never more than its declared size (nor ``max_size``)."""
        info = self._infos[name]
        limit = min(info.file_size, self.limits.max_member_size,
                    max_size if max_size is not None else info.file_size)
        if info.file_size > limit:
            raise _unsafe(self.path, f"phần «{name}» lớn hơn kích thước khai báo (bom nén?)", code="zip_bomb")
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
