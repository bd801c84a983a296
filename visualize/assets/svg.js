/* Network map as a standalone SVG picture (for a report or a poster on the wall).
 *
 * window.graphMapSvg.build(scene) turns a scene that map.js collects from vis-network (the
 * positions, sizes, colours, dashes, marks and placed names exactly as shown) into the text
 * of one SVG file: vector shapes and real text, no script, no image, no external reference,
 * fonts by family stack ending in a generic family. It is written here rather than taken
 * from a library: the libraries that turn a canvas into SVG (canvas2svg and its forks) are
 * unmaintained and would have to be hooked into vis-network's drawing; the scene is small and
 * every shape vis-network draws for our maps is one SVG element.
 *
 * Coordinates of nodes and edges are in map units; the group that holds them carries the
 * view's transform (translate, scale), so the map stays a vector drawing at any zoom.
 */
(function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&apos;")
      // characters XML 1.0 does not allow at all
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
  }
  function num(value) {
    var rounded = Math.round(value * 100) / 100;
    return String(Object.is(rounded, -0) ? 0 : rounded);
  }
  function attrs(map) {
    return Object.keys(map).filter(function (k) {
      return map[k] !== undefined && map[k] !== null && map[k] !== false;
    }).map(function (k) {
      var v = map[k];
      return " " + k + "=\"" + (typeof v === "number" ? num(v) : esc(v)) + "\"";
    }).join("");
  }
  function tag(name, map, inner) {
    return "<" + name + attrs(map) + (inner === undefined ? "/>" : ">" + inner + "</" + name + ">");
  }
  function points(list) {
    return list.map(function (p) { return num(p[0]) + "," + num(p[1]); }).join(" ");
  }

  // The outline of a vis-network shape around (x, y) with size r (its own formulas).
  function shape(kind, x, y, r, extra) {
    if (kind === "square") {
      return tag("rect", Object.assign({ x: x - r, y: y - r, width: 2 * r, height: 2 * r }, extra));
    }
    if (kind === "diamond") {
      return tag("polygon", Object.assign({ points: points([[x, y + r], [x + r, y], [x, y - r], [x - r, y]]) }, extra));
    }
    if (kind === "triangle") {
      var n = r * 1.15, cy = y + 0.275 * n, s = 2 * n, half = s / 2;
      var ir = Math.sqrt(3) / 6 * s, h = Math.sqrt(s * s - half * half);
      return tag("polygon", Object.assign({ points: points([[x, cy - (h - ir)], [x + half, cy + ir], [x - half, cy + ir]]) }, extra));
    }
    if (kind === "hexagon") {
      var corners = [];
      for (var i = 0; i < 6; i++) {
        corners.push([x + r * Math.cos(Math.PI / 3 * i), y + r * Math.sin(Math.PI / 3 * i)]);
      }
      return tag("polygon", Object.assign({ points: points(corners) }, extra));
    }
    return tag("circle", Object.assign({ cx: x, cy: y, r: r }, extra));
  }
  function dashArray(dashes) { return dashes && dashes.length ? dashes.map(num).join(" ") : undefined; }

  function edge(e) {
    var d = "M" + num(e.x1) + " " + num(e.y1) +
      (e.via ? " Q" + num(e.via.x) + " " + num(e.via.y) + " " : " L") + num(e.x2) + " " + num(e.y2);
    var out = tag("path", { d: d, fill: "none", stroke: e.colour, "stroke-width": e.width,
      "stroke-dasharray": dashArray(e.dashes), "stroke-linecap": "butt" });
    if (e.arrow) {
      // vis-network's arrow head: a barbed triangle, tip at the target's border
      var a = e.arrow, c = Math.cos(a.angle), s = Math.sin(a.angle);
      var head = [[0, 0], [-1, 0.3], [-0.9, 0], [-1, -0.3]].map(function (p) {
        return [a.x + (p[0] * c - p[1] * s) * a.length, a.y + (p[0] * s + p[1] * c) * a.length];
      });
      out += tag("polygon", { points: points(head), fill: e.colour, stroke: e.colour,
        "stroke-width": e.width / 2, "stroke-linejoin": "round" });
    }
    return tag("g", { "class": e.cls, "data-id": e.id, opacity: e.opacity < 1 ? e.opacity : undefined },
      "<title>" + esc(e.title) + "</title>" + out);
  }

  function node(n) {
    var inner = "<title>" + esc(n.name) + "</title>";
    inner += shape(n.shape, n.x, n.y, n.size, { fill: n.fill, stroke: n.border, "stroke-width": n.borderWidth });
    if (n.ring) {
      inner += tag("circle", { "class": "mark", cx: n.x, cy: n.y, r: n.ring.radius, fill: "none",
        stroke: n.ring.colour, "stroke-width": n.ring.width, "stroke-dasharray": dashArray(n.ring.dashes) });
    }
    return tag("g", { "class": "actor", "data-id": n.id, opacity: n.opacity < 1 ? n.opacity : undefined }, inner);
  }

  // A name where the page placed it (beside its actor, or moved out with a leader line);
  // drawn after every shape, as the page draws its names.
  function nameText(n) {
    var l = n.label;
    var opacity = n.opacity * l.opacity;
    var leader = l.leader ? tag("line", { "class": "leader", x1: l.leader[0], y1: l.leader[1], x2: l.leader[2],
      y2: l.leader[3], stroke: "#5a5a5a", "stroke-width": l.leader[4], "stroke-opacity": 0.8 * l.opacity }) : "";
    return leader + tag("text", { "class": "label", "data-id": n.id, x: l.x === undefined ? n.x : l.x, y: l.y, "font-size": l.size, fill: l.colour,
      stroke: "#ffffff", "stroke-width": l.stroke, "stroke-linejoin": "round", "paint-order": "stroke",
      "text-anchor": "middle", "dominant-baseline": "central", opacity: opacity < 1 ? opacity : undefined }, esc(l.text));
  }

  // Words of ``text`` in lines no wider than ``width`` (``measure(text)`` gives the width).
  function wrap(text, width, measure) {
    var lines = [], line = "";
    String(text).split(" ").forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && measure(next) > width) { lines.push(line); line = word; } else { line = next; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  // The legend as rows of items (kinds, tie types, marks), each a swatch and a word.
  function legend(scene, u, top) {
    var out = [], pad = scene.pad, r = 10 * u, x = pad, y = top + 24 * u;
    var fontSize = 18 * u;
    var gap = 2.6 * r; // from the swatch's left to its word
    function advance(text) {
      var step = gap + scene.measure(text, fontSize) + 1.8 * r;
      if (x + step > scene.width - pad && x > pad) { x = pad; y += 30 * u; }
      var at = x;
      x += step;
      return at;
    }
    function label(at, text) {
      return tag("text", { x: at + gap, y: y, "font-size": fontSize, fill: "#111111",
        "dominant-baseline": "central" }, esc(text));
    }
    scene.legend.kinds.forEach(function (k) {
      var at = advance(k.label);
      out.push(tag("g", { "class": "legend-kind" }, shape(k.shape, at + r, y, r,
        { fill: k.colour, stroke: "#1a1a1a", "stroke-width": 1.5 * u }) + label(at, k.label)));
    });
    scene.legend.marks.forEach(function (m) {
      var at = advance(m.label);
      out.push(tag("g", { "class": "legend-mark" }, tag("circle", { cx: at + r, cy: y, r: r, fill: "none",
        stroke: "#000000", "stroke-width": 3 * u, "stroke-dasharray": m.dashed ? num(5 * u) + " " + num(3 * u) : undefined }) +
        label(at, m.label)));
    });
    x = pad; y += 32 * u;
    gap = 3.8 * r; // a tie's swatch is a longer line, with its arrow head
    scene.legend.ties.forEach(function (t) {
      var at = advance(t.label);
      var line = tag("line", { x1: at, y1: y, x2: at + 2.6 * r, y2: y, stroke: t.colour, "stroke-width": 3 * u,
        "stroke-dasharray": t.dashes && t.dashes.length ? t.dashes.map(function (d) { return num(d * u); }).join(" ") : undefined });
      if (t.arrow) {
        var tip = at + 3.2 * r;
        line += tag("polygon", { points: points([[tip, y], [tip - 9 * u, y - 5 * u], [tip - 9 * u, y + 5 * u]]),
          fill: t.colour });
      }
      out.push(tag("g", { "class": "legend-tie" }, line + label(at, t.label)));
    });
    return { svg: out.join(""), bottom: y + 20 * u };
  }

  function noteLines(scene) {
    return wrap(scene.notes.join(" "), scene.width - 2 * scene.pad, function (text) {
      return scene.measure(text, 16 * scene.unit, "600");
    });
  }
  // Height of the legend band: the legend's rows and the notes under it.
  function footerHeight(scene) {
    var u = scene.unit;
    return Math.ceil(legend(scene, u, 0).bottom + noteLines(scene).length * 21 * u + 14 * u);
  }

  function build(scene) {
    var u = scene.unit, W = scene.width, H = scene.height, pad = scene.pad;
    var mapTop = scene.header, mapHeight = H - scene.header - scene.footer;
    var parts = [];
    parts.push("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    parts.push("<svg" + attrs({ xmlns: "http://www.w3.org/2000/svg", version: "1.1", width: W, height: H,
      viewBox: "0 0 " + W + " " + H, "font-family": scene.font, lang: scene.lang }) + ">\n");
    parts.push("<title>" + esc(scene.title) + "</title>\n");
    parts.push("<desc>" + esc(scene.notes.join(" ")) + "</desc>\n");
    parts.push(tag("defs", {}, tag("clipPath", { id: "map-area" },
      tag("rect", { x: 0, y: mapTop, width: W, height: mapHeight }))) + "\n");
    parts.push(tag("rect", { width: W, height: H, fill: "#ffffff" }) + "\n");
    // the map: ties under the actors, as vis-network draws them
    var v = scene.view;
    parts.push("<g clip-path=\"url(#map-area)\"><g class=\"map\" transform=\"translate(" + num(v.x) + " " +
      num(mapTop + v.y) + ") scale(" + v.scale + ")\">\n");
    // the national map's proeftuinen: a box each, under the ties (as the page draws them)
    (scene.groups || []).forEach(function (g) {
      var b = g.box, w = b[2] - b[0], h = b[3] - b[1];
      parts.push(tag("rect", { "class": "group", "data-group": g.key, x: b[0], y: b[1], width: w, height: h,
        rx: g.radius, fill: g.chosen ? "#0072b2" : "#000000", "fill-opacity": g.chosen ? 0.06 : 0.035,
        stroke: "#000000", "stroke-opacity": g.chosen ? 0.55 : 0.2,
        "stroke-width": (g.chosen ? 2.5 : 1.5) / v.scale }) + "\n");
    });
    scene.edges.forEach(function (e) { parts.push(edge(e) + "\n"); });
    scene.nodes.forEach(function (n) { parts.push(node(n) + "\n"); });
    parts.push("<g class=\"labels\">\n");
    scene.nodes.forEach(function (n) { if (n.label) { parts.push(nameText(n) + "\n"); } });
    parts.push("</g>\n");
    parts.push("</g></g>\n");
    // the proeftuinen's names, at a constant size over the map, where the page shows them
    (scene.groups || []).forEach(function (g) {
      if (!g.label) { return; }
      var x = g.label[0], y = mapTop + g.label[1], w = g.label[2], h = g.label[3];
      parts.push(tag("g", { "class": "group-name", "data-group": g.key },
        tag("rect", { x: x, y: y, width: w, height: h, rx: 4 * u,
          fill: g.chosen ? "#111111" : "#ffffff", "fill-opacity": g.chosen ? 1 : 0.88,
          stroke: g.chosen ? "#111111" : "#8a8a8a", "stroke-width": Math.max(1, u) }) +
        tag("text", { x: x + w / 2, y: y + h / 2 + g.size * 0.35, "text-anchor": "middle",
          "font-size": g.size, "font-weight": 700, fill: g.chosen ? "#ffffff" : "#111111" },
          esc(g.name))) + "\n");
    });
    // the title band and the legend band
    var line = Math.max(1, 2 * u);
    parts.push(tag("text", { "class": "title", x: pad, y: 12 * u + 34 * u * 0.8, "font-size": 34 * u,
      "font-weight": 700, fill: "#111111" }, esc(scene.title)) + "\n");
    parts.push(tag("text", { "class": "subtitle", x: pad, y: 54 * u + 20 * u * 0.8, "font-size": 20 * u,
      fill: "#111111" }, esc(scene.subtitle)) + "\n");
    parts.push(tag("rect", { x: 0, y: scene.header - line, width: W, height: line, fill: "#111111" }) + "\n");
    parts.push(tag("rect", { x: 0, y: H - scene.footer, width: W, height: line, fill: "#111111" }) + "\n");
    var key = legend(scene, u, H - scene.footer);
    parts.push(tag("g", { "class": "legend" }, key.svg) + "\n");
    var noteSize = 16 * u, y = key.bottom;
    var notes = noteLines(scene);
    parts.push(tag("text", { "class": "notes", "font-size": noteSize, "font-weight": 600, fill: "#111111" },
      notes.map(function (text, i) {
        return tag("tspan", { x: pad, y: y + i * 21 * u + noteSize * 0.8 }, esc(text));
      }).join("")) + "\n");
    parts.push("</svg>\n");
    return parts.join("");
  }

  window.graphMapSvg = { build: build, footerHeight: footerHeight, escape: esc };
})();
