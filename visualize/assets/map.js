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
  var PRESENTATION_LABEL_SIZE = Math.round(LABEL_SIZE * 1.45); // names readable from the back row

  var state = {
    lang: DATA.lang,
    dateIndex: 0,
    date: DATA.initialDate,
    sizeMetric: DATA.sizeMetric,
    kindsOn: {},
    typesOn: {},
    focus: null,
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
  DATA.edges.forEach(function (e) { edgeStyle[e.id] = e.color; });

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
  function formatNumber(value) {
    if (value === null || value === undefined) { return "\u2014"; }
    var digits = Number.isInteger(value) ? 0 : (Math.abs(value) < 1 ? 3 : 1);
    return formatter("number", { maximumFractionDigits: digits }).format(value);
  }

  /* ---------- which ties and actors are visible ---------- */

  function tieActive(tie, date) {
    // docs/metrics.md §0: visible at d when since <= d and (until empty or until > d).
    if (!date) { return true; }
    return tie.since <= date && (!tie.until || tie.until > date);
  }
  function nodeVisible(item) { return state.kindsOn[actorById[item.id].kind] === true; }
  function edgeVisible(item) {
    var tie = tieById[item.id];
    return state.typesOn[tie.type] === true && tieActive(tie, state.date) &&
      state.kindsOn[actorById[tie.from].kind] === true && state.kindsOn[actorById[tie.to].kind] === true;
  }

  /* ---------- node sizes ---------- */

  function metricValue(actor, metric) {
    var v = actor.metrics[metric];
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

  /* ---------- the network ---------- */

  // The first look (sizes, tooltips, dimming) goes into the items before the DataSets are
  // made: updating thousands of items afterwards would cost a large map a second or more.
  var lastNodeLook = {};
  var lastEdgeLook = {};
  var firstLook = nodeLook();
  var firstSizes = {};
  sizeUpdates(state.sizeMetric).forEach(function (u) { firstSizes[u.id] = u.size; });
  var nodes = new vis.DataSet(DATA.nodes.map(function (item) {
    var look = firstLook[item.id];
    lastNodeLook[item.id] = look.opacity;
    return Object.assign({}, item, look, { size: firstSizes[item.id], title: actorTooltip(actorById[item.id]) });
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (item) {
    lastEdgeLook[item.id] = 1;
    return Object.assign({}, item, { title: tieTooltip(tieById[item.id]) });
  }));
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
  if (DATA.physics) {
    // Let physics find a layout once, then stop it so the map stands still on the beamer.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      state.stabilizedAt = performance.now();
      network.fit();
    });
  } else {
    state.stabilizedAt = performance.now();
    network.fit();
  }
  network.on("afterDrawing", function () {
    if (state.drawnAt === null && state.stabilizedAt !== null && state.started) {
      state.drawnAt = performance.now();
      document.body.setAttribute("data-map-ready", "true");
    }
  });

  /* ---------- appearance: focus and date dimming ---------- */

  function focusSet() {
    if (state.focus === null) { return null; }
    var set = {};
    set[state.focus] = true;
    network.getConnectedNodes(state.focus).forEach(function (id) { set[id] = true; });
    return set;
  }
  // Opacity and label colour of every actor: full in a focused neighbourhood (or everywhere
  // without focus), faded outside it, dimmed when the actor has no visible tie at the date.
  function nodeLook(focus) {
    var active = {};
    DATA.ties.forEach(function (tie) {
      if (edgeVisible(tie)) { active[tie.from] = true; active[tie.to] = true; }
    });
    var looks = {};
    DATA.actors.forEach(function (a) {
      var opacity = 1;
      if (focus) { opacity = focus[a.id] ? 1 : FADED; } else if (!active[a.id]) { opacity = INACTIVE; }
      var colour = opacity === 1 ? "#111111" : "rgba(17,17,17," + Math.max(opacity, 0.3) + ")";
      looks[a.id] = { opacity: opacity, font: { color: colour } };
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
        nodeChanges.push({ id: a.id, opacity: look.opacity, font: look.font });
      }
    });
    var edgeChanges = [];
    DATA.ties.forEach(function (tie) {
      var on = !focus || tie.from === state.focus || tie.to === state.focus;
      var opacity = on ? 1 : 0.08;
      if (lastEdgeLook[tie.id] !== opacity) {
        lastEdgeLook[tie.id] = opacity;
        var c = edgeStyle[tie.id];
        edgeChanges.push({ id: tie.id, color: { color: c.color, highlight: c.highlight, hover: c.hover, opacity: opacity } });
      }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
  }

  function refresh() {
    nodesView.refresh();
    edgesView.refresh();
    if (state.focus !== null && !nodeVisible({ id: state.focus })) { clearFocus(); return; }
    applyAppearance();
    renderDetails();
    renderStatus();
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
    network.selectNodes([id]);
    applyAppearance();
    renderDetails();
    if (opts.zoom !== false) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    }
    return true;
  }
  function clearFocus() {
    state.focus = null;
    network.unselectAll();
    applyAppearance();
    renderDetails();
  }

  function renderDetails() {
    var body = $("details-body");
    body.textContent = "";
    var clear = $("clear-selection");
    if (state.focus === null) {
      body.appendChild(el("p", "hint", t("details_empty")));
      clear.hidden = true;
      return;
    }
    clear.hidden = false;
    var a = actorById[state.focus];
    body.appendChild(el("h3", null, a.name));
    var kind = words().kinds[a.kind].one;
    if (a.group !== a.kind) { kind += " \u00b7 " + t("group") + ": " + a.groupLabel[state.lang]; }
    body.appendChild(el("p", "tip-kind", kind));
    if (a.broker || a.articulation) {
      var badges = el("p");
      if (a.broker) { badges.appendChild(el("span", "badge", t("broker_badge"))); }
      if (a.articulation) { badges.appendChild(el("span", "badge badge-articulation", t("articulation_badge"))); }
      body.appendChild(badges);
    }
    a.about[state.lang].forEach(function (line) { body.appendChild(el("p", null, line)); });
    var dl = el("dl", "metric-list");
    [["degree", "degree"], ["betweenness", "betweenness"], ["brokerage", "brokerage_total"]].forEach(function (pair) {
      dl.appendChild(el("dt", null, t(pair[1])));
      dl.appendChild(el("dd", null, formatNumber(a.metrics[pair[0]])));
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
    if (params.nodes.length) { focusActor(params.nodes[0], { zoom: false }); } else if (!params.edges.length) { clearFocus(); }
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
    refresh();
  }
  function renderDate() {
    if (!slider) { return; }
    var label = formatDate(state.date);
    $("date-value").textContent = label;
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
  if (slider) {
    slider.value = String(state.dateIndex);
    slider.addEventListener("input", function () { setDateIndex(Number(slider.value)); });
    $("date-prev").addEventListener("click", function () { setDateIndex(state.dateIndex - 1); });
    $("date-next").addEventListener("click", function () { setDateIndex(state.dateIndex + 1); });
    $("date-play").addEventListener("click", togglePlay);
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
  function renderSearch() {
    var input = $("search");
    var list = $("search-results");
    list.textContent = "";
    var q = input.value;
    state.searchResults = search(q).slice(0, 10);
    if (!fold(q)) { $("search-status").textContent = ""; return; }
    if (!state.searchResults.length) { $("search-status").textContent = t("search_none"); return; }
    $("search-status").textContent = "";
    state.searchResults.forEach(function (id) {
      var a = actorById[id];
      var item = el("li");
      var button = el("button");
      button.type = "button";
      button.appendChild(document.createTextNode(a.name + " "));
      var kind = words().kinds[a.kind].one;
      if (!state.kindsOn[a.kind]) { kind += ", " + t("search_hidden"); }
      button.appendChild(el("span", "result-kind", "(" + kind + ")"));
      button.addEventListener("click", function () { focusActor(id); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }
  var searchInput = $("search");
  searchInput.addEventListener("input", renderSearch);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (state.searchResults.length) { focusActor(state.searchResults[0]); }
    } else if (event.key === "ArrowDown") {
      var first = $("search-results").querySelector("button");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      searchInput.value = "";
      renderSearch();
    }
  });
  $("search-results").addEventListener("keydown", function (event) {
    var buttons = Array.prototype.slice.call(this.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : searchInput).focus(); }
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
    $("metrics-note").textContent = DATA.metricsAt ? t("metrics_note", { date: formatDate(DATA.metricsAt) }) : "";
    renderDate();
    if (!first) { // the items were made with the first language's tooltips
      nodes.update(DATA.actors.map(function (a) { return { id: a.id, title: actorTooltip(a) }; }));
      edges.update(DATA.ties.map(function (tie) { return { id: tie.id, title: tieTooltip(tie) }; }));
    }
    renderDetails();
    renderSearch();
    renderStatus();
  }
  $("btn-lang").addEventListener("click", function () { setLang(state.lang === "nl" ? "en" : "nl"); });

  /* ---------- presentation, fit, PNG ---------- */

  function resizeMap() {
    network.setSize("100%", "100%");
    network.redraw();
    network.fit();
  }
  function setPresenting(on) {
    state.presenting = !!on;
    document.body.classList.toggle("presenting", state.presenting);
    network.setOptions({ nodes: { font: { size: state.presenting ? PRESENTATION_LABEL_SIZE : LABEL_SIZE } } });
    var button = $("btn-present");
    button.setAttribute("aria-pressed", String(state.presenting));
    button.textContent = t(state.presenting ? "exit_presentation" : "presentation");
    var root = document.documentElement;
    if (state.presenting && document.fullscreenEnabled && !document.fullscreenElement) {
      root.requestFullscreen().catch(function () { /* stays a full-window view */ });
    } else if (!state.presenting && document.fullscreenElement) {
      document.exitFullscreen().catch(function () {});
    }
    setTimeout(resizeMap, 60);
  }
  function togglePresentation() { setPresenting(!state.presenting); }
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && state.presenting) { setPresenting(false); }
  });
  $("btn-present").addEventListener("click", togglePresentation);
  $("btn-fit").addEventListener("click", function () { network.fit({ animation: { duration: 400 } }); });

  function pngDataUrl() {
    network.redraw();
    return container.querySelector("canvas").toDataURL("image/png");
  }
  function fileName() {
    var base = fold(DATA.title).replace(/ /g, "-") || "netwerkkaart";
    return base + (state.date ? "-" + state.date : "") + ".png";
  }
  function downloadPng() {
    var link = document.createElement("a");
    link.href = pngDataUrl();
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  $("btn-png").addEventListener("click", downloadPng);
  $("clear-selection").addEventListener("click", function () { clearFocus(); frame.focus(); });

  /* ---------- keyboard ---------- */

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName) && event.target.type !== "checkbox" &&
      event.target.type !== "range";
    if (event.key === "Escape") {
      if (state.focus !== null) { clearFocus(); } else if (state.presenting && !document.fullscreenElement) { setPresenting(false); }
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "/") { event.preventDefault(); searchInput.focus(); }
    if (event.key === "p" || event.key === "P") { event.preventDefault(); togglePresentation(); }
  });

  /* ---------- start ---------- */

  setLang(state.lang, true);
  state.started = true;
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
    pngDataUrl: pngDataUrl,
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
