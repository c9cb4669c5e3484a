"""Vietnamese text helpers: normalisation, search folding, sorting, dates, phone and CCCD.

Standard library only, so services, the CLI and the tests share one implementation
(see DOMAIN.md §3). Everything that stores or compares text goes through here.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata

from gocong_desktop.core.errors import ValidationError

# --------------------------------------------------------------------------- normalising


# Invisible characters pasted with a text (Word, Zalo, web pages): a zero-width space
# stands for a space; the joiners, the soft hyphen and a byte-order mark are nothing.
# Left in, a name of them alone passed for filled in and printed blank.
_INVISIBLE = str.maketrans({"\u200b": " ", "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
                            "\u00ad": None})


def nfc(s: str | None) -> str | None:
    """NFC with whitespace collapsed and invisible characters taken out: keyboards differ
    (Unikey vs. NFD) and names get typed with double spaces; both must compare equal once stored."""
    if s is None:
        return None
    return " ".join(unicodedata.normalize("NFC", s.translate(_INVISIBLE)).split())  # out first: they block composing


def nfc_multiline(s: str | None) -> str | None:
    """NFC for notes/minutes: line breaks kept (as "\\n"), trailing blanks and invisible
    characters removed."""
    if s is None:
        return None
    lines = re.split(r"\r\n|\r|\n", unicodedata.normalize("NFC", s.translate(_INVISIBLE)))
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


# --------------------------------------------------------------------------- searching


def one_line(value: str, limit: int | None = None) -> str:
    """Crafted text as a message may quote it: on one line, with no control or direction
    characters to rearrange what is read around it (each shown as «?»; a wide or
    non-breaking space as a space). Cut to ``limit`` characters."""
    return "".join(" " if unicodedata.category(ch) == "Zs" else "?" if unicodedata.category(ch)[0] in "CZ" else ch
                   for ch in value[:limit])


def fold(s: str | None) -> str:
    """Search key: no case, no marks, đ→d (đ has no decomposition, so map it by hand).

    Starting from NFC makes the result identical for NFC and NFD input."""
    if not s:
        return ""
    lowered = unicodedata.normalize("NFC", s).lower()
    bare = "".join(ch for ch in unicodedata.normalize("NFD", lowered)
                   if unicodedata.category(ch) != "Mn")
    return " ".join(bare.replace("đ", "d").split())


def search_tokens(query: str) -> list[str]:
    """Folded words of a query; each must appear in the folded target."""
    return fold(query).split()


def phrase_at_word_start(query: str, *texts: str | None) -> bool:
    """The folded query, as one phrase, starts at a word of one of ``texts``: the
    in-memory twin of the SQL search (services.common.folded_match). An empty
    query matches everything."""
    phrase = " ".join(search_tokens(query))
    return not phrase or any(f" {phrase}" in f" {fold(text)}" for text in texts if text)


def slug_ascii(s: str) -> str:
    """ASCII file-name part: "Biên bản số 3" → "bien-ban-so-3"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(s)).strip("-")


# --------------------------------------------------------------------------- sorting
# A key is <primary units> SEP <one tone digit per syllable>. Keys are compared as plain
# strings (SQLite BINARY = code point order), so every unit code is chosen for its rank.

VIETNAMESE_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # plus f j w z in their Latin places
_SEP = "!"      # ends a level; below every unit, so "An" < "Anh"
_SPACE = '"'    # word break: "An Bình" < "Anh"
_SYMBOL = "#"   # + the char itself: punctuation sorts before digits, by code point
# Digit runs: chr(0x30 + significant length) + digits, so "Tổ 2" < "Tổ 10" (0x31..0x40).
_LETTER = {ch: chr(0x41 + i) for i, ch in enumerate(_ALPHABET)}  # 0x41..0x61
_OTHER = "~"    # + the letter: non-Latin letters after z
_MAX_DIGITS = 0x40 - 0x30

_MODIFIED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
             ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# ngang (no mark) "0" < huyền < hỏi < ngã < sắc < nặng
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def _clusters(s: str) -> list[tuple[str, list[str]]]:
    """(base char, its combining marks) from lower-cased NFD; marks without a base dropped."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", s).lower())
    out: list[tuple[str, list[str]]] = []
    for ch in decomposed:
        if unicodedata.category(ch).startswith("M"):
            if out:
                out[-1][1].append(ch)
        else:
            out.append((ch, []))
    return out


def _digit_unit(digits: str) -> str:
    significant = digits.lstrip("0") or "0"
    return chr(0x30 + min(len(significant), _MAX_DIGITS)) + significant


def _levels(s: str) -> tuple[str, str]:
    """(primary, tones) of a string; tones hold one digit per letter run (syllable),
    so tone placement ("hoà"/"hòa") does not matter."""
    primary: list[str] = []
    tones: list[str] = []
    digits = ""
    in_word = False
    for base, marks in _clusters(s):
        if "0" <= base <= "9":
            digits += base
            in_word = False
            continue
        if digits:
            primary.append(_digit_unit(digits))
            digits = ""
        category = unicodedata.category(base)
        if base.isspace():
            if primary and primary[-1] != _SPACE:
                primary.append(_SPACE)
            in_word = False
        elif category in ("Cc", "Cf"):
            continue  # invisible: controls, soft hyphens, zero-width joiners
        elif category.startswith("L"):
            letter = next((_MODIFIED[(base, m)] for m in marks if (base, m) in _MODIFIED), base)
            primary.append(_LETTER.get(letter) or _OTHER + letter)
            if not in_word:
                tones.append("0")
                in_word = True
            tone = next((_TONES[m] for m in marks if m in _TONES), None)
            if tone and tones[-1] == "0":
                tones[-1] = tone
        else:
            primary.append(_SYMBOL + base)
            in_word = False
    if digits:
        primary.append(_digit_unit(digits))
    if primary and primary[-1] == _SPACE:
        primary.pop()
    return "".join(primary), "".join(tones)


def sort_key(s: str) -> str:
    """Key giving Vietnamese dictionary order under binary comparison: letters first
    (ă â đ ê ô ơ ư are letters of their own), tones only break ties; case ignored."""
    primary, tones = _levels(s or "")
    return primary + _SEP + tones


def person_sort_key(full_name: str) -> str:
    """People sort by given name (last word), then family name (first), then middle.

    Each part is compared fully (tones included) before the next, so everyone named
    "An" comes before anyone named "Án", whatever their family name. Concatenating the
    parts' keys is safe: unequal keys always differ before either one ends."""
    words = (nfc(full_name) or "").split()
    given = words[-1] if words else ""
    family = words[0] if len(words) > 1 else ""
    middle = " ".join(words[1:-1])
    return _SEP.join(sort_key(part) for part in (given, family, middle))


def capitalize_name(s: str) -> str:
    """"nguyễn văn ba" → "Nguyễn Văn Ba": every syllable of a name is capitalised."""
    words = (nfc(s) or "").split(" ")
    return unicodedata.normalize("NFC", " ".join(w[:1].upper() + w[1:].lower() for w in words))


# --------------------------------------------------------------------------- dates


def date_words(d: _dt.date) -> str:
    """"ngày 05 tháng 01 năm 2024": Nghị định 30/2020 pads days < 10 and months 1-2
    so "tháng 1" cannot later be turned into "tháng 11"."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: _dt.date) -> str:
    """The "Bình Tân, ngày 15 tháng 3 năm 2024" line under a document's heading."""
    place = nfc(place) or ""
    return f"{place}, {date_words(d)}" if place else date_words(d).capitalize()


def time_words(t: _dt.time) -> str:
    """24-hour time as written in minutes: "07 giờ 05 phút"."""
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


def format_date(d: _dt.date | None) -> str:
    """dd/mm/yyyy, the on-screen form."""
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


_DMY = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_date(s: str) -> _dt.date:
    """Day-first dates ("5/1/2024", "05-01-2024") or ISO "2024-01-05"."""
    text = (s or "").strip()
    if m := _DMY.fullmatch(text):
        day, month, year = m.group(1), m.group(3), m.group(4)
    elif m := _ISO.fullmatch(text):
        year, month, day = m.groups()
    else:
        day = month = year = ""
    try:
        return _dt.date(int(year), int(month), int(day))
    except ValueError:  # no match (int("")) or no such day (31/02)
        raise ValidationError(f"Ngày «{text}» không hợp lệ. Hãy nhập theo dạng "
                              "ngày/tháng/năm, ví dụ 05/01/2024.") from None


# --------------------------------------------------------------------------- phone, CCCD

_PHONE_PUNCTUATION = re.compile(r"[\s.()\-\u2010-\u2015]")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")


def normalize_phone(s: str) -> str:
    """Digits only, in the domestic form: "+84 91 234 5678" → "0912345678"."""
    phone = _PHONE_PUNCTUATION.sub("", s or "")
    if phone.startswith("+84"):
        rest = phone[3:]
        return "0" + (rest[1:] if rest.startswith("0") else rest)  # "+84 (0) 91…"
    if phone.startswith("84") and len(phone) in (11, 12) and phone.isascii() and phone.isdigit():
        return "0" + phone[2:]
    return phone


def phone_error(s: str) -> str | None:
    """None when empty (optional) or valid; otherwise a message for the user."""
    phone = normalize_phone(s)
    if not phone or _MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone):
        return None
    return (f"Số điện thoại «{(s or '').strip()}» không hợp lệ: số di động gồm 10 chữ số, "
            "bắt đầu bằng 03, 05, 07, 08 hoặc 09; số cố định gồm 11 chữ số, bắt đầu bằng 02.")


# Province-of-birth codes (Thông tư 07/2016/TT-BCA): 001 Hà Nội … 096 Cà Mau.
PROVINCE_CODES = frozenset("""
    001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033
    034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066
    067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096
""".split())


def citizen_id_error(s: str) -> str | None:
    """Structure of a CCCD: province code + gender/century digit + year + 6 digits.

    Inner spaces are rejected rather than guessed away: the number is copied from the
    card, and a stray space often means a digit was missed."""
    cid = (s or "").strip()
    if not cid:
        return None
    if not (cid.isascii() and cid.isdigit()):
        return "Số CCCD chỉ gồm chữ số viết liền, không có dấu cách hay ký tự khác."
    if len(cid) != 12:
        return f"Số CCCD phải có đúng 12 chữ số (đang có {len(cid)})."
    if cid[:3] not in PROVINCE_CODES:
        return f"Ba chữ số đầu của số CCCD ({cid[:3]}) không phải mã tỉnh, thành phố hợp lệ."
    if cid[3] > "5":
        return "Chữ số thứ tư của số CCCD (giới tính và thế kỷ sinh) phải từ 0 đến 5."
    return None


def mask_citizen_id(s: str) -> str:
    """"•••••••••234": enough to tell records apart on screen without exposing the ID."""
    cid = (s or "").strip()
    return "•" * max(len(cid) - 3, 0) + cid[-3:] if cid else ""


def format_int(n: int) -> str:
    """Vietnamese digit grouping: 1.470, 50.000."""
    return f"{n:,}".replace(",", ".")


def format_decimal(value: float, digits: int = 2) -> str:
    """Vietnamese decimal comma, no trailing zeros: 82, 82,5."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_percent(value: float, digits: int = 1) -> str:
    """Vietnamese decimal comma: 90,5%."""
    return f"{value:.{digits}f}".replace(".", ",") + "%"
