"""Time to produce one minutes PDF, beside a bare reportlab page of the same font.

    python bench/bench_minutes.py [--households 1500]

Target (issue: minutes PDF): within 3x of the bare page. Two figures each:
"cold" is what a user waits for the first PDF in a fresh process (font files
registered, then the document built); "warm" is the best of several builds in
one process (fonts already registered, as for every later PDF in the app).
The minutes are the demo's longest (most households) final minutes: several
pages, four font styles embedded, a QR code, a long table; the bare page is
one line in one style, so the fairer comparison is the last line printed: the
same text as bare reportlab paragraphs in the same font (target: within 3x).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import figure
from sqlmodel import func, select

from gocong_desktop.core.db.engine import open_database
from gocong_desktop.core.db.models import Attendance, Meeting
from gocong_desktop.core.demo import generate_demo
from gocong_desktop.core.services.minutes_data import minutes_document

BARE_LINE = "Biên bản sinh hoạt Tổ nhân dân tự quản số 5, ấp Lợi An, xã Bình Tân"


def bare_page() -> None:
    """One A4 page, one line, the bundled Liberation Serif embedded."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from gocong_desktop.core.resources import resource_path

    if "BenchSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchSerif", str(resource_path("fonts", "LiberationSerif-Regular.ttf"))))
    pdf = canvas.Canvas(io.BytesIO(), pagesize=A4)
    pdf.setFont("BenchSerif", 13)
    pdf.drawString(85, 780, BARE_LINE)
    pdf.save()


def _texts(doc) -> list[str]:
    """Every piece of text the minutes print, as plain lines."""
    texts = [doc.title]
    for item in doc.agenda:
        texts += [item.title, item.content or "", item.conclusion or ""]
        texts += [opinion.text for opinion in item.opinions]
    texts.append(doc.closing_conclusion or "")
    texts += [f"{line.head_name} – {line.representative or ''} – {line.reason or ''}" for line in doc.attendance]
    return [t for t in texts if t]


def bare_document(doc) -> None:
    """The same text as plain reportlab paragraphs in the same font: no header,
    table, signatures or QR — what our layout is measured against."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    bare_page()  # registers the font
    style = ParagraphStyle("bare", fontName="BenchSerif", fontSize=13, leading=17)
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([Paragraph(t, style) for t in _texts(doc)])


def minutes_pdf(doc) -> None:
    from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf

    write_minutes_pdf(doc, io.BytesIO())


def best(fn, repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cold(what: str, db: Path, meeting_id: str) -> float:
    """The first build in a fresh interpreter (imports done before the clock starts)."""
    out = subprocess.run([sys.executable, __file__, "--child", what, "--db", str(db), "--meeting", meeting_id],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def child(what: str, db: Path, meeting_id: str) -> None:
    import reportlab.pdfgen.canvas  # noqa: F401  (imports are not what is measured)
    import reportlab.platypus  # noqa: F401

    import gocong_desktop.core.documents.pdf.minutes  # noqa: F401

    doc = _document(db, meeting_id)
    start = time.perf_counter()
    bare_page() if what == "bare" else minutes_pdf(doc)
    print(time.perf_counter() - start)


def _document(db_path: Path, meeting_id: str):
    db = open_database(db_path)
    try:
        with db.session() as session:
            return minutes_document(session, meeting_id)
    finally:
        db.close()


def _largest_final_meeting(db_path: Path) -> str:
    """The final meeting with the most households: the longest attendance table."""
    db = open_database(db_path)
    try:
        with db.session() as session:
            return session.exec(select(Meeting.id).join(Attendance, Attendance.meeting_id == Meeting.id)
                                .where(Meeting.status == "final").group_by(Meeting.id)
                                .order_by(func.count().desc()).limit(1)).one()
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1500)
    parser.add_argument("--child", choices=["bare", "minutes"])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--meeting")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.meeting)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        generate_demo(path, households=args.households, seed=1, encrypted=False)  # PDFs timed, not sign-in
        meeting_id = _largest_final_meeting(path)
        doc = _document(path, meeting_id)
        buffer = io.BytesIO()
        from gocong_desktop.core.documents.pdf.minutes import write_minutes_pdf
        write_minutes_pdf(doc, buffer)
        from pypdf import PdfReader
        pages = len(PdfReader(io.BytesIO(buffer.getvalue())).pages)
        print(f"minutes: {len(doc.attendance)} households, {len(doc.agenda)} agenda items, {pages} pages")
        bare_cold, minutes_cold = cold("bare", path, meeting_id), cold("minutes", path, meeting_id)
        bare_warm, minutes_warm = best(bare_page), best(lambda: minutes_pdf(doc))
        print(f"cold: bare page {bare_cold * 1000:6.1f} ms   minutes {minutes_cold * 1000:6.1f} ms   "
              f"ratio {minutes_cold / bare_cold:4.1f}x")
        print(f"warm: bare page {bare_warm * 1000:6.1f} ms   minutes {minutes_warm * 1000:6.1f} ms   "
              f"ratio {minutes_warm / bare_warm:4.1f}x   ({minutes_warm / pages * 1000:.1f} ms a page)")
        same_text = best(lambda: bare_document(doc))
        figure("minutes PDF over the same text as bare reportlab paragraphs (warm)", minutes_warm / same_text, "x",
               target=3.0, note=f"{minutes_warm * 1000:.0f} ms vs {same_text * 1000:.0f} ms")
        print_minutes(buffer.getvalue(), Path(folder))


def print_minutes(pdf: bytes, folder: Path) -> None:
    """The preview's «In…» on a high-resolution printer (a PDF file stands in for it):
    three pages, as the issue measured (15 s before pages were placed unscaled)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication
    from pypdf import PdfReader, PdfWriter

    from gocong_desktop.gui.documents.pdf_view import print_pdf

    app = QApplication.instance() or QApplication([])  # noqa: F841 (painting needs one)
    source, printed = folder / "three.pdf", folder / "printed.pdf"
    writer = PdfWriter()
    for page in (list(PdfReader(io.BytesIO(pdf)).pages) * 3)[:3]:
        writer.add_page(page)
    writer.write(source)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    start = time.perf_counter()
    print_pdf(source, printer)
    figure(f"printing three pages at {printer.resolution()} dpi (rendered at 300)", time.perf_counter() - start,
           target=3.0, baseline=15.0)


if __name__ == "__main__":
    main()
