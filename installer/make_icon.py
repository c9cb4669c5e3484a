"""Draw the application icon: a gold shield with a house (the households who
protect their neighbourhood) on a deep-red rounded square.

    .venv/bin/python installer/make_icon.py

writes ``resources/icons/gocong.png`` (256 px, the window icon) and
``resources/icons/gocong.ico`` (16–256 px, the Windows executable, shortcuts and
installer). Pillow comes with reportlab, so nothing extra is needed. The output
is committed; run this again only to change the drawing.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
CANVAS = 1024  # drawn large, then scaled down for smooth edges
RED, DARK_RED, GOLD = (176, 24, 30, 255), (120, 10, 16, 255), (250, 201, 35, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def shield(cx: float, top: float, width: float, height: float) -> list[tuple[float, float]]:
    """A heater shield: straight shoulders, sides curving to a point."""
    half = width / 2
    points = [(cx - half, top), (cx + half, top)]
    steps = 24
    for i in range(1, steps + 1):  # right side: down, then curving in to the point
        t = i / steps
        points.append((cx + half * (1 - t ** 2.2), top + height * (0.42 + 0.58 * t)))
    for i in range(steps, 0, -1):
        t = i / steps
        points.append((cx - half * (1 - t ** 2.2), top + height * (0.42 + 0.58 * t)))
    return points


def draw(size: int = CANVAS) -> Image.Image:
    s = size / 1024
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle([24 * s, 24 * s, 1000 * s, 1000 * s], radius=190 * s, fill=RED)
    d.polygon(shield(512 * s, 150 * s, 640 * s, 760 * s), fill=GOLD)
    # The house: roof, walls and a door, in dark red on the shield.
    d.polygon([(512 * s, 250 * s), (745 * s, 470 * s), (279 * s, 470 * s)], fill=DARK_RED)
    d.rectangle([342 * s, 455 * s, 682 * s, 690 * s], fill=DARK_RED)
    d.rectangle([462 * s, 540 * s, 562 * s, 690 * s], fill=GOLD)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "gocong.png", optimize=True)
    big.save(OUT / "gocong.ico", sizes=ICO_SIZES)
    for path in (OUT / "gocong.png", OUT / "gocong.ico"):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
