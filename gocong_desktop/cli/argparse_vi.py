"""argparse's own messages in Vietnamese ("usage:", "error:", "invalid choice"...).

argparse looks its texts up through the module-level ``_`` (gettext) each time
it prints, and no Vietnamese catalogue ships with Python, so a small table is
installed in its place. Anything not in the table stays as argparse wrote it.
"""

from __future__ import annotations

import argparse

TEXTS = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "giá trị %(value)r không hợp lệ (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "expected one argument": "cần đúng một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được «%(filename)s»: %(error)s",
}


def _vietnamese(text: str) -> str:
    return TEXTS.get(text, text)


def install() -> None:
    argparse._ = _vietnamese  # type: ignore[attr-defined]  # read by argparse at print time
