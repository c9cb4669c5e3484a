"""Flowables the Decree-30 layout draws itself: centred lines with a rule
(issuing body, motto, summary line) and dotted lines to write on by hand."""

from __future__ import annotations

import unicodedata
from itertools import combinations

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable


DASHES = ("–", "-", "—")
MAX_BALANCED_LINES = 4  # beyond that (never in a header) the greedy split is good enough
# The last syllable of a unit's generic word: the name after it stays on one line
# ("GÒ CÔNG TÂY" after "HUYỆN", "THUẬN TRỊ" after "ẤP"), up to a dash or the end.
UNIT_WORDS = frozenset(("TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "TRẤN", "ẤP", "PHỐ", "KHÓM"))


def _words(line: str, *, keep_names: bool) -> list[str]:
    """Words to break between; a dash stays with the word before it, so that no
    line starts with one ("TỔ NDTQ SỐ 12 –" / "ẤP THUẬN TRỊ"); with ``keep_names``
    a unit's name is one word."""
    words: list[str] = []
    name = None  # None: not in a name; False: its first word comes next; True: inside it
    for word in line.split():
        if words and (word in DASHES or name):
            words[-1] += f" {word}"
        else:
            words.append(word)
        if word in DASHES:
            name = None
        elif name is not None:
            name = True
        elif keep_names and word.upper() in UNIT_WORDS:
            name = False
    return words


def _best_breaks(words: list[str], count: int, measure, width: float) -> list[str] | None:
    """The split of ``words`` into ``count`` lines within ``width`` whose widest
    line is narrowest; None when no split fits."""
    best, best_width = None, width
    for cuts in combinations(range(1, len(words)), count - 1):
        bounds = (0, *cuts, len(words))
        lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
        widest = max(measure(line) for line in lines)
        if widest <= best_width:
            best, best_width = lines, widest
    return best


def balanced_split(line: str, font: str, size: float, width: float) -> list[str]:
    """Lines broken between words only, as few as fit ``width`` and as even as
    possible, a unit's name kept whole when it can be ("CÔNG AN HUYỆN" / "GÒ CÔNG
    TÂY", never "CÔNG AN HUYỆN GÒ CÔNG" / "TÂY"); a "\n" forces a break. A single word wider than ``width`` falls back
    to reportlab's greedy split (it breaks the word rather than overflow)."""
    def measure(text: str) -> float:
        return stringWidth(text, font, size)

    out: list[str] = []
    for part in line.split("\n"):
        out += (_fewest_lines(_words(part, keep_names=True), measure, width)
                or _fewest_lines(_words(part, keep_names=False), measure, width)
                or simpleSplit(part, font, size, width) or [""])
    return out or [""]


def _fewest_lines(words: list[str], measure, width: float) -> list[str] | None:
    for count in range(1, min(len(words), MAX_BALANCED_LINES) + 1):
        lines = _best_breaks(words, count, measure, width)
        if lines:
            return lines
    return None


class RuledLines(Flowable):
    """Centred lines in one font, optionally with a centred rule under them.

    ``rule`` is the rule's length as a fraction of the widest line: 1.0 for the
    motto, about 1/3 under the issuing body and the summary line."""

    def __init__(self, line: str, font: str, size: float, *, rule: float | None = None,
                 leading: float | None = None, gap: float | None = None) -> None:
        super().__init__()
        self.line = unicodedata.normalize("NFC", line)
        self.font, self.size, self.rule = font, size, rule
        self.leading = leading or size * 1.2
        self.gap = gap if gap is not None else 0.42 * size  # baseline to rule, clear of descenders
        self.lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.lines = balanced_split(self.line, self.font, self.size, avail_width)
        extra = max(self.gap + 1 - (self.leading - self.size), 0) if self.rule else 0
        self.height = len(self.lines) * self.leading + extra
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, self.size)
        baseline = self.height - self.size
        for i, line in enumerate(self.lines):
            c.drawCentredString(self.width / 2, baseline - i * self.leading, line)
        if self.rule:
            widest = max(stringWidth(line, self.font, self.size) for line in self.lines)
            half, y = widest * self.rule / 2, baseline - (len(self.lines) - 1) * self.leading - self.gap
            c.setLineWidth(0.6)
            c.line(self.width / 2 - half, y, self.width / 2 + half, y)


class WritingLines(Flowable):
    """Dotted lines to write on by hand (blank forms)."""

    def __init__(self, count: int, spacing: float = 9 * mm) -> None:
        super().__init__()
        self.count, self.spacing = count, spacing

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.count * self.spacing
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fits = int(avail_height // self.spacing)
        if fits < 1 or fits >= self.count:
            return []
        return [WritingLines(fits, self.spacing), WritingLines(self.count - fits, self.spacing)]

    def draw(self) -> None:
        c = self.canv
        c.setDash(1, 2)
        c.setLineWidth(0.5)
        for i in range(self.count):
            y = self.height - (i + 1) * self.spacing + 2
            c.line(0, y, self.width, y)
