"""``gocong-desktop minutes``, run as a user would (in this process as its own
process would: tests/cli/conftest.py ``run``): exit 0 with a PDF, 1 with one Vietnamese line and no file, 2 for wrong usage."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from gocong_desktop.core.services import meetings
from tests.cli.conftest import Ran
from tests.meeting_edits import edit_meeting


@pytest.fixture
def run(run):
    """``gocong-desktop minutes ARGS`` (the ``run`` of tests/cli/conftest.py)."""
    return lambda *args: run("minutes", *args)


@pytest.fixture
def final_meeting(seeded) -> str:
    with seeded.db.session() as s:
        mid = meetings.create_meeting(s, attendance="present", group_id=seeded.group_a1, starts_at=datetime(2024, 3, 15, 19, 30))
        edit_meeting(s, mid, chair_name="Nguyễn Văn Ba", secretary_name="Lê Thị Hoa")
        meetings.finalise_meeting(s, mid)
    seeded.db.close()  # the command opens the file itself
    return mid


def _one_line_error(result: Ran) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_minutes_and_blank_form(run, seeded, final_meeting, tmp_path: Path) -> None:
    out = tmp_path / "Biên bản tổ 1.pdf"
    result = run("--db", seeded.db.path, "--meeting", final_meeting, "--out", out)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Số: 01/BB-TNDTQ" in text and "Mã đối chiếu" in text
    blank = tmp_path / "mẫu.pdf"
    result = run("--db", seeded.db.path, "--group", seeded.group_a1, "--blank", "--out", blank)
    assert result.returncode == 0, result.stderr
    assert "Trần Minh Tâm" in "".join(p.extract_text() for p in PdfReader(blank).pages)


def test_refused_input_and_files(run, seeded, final_meeting, tmp_path: Path) -> None:
    folder = tmp_path / "Tài liệu"
    folder.mkdir()
    out = folder / "bb.pdf"
    line = _one_line_error(run("--db", seeded.db.path, "--meeting", "khong-co", "--out", out))
    assert "Không tìm thấy cuộc họp" in line
    not_a_folder = folder / "tệp.txt"
    not_a_folder.write_text("x")
    line = _one_line_error(run("--db", seeded.db.path, "--meeting", final_meeting,
                               "--out", not_a_folder / "bb.pdf"))
    assert "Không ghi được tệp" in line
    assert sorted(p.name for p in folder.iterdir()) == ["tệp.txt"]  # nothing half-written


@pytest.mark.parametrize("args", [["--group", "g"], ["--meeting", "m", "--blank"],
                                  ["--meeting", "m", "--group", "g", "--blank"], ["--meeting", "m"]])
def test_wrong_usage_exits_2(run, tmp_path: Path, args) -> None:
    result = run("--db", tmp_path / "x.db", *args, *([] if args == ["--meeting", "m"] else ["--out", "a.pdf"]))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_minutes_in_word(run, seeded, final_meeting, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "Biên bản tổ 1.docx"
    result = run("--db", seeded.db.path, "--meeting", final_meeting, "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Đã ghi biên bản (bản Word để chỉnh sửa): {out}"
    assert out.read_bytes()[:2] == b"PK"  # a real .docx (a zip), not a PDF under that name
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "BIÊN BẢN" in texts and any("Bản Word để chỉnh sửa" in t for t in texts)


@pytest.mark.parametrize("args, words", [
    (["--out", "bb.odt"], "phải có đuôi .pdf (bản in có mã kiểm tra) hoặc .docx"),
    (["--out", "bb"], "phải có đuôi .pdf"),
])
def test_an_unknown_suffix_is_refused(run, seeded, final_meeting, tmp_path: Path, args, words) -> None:
    out = tmp_path / args[1]
    line = _one_line_error(run("--db", seeded.db.path, "--meeting", final_meeting, "--out", out))
    assert words in line and not out.exists()


def test_the_blank_form_is_pdf_only(run, seeded, tmp_path: Path) -> None:
    out = tmp_path / "mẫu.docx"
    line = _one_line_error(run("--db", seeded.db.path, "--group", seeded.group_a1, "--blank", "--out", out))
    assert "chỉ xuất ra tệp PDF" in line and not out.exists()
