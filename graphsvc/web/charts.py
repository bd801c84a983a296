"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched, each with a text
alternative (``<title>`` and ``<desc>``, and ``role="img"`` with ``aria-labelledby``).

Built with :mod:`xml.etree.ElementTree` from the standard library rather than a plotting
library: the charts are a handful of rectangles and lines, ElementTree escapes every text
and attribute, and the output is small, deterministic SVG that the page's CSP allows (only
presentation attributes, no ``style`` attributes, which a hash-based CSP would block).

- :func:`heatmap`: a matrix (the group x group mixing densities) as shaded cells with numbers;
- :func:`bars`: horizontal bars (brokerage roles per group, ...);
- :func:`paired_bars`: before/after bars between two dates;
- :func:`sparkline`: a small line of one indicator over time;
- :func:`timeline`: a strip of labelled periods (the phase over time).
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

__all__ = ["bars", "heatmap", "paired_bars", "sparkline", "timeline"]

_ids = itertools.count(1)
INK, MUTED, ACCENT, BEFORE = "#111111", "#444444", "#0b4f8a", "#9db7d1"
PHASE_COLOURS = {
    "scattered": "#d9d9d9",
    "hub_and_spoke": "#f4c28a",
    "multi_hub": "#9db7d1",
    "core_periphery": "#7fbf7f",
}


def _svg(width: float, height: float, title: str, desc: str, css: str) -> ET.Element:
    n = next(_ids)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width:g} {height:g}",
            "role": "img",
            "class": f"chart {css}",
            "aria-labelledby": f"chart{n}-t chart{n}-d",
            "font-family": "inherit",
        },
    )
    ET.SubElement(svg, "title", {"id": f"chart{n}-t"}).text = title
    ET.SubElement(svg, "desc", {"id": f"chart{n}-d"}).text = desc
    return svg


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> None:
    attrs.setdefault("font-size", "13")
    attrs.setdefault("fill", INK)
    ET.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", **attrs}).text = text


def _done(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))


def _num(value: float | None, lang: str, digits: int = 2) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def heatmap(
    labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    title: str,
    desc: str,
    lang: str,
) -> Markup:
    """``values[i][j]`` (0..1, or None) as shaded cells, rows and columns named by ``labels``."""
    cell, left, top = 64, 120, 70
    n = len(labels)
    svg = _svg(left + n * cell + 10, top + n * cell + 10, title, desc, "heatmap")
    peak = max((v for row in values for v in row if v is not None), default=0) or 1
    for j, label in enumerate(labels):
        _text(
            svg,
            left + j * cell + cell / 2,
            top - 8,
            label,
            **{
                "text-anchor": "end",
                "transform": f"rotate(-35 {left + j * cell + cell / 2} {top - 8})",
            },  # fmt: skip
        )
    for i, label in enumerate(labels):
        y = top + i * cell
        _text(svg, left - 6, y + cell / 2 + 5, label, **{"text-anchor": "end"})
        for j in range(n):
            v = values[i][j]
            x = left + j * cell
            shade = 0.0 if v is None else v / peak
            ET.SubElement(
                svg,
                "rect",
                {
                    "x": f"{x}",
                    "y": f"{y}",
                    "width": f"{cell - 2}",
                    "height": f"{cell - 2}",
                    "fill": ACCENT,
                    "fill-opacity": f"{0.08 + 0.92 * shade:.3f}",
                    "stroke": "#ffffff",
                },
            )
            _text(
                svg,
                x + cell / 2 - 1,
                y + cell / 2 + 5,
                _num(v, lang),
                **{"text-anchor": "middle", "fill": "#ffffff" if shade > 0.55 else INK},
            )
    return _done(svg)


def bars(items: Sequence[tuple[str, float]], title: str, desc: str, lang: str) -> Markup:
    """Horizontal bars, one per ``(label, value)``."""
    left, row, width = 170, 26, 300
    svg = _svg(left + width + 70, row * len(items) + 10, title, desc, "bars")
    peak = max((v for _, v in items), default=0) or 1
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        _text(svg, left - 8, y + 16, label, **{"text-anchor": "end"})
        ET.SubElement(
            svg,
            "rect",
            {"x": f"{left}", "y": f"{y + 3}", "height": "18", "fill": ACCENT,
             "width": f"{max(1.0, width * value / peak):.1f}"},
        )  # fmt: skip
        _text(svg, left + width * value / peak + 6, y + 16, _num(value, lang, 0))
    return _done(svg)


def paired_bars(
    items: Sequence[tuple[str, float | None, float | None]],
    title: str,
    desc: str,
    lang: str,
    legend: tuple[str, str],
) -> Markup:
    """Two bars per ``(label, before, after)``: before light, after dark."""
    left, row, width = 200, 44, 280
    svg = _svg(left + width + 90, row * len(items) + 34, title, desc, "paired")
    peak = max((abs(v) for _, a, b in items for v in (a, b) if v is not None), default=0) or 1
    for k, (word, colour) in enumerate(zip(legend, (BEFORE, ACCENT), strict=True)):
        ET.SubElement(
            svg, "rect", {"x": f"{left + k * 140}", "y": "4", "width": "14", "height": "14",
                          "fill": colour},
        )  # fmt: skip
        _text(svg, left + k * 140 + 20, 16, word)
    for i, (label, before, after) in enumerate(items):
        y = 28 + i * row
        _text(svg, left - 8, y + 20, label, **{"text-anchor": "end"})
        for k, (value, colour) in enumerate(((before, BEFORE), (after, ACCENT))):
            length = 0.0 if value is None else width * abs(value) / peak
            ET.SubElement(
                svg,
                "rect",
                {"x": f"{left}", "y": f"{y + k * 17}", "height": "15", "fill": colour,
                 "width": f"{max(1.0, length):.1f}"},
            )  # fmt: skip
            _text(svg, left + length + 6, y + k * 17 + 12, _num(value, lang), **{"font-size": "12"})
    return _done(svg)


def sparkline(values: Sequence[float | None], title: str, desc: str) -> Markup:
    """A small line of ``values`` over time (gaps where None), its last point marked."""
    width, height = 120, 28
    svg = _svg(width, height, title, desc, "sparkline")
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return _done(svg)
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = (width - 6) / max(1, len(values) - 1)
    points = [
        (3 + i * step, height - 3 - (height - 6) * (v - low) / span)
        for i, v in enumerate(values)
        if v is not None
    ]
    ET.SubElement(
        svg,
        "polyline",
        {
            "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
            "fill": "none",
            "stroke": ACCENT,
            "stroke-width": "2",
        },
    )
    x, y = points[-1]
    ET.SubElement(svg, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "3", "fill": INK})
    return _done(svg)


def timeline(
    periods: Sequence[tuple[str, str, str]], title: str, desc: str, words: dict[str, str]
) -> Markup:
    """A strip of ``(date, phase, date label)`` in time order, one equal slot per date, with
    the phase names in a legend underneath."""
    width, height = 760, 86
    svg = _svg(width, height, title, desc, "timeline")
    if not periods:
        return _done(svg)
    slot = (width - 10) / len(periods)
    for i, (_day, phase, _label) in enumerate(periods):
        ET.SubElement(
            svg,
            "rect",
            {"x": f"{5 + i * slot:.1f}", "y": "4", "width": f"{slot + 0.5:.1f}", "height": "26",
             "fill": PHASE_COLOURS.get(phase, "#eeeeee")},
        )  # fmt: skip
    _text(svg, 5, 46, periods[0][2], **{"fill": MUTED})
    _text(svg, width - 5, 46, periods[-1][2], **{"fill": MUTED, "text-anchor": "end"})
    x = 5.0
    for phase, colour in PHASE_COLOURS.items():
        ET.SubElement(
            svg, "rect", {"x": f"{x:.0f}", "y": "62", "width": "14", "height": "14",
                          "fill": colour, "stroke": MUTED},
        )  # fmt: skip
        _text(svg, x + 20, 74, words.get(phase, phase))
        x += 190
    return _done(svg)
