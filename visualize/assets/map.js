/* Network map page script: filters, date control, search, focus, language, presentation, PNG.
 *
 * Reads the JSON block #map-data written by visualize/render.py and drives vis-network.
 * Everything happens in the page: no request is ever made.
 * window.graphMap exposes the state and actions (used by the browser tests).
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var I18N = DATA.i18n;
  var MIN_SIZE = 12;
  var MAX_SIZE = 42;
  var FADED = 0.15; // opacity of actors outside a focused neighbourhood
  var INACTIVE = 0.4; // opacity of actors without any visible tie at the chosen date
  var LABEL_SIZE = DATA.options.nodes.font.size;
  // On-screen size (CSS px) of the names that must be readable: every actor of a kind that is
  // not minor, and the focused neighbourhood. Larger in presentation (read from the back row).
  var READABLE_PX = 14;
  var PRESENTATION_PX = 18;
  var MAX_FIT_SCALE = 1.6; // focusing a small neighbourhood never zooms in further than this
  var GROUPS = DATA.groups || []; // groups of actors drawn as clusters (see "groups" below)
  var groupLabels = {}; // group key -> its name on the map (a button)
  var minorKind = {};
  (DATA.minorKinds || []).forEach(function (k) { minorKind[k] = true; });

  var state = {
    lang: DATA.lang,
    dateIndex: 0,
    date: DATA.initialDate,
    sizeMetric: DATA.sizeMetric,
    kindsOn: {},
    typesOn: {},
    focus: null,
    group: null, // the chosen group (a proeftuin of a national map), or null
    hops: 1,
    sinceMeeting: null, // date of the meeting whose later changes are highlighted
    showIntros: false,
    moving: false, // a fit or focus animation is under way
    onlyHood: false,
    legendHidden: false,
    presenting: false,
    playing: null,
    drawnAt: null,
    started: false,
    stabilizedAt: null,
    searchResults: []
  };
  DATA.kinds.forEach(function (k) { state.kindsOn[k] = true; });
  DATA.tieTypes.forEach(function (t) { state.typesOn[t] = true; });
  if (DATA.dates.length) {
    var initialIndex = DATA.dates.indexOf(DATA.initialDate);
    state.dateIndex = initialIndex >= 0 ? initialIndex : DATA.dates.length - 1;
    state.date = DATA.dates[state.dateIndex];
  }

  var actorById = {};
  DATA.actors.forEach(function (a) { actorById[a.id] = a; });
  var tieById = {};
  DATA.ties.forEach(function (t) { tieById[t.id] = t; });
  var edgeStyle = {};
  var edgeWidth = {};
  DATA.edges.forEach(function (e) { edgeStyle[e.id] = e.color; edgeWidth[e.id] = e.width; });

  function $(id) { return document.getElementById(id); }
  function words() { return I18N[state.lang]; }
  function t(key, fields) {
    var text = words().ui[key];
    if (text === undefined) { return key; }
    Object.keys(fields || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(fields[name]));
    });
    return text;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  // Formatters are costly to create and a large map formats thousands of dates: keep them.
  var formatters = {};
  function formatter(kind, options) {
    var key = kind + "|" + words().locale + "|" + JSON.stringify(options);
    if (!formatters[key]) {
      formatters[key] = kind === "date" ? new Intl.DateTimeFormat(words().locale, options)
        : new Intl.NumberFormat(words().locale, options);
    }
    return formatters[key];
  }
  var dateCache = {};
  function formatDate(iso) {
    if (!iso) { return ""; }
    var key = state.lang + iso;
    if (dateCache[key] === undefined) {
      dateCache[key] = formatter("date", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
        .format(new Date(iso + "T00:00:00Z"));
    }
    return dateCache[key];
  }
  // Whole numbers as they are, others with one decimal; a small value that one decimal would
  // show as 0 reads "< 0,1".
  function formatNumber(value) {
    if (value === null || value === undefined) { return "\u2014"; }
    if (value !== 0 && Math.abs(value) < 0.05) {
      return "< " + formatter("number", { maximumFractionDigits: 1 }).format(0.1);
    }
    return formatter("number", { maximumFractionDigits: Number.isInteger(value) ? 0 : 1 }).format(value);
  }

  /* ---------- which ties and actors are visible ---------- */

  function tieActive(tie, date) {
    // docs/metrics.md §0: visible at d when since <= d and (until empty or until > d).
    if (!date) { return true; }
    return tie.since <= date && (!tie.until || tie.until > date);
  }
  var hood = null; // the focused neighbourhood (id -> steps away) while "only this neighbourhood"
  function nodeVisible(item) {
    return state.kindsOn[actorById[item.id].kind] === true && (hood === null || hood[item.id] !== undefined);
  }
  var introById = {};
  (DATA.introductions || []).forEach(function (n) { introById[n.id] = n; });
  // A tie that ended after the chosen meeting (and by the date) stays on the map, faded.
  function endedSinceMeeting(tie) {
    return state.sinceMeeting !== null && !!tie.until && tie.until > state.sinceMeeting &&
      tie.until <= state.date && tie.since <= state.date;
  }
  function edgeVisible(item) {
    var intro = introById[item.id];
    if (intro) { return state.showIntros && nodeVisible({ id: intro.from }) && nodeVisible({ id: intro.to }); }
    var tie = tieById[item.id];
    return state.typesOn[tie.type] === true && (tieActive(tie, state.date) || endedSinceMeeting(tie)) &&
      nodeVisible({ id: tie.from }) && nodeVisible({ id: tie.to });
  }

  /* ---------- node sizes ---------- */

  // The caller's metrics hold at their own date (and after the last change, when nothing
  // moves any more); at every other slider step, sizes and articulation marks come from the
  // step's own degree, betweenness and articulation points (computed when the page was made).
  var cutAt = {};
  Object.keys(DATA.steps || {}).forEach(function (d) {
    cutAt[d] = {};
    DATA.steps[d].cut.forEach(function (i) { cutAt[d]["a" + i] = true; });
  });
  function givenMetrics() {
    var last = DATA.dates[DATA.dates.length - 1];
    return !DATA.steps || !DATA.steps[state.date] || state.date === DATA.metricsAt ||
      (DATA.metricsAt > last && state.date === last);
  }
  function actorIndex(actor) { return Number(actor.id.slice(1)); }
  function metricAtDate(actor, metric) {
    if (metric !== "brokerage" && !givenMetrics() && DATA.steps[state.date][metric]) {
      return DATA.steps[state.date][metric][actorIndex(actor)];
    }
    return actor.metrics[metric];
  }
  function isCut(actor) { return givenMetrics() ? actor.articulation : cutAt[state.date][actor.id] === true; }
  function metricValue(actor, metric) {
    var v = metricAtDate(actor, metric);
    return typeof v === "number" && isFinite(v) && v > 0 ? v : 0;
  }
  function sizeUpdates(metric) {
    var max = 0;
    DATA.actors.forEach(function (a) { max = Math.max(max, metricValue(a, metric)); });
    return DATA.actors.map(function (a) {
      // Area grows with the metric: size (a radius) follows its square root.
      var share = max > 0 ? Math.sqrt(metricValue(a, metric) / max) : 0.5;
      return { id: a.id, size: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share };
    });
  }

  /* ---------- tooltips (elements, so names are text, never markup) ---------- */

  function actorTooltip(actor) {
    var card = el("div", "tip");
    card.appendChild(el("div", "tip-name", actor.name));
    var kind = words().kinds[actor.kind].one;
    if (actor.group !== actor.kind) { kind += " \u00b7 " + actor.groupLabel[state.lang]; }
    card.appendChild(el("div", "tip-kind", kind));
    actor.about[state.lang].forEach(function (line) { card.appendChild(el("div", "tip-line", line)); });
    return card;
  }
  function tieSentence(tie) {
    var type = words().ties[tie.type];
    return type.sentence.split("{source}").join(actorById[tie.from].name)
      .split("{target}").join(actorById[tie.to].name);
  }
  function tieDates(tie) {
    var text = t("tie_since", { date: formatDate(tie.since) });
    if (tie.until) { text += ", " + t("tie_until", { date: formatDate(tie.until) }); }
    return text;
  }
  function tieTooltip(tie) { return tieSentence(tie) + " (" + tieDates(tie) + ")"; }
  function introTooltip(n) {
    return t("introduction_tip", { source: actorById[n.from].name, target: actorById[n.to].name,
      reason: n.reason[state.lang] });
  }

  /* ---------- the network ---------- */

  // The first look (sizes, tooltips, dimming) goes into the items before the DataSets are
  // made: updating thousands of items afterwards would cost a large map a second or more.
  var lastNodeLook = {};
  // vis-network's own names are never drawn (a transparent font of 1 map unit): the names
  // are drawn by placeLabels() and drawLabels() below, at a constant size on screen.
  var HIDDEN_FONT = { size: 1, color: "rgba(0,0,0,0)", strokeWidth: 0, vadjust: 0 };
  var lastEdgeLook = {};
  var firstLook = nodeLook();
  var firstSizes = {};
  sizeUpdates(state.sizeMetric).forEach(function (u) { firstSizes[u.id] = u.size; });
  var nodes = new vis.DataSet(DATA.nodes.map(function (item) {
    var look = firstLook[item.id];
    lastNodeLook[item.id] = look.opacity;
    return Object.assign({}, item, look, { size: firstSizes[item.id], font: HIDDEN_FONT,
      title: actorTooltip(actorById[item.id]) });
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (item) {
    lastEdgeLook[item.id] = "1|0";
    return Object.assign({}, item, { title: tieTooltip(tieById[item.id]) });
  }).concat((DATA.introductions || []).map(function (n) {
    // suggested introductions: grey dashed lines, behind a switch
    return { id: n.id, from: n.from, to: n.to, dashes: [6, 8], width: 3, smooth: false,
      color: { color: "#5a5a5a", highlight: "#000000", hover: "#000000" }, title: introTooltip(n) };
  })));
  var nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgesView = new vis.DataView(edges, { filter: edgeVisible });
  var container = $("map");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, DATA.options);
  // vis-network's frame is the element that takes keyboard focus (arrows pan, +/- zoom).
  var frame = container.querySelector(".vis-network") || container;
  frame.setAttribute("role", "application");
  frame.setAttribute("data-i18n-aria-label", "map_label");
  frame.setAttribute("aria-label", t("map_label"));

  // A white background, so the PNG download is not transparent (black in some viewers).
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  // Broker and articulation marks: a ring around the shape, so the kind's colour stays
  // readable (solid for a broker, dashed for an articulation point).
  var marked = [];
  function markActors() { marked = DATA.actors.filter(function (a) { return a.broker || isCut(a); }); }
  markActors();
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    marked.forEach(function (a) {
      var node = network.body.nodes[a.id];
      if (!node || !nodesView.get(a.id)) { return; }
      var mark = DATA.marks[a.broker ? "broker" : "articulation"];
      if (a.broker && isCut(a)) { mark = { width: mark.width + 2, dashes: false }; }
      var size = node.options.size;
      // a thin ring with a gap, so a small actor keeps its kind's colour (at least 1 px wide
      // and 1.5 px away on screen)
      var width = Math.max(Math.min(mark.width, size / 3), 1 / scale);
      var radius = size * (node.options.shape === "dot" ? 1 : 1.35) +
        Math.max(DATA.marks.gap, 1.5 / scale) + width / 2;
      ctx.save();
      ctx.globalAlpha = node.options.opacity === undefined ? 1 : node.options.opacity;
      ctx.strokeStyle = DATA.marks.colour;
      ctx.lineWidth = width;
      ctx.setLineDash(mark.dashes ? mark.dashes.map(function (d) { return Math.max(d, 3 / scale); }) : []);
      ctx.beginPath();
      ctx.arc(node.x, node.y, radius, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.restore();
    });
  });

  /* ---------- fitting a set of actors into view ---------- */

  // Our own fit: vis-network's counts the labels, which we grow as the map zooms out, so
  // each fit would shrink the next. Room is kept around the shapes for the names.
  function fitTo(ids, animate, maxScale, boxes, roomForNames) {
    var rect = container.getBoundingClientRect();
    if (!rect.width || !rect.height) { return; }
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    ids.forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node) { return; }
      var r = node.options.size || 0;
      left = Math.min(left, node.x - r); right = Math.max(right, node.x + r);
      top = Math.min(top, node.y - r); bottom = Math.max(bottom, node.y + r);
    });
    (boxes || []).forEach(function (b) { // map rectangles to keep in view as well
      left = Math.min(left, b[0]); top = Math.min(top, b[1]); right = Math.max(right, b[2]); bottom = Math.max(bottom, b[3]);
    });
    if (!isFinite(left)) { return; }
    var labelPx = state.presenting ? PRESENTATION_PX : READABLE_PX;
    var padX = Math.min(rect.width * 0.12, labelPx * 7); // half a long name beside the edge actors
    var padTop = 12 + (state.presenting ? toolbarHeight() : 0);
    var padBottom = labelPx * 1.6 + 12;
    var width = Math.max(right - left, 1), height = Math.max(bottom - top, 1);
    var scale = Math.min((rect.width - 2 * padX) / width, (rect.height - padTop - padBottom) / height,
      maxScale || MAX_FIT_SCALE);
    if (roomForNames) {
      // Names are drawn at a constant size, so a smaller network leaves them more room: when
      // the names that must be read would take much of the screen (twice their own area, as
      // a greedy placement wastes about half), the network gets what remains, down to 70%
      // of the size that would fit.
      var need = 0;
      ids.forEach(function (id) {
        var a = actorById[id];
        if (a && !minorKind[a.kind]) { need += 2 * (textWidth(a.name, labelPx) + labelPx * 0.6) * labelPx * 1.15; }
      });
      var screen = rect.width * (container.style.width ? rect.height : Math.min(rect.height, window.innerHeight - rect.top));
      var box = width * height * scale * scale;
      scale *= Math.min(1, Math.max(0.7, Math.sqrt(Math.max(screen - need, 0) / box)));
    }
    scale = Math.max(scale, 0.01);
    // centre of the free area, in map units
    var cx = (left + right) / 2;
    var cy = (top + bottom) / 2 + ((padBottom - padTop) / 2) / scale;
    var options = { position: { x: cx, y: cy }, scale: scale };
    if (animate) {
      options.animation = { duration: 450, easingFunction: "easeInOutQuad" };
      state.moving = true;
    }
    network.moveTo(options);
    if (!animate) { placeLabels(); }
  }
  function fitAll(animate) {
    // the national map keeps its group boxes in view; a proeftuin's map makes room for names
    fitTo(nodesView.getIds(), animate, 2.5, GROUPS.length ? groupBoxes() : [], !GROUPS.length);
  }
  function toolbarHeight() {
    var bar = $("present-bar");
    return bar && !bar.hidden ? bar.getBoundingClientRect().height + 8 : 0;
  }

  /* ---------- names a room can read ---------- */

  // Which names are drawn, where, and how large. vis-network draws no names (HIDDEN_FONT);
  // placeLabels() chooses them and drawLabels() draws them on the map's canvas, at a constant
  // size on screen: READABLE_PX (PRESENTATION_PX in presentation), growing with the zoom
  // only past vis-network's own size. Actors are named in order of priority: the focused
  // actor, its neighbourhood, actors of a kind that is not minor (funds, officials,
  // organisations, initiatives), then the minor kinds (residents); within each group by the
  // size metric. While an actor is focused only its neighbourhood is named.
  //
  // Each name takes the first free place among candidates around its actor: right beside
  // it (below, above, right, left, then the other directions), then ring by ring further
  // out along 16 directions, joined to its actor by a thin leader line. A place is free when
  // it lies on screen and overlaps no name placed before it and no actor's shape; a name
  // that must be read may cover a resident's dot when nothing else is free. Names of minor
  // kinds are placed only right beside their actor, where there is room; a name that finds
  // no place is left out (and counted).
  //
  // Written here, not taken from a library: the label-placement libraries we know of
  // (d3-labeler, labella.js) need d3, anneal for seconds on large maps or place names along
  // one axis only; this greedy pass is small, runs in milliseconds, and works offline under
  // the page's CSP as it is.
  var measure = document.createElement("canvas").getContext("2d");
  var widthAt100 = {};
  function textWidth(name, px) {
    if (widthAt100[name] === undefined) {
      measure.font = "100px " + DATA.options.nodes.font.face;
      widthAt100[name] = measure.measureText(name).width;
    }
    return widthAt100[name] * px / 100;
  }
  var LABEL_GAP = 3; // CSS px between an actor's shape and its name
  var LEADER_RINGS = 16; // how many rings out a name that must be read may go
  var LEADER_BUDGET = 20000; // candidate places tried beyond the first ring, per placement
  var MAX_MISSES = 12; // names in a row without a place: the screen is full
  var MAX_FALLBACKS = 300; // names placed anywhere on screen, per placement (each a raster pass)
  // below, above, right, left, the diagonals, then every 22.5 degrees; from the third ring
  // on (where the rings are longer) every 11.25 degrees
  var DIRECTIONS = [[0, 1], [0, -1], [1, 0], [-1, 0]];
  var FAR_DIRECTIONS = [];
  [45, 135, 225, 315, 22.5, 157.5, 202.5, 337.5, 67.5, 112.5, 247.5, 292.5].forEach(function (deg) {
    var rad = deg * Math.PI / 180;
    DIRECTIONS.push([Math.cos(rad), Math.sin(rad)]);
  });
  DIRECTIONS.forEach(function (u) { FAR_DIRECTIONS.push(u); });
  for (var deg = 11.25; deg < 360; deg += 22.5) {
    FAR_DIRECTIONS.push([Math.cos(deg * Math.PI / 180), Math.sin(deg * Math.PI / 180)]);
  }
  // The names drawn: actor id, size (CSS px), centre offset from the actor's centre on
  // screen (dx, dy), width and height of the box, and where the leader line starts and ends
  // (offsets too), or null.
  var labels = [];
  var labelStats = { drawn: 0, moved: 0, dropped: 0 };
  function labelBox(l) {
    var p = network.canvasToDOM(network.getPosition(l.id));
    return [p.x + l.dx - l.w / 2, p.y + l.dy - l.h / 2, p.x + l.dx + l.w / 2, p.y + l.dy + l.h / 2];
  }
  function shapeRadius(node, a) {
    // the shape's radius on screen, with the broker or cut-point ring around it
    var r = (node.options.size || 0) * (node.options.shape === "dot" ? 1 : 1.2);
    if (a.broker || isCut(a)) { r += DATA.marks.gap + DATA.marks[a.broker ? "broker" : "articulation"].width + 2; }
    return r;
  }
  function placeLabels() {
    var scale = network.getScale();
    var rect = container.getBoundingClientRect();
    var focus = focusSet();
    var target = (state.presenting ? PRESENTATION_PX : READABLE_PX) * (state.exportUnit || 1);
    // The largest size, down to the readable minimum, at which every name that must be read
    // finds a place: presentation's larger names give way a step at a time on a crowded map
    // rather than leave a name out.
    var px = Math.max(target, LABEL_SIZE * scale);
    var floor = READABLE_PX * (state.exportUnit || 1);
    var found = placeAt(px);
    while (found.stats.mustDropped > 0 && px > floor) {
      px = Math.max(floor, px - 2 * (state.exportUnit || 1));
      found = placeAt(px);
    }
    var placed = found.placed, stats = found.stats;
    function placeAt(px) {
      // Names stand in rows: a name's top lies on a line ``h`` apart (a whole number of raster
      // cells), so names stack without slivers of unusable room between them.
      var RASTER = 4;
      var h = Math.ceil(px * 1.1 / RASTER) * RASTER;
      // on screen: inside the map element and the window (an export draws the whole element)
      var onScreen = !container.style.width;
      var bounds = onScreen ? [Math.max(2, -rect.left + 2), Math.max(2, -rect.top + 2),
        Math.min(rect.width, window.innerWidth - rect.left) - 2, Math.min(rect.height, window.innerHeight - rect.top) - 2]
        : [2, 2, rect.width - 2, rect.height - 2];
      var rowBase = Math.ceil(bounds[1] / RASTER) * RASTER;
      function rowTop(y) { return rowBase + Math.round((y - rowBase) / h) * h; }
      var CELL = 48;
      var grid = {};
      // The last resort for a name that must be read and found no place near its actor: the
      // nearest free place in any row on screen, found on a raster of RASTER px cells (a cell
      // counts as taken when a box reaches into it) with a summed-area table, so the whole
      // screen is searched in one pass per name.
      var rw = Math.ceil(rect.width / RASTER) + 1, rh = Math.ceil(rect.height / RASTER) + 1;
      var solid = [];
      var occupied = null;
      function rasterise(box) {
        var x0 = Math.max(0, Math.floor((box[0] + 0.01) / RASTER)), x1 = Math.min(rw - 1, Math.floor((box[2] - 0.01) / RASTER));
        var y0 = Math.max(0, Math.floor((box[1] + 0.01) / RASTER)), y1 = Math.min(rh - 1, Math.floor((box[3] - 0.01) / RASTER));
        for (var y = y0; y <= y1; y++) { for (var x = x0; x <= x1; x++) { occupied[y * rw + x] = 1; } }
      }
      function nearestFree(s, w, self) {
        if (!occupied) { occupied = new Uint8Array(rw * rh); solid.forEach(rasterise); }
        var sum = new Int32Array((rw + 1) * (rh + 1));
        for (var y = 0; y < rh; y++) {
          var row = 0;
          for (var x = 0; x < rw; x++) {
            row += occupied[y * rw + x];
            sum[(y + 1) * (rw + 1) + x + 1] = sum[y * (rw + 1) + x + 1] + row;
          }
        }
        var cw = Math.floor((w - 0.01) / RASTER) + 1, ch = h / RASTER;
        var fx0 = Math.ceil(bounds[0] / RASTER), fx1 = Math.floor((bounds[2] - w) / RASTER);
        var best = null, bestD = Infinity;
        for (var top = rowBase; top + h <= bounds[3]; top += h) {
          var cy = top / RASTER;
          for (var cx = fx0; cx <= fx1; cx++) {
            var used = sum[(cy + ch) * (rw + 1) + cx + cw] - sum[cy * (rw + 1) + cx + cw] -
              sum[(cy + ch) * (rw + 1) + cx] + sum[cy * (rw + 1) + cx];
            if (used) { continue; }
            var mx = cx * RASTER + w / 2 - s.x, my = top + h / 2 - s.y;
            var d = mx * mx + my * my;
            if (d < bestD) { bestD = d; best = [cx * RASTER, top]; }
          }
        }
        if (!best) { return null; }
        var box = [best[0], best[1], best[0] + w, best[1] + h, 2, self];
        // (it may cover a resident's dot: the raster holds only what a name may not cover)
        return taken(box, self) < 2 && !onShape(box, s) ? { box: box, k: LEADER_RINGS + 1, u: null } : null;
      }
      function onShape(box, s) {
        return box[0] < s.x + s.r && box[2] > s.x - s.r && box[1] < s.y + s.r && box[3] > s.y - s.r;
      }
      function add(box) {
        if (box[4] === 2) { solid.push(box); if (occupied) { rasterise(box); } }
        for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
          for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
            (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(box);
          }
        }
      }
      // 0: free, 1: covers a resident's dot only, 2: taken
      function taken(box, self) {
        var worst = 0;
        for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
          for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
            var cell = grid[gx + "," + gy];
            if (!cell) { continue; }
            for (var i = 0; i < cell.length; i++) {
              var o = cell[i];
              if (o[5] !== self && box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) {
                if (o[4] === 2) { return 2; }
                worst = 1;
              }
            }
          }
        }
        return worst;
      }
      // what lies over the map (the counts line, the presentation bar and legend) is taken too
      ["map-status", "mini-legend", "present-bar"].forEach(function (id) {
        var over = $(id);
        if (!onScreen || !over || over.hidden || !over.getClientRects().length) { return; }
        var o = over.getBoundingClientRect();
        if (o.width && o.height) {
          add([o.left - rect.left - 2, o.top - rect.top - 2, o.right - rect.left + 2, o.bottom - rect.top + 2, 2, null]);
        }
      });
      // names keep off the proeftuinen's names on the national map
      groupLabelRects().forEach(function (b) { add([b[0], b[1], b[2], b[3], 2, null]); });
      var ranked = [];
      var shapes = {};
      nodesView.getIds().forEach(function (id) {
        var node = network.body.nodes[id];
        if (!node) { return; }
        var a = actorById[id];
        var p = network.canvasToDOM({ x: node.x, y: node.y });
        var r = shapeRadius(node, a) * scale;
        if (p.x + r < 0 || p.x - r > rect.width || p.y + r < 0 || p.y - r > rect.height) { return; }
        shapes[id] = { x: p.x, y: p.y, r: r,
          shape: (node.options.size || 0) * (node.options.shape === "dot" ? 1 : 1.2) * scale };
        if (focus && focus[id] === undefined) { return; } // only the neighbourhood is named, over faded shapes
        if (!focus && !inChosenGroup(id)) { return; } // a drilled-into proeftuin: only its actors are named
        // every shape is an obstacle: a resident's (1) may be covered by a name that must be read
        add([p.x - r - 1, p.y - r - 1, p.x + r + 1, p.y + r + 1, minorKind[a.kind] ? 1 : 2, id]);
        var rank = id === state.focus ? 0 : (focus ? 1 : (minorKind[a.kind] ? 3 : 2));
        ranked.push({ id: id, rank: rank, value: metricValue(a, state.sizeMetric) });
      });
      ranked.sort(function (x, y) { return x.rank - y.rank || y.value - x.value || (x.id < y.id ? -1 : 1); });
      // When the names that must be read cannot all fit on screen even packed tightly (a large
      // map at fit-all), none is sent far from its actor: each is placed beside it or on the
      // rings around it, or left out, and the search stays cheap.
      var need = 0;
      ranked.forEach(function (item) {
        if (item.rank <= 2) { need += (textWidth(actorById[item.id].name, px) + px * 0.6) * h; }
      });
      var crowded = need > (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]);
      var stats = { drawn: 0, moved: 0, dropped: 0, far: 0, mustDropped: 0, px: px };
      var budget = LEADER_BUDGET;
      var fallbacks = 0, fullFor = Infinity, misses = 0;
      var placed = [];
      ranked.forEach(function (item) {
        var s = shapes[item.id];
        var w = textWidth(actorById[item.id].name, px) + px * 0.6; // a clear gap between names in a row
        var must = item.rank <= 2;
        // once many names in a row found no place, the screen is full: only beside the actor
        var rings = must && misses < MAX_MISSES ? (crowded ? 3 : LEADER_RINGS) : 0;
        var step = h * 0.6;
        var clean = null, covering = null;
        // no place on the whole screen for a narrower name: none for this one either
        if (w >= fullFor) { stats.dropped++; stats.mustDropped += must ? 1 : 0; return; }
        for (var k = 0; k <= rings && !clean; k++) {
          if (k > 0 && budget <= 0) { break; }
          var reach = s.r + LABEL_GAP + k * step;
          var directions = k === 0 && !must ? DIRECTIONS.slice(0, 8) : (k >= 2 ? FAR_DIRECTIONS : DIRECTIONS);
          for (var d = 0; d < directions.length; d++) {
            var u = directions[d];
            // the box's nearest side is ``reach`` from the actor's centre along u
            var along = reach + (w / 2) * Math.abs(u[0]) + (h / 2) * Math.abs(u[1]);
            var cx = s.x + u[0] * along, top = rowTop(s.y + u[1] * along - h / 2);
            var box = [cx - w / 2, top, cx + w / 2, top + h, 2, item.id];
            if (onShape(box, s)) { continue; } // moved onto its own actor by the rows
            if (box[0] < bounds[0] || box[1] < bounds[1] || box[2] > bounds[2] || box[3] > bounds[3]) { continue; }
            if (k > 0) { budget--; }
            var hit = taken(box, item.id);
            if (hit === 0) { clean = { box: box, k: k, u: u }; break; }
            if (hit === 1 && must && !covering) { covering = { box: box, k: k, u: u }; }
          }
        }
        if (!clean && !covering && must && !crowded && w < fullFor && fallbacks < MAX_FALLBACKS && misses < MAX_MISSES) {
          fallbacks++;
          clean = nearestFree(s, w, item.id);
          if (clean) { stats.far++; }
          if (!clean) { fullFor = w; } // the screen has no room left for a name this wide
        }
        var spot = clean || covering;
        if (must) { misses = spot ? 0 : misses + 1; }
        if (!spot) { stats.dropped++; stats.mustDropped += must ? 1 : 0; return; }
        add(spot.box);
        var b = spot.box;
        var leader = null;
        // from the shape's edge towards the box, to the box's nearest point, when the name
        // stands apart from its actor
        var nx = Math.min(Math.max(s.x, b[0]), b[2]) - s.x, ny = Math.min(Math.max(s.y, b[1]), b[3]) - s.y;
        var len = Math.sqrt(nx * nx + ny * ny) || 1;
        if (spot.k > 0 || len > s.shape + 8) { leader = [nx / len * s.shape, ny / len * s.shape, nx, ny]; }
        placed.push({ id: item.id, px: px, dx: (b[0] + b[2]) / 2 - s.x, dy: (b[1] + b[3]) / 2 - s.y,
          w: w, h: h, leader: leader });
        stats.drawn++;
        if (spot.k > 0 || spot.u !== DIRECTIONS[0]) { stats.moved++; }
      });
      return { placed: placed, stats: stats };
    }
    labels = placed;
    labelStats = stats;
    // one drawing at the next frame (as a DataSet update asks), however often names are placed
    network.body.emitter.emit("_requestRedraw");
  }
  function drawLabels(ctx) {
    if (!labels.length) { return; }
    var scale = network.getScale();
    var face = DATA.options.nodes.font.face;
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    labels.forEach(function (l) {
      var node = network.body.nodes[l.id];
      if (!node || !l.leader) { return; }
      var alpha = lastNodeLook[l.id] === 1 ? 1 : Math.max(lastNodeLook[l.id], 0.3);
      ctx.strokeStyle = "rgba(90,90,90," + alpha * 0.8 + ")";
      ctx.lineWidth = 1 / scale;
      ctx.beginPath();
      ctx.moveTo(node.x + l.leader[0] / scale, node.y + l.leader[1] / scale);
      ctx.lineTo(node.x + l.leader[2] / scale, node.y + l.leader[3] / scale);
      ctx.stroke();
    });
    labels.forEach(function (l) {
      var node = network.body.nodes[l.id];
      if (!node) { return; }
      var alpha = lastNodeLook[l.id] === 1 ? 1 : Math.max(lastNodeLook[l.id], 0.3);
      var x = node.x + l.dx / scale, y = node.y + l.dy / scale;
      ctx.font = (l.px / scale) + "px " + face;
      ctx.strokeStyle = "rgba(255,255,255," + alpha + ")";
      ctx.lineWidth = Math.max(3, l.px / 3.5) / scale;
      ctx.strokeText(actorById[l.id].name, x, y);
      ctx.fillStyle = "rgba(17,17,17," + alpha + ")";
      ctx.fillText(actorById[l.id].name, x, y);
    });
    ctx.restore();
  }
  network.on("afterDrawing", drawLabels);
  var labelTimer = null;
  function placeLabelsSoon() {
    if (labelTimer !== null) { clearTimeout(labelTimer); }
    labelTimer = setTimeout(function () { labelTimer = null; placeLabels(); }, 90);
  }
  network.on("zoom", placeLabelsSoon);
  network.on("dragEnd", placeLabelsSoon);
  network.on("animationFinished", function () { state.moving = false; placeLabels(); });

  if (DATA.physics) {
    // Let physics find a layout once, then stop it so the map stands still on the beamer.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      state.stabilizedAt = performance.now();
      fitAll(false);
    });
  } else {
    state.stabilizedAt = performance.now();
    fitAll(false);
  }
  network.on("afterDrawing", function () {
    if (state.drawnAt === null && state.stabilizedAt !== null && state.started) {
      state.drawnAt = performance.now();
      document.body.setAttribute("data-map-ready", "true");
    }
  });

  /* ---------- appearance: focus and date dimming ---------- */

  // Actors within ``hops`` ties of ``id`` (id -> steps), through the ties shown at the date
  // under the kind and tie-type filters.
  function neighbourhood(id, hops) {
    var adjacent = {};
    DATA.ties.forEach(function (tie) {
      if (state.typesOn[tie.type] !== true || !tieActive(tie, state.date)) { return; }
      if (!state.kindsOn[actorById[tie.from].kind] || !state.kindsOn[actorById[tie.to].kind]) { return; }
      (adjacent[tie.from] = adjacent[tie.from] || []).push(tie.to);
      (adjacent[tie.to] = adjacent[tie.to] || []).push(tie.from);
    });
    var steps = {};
    steps[id] = 0;
    var frontier = [id];
    for (var step = 1; step <= hops; step++) {
      var next = [];
      frontier.forEach(function (at) {
        (adjacent[at] || []).forEach(function (other) {
          if (steps[other] === undefined) { steps[other] = step; next.push(other); }
        });
      });
      frontier = next;
    }
    return steps;
  }
  function focusSet() {
    if (state.focus === null) { return null; }
    return neighbourhood(state.focus, state.hops);
  }
  // Opacity of every actor (its name follows, see drawLabels): full in a focused neighbourhood (or everywhere
  // without focus), faded outside it, dimmed when the actor has no visible tie at the date.
  function nodeLook(focus) {
    var active = {};
    DATA.ties.forEach(function (tie) {
      if (edgeVisible(tie)) { active[tie.from] = true; active[tie.to] = true; }
    });
    var looks = {};
    DATA.actors.forEach(function (a) {
      var opacity = 1;
      if (focus) { opacity = focus[a.id] !== undefined ? 1 : FADED; } else if (!inChosenGroup(a.id)) { opacity = FADED; } else if (!active[a.id]) { opacity = INACTIVE; }
      looks[a.id] = { opacity: opacity };
    });
    return looks;
  }
  function applyAppearance() {
    var focus = focusSet();
    var looks = nodeLook(focus);
    var nodeChanges = [];
    DATA.actors.forEach(function (a) {
      var look = looks[a.id];
      if (lastNodeLook[a.id] !== look.opacity) {
        lastNodeLook[a.id] = look.opacity;
        nodeChanges.push({ id: a.id, opacity: look.opacity });
      }
    });
    var edgeChanges = [];
    DATA.ties.forEach(function (tie) {
      var on = !focus ? inChosenGroup(tie.from) && inChosenGroup(tie.to) :
        (focus[tie.from] !== undefined && focus[tie.to] !== undefined &&
        (focus[tie.from] < state.hops || focus[tie.to] < state.hops));
      var opacity = on ? 1 : 0.08;
      var extra = 0;
      if (state.sinceMeeting !== null) {
        if (endedSinceMeeting(tie) && !tieActive(tie, state.date)) { opacity = Math.min(opacity, 0.2); } else if (tie.since > state.sinceMeeting) { extra = 4; } else { opacity = Math.min(opacity, 0.45); }
      }
      var look = opacity + "|" + extra;
      if (lastEdgeLook[tie.id] !== look) {
        lastEdgeLook[tie.id] = look;
        var c = edgeStyle[tie.id];
        edgeChanges.push({ id: tie.id, width: edgeWidth[tie.id] + extra,
          color: { color: c.color, highlight: c.highlight, hover: c.hover, opacity: opacity } });
      }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
  }

  function refresh() {
    if (state.focus !== null && state.onlyHood) { hood = focusSet(); }
    nodesView.refresh();
    edgesView.refresh();
    if (state.focus !== null && !nodeVisible({ id: state.focus })) { clearFocus(); return; }
    applyAppearance();
    renderDetails();
    renderStatus();
    placeLabels();
  }

  function renderStatus() {
    $("map-status").textContent = t("counts", {
      actors: nodesView.length, ties: edgesView.length
    });
  }

  /* ---------- focus on one actor ---------- */

  function focusActor(id, opts) {
    var actor = actorById[id];
    if (!actor) { return false; }
    opts = opts || {};
    if (!state.kindsOn[actor.kind]) { setKindVisible(actor.kind, true); }
    state.focus = id;
    if (state.onlyHood) { hood = focusSet(); nodesView.refresh(); edgesView.refresh(); }
    network.selectNodes([id]);
    applyAppearance();
    renderDetails();
    renderStatus();
    if (opts.zoom !== false) {
      fitFocus(opts.animate !== false);
    } else {
      placeLabels();
    }
    return true;
  }
  // The whole focused neighbourhood in view (and no closer than MAX_FIT_SCALE).
  function fitFocus(animate) {
    if (state.focus === null) { return; }
    fitTo(Object.keys(focusSet()), animate, MAX_FIT_SCALE);
  }
  function clearFocus() {
    state.focus = null;
    if (hood !== null) { hood = null; nodesView.refresh(); edgesView.refresh(); }
    network.unselectAll();
    applyAppearance();
    renderDetails();
    renderStatus();
    placeLabels();
  }
  function setHops(hops) {
    state.hops = hops === 2 ? 2 : 1;
    document.querySelectorAll(".hops-choice").forEach(function (box) { box.checked = Number(box.value) === state.hops; });
    if (state.focus !== null) { refresh(); fitFocus(true); }
  }
  function setOnlyHood(on) {
    state.onlyHood = !!on;
    document.querySelectorAll(".only-hood").forEach(function (box) { box.checked = state.onlyHood; });
    hood = state.onlyHood && state.focus !== null ? focusSet() : null;
    refresh();
    if (state.focus !== null) { fitFocus(true); }
  }

  // "3 initiatives, 1 official and 2 residents", in the page language.
  function countList(counts) {
    var parts = DATA.kinds.filter(function (k) { return counts[k]; }).map(function (k) {
      var n = counts[k];
      return formatNumber(n) + " " + (n === 1 ? words().kinds[k].one : words().kinds[k].many);
    });
    if (parts.length < 2) { return parts.join(""); }
    return parts.slice(0, -1).join(", ") + " " + t("and") + " " + parts[parts.length - 1];
  }
  // The actor in plain words: whom it is tied to at the date and, for a broker or an
  // articulation point, which kinds it links ("links 3 initiatives with 2 officials").
  function plainWords(a) {
    var counts = {};
    var steps = neighbourhood(a.id, 1);
    Object.keys(steps).forEach(function (id) {
      if (id === a.id) { return; }
      var kind = actorById[id].kind;
      counts[kind] = (counts[kind] || 0) + 1;
    });
    var kinds = DATA.kinds.filter(function (k) { return counts[k]; });
    if (!kinds.length) { return t("plain_alone"); }
    if ((a.broker || isCut(a)) && kinds.length >= 2) {
      var first = kinds.slice().sort(function (x, y) { return counts[y] - counts[x]; })[0];
      var rest = {};
      kinds.forEach(function (k) { if (k !== first) { rest[k] = counts[k]; } });
      var only = {};
      only[first] = counts[first];
      return t("plain_links", { first: countList(only), rest: countList(rest) });
    }
    return t("plain_ties", { list: countList(counts) });
  }
  function renderDetails() {
    var hoodButton = $("pb-hood");
    hoodButton.hidden = !state.presenting || state.focus === null;
    hoodButton.setAttribute("aria-pressed", String(state.onlyHood));
    var body = $("details-body");
    body.textContent = "";
    var clear = $("clear-selection");
    if (state.focus === null) {
      body.appendChild(el("p", "hint", t("details_empty")));
      clear.hidden = true;
      $("focus-controls").hidden = true;
      return;
    }
    clear.hidden = false;
    $("focus-controls").hidden = false;
    var a = actorById[state.focus];
    body.appendChild(el("h3", null, a.name));
    var kind = words().kinds[a.kind].one;
    if (a.group !== a.kind) { kind += " \u00b7 " + t("group") + ": " + a.groupLabel[state.lang]; }
    body.appendChild(el("p", "tip-kind", kind));
    if (a.broker || isCut(a)) {
      var badges = el("p");
      if (a.broker) { badges.appendChild(el("span", "badge", t("broker_badge"))); }
      if (isCut(a)) { badges.appendChild(el("span", "badge badge-articulation", t("articulation_badge"))); }
      body.appendChild(badges);
    }
    var plain = plainWords(a);
    if (plain) { body.appendChild(el("p", "plain", plain)); }
    a.about[state.lang].forEach(function (line) { body.appendChild(el("p", null, line)); });
    var dl = el("dl", "metric-list");
    [["degree", "degree"], ["betweenness", "betweenness"], ["brokerage", "brokerage_total"]].forEach(function (pair) {
      dl.appendChild(el("dt", null, t(pair[1])));
      dl.appendChild(el("dd", null, formatNumber(metricAtDate(a, pair[0]))));
    });
    body.appendChild(dl);
    body.appendChild(el("h4", null, t("details_ties")));
    var incident = edgesView.getIds().map(function (id) { return tieById[id]; })
      .filter(function (tie) { return tie.from === a.id || tie.to === a.id; });
    if (!incident.length) {
      body.appendChild(el("p", "hint", t("details_no_ties")));
      return;
    }
    incident.sort(function (x, y) {
      return DATA.tieTypes.indexOf(x.type) - DATA.tieTypes.indexOf(y.type) ||
        tieSentence(x).localeCompare(tieSentence(y), words().locale);
    });
    var list = el("ul", "tie-list");
    incident.forEach(function (tie) {
      var other = tie.from === a.id ? tie.to : tie.from;
      var item = el("li");
      var button = el("button");
      button.type = "button";
      button.appendChild(document.createTextNode(tieSentence(tie)));
      button.appendChild(el("span", "tie-date", " (" + tieDates(tie) + ")"));
      button.addEventListener("click", function () { focusActor(other); });
      item.appendChild(button);
      list.appendChild(item);
    });
    body.appendChild(list);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { focusActor(params.nodes[0]); } else if (!params.edges.length) { clearFocus(); }
  });

  /* ---------- filters ---------- */

  function setKindVisible(kind, on) {
    state.kindsOn[kind] = !!on;
    document.querySelectorAll(".kind-filter").forEach(function (box) {
      if (box.value === kind) { box.checked = !!on; }
    });
    refresh();
  }
  function setTieTypeVisible(type, on) {
    state.typesOn[type] = !!on;
    document.querySelectorAll(".tie-filter").forEach(function (box) {
      if (box.value === type) { box.checked = !!on; }
    });
    refresh();
  }
  document.querySelectorAll(".kind-filter").forEach(function (box) {
    box.addEventListener("change", function () { setKindVisible(box.value, box.checked); });
  });
  document.querySelectorAll(".tie-filter").forEach(function (box) {
    box.addEventListener("change", function () { setTieTypeVisible(box.value, box.checked); });
  });

  /* ---------- date control ---------- */

  var slider = $("date");
  function setDateIndex(index) {
    if (!DATA.dates.length) { return; }
    index = Math.max(0, Math.min(DATA.dates.length - 1, Math.round(index)));
    state.dateIndex = index;
    state.date = DATA.dates[index];
    slider.value = String(index);
    renderDate();
    markActors();
    nodes.update(sizeUpdates(state.sizeMetric));
    refresh();
  }
  function renderDate() {
    if (!slider) {
      $("metrics-note").textContent = DATA.metricsAt ? t("metrics_note", { date: formatDate(DATA.metricsAt) }) : "";
      return;
    }
    renderMeetings();
    var label = formatDate(state.date);
    $("date-value").textContent = label;
    $("pb-date-value").textContent = label;
    // sizes and marks follow the slider; brokerage roles are those of the caller's date
    $("metrics-note").textContent = t("metrics_note", { date: label }) +
      (DATA.metricsAt && !givenMetrics() ? " " + t("brokerage_note", { date: formatDate(DATA.metricsAt) }) : "");
    slider.setAttribute("aria-valuetext", label);
  }
  function stopPlaying() {
    if (state.playing !== null) { clearInterval(state.playing); state.playing = null; }
    var play = $("date-play");
    if (play) { play.setAttribute("aria-pressed", "false"); play.textContent = t("play"); }
  }
  function togglePlay() {
    if (state.playing !== null) { stopPlaying(); return; }
    if (state.dateIndex >= DATA.dates.length - 1) { setDateIndex(0); }
    var play = $("date-play");
    play.setAttribute("aria-pressed", "true");
    play.textContent = t("pause");
    state.playing = setInterval(function () {
      if (state.dateIndex >= DATA.dates.length - 1) { stopPlaying(); return; }
      setDateIndex(state.dateIndex + 1);
    }, 900);
  }
  // Meeting marks under the slider (name and date on hover); choosing one jumps to it.
  function renderMeetings() {
    var box = $("meeting-marks");
    if (!box) { return; }
    box.textContent = "";
    var last = DATA.dates.length - 1;
    DATA.meetings.forEach(function (m) {
      var index = DATA.dates.indexOf(m.date);
      if (index < 0) { return; }
      var mark = el("button", "meeting-mark");
      mark.type = "button";
      mark.style.left = (last > 0 ? (index / last) * 100 : 0) + "%";
      var text = t("meeting_marker", { title: m.title, date: formatDate(m.date) });
      mark.title = text;
      mark.setAttribute("aria-label", text);
      if (index === state.dateIndex) { mark.setAttribute("aria-current", "date"); }
      mark.addEventListener("click", function () { setDateIndex(index); });
      box.appendChild(mark);
    });
    var since = $("since-meeting");
    if (since) {
      var chosen = since.value;
      since.textContent = "";
      var none = el("option", null, t("since_none"));
      none.value = "";
      since.appendChild(none);
      DATA.meetings.forEach(function (m) {
        var option = el("option", null, formatDate(m.date) + ": " + m.title);
        option.value = m.date;
        since.appendChild(option);
      });
      since.value = chosen;
    }
  }
  function setSinceMeeting(iso) {
    state.sinceMeeting = iso || null;
    var since = $("since-meeting");
    if (since) { since.value = iso || ""; }
    refresh();
  }
  function setIntroductions(on) {
    state.showIntros = !!on;
    var box = $("show-intros");
    if (box) { box.checked = state.showIntros; }
    refresh();
  }
  if ($("since-meeting")) { $("since-meeting").addEventListener("change", function () { setSinceMeeting(this.value); }); }
  if ($("show-intros")) { $("show-intros").addEventListener("change", function () { setIntroductions(this.checked); }); }
  if (slider) {
    slider.value = String(state.dateIndex);
    slider.addEventListener("input", function () { setDateIndex(Number(slider.value)); });
    $("date-prev").addEventListener("click", function () { setDateIndex(state.dateIndex - 1); });
    $("date-next").addEventListener("click", function () { setDateIndex(state.dateIndex + 1); });
    $("date-play").addEventListener("click", togglePlay);
    $("pb-prev").addEventListener("click", function () { setDateIndex(state.dateIndex - 1); });
    $("pb-next").addEventListener("click", function () { setDateIndex(state.dateIndex + 1); });
  }

  /* ---------- size metric ---------- */

  function setSizeMetric(metric) {
    if (DATA.sizeMetrics.indexOf(metric) < 0) { return; }
    state.sizeMetric = metric;
    $("size-metric").value = metric;
    nodes.update(sizeUpdates(metric));
  }
  $("size-metric").addEventListener("change", function () { setSizeMetric(this.value); });

  /* ---------- search (ignores case, accents and punctuation) ---------- */

  // Letters that Unicode does not decompose into a base letter plus an accent.
  var FOLD = { "\u0131": "i", "\u00f8": "o", "\u0142": "l", "\u00df": "ss", "\u00e6": "ae",
    "\u0153": "oe", "\u0111": "d", "\u00f0": "d", "\u00fe": "th" };
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u0131\u00f8\u0142\u00df\u00e6\u0153\u0111\u00f0\u00fe]/g, function (c) { return FOLD[c]; })
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  var folded = {};
  DATA.actors.forEach(function (a) { folded[a.id] = fold(a.name); });

  function search(query) {
    var q = fold(query);
    if (!q) { return []; }
    var hits = [];
    DATA.actors.forEach(function (a) {
      var name = folded[a.id];
      var at = name.indexOf(q);
      if (at < 0) { return; }
      var rank = at === 0 ? 0 : (name.charAt(at - 1) === " " ? 1 : 2);
      hits.push({ id: a.id, rank: rank, name: a.name });
    });
    hits.sort(function (x, y) { return x.rank - y.rank || x.name.localeCompare(y.name, words().locale); });
    return hits.map(function (h) { return h.id; });
  }
  // The panel's search box, or the presentation toolbar's (same behaviour, its own list).
  function renderSearch(which) {
    var inBar = which === "present" || (which === undefined && state.presenting);
    var input = $(inBar ? "present-search" : "search");
    var list = $(inBar ? "present-results" : "search-results");
    var status = inBar ? null : $("search-status");
    list.textContent = "";
    var q = input.value;
    state.searchResults = search(q).slice(0, inBar ? 6 : 10);
    if (status) { status.textContent = ""; }
    if (!fold(q)) { return; }
    if (!state.searchResults.length) {
      if (status) { status.textContent = t("search_none"); } else { list.appendChild(el("li", "hint", t("search_none"))); }
      return;
    }
    state.searchResults.forEach(function (id) {
      var a = actorById[id];
      var item = el("li");
      var button = el("button");
      button.type = "button";
      button.appendChild(document.createTextNode(a.name + " "));
      var kind = words().kinds[a.kind].one;
      if (!state.kindsOn[a.kind]) { kind += ", " + t("search_hidden"); }
      button.appendChild(el("span", "result-kind", "(" + kind + ")"));
      button.addEventListener("click", function () { pick(id); });
      item.appendChild(button);
      list.appendChild(item);
    });
    function pick(id) {
      focusActor(id);
      if (inBar) { input.value = ""; list.textContent = ""; }
    }
    state.pickResult = pick;
  }
  var searchInput = $("search");
  [["search", "search-results", "panel"], ["present-search", "present-results", "present"]].forEach(function (ids) {
    var input = $(ids[0]);
    var results = $(ids[1]);
    input.addEventListener("input", function () { renderSearch(ids[2]); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        renderSearch(ids[2]);
        if (state.searchResults.length) { state.pickResult(state.searchResults[0]); }
      } else if (event.key === "ArrowDown") {
        var first = results.querySelector("button");
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        event.stopPropagation();
        input.value = "";
        renderSearch(ids[2]);
        if (ids[2] === "present") { input.blur(); }
      }
    });
    results.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(this.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : input).focus(); }
    });
  });

  /* ---------- language ---------- */

  function setLang(lang, first) {
    if (!I18N[lang]) { return; }
    state.lang = lang;
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    document.querySelectorAll("[data-i18n-aria-label]").forEach(function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria-label")));
    });
    document.querySelectorAll("[data-i18n-title]").forEach(function (node) {
      var key = node.getAttribute("data-title-key");
      node.setAttribute("title", t(node.getAttribute("data-i18n-title")) + (key ? " (" + key + ")" : ""));
    });
    document.querySelectorAll("[data-kind-label]").forEach(function (node) {
      node.textContent = words().kinds[node.getAttribute("data-kind-label")].many;
    });
    document.querySelectorAll("[data-tie-label]").forEach(function (node) {
      node.textContent = words().ties[node.getAttribute("data-tie-label")].label;
    });
    $("btn-lang").setAttribute("lang", lang === "nl" ? "en" : "nl");
    $("btn-present").textContent = t(state.presenting ? "exit_presentation" : "presentation");
    var play = $("date-play");
    if (play) { play.textContent = t(state.playing !== null ? "pause" : "play"); }
    renderDate();
    // the title and the names in this language ("Bewoner 17" becomes "Resident 17")
    var title = (DATA.titles && DATA.titles[lang]) || DATA.title;
    $("map-title").textContent = title;
    document.title = title;
    var renamed = [];
    DATA.actors.forEach(function (a) {
      var name = a.names ? a.names[lang] : a.name;
      if (name && name !== a.name) {
        a.name = name;
        folded[a.id] = fold(name);
        renamed.push({ id: a.id, label: name });
      }
    });
    if (renamed.length) { nodes.update(renamed); }
    if (!first) { // the items were made with the first language's tooltips
      nodes.update(DATA.actors.map(function (a) { return { id: a.id, title: actorTooltip(a) }; }));
      edges.update(DATA.ties.map(function (tie) { return { id: tie.id, title: tieTooltip(tie) }; }));
      edges.update((DATA.introductions || []).map(function (n) { return { id: n.id, title: introTooltip(n) }; }));
    }
    renderDetails();
    renderSearch("panel");
    renderStatus();
    if (GROUPS.length) { renderGroups(); }
    placeLabels(); // names are measured in the new language's words
  }
  $("btn-lang").addEventListener("click", function () { setLang(state.lang === "nl" ? "en" : "nl"); });

  /* ---------- presentation, fit, PNG ---------- */

  function resizeMap() {
    network.setSize("100%", "100%");
    network.redraw();
    if (state.focus !== null) { fitFocus(false); } else { fitAll(false); }
  }
  function setLegendHidden(hidden) {
    state.legendHidden = !!hidden;
    $("mini-legend").hidden = !state.presenting || state.legendHidden;
    $("pb-legend").setAttribute("aria-pressed", String(!state.legendHidden));
  }
  function setPresenting(on) {
    state.presenting = !!on;
    document.body.classList.toggle("presenting", state.presenting);
    $("present-bar").hidden = !state.presenting;
    setLegendHidden(state.legendHidden);
    $("pb-hood").hidden = state.focus === null;
    var button = $("btn-present");
    button.setAttribute("aria-pressed", String(state.presenting));
    button.textContent = t(state.presenting ? "exit_presentation" : "presentation");
    syncFullscreen();
    resizeMap(); // and again on the fullscreenchange, when the browser has gone full screen
  }
  function togglePresentation() { setPresenting(!state.presenting); }
  // The browser's full screen follows state.presenting. Entering and leaving are asynchronous:
  // the fullscreenchange of a leave we asked for must not be read as the visitor pressing the
  // browser's own Esc (which ends the presentation), and a change of mind while a change is under
  // way ("Esc" then "p" at once) is applied when that change has arrived.
  var leavingFullscreen = false;
  function syncFullscreen() {
    if (!document.fullscreenEnabled) { return; }
    if (state.presenting && !document.fullscreenElement) {
      if (!leavingFullscreen) {
        document.documentElement.requestFullscreen().catch(function () { /* stays a full-window view */ });
      }
    } else if (!state.presenting && document.fullscreenElement && !leavingFullscreen) {
      leavingFullscreen = true;
      document.exitFullscreen().catch(function () { leavingFullscreen = false; });
    }
  }
  document.addEventListener("fullscreenchange", function () {
    if (document.fullscreenElement) {
      if (!state.presenting) { syncFullscreen(); }
    } else if (leavingFullscreen) {
      leavingFullscreen = false;
      if (state.presenting) { syncFullscreen(); }
    } else if (state.presenting) {
      setPresenting(false);
    }
    resizeMap();
  });
  $("btn-present").addEventListener("click", togglePresentation);
  $("btn-fit").addEventListener("click", function () { showAll(true); });
  $("pb-fit").addEventListener("click", function () { showAll(true); });
  $("pb-exit").addEventListener("click", function () { setPresenting(false); });
  $("pb-legend").addEventListener("click", function () { setLegendHidden(!state.legendHidden); });
  $("pb-hood").addEventListener("click", function () { setOnlyHood(!state.onlyHood); });
  document.querySelectorAll(".only-hood").forEach(function (box) {
    box.addEventListener("change", function () { setOnlyHood(box.checked); });
  });
  document.querySelectorAll(".hops-choice").forEach(function (box) {
    box.addEventListener("change", function () { if (box.checked) { setHops(Number(box.value)); } });
  });

  /* ---------- export: a picture with title, date, legend and notes drawn in ---------- */

  // Kind colour and shape, as the nodes have them (the legend of the picture).
  var kindLook = {};
  DATA.nodes.forEach(function (n) {
    var kind = actorById[n.id].kind;
    if (!kindLook[kind]) { kindLook[kind] = { colour: n.color.background, shape: n.shape }; }
  });
  function drawShape(ctx, shape, x, y, r) {
    ctx.beginPath();
    if (shape === "square") {
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
    } else if (shape === "triangle") {
      ctx.moveTo(x, y - r); ctx.lineTo(x + r * 1.1, y + r * 0.9); ctx.lineTo(x - r * 1.1, y + r * 0.9); ctx.closePath();
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.2, y); ctx.lineTo(x, y + r * 1.2); ctx.lineTo(x - r * 1.2, y); ctx.closePath();
    } else if (shape === "hexagon") {
      for (var i = 0; i < 6; i++) {
        var angle = Math.PI / 3 * i;
        ctx[i ? "lineTo" : "moveTo"](x + r * 1.1 * Math.cos(angle), y + r * 1.1 * Math.sin(angle));
      }
      ctx.closePath();
    } else {
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }
  // The title in the page's language, and the line under it in a picture: the date and the
  // focused actor.
  function exportTitle() { return (DATA.titles && DATA.titles[state.lang]) || DATA.title; }
  function exportSubtitle() {
    var sub = state.date ? t("exported_on", { date: formatDate(state.date) }) : "";
    if (state.focus !== null) { sub += (sub ? " \u00b7 " : "") + actorById[state.focus].name; }
    return sub;
  }
  function exportNotes() {
    var notes = [];
    if (DATA.fictional) { notes.push(t("fictional")); }
    notes.push(t(DATA.namesVisible ? "names_visible" : "names_hidden"));
    return notes;
  }
  // Lays the map out at ``width`` x ``mapHeight`` CSS px, the current view (scaled to the new
  // size) or the whole map, with names at their readable size relative to the picture (as on
  // a 1,280 px wide screen); runs ``draw`` and puts the screen back as it was.
  function inExportView(width, mapHeight, whole, draw) {
    var before = container.getBoundingClientRect();
    var saved = { position: network.getViewPosition(), scale: network.getScale() };
    container.style.cssText = "right:auto;bottom:auto;width:" + width + "px;height:" + mapHeight + "px";
    network.setSize(width + "px", mapHeight + "px");
    state.exportUnit = width / 1280;
    try {
      if (whole) {
        fitAll(false);
      } else {
        network.moveTo({ position: saved.position,
          scale: saved.scale * Math.min(width / before.width, mapHeight / before.height) });
        placeLabels();
      }
      network.redraw();
      return draw();
    } finally {
      container.style.cssText = "";
      network.setSize("100%", "100%");
      state.exportUnit = 1;
      network.moveTo(saved);
      placeLabels();
      network.redraw();
    }
  }
  function exportSize(width, height) {
    return [Math.max(320, Math.min(3840, Math.round(width))), Math.max(240, Math.min(2160, Math.round(height)))];
  }
  // The map drawn at ``width`` x ``height`` CSS px with a title band above and a legend band
  // below.
  // Where the last PNG drew the proeftuinen's names and the actors' names (tests read them).
  var lastExportNames = [], lastExportLabels = [];
  function exportCanvas(width, height, whole) {
    var size = exportSize(width, height);
    width = size[0]; height = size[1];
    var unit = width / 1280;
    var header = Math.round(86 * unit), footer = Math.round(110 * unit);
    var mapHeight = height - header - footer;
    var out = document.createElement("canvas");
    out.width = width; out.height = height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    inExportView(width, mapHeight, whole, function () {
      ctx.drawImage(container.querySelector("canvas"), 0, header, width, mapHeight);
      // the proeftuinen's names (buttons on the page) drawn in, at their place on the map
      lastExportNames = [];
      lastExportLabels = labels.map(function (l) {
        var b = labelBox(l);
        return [l.id, b[0], header + b[1], b[2], header + b[3]];
      });
      groupsAsDrawn().forEach(function (g) {
        if (!g.label) { return; }
        var x = g.label[0], y = header + g.label[1], w = g.label[2], h = g.label[3];
        lastExportNames.push({ key: g.key, name: g.name, x: x, y: y, width: w, height: h, size: g.size });
        ctx.save();
        ctx.fillStyle = g.chosen ? "#111111" : "rgba(255, 255, 255, 0.88)";
        ctx.strokeStyle = g.chosen ? "#111111" : "#8a8a8a";
        ctx.lineWidth = Math.max(1, unit);
        ctx.beginPath();
        if (ctx.roundRect) { ctx.roundRect(x, y, w, h, 4 * unit); } else { ctx.rect(x, y, w, h); }
        ctx.fill(); ctx.stroke();
        ctx.font = "700 " + g.size + "px " + DATA.options.nodes.font.face;
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
        ctx.fillStyle = g.chosen ? "#ffffff" : "#111111";
        ctx.fillText(g.name, x + w / 2, y + h / 2);
        ctx.restore();
      });
    });
    var face = DATA.options.nodes.font.face;
    var pad = Math.round(24 * unit);
    ctx.fillStyle = "#111111";
    ctx.textBaseline = "top";
    ctx.font = "700 " + Math.round(34 * unit) + "px " + face;
    ctx.fillText(exportTitle(), pad, Math.round(12 * unit));
    ctx.font = Math.round(20 * unit) + "px " + face;
    ctx.fillText(exportSubtitle(), pad, Math.round(54 * unit));
    ctx.fillStyle = "#111111";
    ctx.fillRect(0, header - Math.max(1, Math.round(2 * unit)), width, Math.max(1, Math.round(2 * unit)));
    ctx.fillRect(0, height - footer, width, Math.max(1, Math.round(2 * unit)));
    // legend: the kinds shown, then the marks
    var x = pad, y = height - footer + Math.round(18 * unit), r = Math.round(10 * unit);
    ctx.font = Math.round(18 * unit) + "px " + face;
    ctx.textBaseline = "middle";
    DATA.kinds.forEach(function (kind) {
      if (!state.kindsOn[kind]) { return; }
      var look = kindLook[kind];
      ctx.fillStyle = look.colour; ctx.strokeStyle = "#1a1a1a"; ctx.lineWidth = Math.max(1, 1.5 * unit);
      drawShape(ctx, look.shape, x + r, y + r, r);
      ctx.fill(); ctx.stroke();
      ctx.fillStyle = "#111111";
      var text = words().kinds[kind].many;
      ctx.fillText(text, x + 2.6 * r, y + r);
      x += 2.6 * r + ctx.measureText(text).width + 1.8 * r;
    });
    [["broker", false], ["articulation", true]].forEach(function (pair) {
      if (!DATA.actors.some(function (a) { return pair[0] === "broker" ? a.broker : isCut(a); })) { return; }
      ctx.strokeStyle = "#000000"; ctx.lineWidth = 3 * unit;
      ctx.setLineDash(pair[1] ? [5 * unit, 3 * unit] : []);
      ctx.beginPath(); ctx.arc(x + r, y + r, r, 0, 2 * Math.PI); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#111111";
      var text = t("mark_" + pair[0] + "_short");
      ctx.fillText(text, x + 2.6 * r, y + r);
      x += 2.6 * r + ctx.measureText(text).width + 1.8 * r;
    });
    // the notes: fictional data, and whose names are shown
    ctx.font = "600 " + Math.round(16 * unit) + "px " + face;
    var line = "", lineY = height - footer + Math.round(62 * unit);
    exportNotes().join(" ").split(" ").forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (ctx.measureText(next).width > width - 2 * pad && line) {
        ctx.fillText(line, pad, lineY);
        lineY += Math.round(21 * unit);
        line = word;
      } else {
        line = next;
      }
    });
    if (line) { ctx.fillText(line, pad, lineY); }
    return out;
  }

  /* ---------- export: the same picture as SVG (vector; built by svg.js) ---------- */

  // The legend of the SVG: the kinds and tie types shown, and the marks.
  function svgLegend() {
    var tieLook = {};
    DATA.edges.forEach(function (e) {
      var type = tieById[e.id].type;
      if (!tieLook[type]) {
        tieLook[type] = { colour: e.color.color, dashes: e.dashes || false, arrow: !!(e.arrows && e.arrows.to && e.arrows.to.enabled) };
      }
    });
    return {
      kinds: DATA.kinds.filter(function (k) { return state.kindsOn[k]; }).map(function (k) {
        return { label: words().kinds[k].many, shape: kindLook[k].shape, colour: kindLook[k].colour };
      }),
      marks: [["broker", false], ["articulation", true]].filter(function (pair) {
        return DATA.actors.some(function (a) { return pair[0] === "broker" ? a.broker : isCut(a); });
      }).map(function (pair) { return { label: t("mark_" + pair[0] + "_short"), dashed: pair[1] }; }),
      ties: DATA.tieTypes.filter(function (k) { return state.typesOn[k] && tieLook[k]; }).map(function (k) {
        return { label: words().ties[k].label, colour: tieLook[k].colour, dashes: tieLook[k].dashes, arrow: tieLook[k].arrow };
      })
    };
  }
  // What the map shows now, in map units: every visible tie and actor with its colour,
  // shape, size, dashes, ring, and the names as the page placed them.
  function svgItems() {
    var scale = network.getScale();
    var edgesOut = edgesView.getIds().map(function (id) {
      var e = network.body.edges[id];
      var from = e.from, to = e.to, o = e.options;
      var via = o.smooth && o.smooth.enabled && e.edgeType.getViaNode ? e.edgeType.getViaNode() : null;
      var width = Math.max(o.width, 0.3 / scale);
      var arrow = null;
      if (o.arrows && o.arrows.to && o.arrows.to.enabled && from !== to) {
        var back = via || from;
        var angle = Math.atan2(to.y - back.y, to.x - back.x);
        var border = to.distanceToBorder(measure, angle);
        arrow = { x: to.x - Math.cos(angle) * border, y: to.y - Math.sin(angle) * border, angle: angle,
          length: 15 * (o.arrows.to.scaleFactor || 1) + 3 * width };
      }
      var intro = introById[id];
      return { id: id, cls: intro ? "introduction" : "tie", x1: from.x, y1: from.y, x2: to.x, y2: to.y,
        via: via ? { x: via.x, y: via.y } : null, colour: o.color.color,
        opacity: o.color.opacity === undefined ? 1 : o.color.opacity, width: width,
        dashes: Array.isArray(o.dashes) ? o.dashes : (o.dashes ? [5, 15] : null), arrow: arrow,
        title: intro ? introTooltip(intro) : tieTooltip(tieById[id]) };
    });
    var nodesOut = nodesView.getIds().map(function (id) {
      var node = network.body.nodes[id], o = node.options, a = actorById[id];
      var size = o.size;
      var item = { id: id, name: a.name, shape: o.shape, x: node.x, y: node.y, size: size,
        fill: o.color.background, border: node.selected ? o.color.highlight.border : o.color.border,
        borderWidth: (node.selected ? o.borderWidthSelected || 2 * o.borderWidth : o.borderWidth) / scale,
        opacity: o.opacity === undefined ? 1 : o.opacity, ring: null, label: null };
      if (a.broker || isCut(a)) { // as the afterDrawing ring of the screen
        var mark = DATA.marks[a.broker ? "broker" : "articulation"];
        if (a.broker && isCut(a)) { mark = { width: mark.width + 2, dashes: false }; }
        var width = Math.max(Math.min(mark.width, size / 3), 1 / scale);
        item.ring = { width: width, colour: DATA.marks.colour,
          radius: size * (o.shape === "dot" ? 1 : 1.35) + Math.max(DATA.marks.gap, 1.5 / scale) + width / 2,
          dashes: mark.dashes ? mark.dashes.map(function (d) { return Math.max(d, 3 / scale); }) : null };
      }
      return item;
    });
    // names as the page placed them (drawLabels): at their place beside the actor, with the
    // leader line when moved out, in map units of the view
    var byId = {};
    nodesOut.forEach(function (item) { byId[item.id] = item; });
    labels.forEach(function (l) {
      var item = byId[l.id], node = network.body.nodes[l.id];
      if (!item || !node) { return; }
      var alpha = lastNodeLook[l.id] === 1 ? 1 : Math.max(lastNodeLook[l.id] === undefined ? 1 : lastNodeLook[l.id], 0.3);
      item.label = { text: actorById[l.id].name, size: l.px / scale, colour: "#111111",
        stroke: Math.max(3, l.px / 3.5) / scale, opacity: alpha,
        x: node.x + l.dx / scale, y: node.y + l.dy / scale,
        leader: l.leader ? [node.x + l.leader[0] / scale, node.y + l.leader[1] / scale,
          node.x + l.leader[2] / scale, node.y + l.leader[3] / scale, 1 / scale] : null };
    });
    return { edges: edgesOut, nodes: nodesOut };
  }
  // The picture as an SVG document (text): the same view, bands and legend as the PNG.
  function svgText(width, height, whole) {
    var size = exportSize(width, height);
    width = size[0]; height = size[1];
    var unit = width / 1280;
    var face = DATA.options.nodes.font.face;
    var scene = { width: width, height: height, unit: unit, pad: Math.round(24 * unit),
      header: Math.round(86 * unit), lang: state.lang,
      font: face.replace(/"/g, "'"), title: exportTitle(), subtitle: exportSubtitle(), notes: exportNotes(),
      legend: svgLegend(),
      measure: function (text, px, weight) {
        measure.font = (weight ? weight + " " : "") + px + "px " + face;
        return measure.measureText(text).width;
      } };
    scene.footer = window.graphMapSvg.footerHeight(scene);
    inExportView(width, height - scene.header - scene.footer, whole, function () {
      var translation = network.body.view.translation;
      scene.view = { x: translation.x, y: translation.y, scale: network.getScale() };
      var items = svgItems();
      scene.groups = groupsAsDrawn();
      scene.edges = items.edges;
      scene.nodes = items.nodes;
    });
    return window.graphMapSvg.build(scene);
  }
  function downloadSvg() {
    var choice = exportChoice();
    var blob = new Blob([svgText(choice.width, choice.height, choice.whole)], { type: "image/svg+xml" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = fileName("svg");
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function exportChoice() {
    var size = ($("export-size") ? $("export-size").value : "1920x1080").split("x").map(Number);
    var whole = $("export-whole") ? $("export-whole").checked : false;
    return { width: size[0], height: size[1], whole: whole };
  }
  function pngDataUrl(width, height, whole) {
    var choice = exportChoice();
    return exportCanvas(width || choice.width, height || choice.height,
      whole === undefined ? choice.whole : whole).toDataURL("image/png");
  }
  function fileName(extension) {
    var base = fold(exportTitle()).replace(/ /g, "-") || "netwerkkaart";
    return base + (state.date ? "-" + state.date : "") + "." + (extension || "png");
  }
  function downloadPng() {
    var link = document.createElement("a");
    link.href = pngDataUrl();
    link.download = fileName("png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  $("btn-png").addEventListener("click", downloadPng);
  $("pb-png").addEventListener("click", downloadPng);
  $("btn-svg").addEventListener("click", downloadSvg);
  // The toolbar's export menu: opens under its button, closes on Esc or a click elsewhere (not
  // on the download link the page clicks itself), so PNG and SVG can be saved one after the other.
  var exportMenu = $("export-menu"), exportButton = $("btn-export-menu");
  function setExportMenu(open) {
    exportMenu.hidden = !open;
    exportButton.setAttribute("aria-expanded", String(!!open));
    if (open) { $("export-size").focus(); }
  }
  exportButton.addEventListener("click", function () { setExportMenu(exportMenu.hidden); });
  exportMenu.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.stopPropagation(); setExportMenu(false); exportButton.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (event.isTrusted && !exportMenu.hidden && !exportMenu.contains(event.target) && !exportButton.contains(event.target)) {
      setExportMenu(false);
    }
  });
  $("clear-selection").addEventListener("click", function () { clearFocus(); frame.focus(); });

  /* ---------- groups: the proeftuinen of a national map, each a cluster to zoom into ---------- */

  // Each group is drawn as a light box around its home actors (those in no other group) with
  // its name on a button at the box's top left; choosing a group (its name on the map or in
  // the panel) fits its actors into view and fades the others, Esc or "fit" goes back.
  // Everything is computed here from the positions in the page: no request.
  var groupByKey = {};
  var groupMembers = {}; // key -> {actor id: true}
  GROUPS.forEach(function (g) {
    groupByKey[g.key] = g;
    groupMembers[g.key] = {};
    g.members.forEach(function (id) { groupMembers[g.key][id] = true; });
  });
  function groupName(g) { return g.name; }
  // The box of a group in map units: its home actors (all members when it has none), with
  // the margin and the band for the name that the layout keeps free.
  function groupBox(g) {
    var ids = g.home.length ? g.home : g.members;
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    ids.forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node || !nodesView.get(id)) { return; }
      left = Math.min(left, node.x); right = Math.max(right, node.x);
      top = Math.min(top, node.y); bottom = Math.max(bottom, node.y);
    });
    if (!isFinite(left)) { return null; }
    var pad = DATA.groupBox.pad, band = DATA.groupBox.band;
    return [left - pad, top - pad - band, right + pad, bottom + pad];
  }
  // The groups of the national map as they are drawn (on screen, or scaled by the export's
  // unit inside inExportView): each group's box in map units and its name as the page's
  // button shows it, in the rectangle the actors' names keep clear of
  // (``label``: [x, y, width, height] px in the map area, null when out of view).
  function groupsAsDrawn() {
    var u = state.exportUnit || 1, out = [];
    GROUPS.forEach(function (g) {
      var box = groupBox(g), button = groupLabels[g.key];
      if (!box) { return; }
      var at = button ? groupLabelAt(box, button) : null;
      out.push({ key: g.key, name: groupName(g), box: box, chosen: state.group === g.key,
        radius: Math.min(DATA.groupBox.pad, (box[2] - box[0]) / 4, (box[3] - box[1]) / 4),
        size: at ? parseFloat(getComputedStyle(button).fontSize) * u : 0,
        label: at ? [at[0], at[1], button.offsetWidth * u, button.offsetHeight * u] : null });
    });
    return out;
  }
  function groupBoxes() {
    return GROUPS.map(function (g) { return groupBox(g); }).filter(function (b) { return b !== null; });
  }
  // Whether an actor is drawn at full strength while a group is chosen.
  function inChosenGroup(id) { return state.group === null || groupMembers[state.group][id] === true; }
  if (GROUPS.length) {
    network.on("beforeDrawing", function (ctx) {
      var scale = network.getScale();
      GROUPS.forEach(function (g) {
        var box = groupBox(g);
        if (!box) { return; }
        var chosen = state.group === g.key;
        ctx.save();
        ctx.fillStyle = chosen ? "rgba(0, 114, 178, 0.06)" : "rgba(0, 0, 0, 0.035)";
        ctx.strokeStyle = chosen ? "rgba(0, 0, 0, 0.55)" : "rgba(0, 0, 0, 0.2)";
        ctx.lineWidth = (chosen ? 2.5 : 1.5) / scale;
        ctx.beginPath();
        var r = Math.min(DATA.groupBox.pad, (box[2] - box[0]) / 4, (box[3] - box[1]) / 4);
        if (ctx.roundRect) { ctx.roundRect(box[0], box[1], box[2] - box[0], box[3] - box[1], r); } else { ctx.rect(box[0], box[1], box[2] - box[0], box[3] - box[1]); }
        ctx.fill();
        ctx.stroke();
        ctx.restore();
      });
    });
  }
  function makeGroupLabels() {
    var layer = $("group-labels");
    if (!layer) { return; }
    GROUPS.forEach(function (g) {
      var button = el("button", "group-label", groupName(g));
      button.type = "button";
      button.setAttribute("data-group", g.key);
      button.addEventListener("click", function () {
        if (state.group === g.key) { return; }
        drillDown(g.key);
      });
      layer.appendChild(button);
      groupLabels[g.key] = button;
    });
  }
  // Where a group's name stands (CSS px in the map): at its box's top left, inside the map.
  // A name whose box starts on screen stays whole on screen (moved left at the right edge);
  // null when the box's left side is out of view.
  // In an export (inExportView) the name is as large, relative to the picture, as on a
  // 1280 px wide screen: its button's size times the export's unit.
  function groupLabelAt(box, button) {
    var u = state.exportUnit || 1;
    var corner = network.canvasToDOM({ x: box[0], y: box[1] });
    var far = network.canvasToDOM({ x: box[2], y: box[3] });
    var rect = container.getBoundingClientRect();
    if (corner.x + 6 * u > rect.width || far.x < 0 || far.y < 0 || corner.y > rect.height) { return null; }
    var x = Math.round(Math.max(4 * u, Math.min(corner.x + 6 * u, rect.width - button.offsetWidth * u - 4 * u)));
    return [x, Math.round(corner.y + 6 * u)];
  }
  // The rectangles of the group names (CSS px in the map), which the actors' names keep clear of.
  function groupLabelRects() {
    return groupsAsDrawn().filter(function (g) { return g.label; }).map(function (g) {
      return [g.label[0], g.label[1], g.label[0] + g.label[2], g.label[1] + g.label[3]];
    });
  }
  // The names follow their boxes after every drawing (pan, zoom, date, filters).
  function placeGroupLabels() {
    GROUPS.forEach(function (g) {
      var button = groupLabels[g.key];
      if (!button) { return; }
      var box = groupBox(g);
      var at = box ? groupLabelAt(box, button) : null;
      // hidden by visibility, so the button keeps its size for the next placement
      button.style.visibility = at === null ? "hidden" : "visible";
      if (at === null) { return; }
      button.style.left = at[0] + "px";
      button.style.top = at[1] + "px";
      button.classList.toggle("current", state.group === g.key);
      button.setAttribute("aria-label", t(state.group === g.key ? "group_current" : "group_zoom", { name: groupName(g) }));
      button.style.opacity = state.group === null || state.group === g.key ? "1" : "0.55";
    });
  }
  function renderGroups() {
    var box = $("group-current");
    if (!box) { return; }
    document.querySelectorAll(".group-choice").forEach(function (button) {
      var key = button.getAttribute("data-group");
      button.setAttribute("aria-current", String(state.group === key));
      button.setAttribute("aria-label", t("group_zoom", { name: groupName(groupByKey[key]) }) +
        " (" + t("group_count", { n: formatNumber(groupByKey[key].members.length) }) + ")");
    });
    if (state.group === null) { box.hidden = true; return; }
    var g = groupByKey[state.group];
    box.hidden = false;
    $("group-current-name").textContent = t("group_current", { name: groupName(g) }) + " (" +
      t("group_count", { n: formatNumber(g.members.length) }) + ")";
    var link = $("group-page");
    link.hidden = !g.url;
    if (g.url) {
      link.href = g.url + (state.lang === "en" ? "?lang=en" : "");
      link.textContent = t("group_page", { name: groupName(g) });
    }
  }
  // Zoom to one group: its cluster (home actors, box and name) fills the view; its shared
  // actors (between the clusters) stay at full strength, in view when they stand close by.
  function drillDown(key, opts) {
    var g = groupByKey[key];
    if (!g) { return false; }
    opts = opts || {};
    if (state.focus !== null) { clearFocus(); }
    state.group = key;
    applyAppearance();
    renderGroups();
    var box = groupBox(g);
    fitTo(g.home.length ? g.home : g.members, opts.animate !== false, MAX_FIT_SCALE, box ? [box] : []);
    if (opts.animate === false) { placeGroupLabels(); }
    return true;
  }
  // Back from a group (or a focus) to the whole map.
  function showAll(animate) {
    if (state.group !== null) {
      state.group = null;
      applyAppearance();
      renderGroups();
    }
    fitAll(animate);
  }
  // The overview: each group one circle (its area follows its number of actors) where its
  // cluster stands, and a line between two groups for the actors they share, as thick as
  // their number. A second vis-network over the map; choosing a circle zooms to the group.
  var overview = null;
  function sharedCounts() {
    var out = [];
    GROUPS.forEach(function (g, i) {
      GROUPS.slice(i + 1).forEach(function (h) {
        var n = g.members.filter(function (id) { return groupMembers[h.key][id] === true; }).length;
        if (n) { out.push({ from: g.key, to: h.key, count: n }); }
      });
    });
    return out;
  }
  // Circles where the clusters stand, on a drawing about 600 units across: at the overview's
  // fit that is close to one unit per CSS px, so its names are about READABLE_PX and larger.
  function overviewData() {
    var largest = Math.max.apply(null, GROUPS.map(function (g) { return g.members.length; }).concat([1]));
    var centres = GROUPS.map(function (g) {
      var box = groupBox(g) || [0, 0, 0, 0];
      return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
    });
    var xs = centres.map(function (c) { return c[0]; }), ys = centres.map(function (c) { return c[1]; });
    var extent = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs),
      Math.max.apply(null, ys) - Math.min.apply(null, ys), 1);
    var unit = 600 / extent;
    var face = DATA.options.nodes.font.face;
    var nodes = GROUPS.map(function (g, i) {
      return { id: g.key, label: groupName(g) + " (" + formatNumber(g.members.length) + ")",
        x: centres[i][0] * unit, y: centres[i][1] * unit, shape: "dot",
        size: 12 + 36 * Math.sqrt(g.members.length / largest),
        color: { background: "#d9d9d9", border: "#1a1a1a", highlight: { background: "#bfbfbf", border: "#000000" },
          hover: { background: "#bfbfbf", border: "#000000" } },
        borderWidth: 2, font: { size: READABLE_PX + 4, face: face, color: "#111111", strokeWidth: 4, strokeColor: "#ffffff" } };
    });
    var edges = sharedCounts().map(function (e) {
      var text = e.count === 1 ? t("group_shared_one") : t("group_shared", { n: formatNumber(e.count) });
      return { id: e.from + "|" + e.to, from: e.from, to: e.to, width: 1.5 + 2 * e.count, title: text,
        label: formatNumber(e.count), color: { color: "#5a5a5a", highlight: "#000000", hover: "#000000" },
        font: { size: READABLE_PX + 2, face: face, strokeWidth: 4, strokeColor: "#ffffff" }, smooth: false };
    });
    return { nodes: nodes, edges: edges };
  }
  function setOverview(on) {
    var layer = $("overview");
    var button = $("group-overview");
    if (!layer) { return; }
    on = !!on;
    button.setAttribute("aria-pressed", String(on));
    layer.hidden = !on;
    $("group-labels").hidden = on;
    if (!on) {
      if (overview) { overview.destroy(); overview = null; }
      return;
    }
    if (state.focus !== null) { clearFocus(); }
    var data = overviewData();
    overview = new vis.Network(layer, { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, {
      physics: { enabled: false }, layout: { improvedLayout: false },
      interaction: { hover: true, tooltipDelay: 150, keyboard: { enabled: true, bindToWindow: false } },
      nodes: { scaling: { label: { drawThreshold: 1 } } }
    });
    overview.fit({ animation: false });
    overview.moveTo({ scale: overview.getScale() * 0.78 }); // room for the names at the edges
    overview.on("click", function (params) {
      if (!params.nodes.length) { return; }
      var key = params.nodes[0];
      setOverview(false);
      drillDown(key);
    });
  }
  function overviewState() {
    if (!overview) { return null; }
    var shown = overviewData();
    return { nodes: shown.nodes.map(function (n) { return { id: n.id, size: n.size, label: n.label }; }),
      edges: shown.edges.map(function (e) { return { from: e.from, to: e.to, label: e.label }; }) };
  }
  if (GROUPS.length) {
    makeGroupLabels();
    network.on("afterDrawing", placeGroupLabels);
    document.querySelectorAll(".group-choice").forEach(function (button) {
      button.addEventListener("click", function () { drillDown(button.getAttribute("data-group")); });
    });
    $("group-back").addEventListener("click", function () { showAll(true); });
    $("group-overview").addEventListener("click", function () { setOverview(overview === null); });
  }

  /* ---------- keyboard ---------- */

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) && event.target.type !== "checkbox" &&
      event.target.type !== "range";
    if (event.key === "Escape") {
      if (overview !== null) { setOverview(false); } else if (state.focus !== null) { clearFocus(); } else if (state.group !== null) { showAll(true); } else if (state.presenting) { setPresenting(false); }
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "/") { event.preventDefault(); $(state.presenting ? "present-search" : "search").focus(); }
    if (key === "p") { event.preventDefault(); togglePresentation(); }
    if (key === "f") { event.preventDefault(); showAll(true); }
    if (key === "l" && state.presenting) { event.preventDefault(); setLegendHidden(!state.legendHidden); }
    if (key === "e") { event.preventDefault(); downloadPng(); }
    if ((key === "[" || key === "]") && DATA.dates.length) {
      event.preventDefault();
      setDateIndex(state.dateIndex + (key === "]" ? 1 : -1));
    }
  });

  /* ---------- start ---------- */

  setLang(state.lang, true);
  // ?focus=<actor id> (or #focus=...) opens the map focused on that actor, ?hops=2 with
  // its two-step neighbourhood, ?present=1 in presentation.
  var asked = new URLSearchParams(location.search + "&" + location.hash.replace(/^#/, ""));
  if (asked.get("hops") === "2") { state.hops = 2; setHops(2); }
  if (asked.get("focus") && actorById[asked.get("focus")]) {
    if (state.stabilizedAt !== null) {
      focusActor(asked.get("focus"), { animate: false });
    } else {
      network.once("stabilizationIterationsDone", function () { focusActor(asked.get("focus"), { animate: false }); });
    }
  }
  if (asked.get("present") === "1") { setPresenting(true); }
  state.started = true;
  placeLabels();
  network.redraw(); // the map counts as ready at the first drawing after all of the above

  window.graphMap = {
    network: network,
    nodes: nodes,
    edges: edges,
    nodesView: nodesView,
    edgesView: edgesView,
    state: state,
    data: DATA,
    setLang: setLang,
    setDateIndex: setDateIndex,
    setKindVisible: setKindVisible,
    setTieTypeVisible: setTieTypeVisible,
    setSizeMetric: setSizeMetric,
    search: search,
    fold: fold,
    focusActor: focusActor,
    clearFocus: clearFocus,
    togglePresentation: togglePresentation,
    setPresenting: setPresenting,
    fitAll: fitAll,
    groups: function () { return GROUPS; },
    groupBox: function (key) { return groupByKey[key] ? groupBox(groupByKey[key]) : null; },
    drillDown: drillDown,
    showAll: showAll,
    setOverview: setOverview,
    overview: function () { return overviewState(); },
    overviewNetwork: function () { return overview; },
    setHops: setHops,
    setSinceMeeting: setSinceMeeting,
    setIntroductions: setIntroductions,
    setOnlyHood: setOnlyHood,
    placeLabels: placeLabels,
    labelStats: function () { return labelStats; },
    focusIds: function () { var f = focusSet(); return f ? Object.keys(f) : []; },
    // The on-screen size (CSS px) of every drawn name: id -> px (names left out are absent).
    labelPx: function () {
      var out = {};
      labels.forEach(function (l) { out[l.id] = l.px; });
      return out;
    },
    // The box of every drawn name on screen (CSS px in the map element): [id, left, top,
    // right, bottom], where it is drawn now.
    labelBoxes: function () { return labels.map(function (l) { return [l.id].concat(labelBox(l)); }); },
    pngDataUrl: pngDataUrl,
    exportCanvas: exportCanvas,
    lastExportNames: function () { return lastExportNames; },
    lastExportLabels: function () { return lastExportLabels; },
    svgText: svgText,
    idByName: function (name) {
      var hit = DATA.actors.filter(function (a) { return a.name === name; })[0];
      return hit ? hit.id : null;
    },
    visibleNodeIds: function () { return nodesView.getIds(); },
    visibleEdgeIds: function () { return edgesView.getIds(); },
    // Actors drawn at full strength while an actor is focused: the actor and its neighbours.
    highlightedNodeIds: function () {
      return nodesView.get({ filter: function (n) { return n.opacity === undefined || n.opacity === 1; } })
        .map(function (n) { return n.id; });
    }
  };
})();
