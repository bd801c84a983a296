"""How things look on the map: the style types a caller fills in, the marks, the legend swatches.

Which colour and shape a kind of actor gets, and which line a type of tie, is the
caller's choice (passed in a :class:`visualize.theme.MapTheme`): this module gives the
types (:class:`KindStyle`, :class:`TieStyle`), the shapes it can draw (:data:`SHAPES`),
a palette to pick from, and draws them.  :data:`OKABE_ITO` stays distinguishable for
the common forms of colour blindness; give every kind its own *shape* as well and every
tie type its own *line pattern*, so that nothing on the map depends on colour alone (a
beamer in a bright village hall washes colours out as well).

References
----------
.. [1] Okabe, M. and Ito, K. (2008). "Color Universal Design (CUD): how to make
   figures and presentations that are friendly to colorblind people."
   https://jfly.uni-koeln.de/color/
.. [2] vis-network node and edge options, https://visjs.github.io/vis-network/docs/network/
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "OKABE_ITO",
    "SHAPES",
    "KindStyle",
    "TieStyle",
    "edge_options",
    "MARK_COLOUR",
    "BROKER_BORDER_WIDTH",
    "ARTICULATION_DASHES",
    "ARTICULATION_BORDER_WIDTH",
    "MARK_GAP",
    "DASHED_TIE",
    "kind_swatch_svg",
    "dashed_swatch_svg",
    "tie_swatch_svg",
    "mark_swatch_svg",
]

# The eight Okabe–Ito colours [1]. Yellow is kept out of the map: on a white
# background and a washed-out beamer it has too little contrast.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colour of the marks for brokers and articulation points: a ring around the actor, apart
#: from its own thin border, so the kind's colour stays readable (never a fill).
MARK_COLOUR = "#000000"
#: Line width of a broker's ring (a solid ring; every actor has a border of 2).
BROKER_BORDER_WIDTH = 4
#: Line width of an articulation point's ring when the actor is not also a broker.
ARTICULATION_BORDER_WIDTH = 4
#: Dash pattern of the ring of an articulation point (an actor whose loss splits the network).
ARTICULATION_DASHES = [7, 4]
#: Gap between an actor's shape and its ring, in map units.
MARK_GAP = 5
#: Dash pattern of a tie marked ``dashed``: short even dashes, unlike the sparser grey
#: dashes of the suggested introductions ([6, 8]) that the page script draws.
DASHED_TIE = [4, 4]
#: Colour of the legend's swatch for dashed ties (any tie type can be dashed).
_DASHED_SWATCH = "#555555"


@dataclass(frozen=True)
class KindStyle:
    """Fill colour and vis-network shape of one actor kind."""

    colour: str
    shape: str  # a vis-network shape with the label outside it


@dataclass(frozen=True)
class TieStyle:
    """Line of one tie type. ``dashes`` is False (solid) or a vis-network dash pattern."""

    colour: str
    width: float
    dashes: Literal[False] | list[int]


def edge_options(
    style: TieStyle, directed: bool, weight: float = 1.0, dashed: bool = False
) -> dict:
    """vis-network options of one tie: colour, width (growing slowly with weight), dashes, arrows.

    A directed tie points at its target; an undirected (symmetric) one has no arrow.  A
    ``dashed`` tie gets :data:`DASHED_TIE` instead of its type's line pattern.
    """
    extra = min(max(float(weight) - 1.0, 0.0), 4.0)  # weights 1..5 widen the line, then it stops
    if dashed:
        dashes: bool | list[int] = list(DASHED_TIE)
    else:
        dashes = list(style.dashes) if style.dashes else False
    return {
        "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
        "width": style.width + extra,
        "dashes": dashes,
        "arrows": {"to": {"enabled": bool(directed), "scaleFactor": 0.9}},
    }


# Legend swatches: inline SVG (no namespace attribute is needed inside HTML), drawn with the
# same colour, shape and line pattern as the map so the legend is the key to what is on screen.
_SHAPE_SVG: dict[str, str] = {
    "dot": '<circle cx="16" cy="16" r="11"/>',
    "square": '<rect x="5" y="5" width="22" height="22"/>',
    "triangle": '<polygon points="16,4 28.5,27 3.5,27"/>',
    "diamond": '<polygon points="16,3 29,16 16,29 3,16"/>',
    "hexagon": '<polygon points="28,16 22,26.4 10,26.4 4,16 10,5.6 22,5.6"/>',
}


#: vis-network shapes (with the label outside them) that a kind can have.
SHAPES: tuple[str, ...] = tuple(_SHAPE_SVG)


def kind_swatch_svg(style: KindStyle) -> str:
    """Inline SVG of a kind's shape and colour for the legend."""
    return (
        '<svg class="swatch" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" '
        f'focusable="false"><g fill="{style.colour}" stroke="#1a1a1a" stroke-width="2">'
        f"{_SHAPE_SVG[style.shape]}</g></svg>"
    )


def tie_swatch_svg(style: TieStyle, directed: bool) -> str:
    """Inline SVG of a tie type's line (and arrow head when directed) for the legend."""
    dash = f' stroke-dasharray="{" ".join(map(str, style.dashes))}"' if style.dashes else ""
    end = 50 if directed else 60
    arrow = f'<polygon points="48,3 62,12 48,21" fill="{style.colour}"/>' if directed else ""
    return (
        '<svg class="swatch swatch-line" viewBox="0 0 64 24" width="64" height="24" '
        'aria-hidden="true" focusable="false">'
        f'<line x1="2" y1="12" x2="{end}" y2="12" stroke="{style.colour}" '
        f'stroke-width="{style.width}"{dash}/>{arrow}</svg>'
    )


def dashed_swatch_svg() -> str:
    """Inline SVG of the dashed line of a tie marked ``dashed``, for the legend."""
    dash = " ".join(map(str, DASHED_TIE))
    return (
        '<svg class="swatch swatch-line" viewBox="0 0 64 24" width="64" height="24" '
        'aria-hidden="true" focusable="false">'
        f'<line x1="2" y1="12" x2="60" y2="12" stroke="{_DASHED_SWATCH}" stroke-width="3" '
        f'stroke-dasharray="{dash}"/></svg>'
    )


def mark_swatch_svg(mark: str) -> str:
    """Inline SVG of a broker ("broker") or articulation-point ("articulation") ring."""
    if mark == "broker":
        border = f'stroke-width="{BROKER_BORDER_WIDTH}"'
    elif mark == "articulation":
        dashes = " ".join(map(str, ARTICULATION_DASHES))
        border = f'stroke-width="{ARTICULATION_BORDER_WIDTH}" stroke-dasharray="{dashes}"'
    else:
        raise ValueError(f"unknown mark {mark!r}")
    return (
        '<svg class="swatch" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" '
        'focusable="false"><circle cx="16" cy="16" r="8" fill="#dddddd" stroke="#1a1a1a" '
        f'stroke-width="1.5"/><circle cx="16" cy="16" r="13" fill="none" stroke="{MARK_COLOUR}" '
        f"{border}/></svg>"
    )
