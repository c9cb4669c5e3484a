"""Tests for gocong_desktop.core.text (DOMAIN.md §3: Vietnamese text, done right)."""

from __future__ import annotations

import datetime as dt
import re
from tests import app_sqlite as sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.text import (
    PROVINCE_CODES,
    capitalize_name,
    citizen_id_error,
    date_words,
    fold,
    format_date,
    mask_citizen_id,
    nfc,
    nfc_multiline,
    normalize_phone,
    parse_date,
    person_sort_key,
    phone_error,
    place_date_line,
    search_tokens,
    slug_ascii,
    sort_key,
    time_words,
)

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # ngang … nặng
VOWELS = "aăâeêioôơuưy"


def NFC(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def NFD(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# Every Vietnamese letter with every tone, both cases, plus spaces and a few separators.
_LOWER = [NFC(v + t) for v in VOWELS for t in TONE_MARKS] + list("bcdđghklmnpqrstvx")
VIETNAMESE_CHARS = "".join(_LOWER) + "".join(c.upper() for c in _LOWER) + "  -,0129"
viet_text = st.text(alphabet=VIETNAMESE_CHARS, max_size=30)
any_text = st.text(max_size=40)


def strip_tones(s: str) -> str:
    return NFC("".join(ch for ch in NFD(s) if ch not in TONE_MARKS[1:]))


# --------------------------------------------------------------------------- nfc


def test_nfc_composes_and_collapses_whitespace():
    assert nfc(NFD("  Nguyễn   Văn\tBa ")) == "Nguyễn Văn Ba"
    assert nfc(NFD("Đồng Tháp")) == NFC("Đồng Tháp")
    assert nfc("A\u00a0B") == "A B"  # non-breaking space pasted from Word
    assert nfc(None) is None
    assert nfc("   ") == ""


def test_nfc_multiline_keeps_line_breaks():
    text = NFD("Dòng một  \r\nDòng hai\t\n\n  thụt lề\rcuối   \n\n")
    assert nfc_multiline(text) == NFC("Dòng một\nDòng hai\n\n  thụt lề\ncuối")
    assert nfc_multiline(None) is None


def test_invisible_characters_pasted_with_a_text_are_taken_out():
    """Text copied from Word, Zalo or a web page brings invisible characters: a zero-width
    space is a space, the joiners, the soft hyphen and a BOM are nothing, so a name made
    of them alone is blank (and refused where a name is required)."""
    assert nfc("Nguyễn\u200bVăn An") == "Nguyễn Văn An"
    assert nfc("Nguyễn Văn\u00adAn\u2060\ufeff\u200c\u200d") == "Nguyễn VănAn"
    assert nfc("\u200b\u200b \u200b") == "" and nfc("\u2060") == ""
    assert nfc_multiline("Dòng\u200bmột\u00ad\nhai\ufeff") == "Dòng một\nhai"


@given(any_text)
def test_nfc_is_normalised_and_stable(s):
    out = nfc(s)
    assert out == NFC(out) and nfc(out) == out
    assert nfc(NFD(s)) == nfc(NFC(s))


# --------------------------------------------------------------------------- fold / search


@pytest.mark.parametrize("text, folded", [
    ("Đồng", "dong"),
    ("NGUYỄN Văn", "nguyen van"),
    ("  Trần   Thị\tẢnh ", "tran thi anh"),
    ("ĐƯỜNG Ấp Mỹ Phước", "duong ap my phuoc"),
    ("", ""),
    (None, ""),
])
def test_fold_examples(text, folded):
    assert fold(text) == folded


def test_fold_ignores_tone_placement_and_decomposition():
    assert fold("hoà") == fold("hòa") == fold(NFD("Hoà")) == "hoa"


@given(any_text)
def test_fold_same_for_nfd_and_nfc_any_text(s):
    assert fold(NFD(s)) == fold(NFC(s))


@given(viet_text)
def test_fold_same_for_nfd_and_nfc_vietnamese(s):
    assert fold(NFD(s)) == fold(NFC(s))
    assert re.fullmatch(r"[a-z0-9 ,\-]*", fold(s))  # nothing Vietnamese survives folding


@given(any_text)
def test_fold_is_idempotent(s):
    assert fold(fold(s)) == fold(s)


def test_search_tokens():
    assert search_tokens("  Nguyễn   ĐỒNG ") == ["nguyen", "dong"]
    assert search_tokens("") == []
    assert search_tokens("   ") == []


def test_slug_ascii():
    assert slug_ascii("Biên bản họp Tổ ANXH số 3/2024") == "bien-ban-hop-to-anxh-so-3-2024"
    assert slug_ascii("  Đồng Tháp!! ") == "dong-thap"
    assert slug_ascii("") == ""


@given(any_text)
def test_slug_ascii_is_file_name_safe(s):
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug_ascii(s))


# --------------------------------------------------------------------------- sort_key


def test_alphabet_order():
    assert sorted(sorted(ALPHABET), key=sort_key) == ALPHABET  # from code point order
    assert sorted(reversed(ALPHABET), key=sort_key) == ALPHABET
    upper = [c.upper() for c in reversed(ALPHABET)]
    assert sorted(upper, key=sort_key) == [c.upper() for c in ALPHABET]


def test_latin_extras_and_digits():
    assert sorted(["z", "w", "f", "j", "e", "g", "i", "k", "v", "x", "y", "9", "1"],
                  key=sort_key) == ["1", "9", "e", "f", "g", "i", "j", "k", "v", "w", "x", "y", "z"]
    assert sorted(["Tổ 10", "Tổ 2", "Tổ 1", "Tổ"], key=sort_key) == ["Tổ", "Tổ 1", "Tổ 2", "Tổ 10"]


@pytest.mark.parametrize("ordered", [
    ["an", "ăn", "ân", "bo"],
    ["do", "đo", "e"],
    ["ma", "mà", "mả", "mã", "má", "mạ"],
    ["Anh", "Ánh", "Ân"],
    ["Ông", "Ơn"],
    ["An", "An Bình", "Anh"],
    ["", "a"],
    ["uy", "ưa", "va"],
    ["ma bà", "má ba"],  # the earlier syllable's tone decides
])
def test_dictionary_order(ordered):
    for a, b in zip(ordered, ordered[1:]):
        assert sort_key(a) < sort_key(b), (a, b)
    assert sorted(reversed(ordered), key=sort_key) == ordered


def test_sort_key_ignores_case_tone_placement_and_spacing():
    assert sort_key("NGUYỄN Văn") == sort_key("nguyễn văn") == sort_key("  nguyễn  văn ")
    assert sort_key("hoà") == sort_key("hòa")
    assert sort_key("Ông") != sort_key("Ơn")


def test_sort_key_orders_the_same_in_sqlite():
    words = ["mạ", "Ân", "đo", "Tổ 10", "Anh", "ma", "ăn", "Ánh", "Tổ 2", "do", "mà", "e", "ơn"]
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE t (name TEXT, k TEXT)")
        db.executemany("INSERT INTO t VALUES (?, ?)", [(w, sort_key(w)) for w in words])
        in_sql = [r[0] for r in db.execute("SELECT name FROM t ORDER BY k")]
    assert in_sql == sorted(words, key=sort_key)
    assert in_sql[:5] == ["Anh", "Ánh", "ăn", "Ân", "do"]


@given(any_text)
def test_sort_key_same_for_nfd_and_nfc_any_text(s):
    assert sort_key(NFD(s)) == sort_key(NFC(s))


@given(viet_text)
def test_sort_key_same_for_nfd_and_nfc_vietnamese(s):
    assert sort_key(NFD(s)) == sort_key(NFC(s))


@given(any_text)
def test_sort_key_has_no_control_chars(s):
    key = sort_key(s)
    assert isinstance(key, str) and all(ord(ch) >= 0x21 for ch in key)


@given(viet_text, viet_text)
def test_tones_only_break_ties(a, b):
    plain_a, plain_b = sort_key(strip_tones(a)), sort_key(strip_tones(b))
    if plain_a != plain_b:
        assert (sort_key(a) < sort_key(b)) == (plain_a < plain_b)


@given(viet_text)
def test_a_word_sorts_before_its_extensions(s):
    if sort_key(s) != sort_key(s + " a"):
        assert sort_key(s) < sort_key(s + " a")


# --------------------------------------------------------------------------- people


def test_person_sort_by_given_then_family_then_middle():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Đặng Thị Bình", "Nguyễn Văn Anh"]
    assert sorted(names, key=person_sort_key) == [
        "Lê Văn An", "Nguyễn Thị An", "Nguyễn Văn Anh", "Đặng Thị Bình", "Trần Văn Bình"]


def test_person_sort_middle_names_and_tones():
    names = ["Lê Văn An", "Lê Thị An", "Lê Ân", "Lê Án", "Lê An", "Lê Thị Hồng An"]
    assert sorted(names, key=person_sort_key) == [
        "Lê An", "Lê Thị An", "Lê Thị Hồng An", "Lê Văn An", "Lê Án", "Lê Ân"]
    # the given name's tone outranks the family name
    assert sorted(["Bùi Án", "Vũ An", "Bùi An"], key=person_sort_key) == ["Bùi An", "Vũ An", "Bùi Án"]


def test_person_sort_single_word_and_empty():
    names = ["Lê An", "An", "", "Bình"]
    assert sorted(names, key=person_sort_key) == ["", "An", "Lê An", "Bình"]
    assert person_sort_key("Nguyễn  Văn Ba ") == person_sort_key(NFD("nguyễn văn ba"))


viet_word = st.text(alphabet=VIETNAMESE_CHARS.replace(" ", ""), min_size=1, max_size=6)


@given(st.lists(viet_word, min_size=1, max_size=4), st.lists(viet_word, min_size=1, max_size=4))
def test_person_sort_key_matches_part_by_part_comparison(a, b):
    def parts(words):
        return (sort_key(words[-1]), sort_key(words[0]) if len(words) > 1 else sort_key(""),
                sort_key(" ".join(words[1:-1])))
    key_a, key_b = person_sort_key(" ".join(a)), person_sort_key(" ".join(b))
    assert (key_a < key_b) == (parts(a) < parts(b))
    assert (key_a == key_b) == (parts(a) == parts(b))


@given(viet_text)
def test_person_sort_key_same_for_nfd_and_nfc(s):
    assert person_sort_key(NFD(s)) == person_sort_key(NFC(s))


def test_capitalize_name():
    assert capitalize_name("nguyễn văn ba") == "Nguyễn Văn Ba"
    assert capitalize_name("đặng thị ánh") == "Đặng Thị Ánh"
    assert capitalize_name(NFD("  TRẦN   ÚT ")) == "Trần Út"
    assert capitalize_name("") == ""


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("d, words", [
    (dt.date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
    (dt.date(2024, 6, 29), "ngày 29 tháng 6 năm 2024"),
    (dt.date(2024, 3, 15), "ngày 15 tháng 3 năm 2024"),
    (dt.date(2024, 12, 1), "ngày 01 tháng 12 năm 2024"),
    (dt.date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
    (dt.date(2025, 11, 10), "ngày 10 tháng 11 năm 2025"),
])
def test_date_words(d, words):
    assert date_words(d) == words


def test_place_date_line():
    assert place_date_line("Bình Tân", dt.date(2024, 3, 15)) == "Bình Tân, ngày 15 tháng 3 năm 2024"
    assert place_date_line(NFD(" Mỹ Tho "), dt.date(2024, 1, 2)) == NFC("Mỹ Tho, ngày 02 tháng 01 năm 2024")


def test_time_words():
    assert time_words(dt.time(19, 30)) == "19 giờ 30 phút"
    assert time_words(dt.time(7, 5)) == "07 giờ 05 phút"
    assert time_words(dt.time(0, 0)) == "00 giờ 00 phút"


def test_format_date():
    assert format_date(dt.date(2024, 1, 5)) == "05/01/2024"
    assert format_date(dt.date(2024, 12, 31)) == "31/12/2024"
    assert format_date(None) == ""


@pytest.mark.parametrize("text", ["5/1/2024", "05/01/2024", "05-01-2024", "2024-01-05",
                                  " 05.01.2024 ", "5-1-2024"])
def test_parse_date_accepts(text):
    assert parse_date(text) == dt.date(2024, 1, 5)


def test_parse_date_is_day_first():
    assert parse_date("12/03/2024") == dt.date(2024, 3, 12)
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "32/01/2024", "05/13/2024",
                                  "00/01/2024", "5/1/24", "05/01-2024", "2024/01/05x", "abc",
                                  "", "2024-02-30", "05/01/0000", "٠٥/٠١/٢٠٢٤"])
def test_parse_date_rejects(text):
    with pytest.raises(ValidationError) as caught:
        parse_date(text)
    message = str(caught.value)
    assert f"«{text.strip()}»" in message and "ví dụ 05/01/2024" in message


@given(st.dates())
def test_format_then_parse_round_trips(d):
    assert parse_date(format_date(d)) == d


# --------------------------------------------------------------------------- phone


@pytest.mark.parametrize("raw, normal", [
    ("0912345678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("091-234-5678", "0912345678"),
    ("+84 91 234 5678", "0912345678"),
    ("+84 (0) 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("842733123456", "02733123456"),
    ("(0277) 3851 234", "02773851234"),
    ("8491234567", "8491234567"),  # 10 digits: not a +84 number, left alone
    ("", ""),
])
def test_normalize_phone(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize("phone", ["0912345678", "0312345678", "0512345678", "0712345678",
                                   "0812345678", "02733123456", "0277 3851 234",
                                   "+84912345678", "+84 273 3123 456", "", "   "])
def test_phone_valid(phone):
    assert phone_error(phone) is None


@pytest.mark.parametrize("phone", ["0212345678", "091234567", "09123456789", "0412345678",
                                   "0612345678", "0112345678", "027331234567", "abc",
                                   "09123x5678", "+8491234567", "912345678"])
def test_phone_invalid(phone):
    message = phone_error(phone)
    assert message and f"«{phone}»" in message and "10 chữ số" in message


# --------------------------------------------------------------------------- CCCD


def test_province_codes_are_the_63_official_ones():
    assert len(PROVINCE_CODES) == 63
    assert {"001", "079", "082", "087", "096"} <= PROVINCE_CODES
    assert not {"000", "003", "005", "097", "999"} & PROVINCE_CODES


@pytest.mark.parametrize("code", sorted(PROVINCE_CODES))
def test_citizen_id_every_province_valid(code):
    assert citizen_id_error(f"{code}090001234") is None


@pytest.mark.parametrize("cid", ["082090001234", "087200123456", "001599999999", "", "  ",
                                 " 082090001234 "])
def test_citizen_id_valid(cid):
    assert citizen_id_error(cid) is None


@pytest.mark.parametrize("cid, hint", [
    ("082 090 001234", "chữ số viết liền"),
    ("08209000123a", "chữ số viết liền"),
    ("082.090.001234", "chữ số viết liền"),
    ("08209000123", "đúng 12 chữ số (đang có 11)"),
    ("0820900012345", "đúng 12 chữ số (đang có 13)"),
    ("999090001234", "(999)"),
    ("003090001234", "(003)"),
    ("082690001234", "thứ tư"),
    ("082990001234", "thứ tư"),
])
def test_citizen_id_invalid(cid, hint):
    message = citizen_id_error(cid)
    assert message and hint in message


def test_mask_citizen_id():
    assert mask_citizen_id("082090001234") == "•••••••••234"
    assert mask_citizen_id(" 082090001234 ") == "•••••••••234"
    assert mask_citizen_id("") == ""


@pytest.mark.parametrize("query, texts, found", [
    ("nguyen van", ("Nguyễn Văn Ba",), True), ("ĐỒNG", ("Lê Văn An", "ấp Đồng Sơn"), True),
    ("an", ("Lan",), False),  # from the start of a word, as the SQL search
    ("van nguyen", ("Nguyễn Văn Ba",), False), ("", ("bất kỳ",), True), ("  ", (None,), True),
    ("ba", (None, ""), False)])
def test_phrase_at_word_start_is_the_python_twin_of_the_sql_search(query, texts, found):
    from gocong_desktop.core.text import phrase_at_word_start

    assert phrase_at_word_start(query, *texts) is found
