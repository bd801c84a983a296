"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched, each with a text
alternative (``<title>`` and ``<desc>``, and ``role="img"`` with ``aria-labelledby``).

Built with :mod:`xml.etree.ElementTree` from the standard library rather than a plotting
library: the charts are a handful of rectangles and lines, ElementTree escapes every text
and attribute, and the output is small, deterministic SVG that the page's CSP allows (only
presentation attributes, no ``style`` attributes, which a hash-based CSP would block).

- :func:`heatmap`: a matrix (the group x group mixing densities) as shaded cells with numbers;
- :func:`bars`: horizontal bars (meeting rate ratios, ...);
- :func:`grouped_bars`: vertical bars per group and series, with a legend (the brokerage roles
  per group);
- :func:`paired_bars`: before/after bars between two dates;
- :func:`sparkline`: a small line of one indicator over time;
- :func:`timeline`: a strip of labelled periods (the phase over time).
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup

__all__ = ["bars", "grouped_bars", "heatmap", "paired_bars", "sparkline", "timeline"]

_ids = itertools.count(1)
INK, MUTED, ACCENT, BEFORE = "#111111", "#444444", "#0b4f8a", "#9db7d1"
MISSING = "#e6e6e6"  # a heat-map cell without a value: grey, never the shade of 0
#: Series colours of grouped bars: the Okabe-Ito palette, told apart with colour blindness.
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9")
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
    missing: str = "–",
) -> Markup:
    """``values[i][j]`` (0..1, or None) as shaded cells, rows and columns named by ``labels``;
    a None cell is grey and says ``missing`` (undefined is not 0)."""
    cell, left, top = 64, 120, 84
    n = len(labels)
    # The column labels slant up and to the right from above their column, so the last one
    # needs room on the right.
    svg = _svg(left + n * cell + 80, top + n * cell + 10, title, desc, "heatmap")
    peak = max((v for row in values for v in row if v is not None), default=0) or 1
    for j, label in enumerate(labels):
        _text(
            svg,
            left + j * cell + cell / 2 - 6,
            top - 8,
            label,
            **{
                "text-anchor": "start",
                "transform": f"rotate(-35 {left + j * cell + cell / 2 - 6} {top - 8})",
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
                    "fill": MISSING if v is None else ACCENT,
                    "fill-opacity": "1" if v is None else f"{0.08 + 0.92 * shade:.3f}",
                    "stroke": "#ffffff",
                },
            )
            _text(
                svg,
                x + cell / 2 - 1,
                y + cell / 2 + 5,
                missing if v is None else _num(v, lang),
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


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[float]],
    title: str,
    desc: str,
    lang: str,
) -> Markup:
    """Vertical bars: one cluster per group, one bar per series in it (``values[i][k]`` is
    series k of group i), the value above each bar, a legend of the series underneath.

    Bars share one scale: the largest value is :data:`GROUPED_PLOT` high."""
    bar, gap, top, left = 14, 16, 22, 8
    slot = bar * len(series) + gap
    columns, column = 2, 210  # legend entries per line, and their width: fits a phone
    legend_top = top + GROUPED_PLOT + 30
    lines = -(-len(series) // columns)
    width = max(left + slot * len(groups), left + columns * column) + 4
    svg = _svg(width, legend_top + 22 * lines + 4, title, desc, "grouped")
    peak = max((v for row in values for v in row), default=0) or 1
    base = top + GROUPED_PLOT
    for i, group in enumerate(groups):
        x0 = left + i * slot
        for k, name in enumerate(series):
            v = values[i][k]
            h = GROUPED_PLOT * v / peak
            x = x0 + k * bar
            rect = ET.SubElement(
                svg,
                "rect",
                {"x": f"{x}", "y": f"{base - h:.1f}", "width": f"{bar - 2}",
                 "height": f"{h:.1f}", "fill": SERIES_COLOURS[k % len(SERIES_COLOURS)],
                 "data-group": group, "data-series": name},
            )  # fmt: skip
            ET.SubElement(rect, "title").text = f"{group}, {name}: {_num(v, lang, 0)}"
            _text(
                svg, x + (bar - 2) / 2, base - h - 4, _num(v, lang, 0),
                **{"font-size": "10", "text-anchor": "middle", "fill": MUTED},
            )  # fmt: skip
        _text(svg, x0 + (slot - gap) / 2, base + 18, group, **{"text-anchor": "middle"})
    ET.SubElement(
        svg, "line", {"x1": f"{left}", "x2": f"{left + slot * len(groups) - gap}",
                      "y1": f"{base}", "y2": f"{base}", "stroke": MUTED},
    )  # fmt: skip
    for k, name in enumerate(series):
        x = left + (k % columns) * column
        y = legend_top + (k // columns) * 22
        ET.SubElement(
            svg, "rect", {"x": f"{x}", "y": f"{y}", "width": "14", "height": "14",
                          "fill": SERIES_COLOURS[k % len(SERIES_COLOURS)]},
        )  # fmt: skip
        _text(svg, x + 20, y + 12, name)
    return _done(svg)


GROUPED_PLOT = 150  # height of the tallest bar of grouped_bars


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
