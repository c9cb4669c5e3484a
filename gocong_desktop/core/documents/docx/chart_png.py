"""A chart drawing (``pdf/charts.py``) as a PNG for the Word copy, drawn with Pillow.

Word takes pictures, not vector drawings. reportlab's own PNG renderer needs
rlPyCairo and pycairo, which the installer does not carry; Pillow is already there
(scans, and reportlab itself). The charts use lines, rectangles and text only, so a
renderer of those few shapes is enough: anything else in a drawing is refused
rather than left out silently.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.renderbase import Renderer, getStateDelta
from reportlab.graphics.shapes import Drawing

from gocong_desktop.core.documents.pdf.fonts import font_file

SUPERSAMPLE = 3  # drawn larger, then reduced: smooth edges without an anti-aliasing renderer
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # Pillow's anchors: left, middle, right of the baseline


@lru_cache(maxsize=32)
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(name)), pixels)


def _colour(value) -> tuple[int, int, int] | None:
    return None if value is None else tuple(round(255 * c) for c in value.rgb())


class _Canvas:
    """What ``Renderer.draw`` asks of a canvas; the drawing goes to ``draw``."""

    def __init__(self, image: Image.Image) -> None:
        self.draw = ImageDraw.Draw(image)

    def saveState(self) -> None:  # noqa: N802 (reportlab's name)
        pass

    def restoreState(self) -> None:  # noqa: N802 (reportlab's name)
        pass


class _PillowRenderer(Renderer):
    def __init__(self, scale: float, height: float) -> None:
        self.scale, self.height = scale, height

    def drawNode(self, node) -> None:  # noqa: N802 (reportlab's name)
        self._tracker.push(getStateDelta(node))
        self.drawNodeDispatcher(node)
        self._tracker.pop()

    def applyStateChanges(self, delta, newState) -> None:  # noqa: N802 (reportlab's name)
        pass  # each shape reads the whole state when drawn

    def _point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self._tracker.getState()["transform"]
        return (a * x + c * y + e) * self.scale, (self.height - (b * x + d * y + f)) * self.scale

    def _pen(self) -> tuple[tuple[int, int, int] | None, int]:
        state = self._tracker.getState()
        return _colour(state["strokeColor"]), max(1, round(state["strokeWidth"] * self.scale))

    def drawRect(self, rect) -> None:  # noqa: N802 (reportlab's name)
        corners = [self._point(rect.x + dx, rect.y + dy) for dx, dy in
                   ((0, 0), (rect.width, 0), (rect.width, rect.height), (0, rect.height))]
        stroke, width = self._pen()
        self._canvas.draw.polygon(corners, fill=_colour(self._tracker.getState()["fillColor"]),
                                  outline=stroke, width=width if stroke else 0)

    def drawLine(self, line) -> None:  # noqa: N802 (reportlab's name)
        self._lines([(line.x1, line.y1), (line.x2, line.y2)])

    def drawPolyLine(self, polyline) -> None:  # noqa: N802 (reportlab's name)
        points = polyline.points
        self._lines(list(zip(points[::2], points[1::2])))

    def _lines(self, points: list[tuple[float, float]]) -> None:
        stroke, width = self._pen()
        if stroke is not None:
            self._canvas.draw.line([self._point(x, y) for x, y in points], fill=stroke, width=width)

    def drawString(self, string) -> None:  # noqa: N802 (reportlab's name)
        state = self._tracker.getState()
        a, b, c, d, _e, _f = state["transform"]
        if b or c:
            raise ValueError("Biểu đồ có chữ xoay: chưa vẽ được thành ảnh PNG.")
        pixels = max(1, round(state["fontSize"] * abs(d) * self.scale))
        self._canvas.draw.text(self._point(string.x, string.y), string.text, font=_font(state["fontName"], pixels),
                               fill=_colour(state["fillColor"]), anchor=_ANCHORS[state["textAnchor"]])

    def undefined(self, operation) -> None:
        raise ValueError(f"Biểu đồ có hình «{operation}»: chưa vẽ được thành ảnh PNG.")


def drawing_png(drawing: Drawing, *, dpi: int = 200) -> bytes:
    """The drawing as a PNG of ``dpi`` pixels per inch, on white."""
    size = (round(drawing.width * dpi / 72), round(drawing.height * dpi / 72))
    image = Image.new("RGB", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), "white")
    _PillowRenderer(dpi / 72 * SUPERSAMPLE, drawing.height).draw(drawing, _Canvas(image), showBoundary=False)
    image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, dpi=(dpi, dpi))
    return out.getvalue()
