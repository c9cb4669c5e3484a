"""One line per measured figure, with its target and the baseline it improves on.

Every bench prints its figures through ``figure`` so ``make bench`` reads as one
table: what was measured now, what issue 16 asks for, and what the same
measurement gave before the work (the issue's own figures, taken on this
machine class: 2 shared cores).
"""

from __future__ import annotations

from pathlib import Path


def _fmt(value: float | str | None, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    return f"{value:g} {unit}".strip()


def figure(label: str, value: float | str | None, unit: str = "s", *, target: float | str | None = None,
           baseline: float | str | None = None, note: str = "") -> str:
    """Print and return ``label: value  (target ≤ …, before: …)``."""
    parts = []
    if target is not None:
        met = "" if not isinstance(target, (int, float)) or not isinstance(value, (int, float)) else (
            " met" if value <= target else " MISSED")
        parts.append(f"target ≤ {_fmt(target, unit)}{met}")
    if baseline is not None:
        parts.append(f"before: {_fmt(baseline, unit)}")
    if note:
        parts.append(note)
    line = f"  {label}: {_fmt(value, unit)}" + (f"   ({'; '.join(parts)})" if parts else "")
    print(line, flush=True)
    return line


def side_by_side(label: str, values: list[float | str | None], unit: str = "s", *,
                 target: float | str | None = None, note: str = "") -> str:
    """One figure measured on several stores: ``label: a | b   (target ≤ …)``."""
    return figure(label, " | ".join(_fmt(v, unit) for v in values), unit, target=target, note=note)


def demo_file(given: Path | None, folder: Path, households: int) -> Path:
    """The database a bench opens: ``--db`` when given, else a demo made in ``folder``."""
    if given is not None:
        return given
    from gocong_desktop.core.demo import generate_demo

    path = folder / "bench.db"
    generate_demo(path, households=households, seed=1)
    return path
