"""How actor kinds and tie types look on the map.

Colours come from the Okabe–Ito palette, which stays distinguishable for the
common forms of colour blindness; every kind also has its own *shape* and
every tie type its own *line pattern*, so nothing on the map depends on colour
alone (a beamer in a bright village hall washes colours out as well).

References
----------
.. [1] Okabe, M. and Ito, K. (2008). "Color Universal Design (CUD): how to make
   figures and presentations that are friendly to colorblind people."
   https://jfly.uni-koeln.de/color/
.. [2] vis-network node and edge options, https://visjs.github.io/vis-network/docs/network/
"""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.vocabulary import KIND_KEYS, TIE_TYPE_KEYS, TIE_TYPES

__all__ = [
    "OKABE_ITO",
    "KindStyle",
    "TieStyle",
    "KIND_STYLES",
    "TIE_STYLES",
    "kind_style",
    "tie_style",
    "edge_options",
    "MARK_COLOUR",
    "BROKER_BORDER_WIDTH",
    "ARTICULATION_DASHES",
    "ARTICULATION_BORDER_WIDTH",
    "kind_swatch_svg",
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

#: Colour of the marks for brokers and articulation points (a border, never a fill).
MARK_COLOUR = "#000000"
#: Border width of a broker (a normal actor has 2).
BROKER_BORDER_WIDTH = 6
#: Border width of an articulation point that is not also a broker.
ARTICULATION_BORDER_WIDTH = 4
#: Dash pattern of the border of an articulation point (an actor whose loss splits the network).
ARTICULATION_DASHES = [7, 4]


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
    dashes: bool | list[int]


KIND_STYLES: dict[str, KindStyle] = {
    "resident": KindStyle(OKABE_ITO["orange"], "dot"),
    "initiative": KindStyle(OKABE_ITO["bluish_green"], "square"),
    "official": KindStyle(OKABE_ITO["blue"], "triangle"),
    "funder": KindStyle(OKABE_ITO["vermillion"], "diamond"),
    "organisation": KindStyle(OKABE_ITO["reddish_purple"], "hexagon"),
}

# Funding is the tie the audience asks about ("who pays whom?"): thickest line,
# long dashes, vermillion. Symmetric ties are plain lines without arrows.
TIE_STYLES: dict[str, TieStyle] = {
    "knows": TieStyle("#777777", 1.5, False),
    "collaborates": TieStyle("#333333", 3.0, False),
    "contacts": TieStyle(OKABE_ITO["sky_blue"], 2.5, [2, 5]),
    "advises": TieStyle(OKABE_ITO["blue"], 2.5, [10, 6]),
    "supports": TieStyle(OKABE_ITO["bluish_green"], 3.0, False),
    "funds": TieStyle(OKABE_ITO["vermillion"], 6.0, [16, 7]),
    "member_of": TieStyle(OKABE_ITO["reddish_purple"], 2.0, [12, 4, 2, 4]),
}

if set(KIND_STYLES) != set(KIND_KEYS) or set(TIE_STYLES) != set(TIE_TYPE_KEYS):  # pragma: no cover
    raise RuntimeError(
        "visualize.style must give a style to every kind and tie type of the vocabulary"
    )


def kind_style(kind: str) -> KindStyle:
    """Style of actor kind ``kind``; ValueError for a kind outside the vocabulary."""
    try:
        return KIND_STYLES[kind]
    except KeyError:
        raise ValueError(
            f"unknown actor kind {kind!r}; expected one of {', '.join(KIND_KEYS)}"
        ) from None


def tie_style(tie_type: str) -> TieStyle:
    """Style of tie type ``tie_type``; ValueError for a type outside the vocabulary."""
    try:
        return TIE_STYLES[tie_type]
    except KeyError:
        raise ValueError(
            f"unknown tie type {tie_type!r}; expected one of {', '.join(TIE_TYPE_KEYS)}"
        ) from None


def edge_options(tie_type: str, weight: float = 1.0) -> dict:
    """vis-network options of one tie: colour, width (growing slowly with weight), dashes, arrows.

    Arrows follow the vocabulary's direction rule: directed types point at the target,
    symmetric types (knows, collaborates) have none.
    """
    style = tie_style(tie_type)
    extra = min(max(float(weight) - 1.0, 0.0), 4.0)  # weights 1..5 widen the line, then it stops
    return {
        "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
        "width": style.width + extra,
        "dashes": list(style.dashes) if style.dashes else False,
        "arrows": {"to": {"enabled": TIE_TYPES[tie_type].directed, "scaleFactor": 0.9}},
    }


# Legend swatches: inline SVG (no namespace attribute is needed inside HTML), drawn with the
# same colour, shape and line pattern as the map so the legend is the key to what is on screen.
_SHAPE_SVG = {
    "dot": '<circle cx="16" cy="16" r="11"/>',
    "square": '<rect x="5" y="5" width="22" height="22"/>',
    "triangle": '<polygon points="16,4 28.5,27 3.5,27"/>',
    "diamond": '<polygon points="16,3 29,16 16,29 3,16"/>',
    "hexagon": '<polygon points="28,16 22,26.4 10,26.4 4,16 10,5.6 22,5.6"/>',
}


def kind_swatch_svg(kind: str) -> str:
    """Inline SVG of the shape and colour of ``kind`` for the legend."""
    style = kind_style(kind)
    return (
        '<svg class="swatch" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" '
        f'focusable="false"><g fill="{style.colour}" stroke="#1a1a1a" stroke-width="2">'
        f"{_SHAPE_SVG[style.shape]}</g></svg>"
    )


def tie_swatch_svg(tie_type: str) -> str:
    """Inline SVG of the line (and arrow head when directed) of ``tie_type`` for the legend."""
    style = tie_style(tie_type)
    dash = f' stroke-dasharray="{" ".join(map(str, style.dashes))}"' if style.dashes else ""
    end = 50 if TIE_TYPES[tie_type].directed else 60
    arrow = (
        f'<polygon points="48,3 62,12 48,21" fill="{style.colour}"/>'
        if TIE_TYPES[tie_type].directed
        else ""
    )
    return (
        '<svg class="swatch swatch-line" viewBox="0 0 64 24" width="64" height="24" '
        'aria-hidden="true" focusable="false">'
        f'<line x1="2" y1="12" x2="{end}" y2="12" stroke="{style.colour}" '
        f'stroke-width="{style.width}"{dash}/>{arrow}</svg>'
    )


def mark_swatch_svg(mark: str) -> str:
    """Inline SVG of a broker ("broker") or articulation-point ("articulation") border."""
    if mark == "broker":
        border = f'stroke-width="{BROKER_BORDER_WIDTH}"'
    elif mark == "articulation":
        dashes = " ".join(map(str, ARTICULATION_DASHES))
        border = f'stroke-width="{ARTICULATION_BORDER_WIDTH}" stroke-dasharray="{dashes}"'
    else:
        raise ValueError(f"unknown mark {mark!r}")
    return (
        '<svg class="swatch" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" '
        f'focusable="false"><circle cx="16" cy="16" r="11" fill="#dddddd" stroke="{MARK_COLOUR}" '
        f"{border}/></svg>"
    )
