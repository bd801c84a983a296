"""The vis-network part of a map: nodes, edges and options built with pyvis, and vis-network itself.

pyvis builds the vis-network nodes, edges and options (so the data format is pyvis's);
:mod:`visualize.render` puts them into our own page.  vis-network's script and stylesheet
are the ones shipped inside the installed pyvis package, inlined by the page.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import pyvis
from pyvis.network import Network

from . import style
from .theme import MapTheme

__all__ = ["FONT_STACK", "LARGE_MAP_TIES", "build_network", "edge_curves", "vis_assets"]

FONT_STACK = '"Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif'

#: Above this many ties the map hides ties while dragging or zooming, which keeps
#: panning smooth on a facilitator's laptop.
LARGE_MAP_TIES = 3000


def edge_curves(ties: Sequence[Mapping]) -> list[dict | bool]:
    """Parallel ties between one pair bend apart (alternately clockwise / anticlockwise)."""
    seen: dict[frozenset, int] = defaultdict(int)
    out: list[dict | bool] = []
    for tie in ties:
        pair = frozenset((tie["source"], tie["target"]))
        k = seen[pair]
        seen[pair] += 1
        if k == 0:
            out.append(False)
        else:
            out.append(
                {
                    "enabled": True,
                    "type": "curvedCW" if k % 2 else "curvedCCW",
                    "roundness": round(0.2 * math.ceil(k / 2), 2),
                }
            )
    return out


def _vis_options(physics: bool, n_ties: int) -> dict:
    large = n_ties > LARGE_MAP_TIES
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 2,
            "borderWidthSelected": 8,
            "font": {
                "size": 24,
                "face": FONT_STACK,
                "color": "#111111",
                "strokeWidth": 6,
                "strokeColor": "#ffffff",
            },
            # labels smaller than 8 px on screen are not drawn: a zoomed-out large map shows
            # its shape, and names appear as the facilitator zooms in
            "scaling": {"label": {"drawThreshold": 9}},
        },
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "stabilization": {"enabled": physics, "iterations": 1000, "fit": True},
        },
        "layout": {"improvedLayout": physics, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
    }


def _node(kind: style.KindStyle, position: tuple[float, float] | None) -> dict:
    """vis-network options of one actor: its kind's fill and shape and a thin border.

    The marks (broker, articulation point) are not the border: the page script draws them
    as a ring around the shape from the actor's ``broker`` and ``articulation`` flags
    (a thick black border made the kind's colour unreadable).
    """
    node: dict = {
        "color": {
            "background": kind.colour,
            "border": "#1a1a1a",
            "highlight": {"background": kind.colour, "border": style.MARK_COLOUR},
            "hover": {"background": kind.colour, "border": style.MARK_COLOUR},
        },
        "borderWidth": 2,
    }
    if position is not None:
        x, y = position
        node.update(x=float(x), y=float(y))
    return node


def build_network(
    actors: Mapping[str, Mapping],
    ties: Sequence[Mapping],
    ids: Mapping[str, str],
    positions: Mapping[str, tuple[float, float]],
    brokers: set[str],
    physics: bool,
    theme: MapTheme,
) -> Network:
    """The pyvis network of checked actors and ties; nodes get the opaque ``ids``, ties ``t<i>``."""
    net = Network(directed=True)
    for key, actor in actors.items():
        kind = theme.kind(actor["kind"]).style
        node = _node(kind, positions.get(key))
        net.add_node(ids[key], label=actor["name"], shape=kind.shape, **node)
    for i, (tie, smooth) in enumerate(zip(ties, edge_curves(ties), strict=True)):
        tie_type = theme.tie_type(tie["type"])
        net.add_edge(
            ids[tie["source"]],
            ids[tie["target"]],
            id=f"t{i}",
            smooth=smooth,
            **style.edge_options(
                tie_type.style, tie_type.directed, tie["weight"], tie.get("dashed", False)
            ),
        )
    net.options = _vis_options(physics, len(ties))  # a plain dict: pyvis passes it on as JSON
    return net


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """(JavaScript, CSS) of the newest vis-network shipped inside the installed pyvis package."""
    lib = Path(pyvis.__file__).parent / "lib"

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", path.name))

    folders = sorted(
        (p for p in lib.glob("vis-*") if (p / "vis-network.min.js").is_file()), key=version
    )
    if not folders:
        raise RuntimeError(f"vis-network not found inside the pyvis package at {lib}")
    newest = folders[-1]
    js = (newest / "vis-network.min.js").read_text(encoding="utf-8")
    css = (newest / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline element early
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return js, css
